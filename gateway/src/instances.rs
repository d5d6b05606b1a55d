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
        Ok(Instances { by_no })
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
        // Both numbers are at most 2^31 - 1, so the offset fits in a u64; beyond `total` (or a
        // usize), the page is empty.
        let (skip, take) = match query.page {
            None => (0, total),
            Some((page, None)) => (if page == 1 { 0 } else { total }, total),
            Some((page, Some(size))) => (
                usize::try_from((page - 1) * size).unwrap_or(usize::MAX),
                usize::try_from(size).unwrap_or(usize::MAX),
            ),
        };
        let page = states.into_iter().skip(skip).take(take).cloned().collect();
        (page, total)
    }

    /// What each of `states`' Redis servers says of itself (`None` for those that do not answer).
    pub(crate) async fn infos(states: &[Arc<InstanceState>]) -> Vec<Option<RedisInfo>> {
        let mut infos = Vec::with_capacity(states.len());
        for state in states {
            infos.push(state.redis.info().await);
        }
        infos
    }
}
