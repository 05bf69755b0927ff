//! A conservative, deterministic shrink of the checker's own scripts (issue 20 §2: the answer
//! on a slow phone waits for every byte of them): comments, indentation and blank lines go,
//! everything else stays byte for byte, line breaks included (so automatic semicolon
//! insertion reads the same program). Strings, template literals (with `${…}` nested to any
//! depth) and regular expression literals are copied verbatim.
//!
//! Only the theme's checker scripts go through it (`SCRIPTS` in `checker.rs`), and the
//! wasm-bindgen glue (build.rs compiles this file too, by `#[path]`, so it uses `std` only).
//! When the scanner meets something it cannot follow (a string, comment, template or regular
//! expression left open at the end), it gives the source back unchanged rather than guess.

/// What the scanner is inside of, innermost last: a template literal's text, or the code of a
/// `${…}` substitution (with its own brace depth).
#[derive(Clone, Copy)]
enum Frame {
    Template,
    Code { braces: usize },
}

/// The shrunk script, or `None` when the source has a construct left open (then ship it as is).
pub(crate) fn minify_js(src: &str) -> Option<String> {
    let b = src.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut stack = vec![Frame::Code { braces: 0 }];
    // Whether a `/` here starts a regular expression (no value before it) or divides.
    let mut regex_ok = true;
    let mut i = 0;
    while i < b.len() {
        if let Some(Frame::Template) = stack.last() {
            match b[i] {
                b'\\' => {
                    out.extend_from_slice(b.get(i..i + 2)?);
                    i += 2;
                }
                b'`' => {
                    out.push(b'`');
                    stack.pop();
                    regex_ok = false;
                    i += 1;
                }
                b'$' if b.get(i + 1) == Some(&b'{') => {
                    out.extend_from_slice(b"${");
                    stack.push(Frame::Code { braces: 0 });
                    regex_ok = true;
                    i += 2;
                }
                c => {
                    out.push(c);
                    i += 1;
                }
            }
            continue;
        }
        let c = b[i];
        match c {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                // A line comment: up to (not including) the line break.
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = find(b, i + 2, b"*/")?;
                let had_break = b[i..end].contains(&b'\n');
                i = end + 2;
                // A block comment with a line break counts as one for semicolon insertion.
                if had_break {
                    newline(&mut out);
                } else if needs_space(&out, b.get(i)) {
                    out.push(b' ');
                }
            }
            b'\'' | b'"' => {
                let end = string_end(b, i)?;
                out.extend_from_slice(&b[i..end]);
                i = end;
                regex_ok = false;
            }
            b'`' => {
                out.push(b'`');
                stack.push(Frame::Template);
                i += 1;
            }
            b'/' if regex_ok => {
                let end = regex_end(b, i)?;
                out.extend_from_slice(&b[i..end]);
                i = end;
                regex_ok = false;
            }
            b'\n' | b'\r' => {
                newline(&mut out);
                i += 1;
            }
            b' ' | b'\t' => {
                while i < b.len() && matches!(b[i], b' ' | b'\t') {
                    i += 1;
                }
                // Indentation and spaces before a line break go; one space between tokens
                // stays (`return x`, `a - -b`).
                let at_line_start = matches!(out.last(), None | Some(b'\n' | b' '));
                let next = b.get(i);
                if !at_line_start && !matches!(next, None | Some(b'\n' | b'\r')) {
                    out.push(b' ');
                }
            }
            b'{' => {
                if let Some(Frame::Code { braces }) = stack.last_mut() {
                    *braces += 1;
                }
                out.push(c);
                regex_ok = true;
                i += 1;
            }
            b'}' => {
                let nested = stack.len() > 1;
                match stack.last_mut() {
                    Some(Frame::Code { braces: 0 }) if nested => {
                        // The end of a `${…}`: back in the template's text.
                        stack.pop();
                    }
                    Some(Frame::Code { braces }) => *braces = braces.saturating_sub(1),
                    _ => {}
                }
                out.push(c);
                // After a block, an expression statement may start (with a regular expression).
                regex_ok = true;
                i += 1;
            }
            c if is_word(c) => {
                let start = i;
                while i < b.len() && is_word(b[i]) {
                    i += 1;
                }
                let word = &b[start..i];
                out.extend_from_slice(word);
                regex_ok = KEYWORDS_BEFORE_EXPRESSION.contains(&word);
            }
            b')' | b']' => {
                out.push(c);
                regex_ok = false;
                i += 1;
            }
            _ => {
                out.push(c);
                // `++`/`--` after a value are postfix: what follows them divides.
                let postfix = matches!(c, b'+' | b'-') && out.len() >= 2 && out[out.len() - 2] == c;
                regex_ok = !postfix;
                i += 1;
            }
        }
    }
    if stack.len() != 1 {
        return None;
    }
    while out.last() == Some(&b'\n') {
        out.pop();
    }
    out.push(b'\n');
    String::from_utf8(out).ok()
}

/// Words after which a `/` starts a regular expression, not a division.
const KEYWORDS_BEFORE_EXPRESSION: &[&[u8]] = &[
    b"return",
    b"typeof",
    b"instanceof",
    b"in",
    b"of",
    b"new",
    b"delete",
    b"void",
    b"throw",
    b"case",
    b"do",
    b"else",
    b"yield",
    b"await",
];

/// Identifier and number characters (any non-ASCII byte counts: identifiers may be Unicode).
fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'$' | b'.') || c >= 0x80
}

/// Ends the output's line once (blank lines and leading breaks go).
fn newline(out: &mut Vec<u8>) {
    while out.last() == Some(&b' ') {
        out.pop();
    }
    if !matches!(out.last(), None | Some(b'\n')) {
        out.push(b'\n');
    }
}

/// Whether a comment between the output so far and `next` must leave a space (`a/**/b`).
fn needs_space(out: &[u8], next: Option<&u8>) -> bool {
    let before = out.last().copied();
    matches!((before, next), (Some(x), Some(&y)) if x != b' ' && x != b'\n' && y != b' ' && y != b'\n')
}

/// The index of `pat` at or after `from`.
fn find(b: &[u8], from: usize, pat: &[u8]) -> Option<usize> {
    (from..b.len().checked_sub(pat.len() - 1)?).find(|&j| b[j..].starts_with(pat))
}

/// The index just past the quoted string starting at `start`.
fn string_end(b: &[u8], start: usize) -> Option<usize> {
    let q = b[start];
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'\n' => return None,
            c if c == q => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The index just past the regular expression literal (and its flags) starting at `start`.
fn regex_end(b: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    let mut class = false;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'\n' => return None,
            b'[' => {
                class = true;
                i += 1;
            }
            b']' => {
                class = false;
                i += 1;
            }
            b'/' if !class => {
                i += 1;
                while i < b.len() && b[i].is_ascii_alphabetic() {
                    i += 1;
                }
                return Some(i);
            }
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::minify_js;

    #[test]
    fn comments_indentation_and_blank_lines_go_code_stays() {
        let src = "//! head\n\n(function () {\n  // why\n  const a = 1; // trailing\n  /* block */ const b = a / 2;\n\n  return a /*x*/ + b;\n})();\n";
        assert_eq!(
            minify_js(src).as_deref(),
            Some("(function () {\nconst a = 1;\nconst b = a / 2;\nreturn a + b;\n})();\n")
        );
    }

    #[test]
    fn strings_templates_and_regular_expressions_are_verbatim() {
        let src = concat!(
            "const s = \"// not a comment\";\n",
            "const t = `line\n    // kept ${ x ? `in ${ {a:1}.a } //` : '/*' } tail`;\n",
            "const r = /\\/\\/[/*]+/g.test(s) ? 1 : s.length / 2 / 3;\n",
            "if (x) return /a b/.source;\n",
        );
        assert_eq!(
            minify_js(src).as_deref(),
            Some(concat!(
                "const s = \"// not a comment\";\n",
                "const t = `line\n    // kept ${ x ? `in ${ {a:1}.a } //` : '/*' } tail`;\n",
                "const r = /\\/\\/[/*]+/g.test(s) ? 1 : s.length / 2 / 3;\n",
                "if (x) return /a b/.source;\n",
            ))
        );
    }

    #[test]
    fn a_comment_with_a_line_break_still_ends_the_line() {
        // `a\n/*\n*/b` is two statements (semicolon insertion); `a/**/b` stays apart.
        assert_eq!(
            minify_js("a /*\n*/ b\nc/**/d\n").as_deref(),
            Some("a\nb\nc d\n")
        );
    }

    #[test]
    fn anything_left_open_gives_the_source_back() {
        for src in [
            "const s = 'open;\n",
            "/* open",
            "const t = `open",
            "x = /open\n",
        ] {
            assert_eq!(minify_js(src), None, "{src}");
        }
    }
}
