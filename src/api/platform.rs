//! The platform table: for each API family (Classic, Redis on the VPC platform, Cloud DB for
//! Cache), its actions' paths, their parameter names and their answers' shapes. Every other
//! part — the request builders, the JavaScript glue, the local gateway, the CLI and the console
//! — takes the names from here.
//!
//! | platform | flush | listing |
//! | --- | --- | --- |
//! | [`Platform::Classic`] | `/clouddb/v2/flushCloudDBInstance` (`cloudDBInstanceNo`) | `/clouddb/v2/getCloudDBInstanceList` (`dbKindCode=REDIS`) |
//! | [`Platform::Vpc`] | `/vredis/v2/flushAllCloudRedisServerInstance` (`cloudRedisServerInstanceNo`) | `/vredis/v2/getCloudRedisInstanceList` |
//! | [`Platform::Cache`] | `/vcache/v2/flushAllCloudCacheServerInstance` (`cloudCacheServerInstanceNo`) | `/vcache/v2/getCloudCacheInstanceList` |
//!
//! The Cache APIs follow the Redis (VPC) ones with a `cloudCache` prefix; NAVER Cloud's page does
//! not confirm their parameter table, so they are modelled on it.
//!
//! ```
//! use ncloud_redis_flush::Platform;
//!
//! let vpc = Platform::parse("vpc").unwrap();
//! assert_eq!(vpc.flush_path(), "/vredis/v2/flushAllCloudRedisServerInstance");
//! assert_eq!(vpc.flush_answer().root, "flushAllCloudRedisServerInstanceResponse");
//! assert_eq!(Platform::ALL.map(Platform::as_str), ["classic", "vpc", "cache"]);
//! ```

use crate::model::{
    AnswerKind, CACHE_FLUSH, CACHE_LIST, CLASSIC_FLUSH, CLASSIC_LIST, VPC_FLUSH, VPC_LIST,
};

/// Where an instance runs: which family of APIs serves it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Platform {
    /// Cloud DB for Redis on the Classic platform (`/clouddb/v2`).
    #[default]
    Classic,
    /// Cloud DB for Redis on the VPC platform (`/vredis/v2`).
    Vpc,
    /// Cloud DB for Cache (`/vcache/v2`, Valkey and Redis).
    Cache,
}

impl Platform {
    /// Every platform, in the order the documentation lists them.
    pub const ALL: [Platform; 3] = [Platform::Classic, Platform::Vpc, Platform::Cache];

    /// Reads `classic`, `vpc` or `cache`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "classic" => Some(Platform::Classic),
            "vpc" => Some(Platform::Vpc),
            "cache" => Some(Platform::Cache),
            _ => None,
        }
    }

    /// `"classic"`, `"vpc"` or `"cache"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Platform::Classic => "classic",
            Platform::Vpc => "vpc",
            Platform::Cache => "cache",
        }
    }

    /// The flush action's path.
    pub const fn flush_path(self) -> &'static str {
        match self {
            Platform::Classic => "/clouddb/v2/flushCloudDBInstance",
            Platform::Vpc => "/vredis/v2/flushAllCloudRedisServerInstance",
            Platform::Cache => "/vcache/v2/flushAllCloudCacheServerInstance",
        }
    }

    /// The flush action's instance parameter.
    pub const fn flush_param(self) -> &'static str {
        match self {
            Platform::Classic => "cloudDBInstanceNo",
            Platform::Vpc => "cloudRedisServerInstanceNo",
            Platform::Cache => "cloudCacheServerInstanceNo",
        }
    }

    /// The listing action's path.
    pub const fn list_path(self) -> &'static str {
        match self {
            Platform::Classic => "/clouddb/v2/getCloudDBInstanceList",
            Platform::Vpc => "/vredis/v2/getCloudRedisInstanceList",
            Platform::Cache => "/vcache/v2/getCloudCacheInstanceList",
        }
    }

    /// The listing's parameter for instance numbers (sent as `name.1`, `name.2` …).
    pub const fn list_ids_param(self) -> &'static str {
        match self {
            Platform::Classic => "cloudDBInstanceNoList",
            Platform::Vpc => "cloudRedisInstanceNoList",
            Platform::Cache => "cloudCacheInstanceNoList",
        }
    }

    /// The shape of the flush answer.
    pub const fn flush_answer(self) -> AnswerKind {
        match self {
            Platform::Classic => CLASSIC_FLUSH,
            Platform::Vpc => VPC_FLUSH,
            Platform::Cache => CACHE_FLUSH,
        }
    }

    /// The shape of the listing's answer.
    pub const fn list_answer(self) -> AnswerKind {
        match self {
            Platform::Classic => CLASSIC_LIST,
            Platform::Vpc => VPC_LIST,
            Platform::Cache => CACHE_LIST,
        }
    }

    /// Whether the APIs take a `regionCode` (VPC and Cache); Classic takes `regionNo`/`zoneNo`.
    pub const fn takes_region_code(self) -> bool {
        !matches!(self, Platform::Classic)
    }

    /// Parameters every listing of the platform sends: Classic lists all Cloud DB kinds unless
    /// told `dbKindCode=REDIS`.
    pub const fn list_fixed_params(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Platform::Classic => &[("dbKindCode", "REDIS")],
            Platform::Vpc | Platform::Cache => &[],
        }
    }
}
