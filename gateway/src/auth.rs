//! Authentication as NAVER Cloud's API Gateway does it: the three headers present and sent once,
//! the timestamp canonical and within the clock window, the access key known, and the signature
//! of `METHOD request-target\ntimestamp\naccessKey` (over the request target as received)
//! compared in constant time.

use crate::audit::Audit;
use crate::config::Config;
use crate::time;
use axum::http::{HeaderMap, Method};
use ncloud_redis_flush::signing::headers as h;
use ncloud_redis_flush::signing::string_to_sign;
use ncloud_redis_flush::SigningKey;
use std::collections::HashMap;

/// Who may call, and how far their clocks may be off.
pub(crate) struct Authenticator {
    keys: HashMap<String, SigningKey>,
    max_clock_skew_ms: u64,
}

impl Authenticator {
    /// The credentials and clock window of a checked configuration.
    pub(crate) fn new(config: &Config) -> Self {
        Authenticator {
            keys: config
                .credentials
                .iter()
                .map(|c| (c.access_key.clone(), SigningKey::new(&c.secret_key)))
                .collect(),
            max_clock_skew_ms: config.max_clock_skew_ms,
        }
    }

    /// `Err`: why the request is not authentic (the `details` of the 401).
    pub(crate) fn check(
        &self,
        method: &Method,
        target: &str,
        headers: &HeaderMap,
        audit: &mut Audit,
    ) -> Result<(), String> {
        let timestamp = single_header(headers, h::TIMESTAMP)?;
        let access_key = single_header(headers, h::ACCESS_KEY)?;
        let v2 = single_header(headers, h::SIGNATURE_V2)?;
        let v1 = single_header(headers, h::SIGNATURE_V1)?;
        if let Some(key) = access_key {
            audit.access_key = Some(key.to_owned());
        }
        let timestamp = timestamp.ok_or("the header x-ncp-apigw-timestamp is missing")?;
        let access_key = access_key.ok_or("the header x-ncp-iam-access-key is missing")?;
        let signature =
            match (v2, v1) {
                (Some(v2), Some(v1)) if v2 != v1 => return Err(
                    "the headers x-ncp-apigw-signature-v2 and x-ncp-apigw-signature-v1 disagree"
                        .into(),
                ),
                (v2, v1) => v2
                    .or(v1)
                    .ok_or("the header x-ncp-apigw-signature-v2 is missing")?,
            };
        let millis = parse_timestamp(timestamp)?;
        let now = time::now_ms();
        if now.abs_diff(millis) > self.max_clock_skew_ms {
            return Err(format!(
                "x-ncp-apigw-timestamp is {} ms away from the gateway's clock (at most {} ms allowed)",
                now.abs_diff(millis),
                self.max_clock_skew_ms
            ));
        }
        let key = self
            .keys
            .get(access_key)
            .ok_or("the access key is not known")?;
        let string_to_sign = string_to_sign(method.as_str(), target, millis, access_key);
        if !key.verify(&string_to_sign, signature) {
            return Err("the signature does not match the request".into());
        }
        Ok(())
    }
}

/// The milliseconds of `x-ncp-apigw-timestamp`, written canonically: the string to sign holds the
/// number, so `0` + a signed timestamp must not pass for it.
fn parse_timestamp(text: &str) -> Result<u64, String> {
    const NOT_MILLIS: &str = "x-ncp-apigw-timestamp is not a number of milliseconds";
    let millis = ncloud_redis_flush::Timestamp::parse(text)
        .map_err(|_| NOT_MILLIS)?
        .millis();
    if text.len() > 1 && text.starts_with('0') {
        return Err(NOT_MILLIS.into());
    }
    Ok(millis)
}

/// The one value of header `name`: `Err` when it is sent more than once or is not text.
pub(crate) fn single_header<'h>(
    headers: &'h HeaderMap,
    name: &str,
) -> Result<Option<&'h str>, String> {
    let mut values = headers.get_all(name).iter();
    let Some(first) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(format!("the header {name} is sent more than once"));
    }
    first
        .to_str()
        .map(Some)
        .map_err(|_| format!("the header {name} is not visible ASCII"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::extract::Request;

    fn authenticator() -> Authenticator {
        let config =
            Config::parse("[[credentials]]\naccess_key = \"AK\"\nsecret_key = \"SK\"\n").unwrap();
        Authenticator::new(&config)
    }

    fn signed_request(timestamp: &str, headers: &[(&str, &str)]) -> Request {
        let mut builder = Request::builder()
            .method("POST")
            .uri("/clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=1")
            .header(h::TIMESTAMP, timestamp)
            .header(h::ACCESS_KEY, "AK");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Body::empty()).unwrap()
    }

    fn check(gw: &Authenticator, request: &Request) -> Result<(), String> {
        let target = request.uri().path_and_query().unwrap().as_str().to_owned();
        gw.check(
            request.method(),
            &target,
            request.headers(),
            &mut Audit::default(),
        )
    }

    #[test]
    fn authentication_refuses_other_spellings_and_disagreeing_signatures() {
        let gw = authenticator();
        let now = time::now_ms();
        let sign = |ts: u64| {
            ncloud_redis_flush::SigningKey::new("SK").sign(&string_to_sign(
                "POST",
                "/clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=1",
                ts,
                "AK",
            ))
        };
        let good = sign(now);
        let ts = now.to_string();
        assert_eq!(
            check(&gw, &signed_request(&ts, &[(h::SIGNATURE_V2, &good)])),
            Ok(())
        );
        assert_eq!(
            check(&gw, &signed_request(&ts, &[(h::SIGNATURE_V1, &good)])),
            Ok(())
        );
        let both = [
            (h::SIGNATURE_V2, good.as_str()),
            (h::SIGNATURE_V1, good.as_str()),
        ];
        assert_eq!(check(&gw, &signed_request(&ts, &both)), Ok(()));
        // The same number, spelled with a leading zero: not the signed timestamp.
        let zero = format!("0{ts}");
        assert!(check(&gw, &signed_request(&zero, &[(h::SIGNATURE_V2, &good)])).is_err());
        // A valid signature next to another one: ambiguous, whichever is valid.
        let other = sign(now + 1);
        for pair in [
            [good.as_str(), other.as_str()],
            [other.as_str(), good.as_str()],
        ] {
            let headers = [(h::SIGNATURE_V2, pair[0]), (h::SIGNATURE_V1, pair[1])];
            let refused = check(&gw, &signed_request(&ts, &headers)).unwrap_err();
            assert!(refused.contains("disagree"), "{refused}");
        }
    }

    #[test]
    fn timestamps_are_canonical_decimal() {
        assert_eq!(parse_timestamp("1700000000000"), Ok(1_700_000_000_000));
        assert_eq!(parse_timestamp("0"), Ok(0));
        for bad in ["", "01", "00", "+1", "-1", "1.0", "1e3", " 1", "0x10"] {
            assert!(parse_timestamp(bad).is_err(), "{bad:?}");
        }
    }
}
