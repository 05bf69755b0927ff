//! Layer 0 helper: the HTML text rules every stage shares — escaping text for HTML, making JSON
//! safe inside `<script>`, and the one decoder of character references. Uses no other module.

/// HTML escaping for templates: Tera's default also escapes `/`, which makes every URL in the
/// output unreadable (`..&#x2F;style.css`); `/` is harmless in text and quoted attributes.
pub fn escape_html(input: &str) -> String {
    // Byte by byte, copying the runs between the five characters whole: they are ASCII, so no
    // byte of a longer UTF-8 sequence is one of them (Tera calls this for every `{{ }}`).
    let mut out = String::with_capacity(input.len());
    let mut start = 0;
    for (i, b) in input.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#x27;",
            _ => continue,
        };
        out.push_str(&input[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&input[start..]);
    out
}

/// Makes JSON safe inside `<script>`: no `<` can close the element early.
pub fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
}

/// Decodes the character references the Markdown renderer and Tera emit (and any numeric one).
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_round_trips_through_the_decoder() {
        let text = "a<b> & \"c\" 'd' /e";
        assert_eq!(
            escape_html(text),
            "a&lt;b&gt; &amp; &quot;c&quot; &#x27;d&#x27; /e"
        );
        assert_eq!(decode_entities(&escape_html(text)), text);
        // Multi-byte characters next to the escaped ones, and none at all.
        assert_eq!(
            escape_html("备<案>&'号\""),
            "备&lt;案&gt;&amp;&#x27;号&quot;"
        );
        assert_eq!(escape_html("取消接入"), "取消接入");
        assert_eq!(escape_html(""), "");
    }

    #[test]
    fn decoder_knows_named_and_numeric_references_and_keeps_the_rest() {
        assert_eq!(
            decode_entities("ICP&#x2F;备案&#39;s &lt;b&gt; &#20320;&nbsp;"),
            "ICP/备案's <b> 你 "
        );
        assert_eq!(
            decode_entities("a & b &unknown; &#xZZ;"),
            "a & b &unknown; &#xZZ;"
        );
        assert_eq!(decode_entities("&amp;lt;"), "&lt;");
    }

    #[test]
    fn script_safe_json_cannot_close_the_element() {
        assert_eq!(
            script_safe("{\"a\":\"</script>\"}"),
            "{\"a\":\"\\u003c/script>\"}"
        );
    }
}
