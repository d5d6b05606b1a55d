//! The HTTP/1.1 server loop: accepting within `max_connections`, hyper with a header read
//! timeout and a header size limit, a gentle close that lets clients read refusals, and a bounded
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
//! - at most `max_connections` connections are served at once; the others wait in the kernel's
//!   listen backlog and hold no file descriptor of the gateway's;
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
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::{poll_fn, Future};
use std::io;
use std::net::SocketAddr;
use std::pin::{pin, Pin};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt as _;

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
    let linger = Duration::from_secs(c.request_timeout_secs);
    let longest_request = Duration::from_secs(c.header_read_timeout_secs + c.request_timeout_secs)
        + Duration::from_millis(c.redis_connect_timeout_ms + c.redis_command_timeout_ms);
    let slots = Arc::new(Semaphore::new(c.max_connections));
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
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        // Boxed, so that the connection is `Unpin` and can hand its socket back when done.
        let service = service_fn(move |request: hyper::Request<Incoming>| {
            let mut request = request.map(Body::new);
            request.extensions_mut().insert(ConnectInfo(remote));
            Box::pin(router.clone().oneshot(request))
        });
        let connection = http.serve_connection(TokioIo::new(stream), service);
        let stopping = stopping.clone();
        tokio::spawn(async move {
            serve_connection(connection, stopping, linger).await;
            drop(slot);
        });
    }
    drop(listener);
    drop(stopping);
    let _ = stop.send(());
    let _ = tokio::time::timeout(longest_request, stop.closed()).await;
}

/// Runs one connection to its end, then closes it gently (unless the client was too slow).
async fn serve_connection<S>(
    mut connection: http1::Connection<TokioIo<TcpStream>, S>,
    mut stopping: watch::Receiver<()>,
    linger: Duration,
) where
    S: hyper::service::HttpService<Incoming, ResBody = Body> + Unpin,
    S::Future: Unpin,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let mut asked_to_stop = false;
    let outcome = loop {
        tokio::select! {
            outcome = poll_fn(|cx| connection.poll_without_shutdown(cx)) => break outcome,
            _ = stopping.changed(), if !asked_to_stop => asked_to_stop = true,
        }
        // Asked to stop: finish the request in flight, if any, then end (keep-alive off).
        Pin::new(&mut connection).graceful_shutdown();
    };
    // Errors are the client's (gone, malformed): nothing to report. A client that was too slow
    // to send its headers gets no more time, nor does any when the gateway is stopping.
    if asked_to_stop || outcome.as_ref().is_err_and(|e| e.is_timeout()) {
        return;
    }
    // Its answers are out: a shutdown need not wait for the close.
    drop(stopping);
    close_gently(connection.into_parts().io.into_inner(), linger).await;
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
}
