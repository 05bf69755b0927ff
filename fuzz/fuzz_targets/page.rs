//! Fuzz target: one page's text (front matter + Markdown) through the whole page pipeline —
//! load, Markdown, site model and link check, sidebar, page template, print edition, 404,
//! JSON-LD, search index, sitemap and feed — with the repository's own templates, as the home
//! page of a one-page site. Errors are fine; a panic is a bug.
#![no_main]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use beian_guide::render::{Shared, SiteContext, Templates};
use libfuzzer_sys::fuzz_target;

fn templates() -> &'static Templates {
    static T: OnceLock<Templates> = OnceLock::new();
    T.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        Templates::load(&root, Path::new("templates"))
            .unwrap_or_else(|e| panic!("the repository's templates do not load: {e:?}"))
    })
}

fn config() -> &'static beian_guide::config::Config {
    static C: OnceLock<beian_guide::config::Config> = OnceLock::new();
    C.get_or_init(|| {
        beian_guide::config::parse(
            "[book]\ntitle = \"t\"\n[output.html]\nbase-url = \"https://fuzz.invalid/\"\n",
        )
        .unwrap_or_default()
    })
}

fn run(text: &str) {
    let templates = templates();
    let Ok(page) = beian_guide::load::parse_page(
        "_index.md".to_owned(),
        PathBuf::from("content/_index.md"),
        text.to_owned(),
    ) else {
        return;
    };
    if !templates
        .check_pages(std::slice::from_ref(&page))
        .is_empty()
    {
        return;
    }
    let outputs: HashMap<String, String> =
        HashMap::from([(page.source.clone(), page.output.clone())]);
    let embed = |_: &serde_json::Map<String, serde_json::Value>, _: usize, _: &str| {
        Ok::<String, beian_guide::markdown::EmbedError>(String::new())
    };
    let cx = beian_guide::markdown::MarkdownContext {
        outputs: &outputs,
        language: "zh-CN",
        embed_checker: &embed,
        embed_chain: Some(beian_guide::markdown::Fragment {
            html: "<figure class=\"chain\"></figure>",
            text: "chain",
        }),
        callouts: None,
    };
    let Ok(rendered) = beian_guide::markdown::render(&page, &cx) else {
        return;
    };
    let extra = beian_guide::site::ExtraLinks::default();
    let Ok(site) = beian_guide::site::Site::build(vec![page], vec![Arc::new(rendered)], &extra) else {
        return;
    };
    let Ok(sidebars) = beian_guide::render::render_sidebars(&site, templates, &serde_json::json!({})) else {
        return;
    };
    let config = config();
    let shared = Shared {
        site: SiteContext::new(config),
        edit_url_template: Some("https://git.fuzz.cn/edit/{path}"),
        checker: serde_json::Value::Null,
        checker_assets: None,
        sidebars: Arc::new(sidebars),
        edition: Default::default(),
    };
    let _ = beian_guide::render::render_page(&site, 0, templates, &shared);
    let sink = |_: &str, _: &[u8]| Ok(());
    let _ = beian_guide::render::render_print(&site, templates, &shared, &sink);
    let _ = beian_guide::render::render_404(&site, templates, &shared);
    let _ = beian_guide::search::build_index(&site);
    let base = "https://fuzz.invalid/";
    let _ = beian_guide::assets::sitemap(&[("zh-CN", &site)], base);
    let feed = beian_guide::assets::FeedInfo {
        title: "t",
        description: "",
        language: "zh-CN",
        authors: &[],
        base_url: base,
    };
    let _ = beian_guide::assets::atom(&site, &feed, "");
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        run(text);
    }
});
