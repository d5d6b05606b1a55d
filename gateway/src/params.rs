//! The API parameters of a request: from the query and, for a form POST, the body.

/// The API parameters: from the query and, for a form POST, the body. A name given twice (or
/// differently in both) is refused: the instance to flush must never be ambiguous.
pub(crate) fn parameters(
    query: Option<&str>,
    form: Option<&[u8]>,
) -> Result<Vec<(String, String)>, String> {
    let mut params: Vec<(String, String)> = Vec::new();
    let sources = [query.map(str::as_bytes), form];
    for source in sources.into_iter().flatten() {
        for (name, value) in form_urlencoded::parse(source) {
            if let Some((_, existing)) = params.iter().find(|(n, _)| *n == name) {
                if *existing != value {
                    return Err(format!(
                        "the parameter {name} is given more than once with different values"
                    ));
                }
                continue;
            }
            params.push((name.into_owned(), value.into_owned()));
        }
    }
    Ok(params)
}

/// The value of parameter `name`, if given.
pub(crate) fn param<'p>(params: &'p [(String, String)], name: &str) -> Option<&'p str> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_refuse_ambiguity() {
        let p = parameters(
            Some("cloudDBInstanceNo=1&responseFormatType=xml"),
            Some(b"cloudDBInstanceNo=1"),
        )
        .unwrap();
        assert_eq!(p.len(), 2);
        assert!(parameters(Some("cloudDBInstanceNo=1&cloudDBInstanceNo=2"), None).is_err());
        assert!(parameters(Some("cloudDBInstanceNo=1"), Some(b"cloudDBInstanceNo=2")).is_err());
        assert_eq!(
            parameters(None, Some(b"a=b+c%21")).unwrap(),
            vec![("a".into(), "b c!".into())]
        );
    }
}
