//! Errors: one enum, one variant per kind of failure, each with a stable code.
//!
//! Every failure of the crate is an [`Error`]. Its [`kind`](Error::kind) says *where* it came
//! from (bad input, an unparsable body, an HTTP status, the API Gateway, the Cloud DB API) and its
//! [`code`](Error::code) is a stable string a program can match on:
//!
//! | kind | code |
//! | --- | --- |
//! | [`ErrorKind::Input`] | `ERR_MISSING_ARG`, `ERR_INVALID_ARG_TYPE`, `ERR_INVALID_ARG_VALUE` |
//! | [`ErrorKind::Parse`] | `ERR_EMPTY_BODY`, `ERR_BODY_TOO_LARGE`, `ERR_ANSWER_TOO_LARGE`, `ERR_UNKNOWN_FORMAT`, `ERR_INVALID_JSON`, `ERR_INVALID_XML`, `ERR_XML_DTD`, `ERR_TOO_DEEP`, `ERR_UNKNOWN_ROOT`, `ERR_INVALID_FIELD`, `ERR_MISSING_FIELD` |
//! | [`ErrorKind::Http`] | `ERR_HTTP_STATUS` |
//! | [`ErrorKind::Gateway`] | the gateway's `errorCode` (`"200"`, `"210"` …) |
//! | [`ErrorKind::Api`] | the API's `returnCode` (`"1000"`, `"800"` …) |
//!
//! Messages name the field and say what is wrong. They never contain a secret key: the only
//! values echoed back are short excerpts of non-secret inputs.

use crate::text::{decimal_string, join};
use alloc::string::String;
use core::fmt;

/// The result type of this crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// Where a failure came from. Its [`as_str`](ErrorKind::as_str) form is the `kind` property of
/// the JavaScript error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An argument was missing, of the wrong type or had a bad value.
    Input,
    /// A body that is not JSON or XML, has an unknown root, or a field of the wrong type.
    Parse,
    /// An HTTP status of 400 or more without an error body.
    Http,
    /// An API Gateway error body: `{"error":{"errorCode":…}}`.
    Gateway,
    /// A Cloud DB API error: `responseError`, or a `returnCode` other than 0.
    Api,
}

impl ErrorKind {
    /// The lowercase name used in JavaScript: `"input"`, `"parse"`, `"http"`, `"gateway"`, `"api"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Input => "input",
            ErrorKind::Parse => "parse",
            ErrorKind::Http => "http",
            ErrorKind::Gateway => "gateway",
            ErrorKind::Api => "api",
        }
    }
}

/// What is wrong with an input argument.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputProblem {
    /// The argument is absent, `null`, `undefined` or empty.
    Missing,
    /// The argument has the wrong type; the text says which type was expected.
    Type {
        /// The expected type, e.g. `"a string"`.
        expected: &'static str,
        /// The type that was given, e.g. `"number"`.
        found: String,
    },
    /// The argument has the right type but a bad value; the text says why.
    Value(String),
}

/// A bad argument: which one, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// The argument's name as the caller spelled it (`timestamp`, `cloudDBInstanceNo` …).
    pub field: &'static str,
    /// What is wrong.
    pub problem: InputProblem,
}

/// What is wrong with a response body.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseProblem {
    /// The body is empty or only white space.
    EmptyBody,
    /// The body is larger than the parser accepts
    /// ([`MAX_BODY_BYTES`](crate::parse::MAX_BODY_BYTES)).
    BodyTooLarge {
        /// The body's size in bytes.
        size: usize,
        /// The largest size accepted.
        limit: usize,
    },
    /// The answer's normalized text would be longer than the parser writes
    /// ([`MAX_NORMALIZED_BYTES`](crate::parse::MAX_NORMALIZED_BYTES)): a body that is mostly
    /// empty objects where instances belong.
    AnswerTooLarge {
        /// The longest text written, in bytes.
        limit: usize,
    },
    /// No format was given and the body starts with neither `{` nor `<`.
    UnknownFormat,
    /// Not well-formed JSON; the text says where.
    Json(String),
    /// Not well-formed XML; the text says where.
    Xml(String),
    /// The XML has a document type declaration (refused, never expanded).
    XmlDtd,
    /// Nested deeper than the parser accepts ([`MAX_DEPTH`](crate::parse::MAX_DEPTH)).
    TooDeep {
        /// The deepest nesting accepted.
        limit: usize,
    },
    /// The root is not an answer of the API expected.
    UnknownRoot {
        /// The root found (or a description of the body).
        found: String,
        /// The success root expected.
        expected: &'static str,
    },
    /// A field has the wrong type or an impossible value.
    Field {
        /// The field's path, e.g. `cloudDBInstanceList[0].memorySize`.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A required field is absent.
    MissingField(String),
}

/// An error of this crate.
///
/// ```
/// use ncloud_redis_flush::{parse_flush_response, ErrorKind, ParseOptions};
///
/// let body = r#"{"error":{"errorCode":"200","message":"Authentication Failed"}}"#;
/// let err = parse_flush_response(body, &ParseOptions { status: Some(401), ..Default::default() })
///     .unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Gateway);
/// assert_eq!(err.code(), "200");
/// assert_eq!(err.http_status(), Some(401));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A bad argument.
    Input(InputError),
    /// A body that could not be understood.
    Parse {
        /// What is wrong.
        problem: ParseProblem,
        /// The HTTP status, when the caller gave it.
        http_status: Option<u16>,
    },
    /// An HTTP status of 400 or more with a body that is not an error body of the API.
    Http {
        /// The HTTP status.
        status: u16,
        /// The start of the body, if any (at most 200 characters).
        details: Option<String>,
    },
    /// An API Gateway error (`{"error":{"errorCode":…,"message":…,"details":…}}`).
    Gateway {
        /// `errorCode`, e.g. `"200"`.
        error_code: String,
        /// `message`, e.g. `"Authentication Failed"`.
        message: String,
        /// `details`, when present.
        details: Option<String>,
        /// The HTTP status, when the caller gave it.
        http_status: Option<u16>,
    },
    /// A Cloud DB API error: a `responseError` body, or a success body whose `returnCode` is not 0.
    Api {
        /// `returnCode`, e.g. `"1000"`.
        return_code: String,
        /// `returnMessage`.
        return_message: String,
        /// `requestId`, when present.
        request_id: Option<String>,
        /// The HTTP status, when the caller gave it.
        http_status: Option<u16>,
    },
}

impl Error {
    /// A missing input: ``"`field` is required and must not be empty"``.
    ///
    /// ```
    /// use ncloud_redis_flush::Error;
    /// assert_eq!(Error::missing("url").code(), "ERR_MISSING_ARG");
    /// ```
    pub fn missing(field: &'static str) -> Self {
        Error::Input(InputError {
            field,
            problem: InputProblem::Missing,
        })
    }

    /// An input with an impossible value; `why` completes the sentence after the field's name.
    ///
    /// ```
    /// use ncloud_redis_flush::Error;
    /// let err = Error::invalid("pageNo", "must be 1 or more");
    /// assert_eq!((err.code(), err.message().as_str()), ("ERR_INVALID_ARG_VALUE", "`pageNo` must be 1 or more"));
    /// ```
    pub fn invalid(field: &'static str, why: impl Into<String>) -> Self {
        Error::Input(InputError {
            field,
            problem: InputProblem::Value(why.into()),
        })
    }

    /// A wrong-type input error (used by the JavaScript layer, where types are dynamic).
    pub fn wrong_type(
        field: &'static str,
        expected: &'static str,
        found: impl Into<String>,
    ) -> Self {
        Error::Input(InputError {
            field,
            problem: InputProblem::Type {
                expected,
                found: found.into(),
            },
        })
    }

    pub(crate) fn parse(problem: ParseProblem) -> Self {
        Error::Parse {
            problem,
            http_status: None,
        }
    }

    /// Where the failure came from.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Input(_) => ErrorKind::Input,
            Error::Parse { .. } => ErrorKind::Parse,
            Error::Http { .. } => ErrorKind::Http,
            Error::Gateway { .. } => ErrorKind::Gateway,
            Error::Api { .. } => ErrorKind::Api,
        }
    }

    /// The stable code: the gateway's `errorCode`, the API's `returnCode`, or this crate's own
    /// `ERR_…` code (see the [module documentation](self)).
    pub fn code(&self) -> &str {
        match self {
            Error::Input(e) => match e.problem {
                InputProblem::Missing => "ERR_MISSING_ARG",
                InputProblem::Type { .. } => "ERR_INVALID_ARG_TYPE",
                InputProblem::Value(_) => "ERR_INVALID_ARG_VALUE",
            },
            Error::Parse { problem, .. } => match problem {
                ParseProblem::EmptyBody => "ERR_EMPTY_BODY",
                ParseProblem::BodyTooLarge { .. } => "ERR_BODY_TOO_LARGE",
                ParseProblem::AnswerTooLarge { .. } => "ERR_ANSWER_TOO_LARGE",
                ParseProblem::UnknownFormat => "ERR_UNKNOWN_FORMAT",
                ParseProblem::Json(_) => "ERR_INVALID_JSON",
                ParseProblem::Xml(_) => "ERR_INVALID_XML",
                ParseProblem::XmlDtd => "ERR_XML_DTD",
                ParseProblem::TooDeep { .. } => "ERR_TOO_DEEP",
                ParseProblem::UnknownRoot { .. } => "ERR_UNKNOWN_ROOT",
                ParseProblem::Field { .. } => "ERR_INVALID_FIELD",
                ParseProblem::MissingField(_) => "ERR_MISSING_FIELD",
            },
            Error::Http { .. } => "ERR_HTTP_STATUS",
            Error::Gateway { error_code, .. } => error_code,
            Error::Api { return_code, .. } => return_code,
        }
    }

    /// The HTTP status, when known.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Input(_) => None,
            Error::Http { status, .. } => Some(*status),
            Error::Parse { http_status, .. }
            | Error::Gateway { http_status, .. }
            | Error::Api { http_status, .. } => *http_status,
        }
    }

    /// Further details: the gateway's `details`, or the start of an HTTP error body.
    pub fn details(&self) -> Option<&str> {
        match self {
            Error::Gateway { details, .. } | Error::Http { details, .. } => details.as_deref(),
            _ => None,
        }
    }

    /// The API's `requestId`, for [`ErrorKind::Api`] errors that carry one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The input field at fault, for [`ErrorKind::Input`] errors.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::Input(e) => Some(e.field),
            _ => None,
        }
    }

    pub(crate) fn with_status(mut self, status: Option<u16>) -> Self {
        match &mut self {
            Error::Parse { http_status, .. }
            | Error::Gateway { http_status, .. }
            | Error::Api { http_status, .. } => *http_status = status,
            Error::Input(_) | Error::Http { .. } => {}
        }
        self
    }
}

// Messages are joined from pieces rather than formatted: the shipped WebAssembly module then
// carries no `core::fmt` machinery for them (bench/RESULTS.md, "Size"). `Display` writes the same
// text.

impl InputError {
    /// The message, e.g. ``"`url` is required and must not be empty"``.
    pub fn message(&self) -> String {
        let field = self.field;
        match &self.problem {
            InputProblem::Missing => join(&["`", field, "` is required and must not be empty"]),
            InputProblem::Type { expected, found } => {
                join(&["`", field, "` must be ", expected, ", got ", found])
            }
            InputProblem::Value(why) => join(&["`", field, "` ", why]),
        }
    }
}

impl ParseProblem {
    /// The message, e.g. `"the response body is empty"`.
    pub fn message(&self) -> String {
        match self {
            ParseProblem::EmptyBody => "the response body is empty".into(),
            ParseProblem::BodyTooLarge { size, limit } => join(&[
                "the response body is ",
                &decimal_string(*size as u64),
                " bytes, more than the ",
                &decimal_string(*limit as u64),
                " bytes this parser accepts",
            ]),
            ParseProblem::AnswerTooLarge { limit } => join(&[
                "the answer's normalized text is longer than ",
                &decimal_string(*limit as u64),
                " bytes, the most this parser writes",
            ]),
            ParseProblem::UnknownFormat => {
                "the response body is neither JSON nor XML (it starts with neither `{` nor `<`)"
                    .into()
            }
            ParseProblem::Json(why) => join(&["the response body is not valid JSON: ", why]),
            ParseProblem::Xml(why) => join(&["the response body is not valid XML: ", why]),
            ParseProblem::XmlDtd => "the XML response has a document type declaration (<!DOCTYPE>/<!ENTITY>), which is refused and never expanded".into(),
            ParseProblem::TooDeep { limit } => join(&[
                "the response body is nested more than ",
                &decimal_string(*limit as u64),
                " levels deep",
            ]),
            ParseProblem::UnknownRoot { found, expected } => join(&[
                "the response root `",
                found,
                "` is not the answer expected (",
                expected,
                ", responseError or error)",
            ]),
            ParseProblem::Field { path, reason } => join(&["field `", path, "` ", reason]),
            ParseProblem::MissingField(path) => join(&["required field `", path, "` is missing"]),
        }
    }
}

impl Error {
    /// The message: what [`Display`](fmt::Display) writes, made without `core::fmt`.
    ///
    /// ```
    /// use ncloud_redis_flush::parse_flush_response;
    /// let err = parse_flush_response("", &Default::default()).unwrap_err();
    /// assert_eq!(err.message(), "the response body is empty");
    /// assert_eq!(err.message(), err.to_string());
    /// ```
    pub fn message(&self) -> String {
        match self {
            Error::Input(e) => e.message(),
            Error::Parse { problem, .. } => problem.message(),
            Error::Http { status, .. } => join(&[
                "HTTP ",
                &decimal_string(u64::from(*status)),
                " without an error body of the API",
            ]),
            Error::Gateway {
                error_code,
                message,
                details,
                ..
            } => {
                let mut out = join(&["API Gateway error ", error_code, ": ", message]);
                if let Some(d) = details {
                    out.push_str(" (");
                    out.push_str(d);
                    out.push(')');
                }
                out
            }
            Error::Api {
                return_code,
                return_message,
                ..
            } => join(&["Cloud DB API error ", return_code, ": ", return_message]),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl fmt::Display for ParseProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl core::error::Error for Error {}

impl From<InputError> for Error {
    fn from(e: InputError) -> Self {
        Error::Input(e)
    }
}
