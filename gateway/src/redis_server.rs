//! One instance's Redis server: a shared connection (made on first use, remade after a failure),
//! `FLUSHALL` and `INFO` within the configured timeouts whatever the server does.

use crate::time;
use redis::aio::MultiplexedConnection;
use redis::AsyncConnectionConfig;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::Mutex;

/// How long connecting to Redis, and each command, may take.
#[derive(Clone, Copy, Debug)]
pub struct RedisTimeouts {
    /// Connecting (TCP and the client's handshake).
    pub connect: Duration,
    /// Each command's answer.
    pub command: Duration,
}

impl RedisTimeouts {
    /// The longest a request to Redis may take, from its turn to its answer: one connection and
    /// one command's time. A stale connection fails at once, so a flush's retry fits in it too.
    pub fn total(&self) -> Duration {
        self.connect + self.command
    }
}

/// What the Redis server says of itself.
#[derive(Debug, Default)]
pub(crate) struct RedisInfo {
    pub(crate) version: Option<String>,
    pub(crate) maxmemory: Option<i64>,
    pub(crate) uptime_secs: Option<i64>,
}

impl RedisInfo {
    /// Up since, as the API writes dates.
    pub(crate) fn uptime_kst(&self) -> Option<String> {
        self.uptime_secs
            .map(|up| time::kst((time::now_ms() / 1000) as i64 - up))
    }
}

/// A Redis server and the gateway's shared connection to it.
pub(crate) struct RedisServer {
    client: redis::Client,
    timeouts: RedisTimeouts,
    /// The shared connection and its generation, so a request that failed on an old connection
    /// never drops a newer one.
    connection: Mutex<Option<(u64, MultiplexedConnection)>>,
    generations: AtomicU64,
}

impl RedisServer {
    /// Prepares (without connecting) a client of `url`.
    pub(crate) fn new(url: &str, timeouts: RedisTimeouts) -> redis::RedisResult<Self> {
        Ok(RedisServer {
            client: redis::Client::open(url)?,
            timeouts,
            connection: Mutex::new(None),
            generations: AtomicU64::new(0),
        })
    }

    /// The server's host and port.
    pub(crate) fn host_port(&self) -> (String, i64) {
        let addr = self.client.get_connection_info().addr().to_string();
        match addr.rsplit_once(':') {
            Some((h, p)) => (h.to_owned(), p.parse().unwrap_or(6379)),
            None => (addr, 6379),
        }
    }

    /// The shared connection (`fresh` when just made), connecting if there is none.
    async fn connection(&self) -> redis::RedisResult<(u64, MultiplexedConnection, bool)> {
        let mut slot = self.connection.lock().await;
        if let Some((generation, c)) = slot.as_ref() {
            return Ok((*generation, c.clone(), false));
        }
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(self.timeouts.connect))
            .set_response_timeout(Some(self.timeouts.command));
        let c = self
            .client
            .get_multiplexed_async_connection_with_config(&config)
            .await?;
        let generation = self.generations.fetch_add(1, Ordering::Relaxed);
        *slot = Some((generation, c.clone()));
        Ok((generation, c, true))
    }

    /// Drops the shared connection if it is still `generation`: the next request connects afresh.
    async fn forget(&self, generation: u64) {
        let mut slot = self.connection.lock().await;
        if slot.as_ref().is_some_and(|(g, _)| *g == generation) {
            *slot = None;
        }
    }

    /// Runs `commands` on the shared connection within [`RedisTimeouts::total`]; on any failure
    /// (a timeout too, which drops the commands midway) the connection used is forgotten. With
    /// `retry`, commands that fail on a connection found dead (Redis restarted, or the connection
    /// cut) run once more on a new one: only for commands that are safe to repeat.
    async fn run<T, F, Fut>(&self, retry: bool, commands: F) -> redis::RedisResult<T>
    where
        F: Fn(MultiplexedConnection) -> Fut,
        Fut: Future<Output = redis::RedisResult<T>>,
    {
        let mut used = None;
        let attempt = async {
            let (generation, c, fresh) = self.connection().await?;
            used = Some(generation);
            match commands(c).await {
                Err(e) if retry && !fresh && e.is_unrecoverable_error() => {
                    self.forget(generation).await;
                    let (generation, c, _) = self.connection().await?;
                    used = Some(generation);
                    commands(c).await
                }
                outcome => outcome,
            }
        };
        let outcome = tokio::time::timeout(self.timeouts.total(), attempt)
            .await
            .unwrap_or_else(|_| Err(std::io::Error::from(std::io::ErrorKind::TimedOut).into()));
        if let (Err(_), Some(generation)) = (&outcome, used) {
            self.forget(generation).await;
        }
        outcome
    }

    /// `FLUSHALL` (every database of the server), then `INFO`. Retried once on a dead shared
    /// connection: `FLUSHALL` is idempotent.
    pub(crate) async fn flush(&self) -> redis::RedisResult<RedisInfo> {
        self.run(true, |mut c| async move {
            redis::cmd("FLUSHALL").query_async::<()>(&mut c).await?;
            let info: String = redis::cmd("INFO").query_async(&mut c).await?;
            Ok(parse_info(&info))
        })
        .await
    }

    /// `INFO` alone (for listings); `None` when Redis does not answer in time.
    pub(crate) async fn info(&self) -> Option<RedisInfo> {
        self.run(false, |mut c| async move {
            let info: String = redis::cmd("INFO").query_async(&mut c).await?;
            Ok(parse_info(&info))
        })
        .await
        .ok()
    }
}

/// What went wrong with Redis, in a word, for the audit line.
pub(crate) fn error_kind(e: &redis::RedisError) -> String {
    if e.is_timeout() {
        "timeout".into()
    } else if e.is_connection_refusal() || e.is_connection_dropped() || e.is_io_error() {
        "unreachable".into()
    } else {
        format!("{:?}", e.kind()).to_lowercase()
    }
}

fn parse_info(info: &str) -> RedisInfo {
    let mut out = RedisInfo::default();
    for line in info.lines() {
        let Some((key, value)) = line.trim_end().split_once(':') else {
            continue;
        };
        match key {
            "redis_version" => out.version = Some(value.to_owned()),
            "maxmemory" => out.maxmemory = value.parse().ok(),
            "uptime_in_seconds" => out.uptime_secs = value.parse().ok(),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(url: &str, connect_ms: u64, command_ms: u64) -> RedisServer {
        let timeouts = RedisTimeouts {
            connect: Duration::from_millis(connect_ms),
            command: Duration::from_millis(command_ms),
        };
        RedisServer::new(url, timeouts).unwrap()
    }

    #[tokio::test]
    async fn a_silent_redis_fails_within_the_timeouts() {
        // A server that accepts connections and never answers, like a frozen Redis.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let held = tokio::spawn(async move {
            let mut sockets = Vec::new();
            while let Ok((socket, _)) = listener.accept().await {
                sockets.push(socket);
            }
        });
        let state = server(&format!("redis://{addr}"), 200, 300);
        for _ in 0..2 {
            let started = std::time::Instant::now();
            let e = state.flush().await.unwrap_err();
            // The bound is connect + command (500 ms); 1.5 s more is scheduling slack, not a hang.
            assert!(started.elapsed() < Duration::from_secs(2), "{e}");
            assert_eq!(error_kind(&e), "timeout", "{e}");
            assert!(
                state.connection.lock().await.is_none(),
                "a failed connection was kept"
            );
            let started = std::time::Instant::now();
            assert!(state.info().await.is_none());
            assert!(started.elapsed() < Duration::from_secs(2));
            assert!(state.connection.lock().await.is_none());
        }
        held.abort();
    }

    #[tokio::test]
    async fn an_absent_redis_fails_at_once() {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let state = server(&format!("redis://127.0.0.1:{port}"), 10_000, 10_000);
        let started = std::time::Instant::now();
        let e = state.flush().await.unwrap_err();
        assert_eq!(error_kind(&e), "unreachable");
        // Refused at once, not after the 10 s connect timeout (5 s of it is scheduling slack).
        assert!(started.elapsed() < Duration::from_secs(5), "{e}");
    }

    #[test]
    fn info() {
        let i = parse_info("# Server\r\nredis_version:7.0.15\r\nuptime_in_seconds:42\r\n# Memory\r\nmaxmemory:0\r\n");
        assert_eq!(i.version.as_deref(), Some("7.0.15"));
        assert_eq!((i.uptime_secs, i.maxmemory), (Some(42), Some(0)));
    }
}
