//! Which emulated API action a path names: a flush or a listing, on one of the platforms.

use ncloud_redis_flush::{Format, Platform};

/// The path prefix of a platform's API, which the gateway answers (or forwards): the first
/// segment of its action paths, with both slashes (`/clouddb/`).
pub fn api_prefix(platform: Platform) -> &'static str {
    let path = platform.flush_path();
    let end = path
        .get(1..)
        .and_then(|rest| rest.find('/'))
        .map_or(path.len(), |slash| slash + 2);
    path.get(..end).unwrap_or(path)
}

/// Whether `path` is under one of the platforms' [`api_prefix`]es.
pub(crate) fn is_api(path: &str) -> bool {
    Platform::ALL
        .into_iter()
        .any(|p| path.starts_with(api_prefix(p)))
}

/// An API action the gateway emulates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Action {
    /// `flushCloudDBInstance`, `flushAllCloudRedisServerInstance`, `flushAllCloudCacheServerInstance`.
    Flush(Platform),
    /// `getCloudDBInstanceList`, `getCloudRedisInstanceList`, `getCloudCacheInstanceList`.
    List(Platform),
}

impl Action {
    /// The action at `path` (exactly one of the core's action paths), if any.
    pub(crate) fn of(path: &str) -> Option<Self> {
        Platform::ALL.into_iter().find_map(|p| {
            if path == p.flush_path() {
                Some(Action::Flush(p))
            } else if path == p.list_path() {
                Some(Action::List(p))
            } else {
                None
            }
        })
    }

    /// The platform the action belongs to.
    pub(crate) fn platform(self) -> Platform {
        match self {
            Action::Flush(p) | Action::List(p) => p,
        }
    }

    /// The answers' format without `responseFormatType`: JSON for the Classic APIs, XML for the
    /// VPC and Cache ones, as NAVER Cloud's do.
    pub(crate) fn default_format(self) -> Format {
        if self.platform() == Platform::Classic {
            Format::Json
        } else {
            Format::Xml
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_path_and_nothing_else() {
        for p in Platform::ALL {
            assert_eq!(Action::of(p.flush_path()), Some(Action::Flush(p)));
            assert_eq!(Action::of(p.list_path()), Some(Action::List(p)));
        }
        for other in [
            "",
            "/",
            "/clouddb/v2/",
            "/clouddb/v2/flushCloudDBInstance/",
            "/vredis/v2/x",
        ] {
            assert_eq!(Action::of(other), None, "{other}");
        }
    }

    #[test]
    fn the_api_is_what_lies_under_the_platforms_first_segments() {
        let prefixes: Vec<_> = Platform::ALL.into_iter().map(api_prefix).collect();
        assert_eq!(prefixes, ["/clouddb/", "/vredis/", "/vcache/"]);
        for path in ["/clouddb/", "/vredis/v2/x", "/vcache/v1/anything"] {
            assert!(is_api(path), "{path}");
        }
        for path in ["", "/", "/clouddb", "/vredisx/", "/v2/clouddb/", "/other/"] {
            assert!(!is_api(path), "{path}");
        }
    }
}
