//! The response model: the typed answers, with NAVER Cloud's field names, and their wire schema.
//!
//! Every field of the reference schema is here. Scalars are `Option`s: absent or `null` on the
//! wire is `None` (and so is an empty value for a number, a boolean or an object; text keeps
//! `""`), and `None` is left out of the JSON the JavaScript API returns. Lists are always
//! present (`[]` when empty or absent). Integers are `i64` within ±(2^53 − 1), so JavaScript
//! numbers hold them exactly (`memorySize` exceeds 2^31).
//!
//! | module | what |
//! | --- | --- |
//! | `schema` | how a structure is declared once: the struct and its schema table ([`AnswerKind`]) |
//! | [`answer`] | each API's answer: its root and list, the typed answers, the [`Answer`] trait |
//! | `common`, `classic`, `vpc`, `cache` | the instances and servers of each platform |
//! | [`Format`] | JSON or XML |
//! | `xml` | a typed answer written as NAVER Cloud's XML |

pub mod answer;
mod cache;
mod classic;
mod common;
mod format;
pub(crate) mod schema;
mod vpc;
mod xml;

pub use answer::{
    Answer, CacheFlushResponse, CacheInstanceListResponse, CloudDbInstanceListResponse,
    FlushResponse, RedisFlushResponse, RedisInstanceListResponse, CACHE_FLUSH, CACHE_LIST,
    CLASSIC_FLUSH, CLASSIC_LIST, FLUSH_RESPONSE_ROOT, VPC_FLUSH, VPC_LIST,
};
pub use cache::{CloudCacheInstance, CloudCacheServerInstance};
pub use classic::{
    AccessControlGroup, CloudDbConfig, CloudDbConfigGroup, CloudDbInstance, CloudDbServerInstance,
    Region, Zone,
};
pub use common::CommonCode;
pub use format::Format;
pub use schema::{AnswerKind, MAX_SAFE_INTEGER};
pub use vpc::{CloudRedisInstance, CloudRedisServerInstance};
