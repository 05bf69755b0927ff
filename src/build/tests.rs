use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;

#[test]
fn without_a_cache_every_page_is_rendered_every_time() {
    let raw = "+++\ntitle = \"A\"\n+++\nbody\n".to_owned();
    let page = match load::parse_page("a.md".into(), "content/a.md".into(), raw) {
        Ok(p) => p,
        Err(e) => panic!("test page does not parse: {e:?}"),
    };
    let pages = vec![page];
    let outputs = HashMap::from([("a.md".to_owned(), "a.html".to_owned())]);
    let calls = AtomicUsize::new(0);
    let render = |_: &load::Page| {
        calls.fetch_add(1, Ordering::SeqCst);
        Ok(Arc::new(markdown::Rendered::default()))
    };
    for mut mode in [Mode::Check(None), Mode::Build, Mode::Check(None)] {
        assert_eq!(mode.render_markdown(0, &pages, &outputs, &render).len(), 1);
    }
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    assert!(!Mode::Build.defers_aggregates());
}

#[test]
fn held_problems_join_a_later_stage_sorted_and_a_fatal_error_stands_alone() {
    let mut p = Problems::default();
    p.hold([Diagnostic::error("b.md", "lint")]);
    assert!(
        p.stop_if_partial().is_ok(),
        "lint errors alone do not stop at `site`"
    );
    let joined = p.finish(BuildError::Problems(vec![Diagnostic::error(
        "a.md", "link",
    )]));
    let files = match joined {
        BuildError::Problems(d) => d.into_iter().map(|d| d.file).collect::<Vec<_>>(),
        BuildError::Fatal(e) => panic!("unexpected fatal error {e:#}"),
    };
    assert_eq!(files, [PathBuf::from("a.md"), PathBuf::from("b.md")]);

    let mut p = Problems::default();
    p.hold_partial([Diagnostic::error("c.md", "bad page")]);
    assert!(matches!(p.stop_if_partial(), Err(BuildError::Problems(d)) if d.len() == 1));
    p.hold([Diagnostic::error("c.md", "lint")]);
    assert!(matches!(
        p.finish(BuildError::Fatal(anyhow::anyhow!("disk full"))),
        BuildError::Fatal(_)
    ));
    // A held error stops the run before anything is written, once.
    assert!(matches!(p.stop_if_any(), Err(BuildError::Problems(d)) if d.len() == 1));
    assert!(p.stop_if_any().is_ok());
}
