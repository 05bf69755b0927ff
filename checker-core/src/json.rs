//! A small JSON reader and writer, so the WebAssembly carries no serde machinery.
//!
//! Both front doors read the input text with [`parse`] (one implementation, so they agree on
//! every usage error), the browser reads the rules with it (see `rules_json.rs`), and the output
//! object is written with [`write_str`] in the exact form `serde_json::to_string` gives
//! (tests compare the two). Objects keep their keys as written, in input order, repeated keys
//! included: the input checks report a key given twice.
//!
//! Why the crate also derives serde for `Rules` and `Output`: the generator reads
//! `rules.toml` through serde (with `deny_unknown_fields` and the TOML parser's positions for
//! its error messages), writes the rules JSON the page embeds, and the tests compare this
//! module with `serde_json` on the same values. Neither stack can go: the generator's error
//! messages need serde's TOML path, and the WebAssembly's size budget (60 KB gzip with the
//! glue) rules serde out there. Measured when the split was made (`src/wasm.rs`): 89,312 B
//! gzip with serde in the module against 47,760 B without; at this commit the module is
//! 48,707 B gzip -9 and carries none of serde's code (the linker drops it: nothing in
//! `checker-wasm` calls it), so the derives cost the module nothing but compile time in the
//! nested build. A `serde` feature, off for `checker-wasm`, would save that compile time; it
//! needs `cfg_attr` on every derive and was not done.

use std::fmt;

/// A JSON value. Numbers keep only what the checker asks of them (see [`Number`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, classified (see [`Number`]).
    Number(Number),
    /// A string, unescaped.
    String(String),
    /// An array, in order.
    Array(Vec<Json>),
    /// Entries in input order; a repeated key appears twice.
    Object(Vec<(String, Json)>),
}

/// A JSON number, classified as `serde_json` classifies it: an integer literal (no fraction, no
/// exponent) that fits `u64`, a negative one that fits `i64`, or anything else (`3.0`, `3e0`,
/// `-0`, integers beyond 64 bits), whose value the checker never needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Number {
    /// A non-negative integer literal that fits `u64`.
    U64(u64),
    /// Always negative.
    I64(i64),
    /// An integer literal above `u64::MAX` (no fraction, no exponent, not negative): the
    /// input checks call it too large rather than not an integer.
    Big,
    /// Anything else: a fraction or exponent, `-0`, a negative integer below `i64::MIN`.
    Float,
}

impl Json {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number as `u64`, if it is an integer literal from 0 to `u64::MAX`.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Number(Number::U64(n)) => Some(*n),
            _ => None,
        }
    }

    /// The number as `i64`, if it is an integer literal in `i64`'s range.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Json::Number(Number::U64(n)) => i64::try_from(*n).ok(),
            Json::Number(Number::I64(n)) => Some(*n),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    /// What kind of value this is, for error messages (`"a string"`).
    pub fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }
}

impl From<&serde_json::Value> for Json {
    fn from(value: &serde_json::Value) -> Self {
        use serde_json::Value;
        match value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => Json::Number(match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => Number::U64(u),
                (None, Some(i)) => Number::I64(i),
                (None, None) => Number::Float,
            }),
            Value::String(s) => Json::String(s.clone()),
            Value::Array(items) => Json::Array(items.iter().map(Json::from).collect()),
            Value::Object(map) => Json::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Json::from(v)))
                    .collect(),
            ),
        }
    }
}

/// Why a text is not JSON, and where (1-based line and column, columns counted in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What is wrong, in English.
    pub message: &'static str,
    /// 1-based line of the first byte that is wrong.
    pub line: usize,
    /// 1-based column of that byte, counted in characters.
    pub column: usize,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.message, self.line, self.column
        )
    }
}

impl std::error::Error for ParseError {}

/// How deep arrays and objects may nest (as in `serde_json`), so hostile input cannot exhaust
/// the stack.
pub(crate) const MAX_DEPTH: usize = 128;

/// Parses one JSON text (RFC 8259; whitespace around the value, nothing else after it).
pub fn parse(text: &str) -> Result<Json, ParseError> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
    };
    p.skip_ws();
    let value = p.value()?;
    p.skip_ws();
    if p.pos < p.bytes.len() {
        return Err(p.error("trailing characters after the value"));
    }
    Ok(value)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn error(&self, message: &'static str) -> ParseError {
        let before = &self.text[..floor_char_boundary(self.text, self.pos)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        ParseError {
            message,
            line,
            column: before[line_start..].chars().count() + 1,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, literal: &str) -> bool {
        if self.bytes[self.pos..].starts_with(literal.as_bytes()) {
            self.pos += literal.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self) -> Result<Json, ParseError> {
        match self.peek() {
            None => Err(self.error("unexpected end of input, expected a value")),
            Some(b'n') if self.eat("null") => Ok(Json::Null),
            Some(b't') if self.eat("true") => Ok(Json::Bool(true)),
            Some(b'f') if self.eat("false") => Ok(Json::Bool(false)),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number().map(Json::Number),
            Some(b'[') => self.nested(Self::array),
            Some(b'{') => self.nested(Self::object),
            Some(_) => Err(self.error("expected a value")),
        }
    }

    fn nested(
        &mut self,
        read: fn(&mut Self) -> Result<Json, ParseError>,
    ) -> Result<Json, ParseError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error("arrays and objects nest too deeply"));
        }
        self.depth += 1;
        let value = read(self);
        self.depth -= 1;
        value
    }

    /// After `[`.
    fn array(&mut self) -> Result<Json, ParseError> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Json::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value()?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Json::Array(items));
                }
                None => return Err(self.error("unexpected end of input in an array")),
                Some(_) => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    /// After `{`.
    fn object(&mut self) -> Result<Json, ParseError> {
        self.pos += 1;
        let mut entries = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Json::Object(entries));
        }
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'"') => {}
                None => return Err(self.error("unexpected end of input in an object")),
                Some(_) => return Err(self.error("expected a key in double quotes")),
            }
            let key = self.string()?;
            self.skip_ws();
            match self.peek() {
                Some(b':') => self.pos += 1,
                None => return Err(self.error("unexpected end of input in an object")),
                Some(_) => return Err(self.error("expected `:`")),
            }
            self.skip_ws();
            let value = self.value()?;
            entries.push((key, value));
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Json::Object(entries));
                }
                None => return Err(self.error("unexpected end of input in an object")),
                Some(_) => return Err(self.error("expected `,` or `}`")),
            }
        }
    }

    /// At `"`: the string's contents, escapes decoded.
    fn string(&mut self) -> Result<String, ParseError> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // Stops only at ASCII bytes, so both ends are character boundaries.
            out.push_str(&self.text[start..self.pos]);
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    out.push(self.escape()?);
                }
                Some(_) => {
                    return Err(self.error("control character in a string (escape it, e.g. \\n)"))
                }
                None => return Err(self.error("unexpected end of input in a string")),
            }
        }
    }

    /// After a backslash.
    fn escape(&mut self) -> Result<char, ParseError> {
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let first = self.hex4()?;
                return match first {
                    0xd800..=0xdbff => {
                        if !self.eat("\\u") {
                            return Err(self.error("unpaired surrogate in a \\u escape"));
                        }
                        let second = self.hex4()?;
                        if !(0xdc00..=0xdfff).contains(&second) {
                            return Err(self.error("unpaired surrogate in a \\u escape"));
                        }
                        let code = 0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00);
                        char::from_u32(code).ok_or_else(|| self.error("invalid \\u escape"))
                    }
                    0xdc00..=0xdfff => Err(self.error("unpaired surrogate in a \\u escape")),
                    _ => char::from_u32(first).ok_or_else(|| self.error("invalid \\u escape")),
                };
            }
            None => return Err(self.error("unexpected end of input in a string")),
            Some(_) => return Err(self.error("invalid escape in a string")),
        };
        self.pos += 1;
        Ok(c)
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let mut n = 0;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return Err(self.error("expected four hex digits after \\u")),
            };
            n = n * 16 + u32::from(digit);
            self.pos += 1;
        }
        Ok(n)
    }

    /// At `-` or a digit.
    fn number(&mut self) -> Result<Number, ParseError> {
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let digits_start = self.pos;
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                while matches!(self.peek(), Some(b'0'..=b'9')) {
                    self.pos += 1;
                }
            }
            _ => return Err(self.error("invalid number")),
        }
        let digits = &self.text[digits_start..self.pos];
        if matches!(self.peek(), Some(b'0'..=b'9')) {
            return Err(self.error("invalid number (leading zero)"));
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            integer = false;
            self.pos += 1;
            self.digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            integer = false;
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            self.digits()?;
        }
        if !integer {
            return Ok(Number::Float);
        }
        let Ok(n) = digits.parse::<u64>() else {
            return Ok(if negative { Number::Float } else { Number::Big });
        };
        Ok(match (negative, n) {
            (false, n) => Number::U64(n),
            // `-0` is a float to serde_json too.
            (true, 0) => Number::Float,
            (true, n) => 0i64
                .checked_sub_unsigned(n)
                .map_or(Number::Float, Number::I64),
        })
    }

    /// One or more digits (after `.` or an exponent).
    fn digits(&mut self) -> Result<(), ParseError> {
        if !matches!(self.peek(), Some(b'0'..=b'9')) {
            return Err(self.error("invalid number"));
        }
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        Ok(())
    }
}

/// The largest character boundary of `s` at or before `i`.
fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Appends `s` as a JSON string literal, escaped exactly as `serde_json` escapes it: `"`, `\`
/// and control characters (`\b \f \n \r \t`, others as `\u00XX`); everything else as is.
pub(crate) fn write_str(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escaped = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x0c => "\\f",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escaped.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push_str(escaped);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::{parse, write_str, Json, Number};

    fn num(text: &str) -> Number {
        match parse(text) {
            Ok(Json::Number(n)) => n,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn numbers_are_classified_as_serde_json_does() {
        assert_eq!(num("0"), Number::U64(0));
        assert_eq!(num("18446744073709551615"), Number::U64(u64::MAX));
        assert_eq!(num("18446744073709551616"), Number::Big);
        assert_eq!(num("-18446744073709551616"), Number::Float);
        assert_eq!(num("-1"), Number::I64(-1));
        assert_eq!(num("-9223372036854775808"), Number::I64(i64::MIN));
        assert_eq!(num("-9223372036854775809"), Number::Float);
        for float in ["-0", "3.0", "3e0", "3E+1", "0.5", "-2.5e-3"] {
            assert_eq!(num(float), Number::Float, "{float}");
        }
        for bad in ["01", "-", "1.", ".5", "1e", "+1", "--1", "1.e3"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn strings_decode_escapes_and_reject_what_json_forbids() {
        assert_eq!(
            parse(r#""a\"\\\/\b\f\n\r\t\u00e9\u4e2d\ud83d\ude00""#),
            Ok(Json::String("a\"\\/\u{8}\u{c}\n\r\té中😀".to_owned()))
        );
        assert_eq!(parse("\"备案\""), Ok(Json::String("备案".to_owned())));
        for bad in [
            "\"a",
            "\"\\x\"",
            "\"\\ud83d\"",
            "\"\\ude00\"",
            "\"\\ud83d\\u0041\"",
            "\"\\u12\"",
            "\"a\nb\"",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn objects_keep_order_and_repeated_keys() {
        let v = parse(r#" { "b" : 1 , "a" : [true, null, {}], "b": "x" } "#);
        assert_eq!(
            v,
            Ok(Json::Object(vec![
                ("b".to_owned(), Json::Number(Number::U64(1))),
                (
                    "a".to_owned(),
                    Json::Array(vec![Json::Bool(true), Json::Null, Json::Object(vec![])])
                ),
                ("b".to_owned(), Json::String("x".to_owned())),
            ]))
        );
    }

    #[test]
    fn errors_say_where() {
        let e = parse("{\"a\": 1,\n  \"中\": }").unwrap_err();
        assert_eq!(e.to_string(), "expected a value at line 2 column 8");
        let e = parse("").unwrap_err();
        assert_eq!(
            e.to_string(),
            "unexpected end of input, expected a value at line 1 column 1"
        );
        assert!(parse("{} x").is_err());
        assert!(parse("{\"a\":1,}").is_err());
        assert!(parse("{'a': 1}").is_err());
        assert!(parse("nul").is_err());
        assert!(parse("[1 2]").is_err());
    }

    #[test]
    fn nesting_is_bounded() {
        let ok = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert!(parse(&ok).is_ok());
        let deep = format!("{}{}", "[".repeat(129), "]".repeat(129));
        assert!(parse(&deep).is_err());
        let hostile = "[".repeat(1 << 20);
        assert!(parse(&hostile).is_err());
    }

    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        let mut samples: Vec<String> = (0u32..0x80)
            .filter_map(char::from_u32)
            .map(String::from)
            .collect();
        samples.extend(
            [
                "",
                "plain",
                "备案 “号”",
                "a\"b\\c\u{7f}\u{2028}😀",
                "\u{0}\u{1f}x",
            ]
            .map(String::from),
        );
        for s in samples {
            let mut ours = String::new();
            write_str(&mut ours, &s);
            assert_eq!(ours, serde_json::to_string(&s).unwrap(), "{s:?}");
            assert_eq!(parse(&ours), Ok(Json::String(s)));
        }
    }
}
