//! The two formats the API answers in (`responseFormatType`).

/// The format of an answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Format {
    /// `responseFormatType=json`.
    #[default]
    Json,
    /// `responseFormatType=xml`.
    Xml,
}

impl Format {
    /// `"json"` or `"xml"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Xml => "xml",
        }
    }

    /// Parses `"json"` or `"xml"` (any case).
    pub fn parse(text: &str) -> Option<Self> {
        if text.eq_ignore_ascii_case("json") {
            Some(Format::Json)
        } else if text.eq_ignore_ascii_case("xml") {
            Some(Format::Xml)
        } else {
            None
        }
    }

    /// Guesses the format from the first character that is not white space (or a byte-order
    /// mark): `{`/`[` JSON, `<` XML.
    pub fn detect(body: &str) -> Option<Self> {
        match body
            .trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
            .bytes()
            .next()
        {
            Some(b'{' | b'[') => Some(Format::Json),
            Some(b'<') => Some(Format::Xml),
            _ => None,
        }
    }
}
