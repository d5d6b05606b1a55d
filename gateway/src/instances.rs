//! The configured instances, each with its Redis server, and how a request finds them: the one a
//! flush names, the ones a listing asks for.

use crate::config::{Config, Instance};
use crate::redis_server::{RedisInfo, RedisServer, RedisTimeouts};
use ncloud_redis_flush::Platform;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// An instance and its Redis server (connected on first use, reconnected after a failure).
pub struct InstanceState {
    config: Instance,
    redis: RedisServer,
}

impl InstanceState {
    /// Prepares (without connecting) the Redis client of `config`.
    pub fn new(config: Instance, timeouts: RedisTimeouts) -> Result<Self, String> {
        let redis = RedisServer::new(&config.redis_url, timeouts)
            .map_err(|e| format!("instance {}: redis_url: {e}", config.cloud_db_instance_no))?;
        Ok(InstanceState { config, redis })
    }

    /// The instance's configuration.
    pub(crate) fn config(&self) -> &Instance {
        &self.config
    }

    /// The instance's Redis server.
    pub(crate) fn redis(&self) -> &RedisServer {
        &self.redis
    }
}

/// Why a flush request names no instance it can flush: the `responseError` to send.
pub(crate) struct Refusal {
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

/// What a listing asks for.
pub(crate) struct ListQuery {
    /// Only these instance numbers (all when empty).
    pub(crate) numbers: Vec<String>,
    /// VPC and Cache: this region code only.
    pub(crate) region_code: Option<String>,
    /// 1-based page and its size (none: every instance is on page 1).
    pub(crate) page: Option<(u64, Option<u64>)>,
}

/// Every configured instance, by instance number.
pub(crate) struct Instances {
    by_no: HashMap<String, Arc<InstanceState>>,
    /// How long a listing waits for the Redis servers (`listing_deadline_ms`).
    listing_deadline: Duration,
}

impl Instances {
    /// The instances of a checked configuration, with their Redis timeouts.
    pub(crate) fn new(config: &Config) -> Result<Self, String> {
        let timeouts = RedisTimeouts {
            connect: Duration::from_millis(config.redis_connect_timeout_ms),
            command: Duration::from_millis(config.redis_command_timeout_ms),
        };
        let by_no = config
            .instances
            .iter()
            .map(|i| {
                let state = InstanceState::new(i.clone(), timeouts)?;
                Ok((i.cloud_db_instance_no.clone(), Arc::new(state)))
            })
            .collect::<Result<_, String>>()?;
        Ok(Instances {
            by_no,
            listing_deadline: Duration::from_millis(config.listing_deadline_ms),
        })
    }

    /// The instance a flush on `platform` names by `no`, checked as NAVER Cloud would: Classic
    /// names the instance; VPC and Cache name a server, which must exist in the region asked
    /// (when one is) and be a master.
    pub(crate) fn flush_target(
        &self,
        platform: Platform,
        no: &str,
        region: Option<&str>,
    ) -> Result<&Arc<InstanceState>, Refusal> {
        if platform == Platform::Classic {
            return self
                .by_no
                .get(no)
                .filter(|s| s.config.platform == platform)
                .ok_or_else(|| Refusal {
                    code: "1003",
                    message: format!("Cloud DB instance {no} does not exist."),
                });
        }
        for state in self.by_no.values() {
            let c = &state.config;
            if c.platform != platform || region.is_some_and(|r| r != c.region_code) {
                continue;
            }
            if let Some(server) = c
                .servers()
                .iter()
                .find(|s| s.cloud_db_server_instance_no == no)
            {
                if server.role != "M" {
                    return Err(Refusal {
                        code: "1006",
                        message: format!(
                            "Server instance {no} is not a master: flush the master's number."
                        ),
                    });
                }
                return Ok(state);
            }
        }
        Err(Refusal {
            code: "1003",
            message: format!("Server instance {no} does not exist."),
        })
    }

    /// The instances of `platform` that `query` asks for, in instance number order: the page asked
    /// for, and how many match in all.
    pub(crate) fn matching(
        &self,
        platform: Platform,
        query: &ListQuery,
    ) -> (Vec<Arc<InstanceState>>, usize) {
        let mut states: Vec<&Arc<InstanceState>> = self
            .by_no
            .values()
            .filter(|s| s.config.platform == platform)
            .filter(|s| {
                query.numbers.is_empty() || query.numbers.contains(&s.config.cloud_db_instance_no)
            })
            .filter(|s| {
                query
                    .region_code
                    .as_ref()
                    .map_or(true, |r| *r == s.config.region_code)
            })
            .collect();
        states.sort_by(|a, b| {
            a.config
                .cloud_db_instance_no
                .cmp(&b.config.cloud_db_instance_no)
        });
        let total = states.len();
        // The handler lets only 1..=2^31-1 through, but the arithmetic does not rely on it: page 0,
        // an offset beyond a u64 or a usize, or beyond `total`, is an empty page, never a wrap.
        let (skip, take) = match query.page {
            None => (0, total),
            Some((page, None)) => (if page == 1 { 0 } else { total }, total),
            Some((page, Some(size))) => {
                let offset = page
                    .checked_sub(1)
                    .and_then(|before| before.checked_mul(size))
                    .and_then(|offset| usize::try_from(offset).ok());
                (
                    offset.unwrap_or(usize::MAX),
                    usize::try_from(size).unwrap_or(usize::MAX),
                )
            }
        };
        let page = states.into_iter().skip(skip).take(take).cloned().collect();
        (page, total)
    }

    /// What each of `states`' Redis servers says of itself (`None` for those that do not answer
    /// within `listing_deadline_ms`). The servers are asked all at once, so a silent one costs
    /// the deadline once, not its timeouts once per server. A question still unanswered at the
    /// deadline runs on by itself (within the Redis timeouts), so that a connection that failed
    /// is forgotten as usual.
    pub(crate) async fn infos(&self, states: &[Arc<InstanceState>]) -> Vec<Option<RedisInfo>> {
        let asked: Vec<_> = states
            .iter()
            .map(|state| {
                let state = state.clone();
                tokio::spawn(async move { state.redis.info().await })
            })
            .collect();
        let deadline = tokio::time::Instant::now() + self.listing_deadline;
        let mut infos = Vec::with_capacity(asked.len());
        for answer in asked {
            // A task already done is read even after the deadline: `timeout_at` polls it first.
            infos.push(match tokio::time::timeout_at(deadline, answer).await {
                Ok(Ok(info)) => info,
                _ => None,
            });
        }
        infos
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three Classic instances (1, 2, 3); their Redis is never reached.
    fn three() -> Instances {
        let mut text = String::from("[[credentials]]\naccess_key = \"a\"\nsecret_key = \"b\"\n");
        for no in 1..=3 {
            text += &format!("[[instances]]\ncloud_db_instance_no = \"{no}\"\nredis_url = \"redis://127.0.0.1:1\"\ncloud_db_service_name = \"s{no}\"\n");
        }
        Instances::new(&Config::parse(&text).unwrap()).unwrap()
    }

    fn page(instances: &Instances, page: Option<(u64, Option<u64>)>) -> (Vec<String>, usize) {
        let query = ListQuery {
            numbers: Vec::new(),
            region_code: None,
            page,
        };
        let (states, total) = instances.matching(Platform::Classic, &query);
        let numbers = states
            .iter()
            .map(|s| s.config.cloud_db_instance_no.clone())
            .collect();
        (numbers, total)
    }

    #[test]
    fn pages_are_computed_without_overflow_whatever_the_numbers() {
        let i = three();
        let all: Vec<String> = ["1", "2", "3"].map(String::from).to_vec();
        assert_eq!(page(&i, None), (all.clone(), 3));
        assert_eq!(page(&i, Some((1, None))), (all, 3));
        assert_eq!(page(&i, Some((2, Some(2)))), (vec!["3".to_owned()], 3));
        // The handler refuses numbers outside 1..=2^31-1, but the paging must not rely on it:
        // no underflow, no overflow of the offset, no wrap to a page that has instances.
        for extreme in [
            Some((0, None)),
            Some((0, Some(1))),
            Some((4, None)),
            Some((u64::MAX, None)),
            Some((u64::MAX, Some(u64::MAX))),
            Some((2, Some(u64::MAX))),
            Some((u64::MAX, Some(2))),
            Some((1 << 32, Some(1 << 32))),
            Some((1, Some(0))),
        ] {
            assert_eq!(page(&i, extreme), (Vec::new(), 3), "{extreme:?}");
        }
        // A page as large as a u64 still starts at the first instance.
        assert_eq!(page(&i, Some((1, Some(u64::MAX)))).0.len(), 3);
    }
}
