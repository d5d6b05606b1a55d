//! The gateway's TOML configuration: where to listen, who may call, which Redis servers are
//! instances, and how the emulated answers describe them.

use ncloud_redis_flush::Platform;
use serde::{Deserialize, Deserializer};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;

/// The whole configuration file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Address to listen on, e.g. `127.0.0.1:8080`.
    #[serde(default = "default_listen")]
    pub listen: SocketAddr,
    /// How far, in milliseconds, a request's timestamp may be from the gateway's clock.
    #[serde(default = "default_skew")]
    pub max_clock_skew_ms: u64,
    /// Forward API requests to this gateway instead of emulating them.
    #[serde(default)]
    pub upstream: Option<String>,
    /// The console to serve at `/` (default: `www` next to the configuration's folder's parent).
    #[serde(default)]
    pub www_dir: Option<PathBuf>,
    /// The npm package to serve at `/pkg/`.
    #[serde(default)]
    pub pkg_dir: Option<PathBuf>,
    /// Largest request body accepted, in bytes.
    #[serde(default = "default_body_limit")]
    pub max_body_bytes: usize,
    /// Seconds a client has to send a request's body, once its headers are in (and, after the
    /// gateway refused a request before reading its body, to finish sending what is discarded).
    #[serde(default = "default_request_timeout")]
    pub request_timeout_secs: u64,
    /// Seconds a client has to send a request's headers, counted from the connection's start or
    /// from the end of the previous answer (so also how long an idle keep-alive connection stays
    /// open). A client that is too slow is disconnected without an answer.
    #[serde(default = "default_header_read_timeout")]
    pub header_read_timeout_secs: u64,
    /// Largest request head (request line and headers) accepted, in bytes; larger: 431. At most
    /// 100 headers are accepted either way.
    #[serde(default = "default_header_limit")]
    pub max_header_bytes: usize,
    /// Connections served at once; further clients wait in the listen backlog until one closes.
    #[serde(default = "default_max_connections")]
    pub max_connections: usize,
    /// Milliseconds to connect to an instance's Redis server.
    #[serde(default = "default_redis_connect_timeout")]
    pub redis_connect_timeout_ms: u64,
    /// Milliseconds each Redis command may take. A request that needs Redis answers within
    /// `redis_connect_timeout_ms + redis_command_timeout_ms`, whatever the server does.
    #[serde(default = "default_redis_command_timeout")]
    pub redis_command_timeout_ms: u64,
    /// Who may call.
    #[serde(default)]
    pub credentials: Vec<Credential>,
    /// The instances, each a Redis server.
    #[serde(default)]
    pub instances: Vec<Instance>,
}

/// An access key and its secret.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credential {
    /// The access key id.
    pub access_key: String,
    /// The secret key.
    pub secret_key: String,
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential")
            .field("access_key", &self.access_key)
            .field("secret_key", &"<redacted>")
            .finish()
    }
}

/// One emulated Cloud DB for Redis instance.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instance {
    /// The instance number (`cloudDBInstanceNo`, `cloudRedisInstanceNo` or
    /// `cloudCacheInstanceNo`): digits.
    pub cloud_db_instance_no: String,
    /// Which API family serves it: `classic` (default), `vpc` or `cache` (the core's names).
    #[serde(default = "default_platform", deserialize_with = "platform")]
    pub platform: Platform,
    /// The Redis server that holds its data, `redis://host:port[/db]`.
    pub redis_url: String,
    /// `cloudDBServiceName`.
    pub cloud_db_service_name: String,
    /// `cloudDBInstanceStatusName`.
    #[serde(default = "default_status")]
    pub status: String,
    /// Whether the instance is highly available (has a hidden master and slaves).
    #[serde(default)]
    pub is_ha: bool,
    /// `cpuCount`.
    #[serde(default = "default_cpu")]
    pub cpu_count: i64,
    /// `memorySize` in bytes when the Redis server has no `maxmemory`.
    #[serde(default = "default_memory")]
    pub memory_size: i64,
    /// `zone.zoneCode` (`KR-1` or `KR-2`).
    #[serde(default = "default_zone")]
    pub zone_code: String,
    /// `region.regionCode`.
    #[serde(default = "default_region")]
    pub region_code: String,
    /// `createDate`.
    #[serde(default = "default_create_date")]
    pub create_date: String,
    /// `backupTime`, `HH:MM`.
    #[serde(default = "default_backup_time")]
    pub backup_time: String,
    /// The servers; one master named after the service when empty.
    #[serde(default)]
    pub servers: Vec<Server>,
    /// The access control groups; one default group when empty.
    #[serde(default)]
    pub access_control_groups: Vec<AccessControlGroup>,
    /// `cloudDBConfigList` entries.
    #[serde(default)]
    pub config: HashMap<String, String>,
}

/// Every platform, in the order the gateway tries them.
// TODO(lead): Platform::ALL
pub(crate) const PLATFORMS: [Platform; 3] = [Platform::Classic, Platform::Vpc, Platform::Cache];

fn default_platform() -> Platform {
    Platform::Classic
}

/// `platform = "classic" | "vpc" | "cache"`, read by the core's [`Platform::parse`].
fn platform<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Platform, D::Error> {
    let text = String::deserialize(deserializer)?;
    Platform::parse(&text).ok_or_else(|| {
        let names: Vec<&str> = PLATFORMS.iter().map(|p| p.as_str()).collect();
        serde::de::Error::custom(format!(
            "platform {text:?} is not one of {}",
            names.join(", ")
        ))
    })
}

impl Instance {
    /// The servers as the answers list them: the configured ones, or a master (and, on an HA
    /// instance, a slave) numbered after the instance.
    pub fn servers(&self) -> Vec<Server> {
        if !self.servers.is_empty() {
            return self.servers.clone();
        }
        let mut servers = vec![Server {
            cloud_db_server_instance_no: format!("{}1", self.cloud_db_instance_no),
            name: format!("{}-001", self.cloud_db_service_name),
            role: "M".into(),
            status: self.status.clone(),
            private_dns_name: None,
        }];
        if self.is_ha {
            servers.push(Server {
                cloud_db_server_instance_no: format!("{}2", self.cloud_db_instance_no),
                name: format!("{}-002", self.cloud_db_service_name),
                role: if self.platform == Platform::Classic {
                    "H"
                } else {
                    "S"
                }
                .into(),
                status: self.status.clone(),
                private_dns_name: None,
            });
        }
        servers
    }
}

/// One server of an instance.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Server {
    /// `cloudDBServerInstanceNo`.
    pub cloud_db_server_instance_no: String,
    /// `cloudDBServerName`.
    pub name: String,
    /// `M` Master, `H` Hidden Master, `S` Slave.
    #[serde(default = "default_role")]
    pub role: String,
    /// `cloudDBServerInstanceStatusName`.
    #[serde(default = "default_status")]
    pub status: String,
    /// `privateDnsName`.
    #[serde(default)]
    pub private_dns_name: Option<String>,
}

/// An access control group.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessControlGroup {
    /// `accessControlGroupConfigurationNo`.
    pub configuration_no: String,
    /// `accessControlGroupName`.
    pub name: String,
    /// `accessControlGroupDescription`.
    #[serde(default)]
    pub description: String,
    /// `isDefault`.
    #[serde(default)]
    pub is_default: bool,
}

fn default_listen() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 8080))
}
fn default_skew() -> u64 {
    300_000
}
fn default_body_limit() -> usize {
    1 << 20
}
fn default_request_timeout() -> u64 {
    10
}
fn default_header_read_timeout() -> u64 {
    10
}
fn default_header_limit() -> usize {
    64 << 10
}
fn default_max_connections() -> usize {
    1024
}
fn default_redis_connect_timeout() -> u64 {
    2_000
}
fn default_redis_command_timeout() -> u64 {
    10_000
}
fn default_status() -> String {
    "running".into()
}
fn default_cpu() -> i64 {
    2
}
fn default_memory() -> i64 {
    1 << 30
}
fn default_zone() -> String {
    "KR-1".into()
}
fn default_region() -> String {
    "KR".into()
}
fn default_create_date() -> String {
    "2024-01-15T10:00:00+0900".into()
}
fn default_backup_time() -> String {
    "03:00".into()
}
fn default_role() -> String {
    "M".into()
}

impl Config {
    /// Parses and checks a configuration.
    pub fn parse(text: &str) -> Result<Self, String> {
        let config = Self::parse_unchecked(text)?;
        config.check()?;
        Ok(config)
    }

    /// Parses a configuration, to be [`check`](Self::check)ed once command-line flags are applied.
    pub fn parse_unchecked(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    /// Checks what the types cannot: instance numbers, Redis URLs, someone to serve, limits.
    pub fn check(&self) -> Result<(), String> {
        for (name, value) in [
            ("request_timeout_secs", self.request_timeout_secs),
            ("header_read_timeout_secs", self.header_read_timeout_secs),
            ("max_connections", self.max_connections as u64),
            ("redis_connect_timeout_ms", self.redis_connect_timeout_ms),
            ("redis_command_timeout_ms", self.redis_command_timeout_ms),
        ] {
            if value == 0 {
                return Err(format!("{name} must be at least 1"));
            }
        }
        if self.max_header_bytes < 1024 {
            return Err("max_header_bytes must be at least 1024".into());
        }
        // Durations far beyond any use would overflow the timers' arithmetic.
        const DAY_SECS: u64 = 86_400;
        if self.request_timeout_secs > DAY_SECS
            || self.header_read_timeout_secs > DAY_SECS
            || self.redis_connect_timeout_ms > DAY_SECS * 1000
            || self.redis_command_timeout_ms > DAY_SECS * 1000
        {
            return Err("timeouts must be at most a day".into());
        }
        let mut keys: HashMap<&str, usize> = HashMap::new();
        for (n, c) in (1..).zip(&self.credentials) {
            if c.access_key.is_empty() || c.secret_key.is_empty() {
                return Err("credentials: access_key and secret_key must not be empty".into());
            }
            // One secret per access key: with two, which one verifies a signature is chance.
            if let Some(first) = keys.insert(&c.access_key, n) {
                return Err(format!(
                    "credentials {first} and {n} have the same access_key {:?}",
                    c.access_key
                ));
            }
        }
        // A server number names one server: with two, which Redis a flush empties is chance.
        let mut servers: HashMap<String, &str> = HashMap::new();
        for i in &self.instances {
            for server in i.servers() {
                let no = server.cloud_db_server_instance_no;
                if let Some(other) = servers.insert(no.clone(), &i.cloud_db_instance_no) {
                    return Err(if other == i.cloud_db_instance_no {
                        format!("instance {other} has the server {no} twice")
                    } else {
                        format!(
                            "instances {other} and {} both have the server {no}",
                            i.cloud_db_instance_no
                        )
                    });
                }
            }
        }
        let mut seen = std::collections::HashSet::new();
        for i in &self.instances {
            ncloud_redis_flush::api::check_instance_no(
                "cloud_db_instance_no",
                &i.cloud_db_instance_no,
            )
            .map_err(|e| format!("instance {:?}: {e}", i.cloud_db_instance_no))?;
            for server in &i.servers {
                ncloud_redis_flush::api::check_instance_no(
                    "cloud_db_server_instance_no",
                    &server.cloud_db_server_instance_no,
                )
                .map_err(|e| {
                    format!(
                        "instance {}: server {:?}: {e}",
                        i.cloud_db_instance_no, server.name
                    )
                })?;
            }
            if !seen.insert(&i.cloud_db_instance_no) {
                return Err(format!(
                    "instance {} is configured twice",
                    i.cloud_db_instance_no
                ));
            }
            redis::Client::open(i.redis_url.as_str())
                .map_err(|e| format!("instance {}: redis_url: {e}", i.cloud_db_instance_no))?;
        }
        if self.credentials.is_empty() && self.upstream.is_none() {
            return Err("no [[credentials]]: nobody could call the emulated API".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_config_and_defaults() {
        let c = Config::parse(
            r#"
listen = "127.0.0.1:9999"
[[credentials]]
access_key = "AK"
secret_key = "SK"
[[instances]]
cloud_db_instance_no = "882689"
redis_url = "redis://127.0.0.1:6390"
cloud_db_service_name = "test"
"#,
        )
        .unwrap();
        assert_eq!(c.max_clock_skew_ms, 300_000);
        assert_eq!(
            (
                c.header_read_timeout_secs,
                c.max_connections,
                c.max_header_bytes
            ),
            (10, 1024, 65_536)
        );
        assert_eq!(
            (c.redis_connect_timeout_ms, c.redis_command_timeout_ms),
            (2_000, 10_000)
        );
        assert_eq!(c.instances[0].zone_code, "KR-1");
        assert!(!format!("{:?}", c.credentials).contains("SK\""));
    }

    #[test]
    fn refuses_bad_configs() {
        for bad in [
            "listen = 5",
            "[[instances]]\ncloud_db_instance_no = \"x\"\nredis_url = \"redis://h\"\ncloud_db_service_name = \"s\"",
            "typo = 1",
            "",
            "header_read_timeout_secs = 0\n[[credentials]]\naccess_key = \"a\"\nsecret_key = \"b\"",
            "max_header_bytes = 100\n[[credentials]]\naccess_key = \"a\"\nsecret_key = \"b\"",
            "max_connections = 0\n[[credentials]]\naccess_key = \"a\"\nsecret_key = \"b\"",
            "redis_command_timeout_ms = 0\n[[credentials]]\naccess_key = \"a\"\nsecret_key = \"b\"",
            "request_timeout_secs = 100000000\n[[credentials]]\naccess_key = \"a\"\nsecret_key = \"b\"",
        ] {
            assert!(Config::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn refuses_duplicate_server_numbers_and_access_keys_naming_both() {
        let instance = |no: &str, servers: &str| {
            format!("[[instances]]\ncloud_db_instance_no = \"{no}\"\nredis_url = \"redis://127.0.0.1:6390\"\ncloud_db_service_name = \"s{no}\"\n{servers}\n")
        };
        let key = "[[credentials]]\naccess_key = \"AK\"\nsecret_key = \"SK\"\n";
        // 1034561 is 103456's own master (its default) and a server configured on 200001.
        let servers = instance("103456", "platform = \"vpc\"")
            + &instance(
                "200001",
                "platform = \"cache\"\nservers = [{ cloud_db_server_instance_no = \"1034561\", name = \"x\" }]",
            );
        let e = Config::parse(&format!("{key}{servers}")).unwrap_err();
        assert!(e.contains("1034561"), "{e}");
        assert!(e.contains("103456 ") && e.contains("200001"), "{e}");
        // Two servers of one instance with the same number.
        let twice = instance(
            "300001",
            "servers = [{ cloud_db_server_instance_no = \"7\", name = \"a\" }, { cloud_db_server_instance_no = \"7\", name = \"b\" }]",
        );
        let e = Config::parse(&format!("{key}{twice}")).unwrap_err();
        assert!(e.contains("server 7") && e.contains("300001"), "{e}");
        // The same access key twice, with different secrets: which one signs would be chance.
        let keys = format!("{key}[[credentials]]\naccess_key = \"other\"\nsecret_key = \"x\"\n[[credentials]]\naccess_key = \"AK\"\nsecret_key = \"SK2\"\n");
        let e = Config::parse(&keys).unwrap_err();
        assert!(
            e.contains("\"AK\"") && e.contains("1") && e.contains("3"),
            "{e}"
        );
        assert!(!e.contains("SK"), "a secret in {e}");
        // Distinct numbers and keys pass.
        let fine =
            instance("103456", "platform = \"vpc\"") + &instance("200001", "platform = \"cache\"");
        Config::parse(&format!("{key}{fine}")).unwrap();
    }

    #[test]
    fn platform_names_are_the_cores() {
        let config = |platform: &str| {
            Config::parse(&format!("[[credentials]]\naccess_key = \"a\"\nsecret_key = \"b\"\n[[instances]]\ncloud_db_instance_no = \"1\"\nredis_url = \"redis://h\"\ncloud_db_service_name = \"s\"\nplatform = \"{platform}\"\n"))
        };
        for p in PLATFORMS {
            assert_eq!(config(p.as_str()).unwrap().instances[0].platform, p);
        }
        let e = config("VPC").unwrap_err();
        assert!(e.contains("classic, vpc, cache"), "{e}");
    }
}
