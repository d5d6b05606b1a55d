//! The audit trail: one JSON line per request on standard output — who did what to which
//! instance, and how it went. Never a secret key or a signature.

use crate::audit::Audit;
use std::io::Write;
use std::net::SocketAddr;
use std::time::Duration;

/// One request's line.
pub(crate) struct Line<'a> {
    pub(crate) remote: SocketAddr,
    pub(crate) method: &'a str,
    pub(crate) target: &'a str,
    pub(crate) status: u16,
    pub(crate) audit: &'a Audit,
    pub(crate) latency: Duration,
}

/// Writes `line` to standard output (errors writing a log line are ignored: a closed stdout must
/// not stop the gateway).
pub(crate) fn line(line: &Line<'_>) {
    let path = line.target.split('?').next().unwrap_or("");
    let value = serde_json::json!({
        "time": crate::time::rfc3339_ms(crate::time::now_ms()),
        "remote": line.remote.to_string(),
        "method": line.method,
        "path": truncate(path, 256),
        "status": line.status,
        "access_key": line.audit.access_key.as_deref().map(|k| truncate(k, 128)),
        "action": line.audit.action,
        "instance": line.audit.instance.as_deref().map(|i| truncate(i, 64)),
        "outcome": line.audit.outcome,
        "latency_ms": (line.latency.as_secs_f64() * 1e6).round() / 1e3,
    });
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{value}");
}

fn truncate(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}
