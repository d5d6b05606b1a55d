//! The signing kernel behind the JavaScript API's fast case: a request whose URL is already in
//! serialized form is signed from bytes, without allocating, with the last key's prepared state
//! reused. Everything it declines goes to [`Signer`], which reports the precise
//! error; same inputs, same signature, same refusals.

use super::request_target::canonical_origin_len_bytes;
use super::signer::{is_forbidden_method, is_key, is_tchar, Signer};
use super::timestamp::Timestamp;
use crate::error::{Error, Result};
use crate::text::decimal;
use alloc::borrow::ToOwned;
use alloc::string::String;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;

/// The cached signer of the last `(access key, secret key)` pair: signing many requests with one
/// key pays for preparing it once (as AWS's SDKs cache derived keys).
pub type SignerCache = Option<(String, String, Signer)>;

/// The cached signer for `(access_key, secret_key)`, made (and the keys checked) on a miss. The
/// keys are bytes so that the signing kernel can look up without validating them as text first.
pub fn cached_signer<'c>(
    cache: &'c mut SignerCache,
    access_key: &[u8],
    secret_key: &[u8],
) -> Result<&'c Signer> {
    let hit = matches!(&*cache, Some((ak, sk, _)) if ak.as_bytes() == access_key && sk.as_bytes() == secret_key);
    if !hit {
        let text = |field, bytes| {
            core::str::from_utf8(bytes).map_err(|_| Error::invalid(field, "is not valid UTF-8"))
        };
        let (access_key, secret_key) = (
            text("accessKey", access_key)?,
            text("secretKey", secret_key)?,
        );
        *cache = Some((
            access_key.to_owned(),
            secret_key.to_owned(),
            Signer::new(access_key, secret_key)?,
        ));
    }
    match &*cache {
        Some((_, _, signer)) => Ok(signer),
        None => Err(Error::missing("secretKey")),
    }
}

/// The signing kernel behind the JavaScript fast path: signs without allocating when `url` is
/// already in serialized form ([`canonical_origin_len`](super::request_target::canonical_origin_len)), writing the base64 signature into
/// `signature`. Returns the length of `url`'s origin (the request target is the rest), or `None`
/// when anything is unusual or invalid — the caller then takes the full path, which reports the
/// precise error. Every check of the full path is made: same inputs, same signature, same refusals.
#[allow(clippy::too_many_arguments)]
pub fn sign_canonical(
    cache: &mut SignerCache,
    url: &[u8],
    method: &[u8],
    access_key: &[u8],
    secret_key: &[u8],
    api_key: Option<&[u8]>,
    timestamp: Timestamp,
    signature: &mut [u8; 44],
) -> Option<usize> {
    let origin_len = canonical_origin_len_bytes(url)?;
    let target = url.get(origin_len..)?;
    if api_key.is_some_and(|key| !is_key(key)) {
        return None;
    }
    // Methods are short tokens: uppercase on the stack (longer ones take the full path).
    let mut upper = [0u8; 16];
    let upper = upper.get_mut(..method.len())?;
    upper.copy_from_slice(method);
    upper.make_ascii_uppercase();
    if upper.is_empty() || !upper.iter().all(|&b| is_tchar(b)) || is_forbidden_method(upper) {
        return None;
    }
    let mut digits = [0u8; 20];
    let digits = decimal(timestamp.millis(), &mut digits);
    let signer = cached_signer(cache, access_key, secret_key).ok()?;
    let mac = signer.key.mac_parts(&[
        upper,
        b" ",
        target,
        b"\n",
        digits,
        b"\n",
        signer.access_key.as_bytes(),
    ]);
    let written = BASE64.encode_slice(mac, signature).ok()?;
    (written == signature.len()).then_some(origin_len)
}

/// The kernel's timestamp: the number, or — when `text` is not empty — the text, if it is written
/// as `String(timestamp)` would write it back (decimal digits, no leading zero), so the string to
/// sign the caller assembles is the one signed.
pub fn kernel_timestamp(number: f64, text: &[u8]) -> Option<Timestamp> {
    if text.is_empty() {
        return Timestamp::from_f64(number).ok();
    }
    let timestamp = Timestamp::parse(core::str::from_utf8(text).ok()?).ok()?;
    (decimal(timestamp.millis(), &mut [0; 20]) == text).then_some(timestamp)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::signing::Signer;
    use crate::text::decimal;
    use crate::SignatureVersion;

    /// The kernel against the full path: same signature and target wherever the kernel signs,
    /// and it declines (never signs differently) everything else.
    #[test]
    fn sign_canonical_agrees_with_the_full_path() {
        let urls = [
            "https://ncloud.apigw.ntruss.com/clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=882689&responseFormatType=json",
            "/clouddb/v2/flushCloudDBInstance?",
            "http://127.0.0.1:8080/a/b?c=d?e",
            "https://h:/x",
            "/a/.b",
            "/a/./b",
            "/a/%2e%2E/b",
            "/a b",
            "/a|b",
            "HTTPS://h/x",
            "https://h",
            "https://h?q",
            "https://h/x#frag",
            "//h/x",
            "https://u@h/x",
            "https://h:99999/x",
            " /x",
        ];
        let methods = [
            "POST",
            "get",
            "Patch",
            "CONNECT",
            "trace",
            "",
            "GE T",
            "VERYLONGMETHODNAME1",
        ];
        let mut signed = 0;
        for url in urls {
            for method in methods {
                for api_key in [None, Some("API"), Some(""), Some("a b")] {
                    for (access, secret) in [
                        ("AK", "SK"),
                        ("AK2", "SK"),
                        ("", "SK"),
                        ("AK", ""),
                        ("A K", "SK"),
                    ] {
                        let mut cache = None;
                        let mut out = [0u8; 44];
                        let fast = sign_canonical(
                            &mut cache,
                            url.as_bytes(),
                            method.as_bytes(),
                            access.as_bytes(),
                            secret.as_bytes(),
                            api_key.map(str::as_bytes),
                            Timestamp::from_millis(1764380000123).unwrap(),
                            &mut out,
                        );
                        let full = Signer::new(access, secret).and_then(|s| {
                            s.sign(
                                method,
                                url,
                                Timestamp::from_millis(1764380000123)?,
                                api_key,
                                SignatureVersion::V2,
                            )
                        });
                        if let Some(origin_len) = fast {
                            let full = full.unwrap();
                            assert_eq!(
                                core::str::from_utf8(&out).unwrap(),
                                full.signature,
                                "{url} {method}"
                            );
                            assert_eq!(&url[origin_len..], full.request_target, "{url}");
                            assert_eq!(url, full.url, "{url}");
                            signed += 1;
                        }
                    }
                }
            }
        }
        // Not vacuous: the canonical URLs with valid inputs were signed by the kernel.
        assert!(signed >= 8 * 3, "{signed}");
    }

    #[test]
    fn kernel_timestamps_decline_what_the_caller_would_write_differently() {
        for ts in [f64::NAN, -1.0, 0.5, 9007199254740992.0, f64::INFINITY] {
            assert_eq!(kernel_timestamp(ts, b""), None, "{ts}");
        }
        assert_eq!(kernel_timestamp(0.0, b""), Timestamp::from_millis(0).ok());
        assert_eq!(
            kernel_timestamp(f64::NAN, b"0"),
            Timestamp::from_millis(0).ok()
        );
        let when = Timestamp::from_millis(1764380000123).ok();
        assert_eq!(kernel_timestamp(f64::NAN, b"1764380000123"), when);
        // The text wins over the number when both are given (the caller sends NaN with text).
        assert_eq!(kernel_timestamp(5.0, b"1764380000123"), when);
        for text in [
            &b"00"[..],
            b"01764380000123",
            b"+1",
            b"1e3",
            b"1 ",
            b"9007199254740992",
            b"99999999999999999999999",
            b"\xff",
        ] {
            assert_eq!(kernel_timestamp(f64::NAN, text), None, "{text:?}");
        }
    }

    #[test]
    fn sign_canonical_reuses_its_cache() {
        let mut cache = None;
        let mut out = [0u8; 44];
        let zero = Timestamp::from_millis(0).unwrap();
        assert_eq!(
            sign_canonical(&mut cache, b"/x", b"GET", b"AK", b"SK", None, zero, &mut out),
            Some(0)
        );
        let first = out;
        // Another key replaces the cached one, and signs differently.
        assert_eq!(
            sign_canonical(&mut cache, b"/x", b"GET", b"AK", b"SK2", None, zero, &mut out),
            Some(0)
        );
        assert_ne!(first, out);
        assert!(matches!(&cache, Some((_, sk, _)) if sk == "SK2"));
        assert_eq!(decimal(0, &mut [0; 20]), b"0");
        assert_eq!(
            decimal(u64::MAX, &mut [0; 20]),
            u64::MAX.to_string().as_bytes()
        );
    }
}
