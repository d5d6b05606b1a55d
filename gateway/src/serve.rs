//! The HTTP/1.1 server loop: accepting within `max_connections` (and `max_connections_per_address`
//! from one client), hyper with a header read timeout and a header size limit, a write timeout,
//! bounded connection lifetimes, a gentle close that lets clients read refusals, and a bounded
//! graceful shutdown.
//!
//! What keeps slow, silent or malformed clients from holding the gateway:
//!
//! - a request's headers must arrive within `header_read_timeout_secs`, counted from the
//!   connection's start or the end of the previous answer (so idle keep-alive connections close
//!   too), and be at most `max_header_bytes` long (and at most 100 headers): otherwise the
//!   connection is closed (without an answer if too slow, with hyper's bare 431 if too large);
//! - a request's body must arrive within `request_timeout_secs` (400, gateway error 100) and be at
//!   most `max_body_bytes` long (413, gateway error 430), see `body::read_body`;
//! - an answer's bytes that the client leaves unread for `write_timeout_secs` (its socket's
//!   buffers full, no progress) end the connection at once;
//! - a connection's `max_requests_per_connection`-th answer carries `Connection: close`, and a
//!   connection older than `max_connection_age_secs` finishes its request in flight with
//!   `Connection: close` (or is dropped, if that request is not done after as long as one may
//!   take), so that a trickle of requests cannot keep a slot forever;
//! - at most `max_connections` connections are served at once; the others wait in the kernel's
//!   listen backlog and hold no file descriptor of the gateway's; of those, at most
//!   `max_connections_per_address` from one IP address: more from it are answered 429 (gateway
//!   error 420) without being read, and closed;
//! - what is not HTTP/1.x gets hyper's bare 400, 414, 431 or 505 and the connection is closed.
//!
//! When the gateway answers before reading a whole body (a body too large, a request refused by
//! authentication or routing), closing the socket with unread data would make the kernel send a
//! reset, which can destroy the answer before the client reads it. So a connection ends with a
//! *lingering close*, as Apache and nginx do: send FIN, then read and discard what the client still
//! sends, until it closes or `request_timeout_secs` pass.

use crate::config::Config;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderValue};
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::future::{poll_fn, Future};
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tokio::time::Sleep;
use tower::ServiceExt as _;

/// How long one connection may last, and what it may do.
#[derive(Clone, Copy)]
struct Lifetime {
    /// The lingering close's bound.
    linger: Duration,
    /// After this, the connection finishes its request in flight and closes.
    max_age: Duration,
    /// How long that request may still take before the connection is dropped.
    grace: Duration,
}

/// Serves `router` on `listener`, within the limits of `c`, until `shutdown` completes; then stops
/// accepting, lets the connections finish their requests in flight (for at most as long as a
/// request may take) and returns. The router gets the client's address as a
/// [`ConnectInfo<SocketAddr>`] request extension.
pub(crate) async fn run(
    router: Router,
    c: &Config,
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
) {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(c.header_read_timeout_secs))
        .max_header_size(c.max_header_bytes);
    let longest_request =
        Duration::from_secs(
            c.header_read_timeout_secs + c.request_timeout_secs + c.write_timeout_secs,
        ) + Duration::from_millis(c.redis_connect_timeout_ms + c.redis_command_timeout_ms);
    let lifetime = Lifetime {
        linger: Duration::from_secs(c.request_timeout_secs),
        max_age: Duration::from_secs(c.max_connection_age_secs),
        grace: longest_request,
    };
    let write_timeout = Duration::from_secs(c.write_timeout_secs);
    let max_requests = c.max_requests_per_connection;
    let slots = Arc::new(Semaphore::new(c.max_connections));
    let per_address = PerAddress::new(c.max_connections_per_address);
    // Every connection holds a receiver: a message asks it to finish, and `closed()` on the
    // sender tells when they all have.
    let (stop, stopping) = watch::channel(());
    let mut shutdown = pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = accept(&listener, &slots) => accepted,
        };
        let Some((stream, remote, slot)) = accepted else {
            continue;
        };
        let Some(counted) = per_address.enter(remote.ip()) else {
            drop(slot);
            refuse_over_cap(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let requests = AtomicU64::new(0);
        // Boxed, so that the connection is `Unpin` and can hand its socket back when done.
        let service = service_fn(move |request: hyper::Request<Incoming>| {
            let mut request = request.map(Body::new);
            request.extensions_mut().insert(ConnectInfo(remote));
            let last = requests.fetch_add(1, Ordering::Relaxed) + 1 >= max_requests;
            let answer = router.clone().oneshot(request);
            Box::pin(async move {
                let mut response = answer.await?;
                if last {
                    // hyper closes the connection after an answer that says so.
                    response
                        .headers_mut()
                        .insert(header::CONNECTION, HeaderValue::from_static("close"));
                }
                Ok::<_, std::convert::Infallible>(response)
            })
        });
        let io = WriteTimeout::new(stream, write_timeout);
        let connection = http.serve_connection(TokioIo::new(io), service);
        let stopping = stopping.clone();
        tokio::spawn(async move {
            serve_connection(connection, stopping, lifetime).await;
            drop(counted);
            drop(slot);
        });
    }
    drop(listener);
    drop(stopping);
    let _ = stop.send(());
    let _ = tokio::time::timeout(longest_request, stop.closed()).await;
}

/// The answer to a connection over `max_connections_per_address`, written if the socket takes it
/// at once (it has an empty buffer), never waited for: the connection is closed right after.
const OVER_CAP: &[u8] = b"HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json;charset=UTF-8\r\ncontent-length: 105\r\nconnection: close\r\n\r\n{\"error\":{\"errorCode\":\"420\",\"message\":\"Rate Limited\",\"details\":\"too many connections from this address\"}}";

fn refuse_over_cap(stream: TcpStream) {
    let _ = stream.try_write(OVER_CAP);
    drop(stream);
}

/// How many connections each client address has open, within a cap.
struct PerAddress {
    cap: usize,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// One connection counted against its address; uncounted when dropped.
struct Counted {
    ip: IpAddr,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl PerAddress {
    fn new(cap: usize) -> Self {
        PerAddress {
            cap,
            open: Arc::default(),
        }
    }

    /// Counts a connection from `ip`, unless that address already has `cap` open.
    fn enter(&self, ip: IpAddr) -> Option<Counted> {
        // A panic while the lock is held cannot leave a count half-updated.
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(ip).or_insert(0);
        if *count >= self.cap {
            return None;
        }
        *count += 1;
        Some(Counted {
            ip,
            open: self.open.clone(),
        })
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.ip) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

/// A socket whose writes fail with `TimedOut` once they have made no progress for `timeout`
/// (the client reads nothing, its buffers and ours are full). Reads pass through.
struct WriteTimeout {
    stream: TcpStream,
    timeout: Duration,
    /// Started by the first write that could not proceed; cleared by any that does.
    stalled: Option<Pin<Box<Sleep>>>,
    timed_out: bool,
}

impl WriteTimeout {
    fn new(stream: TcpStream, timeout: Duration) -> Self {
        WriteTimeout {
            stream,
            timeout,
            stalled: None,
            timed_out: false,
        }
    }

    /// The outcome of a write, flush or shutdown: pending for at most `timeout` in a row.
    fn watch<T>(
        &mut self,
        cx: &mut Context<'_>,
        outcome: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        if outcome.is_ready() {
            self.stalled = None;
            return outcome;
        }
        let timeout = self.timeout;
        let stalled = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        if stalled.as_mut().poll(cx).is_ready() {
            self.timed_out = true;
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client did not read the answer in time",
            )));
        }
        Poll::Pending
    }
}

impl AsyncRead for WriteTimeout {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for WriteTimeout {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let outcome = Pin::new(&mut this.stream).poll_write(cx, buf);
        this.watch(cx, outcome)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let outcome = Pin::new(&mut this.stream).poll_write_vectored(cx, bufs);
        this.watch(cx, outcome)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let outcome = Pin::new(&mut this.stream).poll_flush(cx);
        this.watch(cx, outcome)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let outcome = Pin::new(&mut this.stream).poll_shutdown(cx);
        this.watch(cx, outcome)
    }
}

/// Runs one connection to its end, then closes it gently (unless the client was too slow).
async fn serve_connection<S>(
    mut connection: http1::Connection<TokioIo<WriteTimeout>, S>,
    mut stopping: watch::Receiver<()>,
    lifetime: Lifetime,
) where
    S: hyper::service::HttpService<Incoming, ResBody = Body> + Unpin,
    S::Future: Unpin,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let mut asked_to_stop = false;
    // First the connection's age limit, then the grace its request in flight has.
    let deadline = tokio::time::sleep(lifetime.max_age);
    let mut deadline = pin!(deadline);
    let mut aged = false;
    let outcome = loop {
        tokio::select! {
            outcome = poll_fn(|cx| connection.poll_without_shutdown(cx)) => break Some(outcome),
            _ = stopping.changed(), if !asked_to_stop => asked_to_stop = true,
            () = &mut deadline => {
                if aged {
                    // Still not done after as long as a request may take: dropped.
                    break None;
                }
                aged = true;
                deadline.as_mut().reset(tokio::time::Instant::now() + lifetime.grace);
            }
        }
        // Asked to stop, or too old: finish the request in flight, if any, then end (keep-alive
        // off, so its answer says `Connection: close`).
        Pin::new(&mut connection).graceful_shutdown();
    };
    let Some(outcome) = outcome else {
        return;
    };
    // Errors are the client's (gone, malformed): nothing to report. A client that was too slow
    // to send its headers or to read its answer gets no more time, nor does any when the
    // gateway is stopping.
    if asked_to_stop || outcome.as_ref().is_err_and(|e| e.is_timeout()) {
        return;
    }
    let io = connection.into_parts().io.into_inner();
    if io.timed_out {
        return;
    }
    // Its answers are out: a shutdown need not wait for the close.
    drop(stopping);
    close_gently(io.stream, lifetime.linger).await;
}

/// A lingering close: FIN first, then discard what the client still sends until it closes too
/// or `linger` passes, so that it can read the answer before the socket is gone.
async fn close_gently(mut stream: TcpStream, linger: Duration) {
    if stream.shutdown().await.is_err() {
        return;
    }
    let mut sink = [0u8; 4096];
    let _ = tokio::time::timeout(linger, async {
        while let Ok(1..) = stream.read(&mut sink).await {}
    })
    .await;
}

/// The next connection, once fewer than `max_connections` are open; `None` after an error that
/// only concerns one connection, or after a pause when the process is out of file descriptors or
/// memory (the listener stays open; the connections already open keep being served).
async fn accept(
    listener: &TcpListener,
    slots: &Arc<Semaphore>,
) -> Option<(TcpStream, SocketAddr, OwnedSemaphorePermit)> {
    // The semaphore is never closed.
    let slot = slots.clone().acquire_owned().await.ok()?;
    match listener.accept().await {
        Ok((stream, remote)) => Some((stream, remote, slot)),
        Err(e) if is_connection_error(&e) => None,
        Err(e) => {
            eprintln!("ncloud-gateway: accept: {e}; pausing for a second");
            tokio::time::sleep(Duration::from_secs(1)).await;
            None
        }
    }
}

/// Errors of one connection (the client went away before it was accepted): the next accept works.
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Gateway;
    use tokio::sync::oneshot;
    use tokio::task::JoinHandle;

    /// A gateway with `extra` configuration on a free loopback port.
    async fn start(extra: &str) -> (SocketAddr, oneshot::Sender<()>, JoinHandle<()>) {
        let config = Config::parse(&format!(
            "{extra}\n[[credentials]]\naccess_key = \"a\"\nsecret_key = \"b\"\n"
        ))
        .unwrap();
        let gateway = Arc::new(Gateway::new(config).unwrap());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(gateway.serve(listener, async {
            let _ = stopped.await;
        }));
        (addr, stop, task)
    }

    /// Everything the server sends until it closes; the bound is generous: not closing is a hang.
    async fn read_to_close(stream: &mut (impl tokio::io::AsyncRead + Unpin)) -> Vec<u8> {
        let mut answer = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(10), async {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = stream.read(&mut buf).await {
                answer.extend_from_slice(&buf[..n]);
            }
        });
        read.await.expect("the connection stayed open");
        answer
    }

    #[tokio::test]
    async fn clients_too_slow_with_their_headers_are_disconnected() {
        let (addr, stop, server) = start("header_read_timeout_secs = 1").await;
        let mut silent = TcpStream::connect(addr).await.unwrap();
        let mut half = TcpStream::connect(addr).await.unwrap();
        half.write_all(b"GET / HTTP/1.1\r\nhost: x\r\nx-a: ")
            .await
            .unwrap();
        assert_eq!(read_to_close(&mut silent).await, b"");
        assert_eq!(read_to_close(&mut half).await, b"");
        stop.send(()).unwrap();
        server.await.unwrap();
    }

    #[tokio::test]
    async fn a_refusal_is_readable_while_the_client_still_sends_its_body() {
        let (addr, stop, server) = start("").await;
        let (mut from, mut to) = TcpStream::connect(addr).await.unwrap().into_split();
        // 10 MB to a path that is not the API: 404 before a byte of the body is read. The client
        // writes it all before it reads, as simple clients do.
        let writer = tokio::spawn(async move {
            to.write_all(b"POST /upload HTTP/1.1\r\nhost: x\r\ncontent-length: 10485760\r\n\r\n")
                .await?;
            let chunk = vec![b'a'; 65536];
            for _ in 0..160 {
                to.write_all(&chunk).await?;
            }
            Ok::<_, io::Error>(to)
        });
        let answer = read_to_close(&mut from).await;
        let text = String::from_utf8_lossy(&answer);
        assert!(text.starts_with("HTTP/1.1 404 "), "{text}");
        assert!(text.contains("\"errorCode\":\"300\""), "{text}");
        // And no reset: the client could send its whole body (many clients, on a failed write,
        // give up without reading the answer already there).
        let written = writer.await.unwrap();
        assert!(written.is_ok(), "{written:?}");
        stop.send(()).unwrap();
        server.await.unwrap();
    }

    #[tokio::test]
    async fn shutdown_closes_idle_connections_and_returns() {
        let (addr, stop, server) = start("").await;
        let mut idle = TcpStream::connect(addr).await.unwrap();
        idle.write_all(b"GET /nowhere HTTP/1.1\r\nhost: x\r\n\r\n")
            .await
            .unwrap();
        let mut buf = [0u8; 1024];
        let n = idle.read(&mut buf).await.unwrap();
        assert!(buf[..n].starts_with(b"HTTP/1.1 404 "));
        stop.send(()).unwrap();
        // Not closed, it would hold the shutdown until its header read timeout (10 s).
        tokio::time::timeout(Duration::from_secs(5), server)
            .await
            .expect("an idle keep-alive connection held the shutdown")
            .unwrap();
        assert_eq!(read_to_close(&mut idle).await, b"");
    }

    /// Reads one answer (head and a `content-length` body): its text, or `None` at the end of
    /// the connection. The bound is generous: no answer is a hang.
    async fn read_answer(stream: &mut TcpStream, pending: &mut Vec<u8>) -> Option<String> {
        let read = async {
            loop {
                if let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&pending[..end]).to_ascii_lowercase();
                    let length: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length: "))
                        .and_then(|n| n.trim().parse().ok())
                        .unwrap_or(0);
                    if pending.len() >= end + 4 + length {
                        pending.drain(..end + 4 + length);
                        return Some(head);
                    }
                }
                let mut buf = [0u8; 4096];
                match stream.read(&mut buf).await {
                    Ok(n @ 1..) => pending.extend_from_slice(&buf[..n]),
                    _ => return None,
                }
            }
        };
        tokio::time::timeout(Duration::from_secs(10), read)
            .await
            .expect("no answer and no close")
    }

    const NOWHERE: &[u8] = b"GET /nowhere HTTP/1.1\r\nhost: x\r\n\r\n";

    #[tokio::test]
    async fn connections_over_the_per_address_cap_are_refused_at_once() {
        let (addr, stop, server) = start("max_connections_per_address = 2").await;
        let mut a = TcpStream::connect(addr).await.unwrap();
        let b = TcpStream::connect(addr).await.unwrap();
        // A third from the same address: a 429, then the end, without waiting for a request.
        let started = std::time::Instant::now();
        let mut c = TcpStream::connect(addr).await.unwrap();
        let refused = String::from_utf8_lossy(&read_to_close(&mut c).await).into_owned();
        assert!(refused.starts_with("HTTP/1.1 429 "), "{refused}");
        assert!(refused.contains("connection: close"), "{refused}");
        let (head, body) = refused.split_once("\r\n\r\n").unwrap();
        assert!(
            head.contains(&format!("content-length: {}", body.len())),
            "{refused}"
        );
        assert!(body.contains("\"errorCode\":\"420\""), "{refused}");
        assert!(started.elapsed() < Duration::from_secs(2));
        // The two within the cap are served.
        a.write_all(NOWHERE).await.unwrap();
        let answer = read_answer(&mut a, &mut Vec::new()).await.unwrap();
        assert!(answer.starts_with("http/1.1 404 "), "{answer}");
        // Once one closes, a new one is served again.
        drop(b);
        let mut served = false;
        for _ in 0..50 {
            let mut d = TcpStream::connect(addr).await.unwrap();
            d.write_all(NOWHERE).await.unwrap();
            if let Some(answer) = read_answer(&mut d, &mut Vec::new()).await {
                if answer.starts_with("http/1.1 404 ") {
                    served = true;
                    break;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(served, "a closed connection still counted against the cap");
        drop(a);
        stop.send(()).unwrap();
        server.await.unwrap();
    }

    #[tokio::test]
    async fn a_client_that_never_reads_its_answer_is_cut_off_after_the_write_timeout() {
        // 32 MiB: far more than the loopback's socket buffers hold.
        const SIZE: usize = 32 << 20;
        let dir = std::env::temp_dir().join(format!("gw-write-timeout-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("big.bin"), vec![b'x'; SIZE]).unwrap();
        // One connection slot: the stalled client holds it until the write timeout frees it.
        let (addr, stop, server) = start(&format!(
            "max_connections = 1\nwrite_timeout_secs = 1\nwww_dir = {:?}",
            dir.display().to_string()
        ))
        .await;
        let mut stalled = TcpStream::connect(addr).await.unwrap();
        stalled
            .write_all(b"GET /big.bin HTTP/1.1\r\nhost: x\r\n\r\n")
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        let started = std::time::Instant::now();
        let mut next = TcpStream::connect(addr).await.unwrap();
        next.write_all(NOWHERE).await.unwrap();
        let answer = read_answer(&mut next, &mut Vec::new()).await;
        let waited = started.elapsed();
        eprintln!("the next client waited {waited:?} for the stalled one's slot");
        assert!(
            answer
                .as_deref()
                .is_some_and(|a| a.starts_with("http/1.1 404 ")),
            "{answer:?}"
        );
        // The write timeout (1 s) and slack, not forever.
        assert!(waited < Duration::from_secs(4), "{waited:?}");
        // What the stalled client can still read is what was buffered, not the whole file.
        let received = read_to_close(&mut stalled).await.len();
        assert!(received < SIZE, "{received} bytes");
        stop.send(()).unwrap();
        server.await.unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn the_last_request_a_connection_may_make_is_answered_with_connection_close() {
        let (addr, stop, server) =
            start("max_requests_per_connection = 3\nheader_read_timeout_secs = 5").await;
        let mut stream = TcpStream::connect(addr).await.unwrap();
        // Four requests at once: three answers, the third with `connection: close`, then the end.
        stream.write_all(&NOWHERE.repeat(4)).await.unwrap();
        let started = std::time::Instant::now();
        let mut pending = Vec::new();
        let mut answers = Vec::new();
        while let Some(answer) = read_answer(&mut stream, &mut pending).await {
            answers.push(answer);
        }
        assert_eq!(answers.len(), 3, "{answers:?}");
        let closes: Vec<bool> = answers
            .iter()
            .map(|a| a.contains("connection: close"))
            .collect();
        assert_eq!(closes, [false, false, true], "{answers:?}");
        // Closed after the third answer, not by the header read timeout (5 s).
        assert!(started.elapsed() < Duration::from_secs(3));
        stop.send(()).unwrap();
        server.await.unwrap();
    }

    #[tokio::test]
    async fn a_trickle_of_requests_cannot_keep_a_connection_past_its_maximum_age() {
        let (addr, stop, server) = start("max_connection_age_secs = 1").await;
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let started = std::time::Instant::now();
        let mut pending = Vec::new();
        let mut answers = 0;
        // One request every 200 ms, well within the header read timeout (10 s).
        while started.elapsed() < Duration::from_secs(5) {
            if stream.write_all(NOWHERE).await.is_err() {
                break;
            }
            match read_answer(&mut stream, &mut pending).await {
                Some(answer) => {
                    answers += 1;
                    if answer.contains("connection: close") {
                        // The server closes after this answer.
                        assert!(read_answer(&mut stream, &mut pending).await.is_none());
                        break;
                    }
                }
                None => break,
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let lived = started.elapsed();
        eprintln!("the connection lived {lived:?}, {answers} answers");
        assert!(
            lived < Duration::from_secs(3),
            "{lived:?}, {answers} answers"
        );
        assert!(answers >= 1);
        stop.send(()).unwrap();
        server.await.unwrap();
    }
}
