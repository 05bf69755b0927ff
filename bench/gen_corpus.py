#!/usr/bin/env python3
"""bench/gen_corpus.py: writes a deterministic corpus of zh-CN Markdown pages for bench/run.sh.

Usage: bench/gen_corpus.py --pages N --out DIR [--layout neutral|zola|hugo|mdbook] [--seed S]

The pages are the same for every layout (same seed, same text, same links); only the wrapping
differs, so the generators can be timed on equal work:
  neutral  content/ as beian-guide reads it: folders with _index.md, TOML front matter, links
           to other pages by relative .md path (bench/run.sh adds the theme and book.toml)
  zola     config.toml, content/ (TOML front matter, @/ links), minimal templates/
  hugo     hugo.toml, content/ (TOML front matter, relref-free relative links), minimal layouts/
  mdbook   book.toml, src/SUMMARY.md and the pages under src/

Each page has headings, paragraphs of Chinese text about ICP filing, a list, a table, a code
block, a quote, a footnote and links to other pages. Nothing depends on the time or the
machine: the same arguments write the same bytes.
"""

import argparse
import os
import random

SUBJECTS = ["备案", "接入商", "服务器", "域名", "经营许可证", "管局", "主体", "网站负责人", "公安备案", "核查"]
VERBS = ["需要核对", "可能影响", "不会改变", "应当更新", "会触发", "取决于", "要求提交", "可以保留"]
OBJECTS = ["备案信息", "接入状态", "整改期限", "服务器续费", "解析记录", "证件有效期", "联系方式", "域名实名"]
TAILS = ["，请以管局通知为准。", "，具体以接入商的说明为准。", "。", "，这一点常被误解。", "，建议提前处理。"]
SECTION_NAMES = ["basics", "server", "domain", "licence", "security", "changes", "cases", "faq"]


def sentence(rng):
    return rng.choice(SUBJECTS) + rng.choice(VERBS) + rng.choice(OBJECTS) + rng.choice(TAILS)


def paragraph(rng, lo=3, hi=7):
    return "".join(sentence(rng) for _ in range(rng.randint(lo, hi)))


def plan(pages, seed):
    """The pages as (section index, file stem, title, weight), in a stable order."""
    rng = random.Random(seed)
    sections = max(1, min(len(SECTION_NAMES), pages // 50 or 1))
    out = []
    for i in range(pages):
        sec = i % sections
        out.append((sec, f"page-{i:05d}", f"{rng.choice(SUBJECTS)}{rng.choice(OBJECTS)}（{i}）", i // sections + 1))
    return sections, out


def body(rng, i, pages, link):
    """The Markdown of page `i`; `link(j)` is how this layout writes a link to page j."""
    parts = [paragraph(rng)]
    for h in range(rng.randint(2, 4)):
        parts.append(f"## {rng.choice(OBJECTS)}的要点 {h + 1}")
        parts.append(paragraph(rng))
        kind = (i + h) % 4
        if kind == 0:
            parts.append("\n".join(f"- {sentence(rng)}" for _ in range(rng.randint(3, 5))))
        elif kind == 1:
            rows = "\n".join(f"| {rng.choice(SUBJECTS)} | {rng.choice(OBJECTS)} | {rng.randint(1, 90)} 天 |" for _ in range(3))
            parts.append("| 对象 | 事项 | 期限 |\n| --- | --- | --- |\n" + rows)
        elif kind == 2:
            parts.append(f"```text\n查询 {rng.choice(OBJECTS)} --id {rng.randint(1000, 9999)}\n```")
        else:
            parts.append("> " + sentence(rng))
        j = rng.randrange(pages)
        parts.append(f"另见[{rng.choice(OBJECTS)}]({link(j)})。{sentence(rng)}[^n{h}]")
        parts.append(f"[^n{h}]: {sentence(rng)}")
    return "\n\n".join(parts) + "\n"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def front(title, weight):
    return f'+++\ntitle = "{title}"\nweight = {weight}\n+++\n\n'


def content_tree(out, sections, pages, seed, link_for, section_front):
    """content/<section>/_index.md and content/<section>/<page>.md (neutral, Zola, Hugo)."""
    for s in range(sections):
        write(os.path.join(out, "content", SECTION_NAMES[s], "_index.md"), section_front(s))
    rng = random.Random(seed + 1)
    for i, (sec, stem, title, weight) in enumerate(pages):
        text = body(rng, i, len(pages), lambda j: link_for(sec, pages[j]))
        write(os.path.join(out, "content", SECTION_NAMES[sec], stem + ".md"), front(title, weight) + text)


def relative(sec, target):
    tsec, tstem = target[0], target[1]
    return f"{tstem}.md" if tsec == sec else f"../{SECTION_NAMES[tsec]}/{tstem}.md"


def emit(layout, out, n, seed):
    sections, pages = plan(n, seed)
    sec_front = lambda s: front(f"第 {s + 1} 部分", s + 1)
    if layout == "neutral":
        write(os.path.join(out, "content", "_index.md"), front("基准测试", 0) + "首页。\n")
        content_tree(out, sections, pages, seed, relative, sec_front)
    elif layout == "zola":
        write(os.path.join(out, "config.toml"), 'base_url = "https://bench.example.org"\ntitle = "基准测试"\ndefault_language = "zh"\n')
        write(os.path.join(out, "content", "_index.md"), '+++\ntitle = "基准测试"\nsort_by = "weight"\n+++\n')
        zola_front = lambda s: f'+++\ntitle = "第 {s + 1} 部分"\nsort_by = "weight"\nweight = {s + 1}\n+++\n'
        content_tree(out, sections, pages, seed, lambda sec, t: f"@/{SECTION_NAMES[t[0]]}/{t[1]}.md", zola_front)
        page = '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ page.title }}</title></head><body><main>{{ page.content | safe }}</main></body></html>\n'
        section = '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ section.title }}</title></head><body><ul>{% for p in section.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a></li>{% endfor %}</ul></body></html>\n'
        write(os.path.join(out, "templates", "page.html"), page)
        write(os.path.join(out, "templates", "section.html"), section)
        write(os.path.join(out, "templates", "index.html"), section)
    elif layout == "hugo":
        write(os.path.join(out, "hugo.toml"), 'baseURL = "https://bench.example.org/"\ntitle = "基准测试"\nlanguageCode = "zh-CN"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n')
        write(os.path.join(out, "content", "_index.md"), front("基准测试", 0))
        # Hugo resolves plain relative links as URLs: point them at the page's folder URL.
        hugo_link = lambda sec, t: f"/{SECTION_NAMES[t[0]]}/{t[1]}/"
        content_tree(out, sections, pages, seed, hugo_link, sec_front)
        base = '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>{{ block "main" . }}{{ end }}</body></html>\n'
        write(os.path.join(out, "layouts", "_default", "baseof.html"), base)
        write(os.path.join(out, "layouts", "_default", "single.html"), '{{ define "main" }}<main>{{ .Content }}</main>{{ end }}\n')
        write(os.path.join(out, "layouts", "_default", "list.html"), '{{ define "main" }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n')
    elif layout == "mdbook":
        write(os.path.join(out, "book.toml"), '[book]\ntitle = "基准测试"\nlanguage = "zh-CN"\nsrc = "src"\n')
        summary = ["# Summary", ""]
        for s in range(sections):
            summary.append(f"- [第 {s + 1} 部分]({SECTION_NAMES[s]}/README.md)")
            write(os.path.join(out, "src", SECTION_NAMES[s], "README.md"), f"# 第 {s + 1} 部分\n")
            for sec, stem, title, _ in pages:
                if sec == s:
                    summary.append(f"  - [{title}]({SECTION_NAMES[s]}/{stem}.md)")
        write(os.path.join(out, "src", "SUMMARY.md"), "\n".join(summary) + "\n")
        rng = random.Random(seed + 1)
        for i, (sec, stem, title, _) in enumerate(pages):
            text = body(rng, i, len(pages), lambda j: relative(sec, pages[j]))
            write(os.path.join(out, "src", SECTION_NAMES[sec], stem + ".md"), f"# {title}\n\n" + text)
    else:
        raise SystemExit(f"gen_corpus.py: unknown layout {layout}")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--pages", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--layout", default="neutral", choices=["neutral", "zola", "hugo", "mdbook"])
    p.add_argument("--seed", type=int, default=20)
    a = p.parse_args()
    if a.pages < 1:
        raise SystemExit("gen_corpus.py: --pages must be at least 1")
    emit(a.layout, a.out, a.pages, a.seed)
    print(f"{a.pages} pages ({a.layout}) in {a.out}")


if __name__ == "__main__":
    main()
