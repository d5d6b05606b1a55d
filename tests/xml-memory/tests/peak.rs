//! What the XML reader allocates, measured with a counting global allocator: its peak, per byte
//! of the body, on the shapes that cost the most per byte (many small elements), at 1 MB and
//! 10 MB. The peak must stay within 4 bytes per byte of the body and grow linearly with it.
//!
//! A reallocation is counted as if the block moved (the old and the new block both live, as
//! when the WebAssembly module's allocator cannot grow a block in place): the peak is an upper
//! bound of what the module's memory grows by.
//!
//! `cargo test --release -p ncloud-redis-flush-xml-memory -- --ignored --nocapture` prints the reader's speed on
//! the same shapes and on the fixtures.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use ncloud_redis_flush::parse::{parse_flush_response_json, parse_xml_and_drop, MAX_DEPTH};
use ncloud_redis_flush::ParseOptions;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::Mutex;

/// The system allocator, counting the bytes live and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// One measurement at a time (the tests of this file run on threads of their own).
static MEASURING: Mutex<()> = Mutex::new(());

fn grow(by: usize) {
    let live = LIVE.fetch_add(by, Relaxed) + by;
    PEAK.fetch_max(live, Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        grow(new_size);
        LIVE.fetch_sub(layout.size(), Relaxed);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The peak of the bytes allocated while `f` runs, above what was live before.
fn peak_of<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let before = LIVE.load(Relaxed);
    PEAK.store(before, Relaxed);
    let out = f();
    (PEAK.load(Relaxed) - before, out)
}

/// `head` + `item` × n + `tail`, about `size` bytes.
fn shape(head: &str, item: &str, tail: &str, size: usize) -> String {
    let n = (size - head.len() - tail.len()) / item.len();
    let mut body = String::with_capacity(head.len() + n * item.len() + tail.len());
    body.push_str(head);
    for _ in 0..n {
        body.push_str(item);
    }
    body.push_str(tail);
    body
}

/// The shapes measured: an unknown member with many siblings in it, and many empty instances.
fn shapes(size: usize) -> [(&'static str, String); 2] {
    [
        (
            "unknown member, many children",
            shape(
                "<flushCloudDBInstanceResponse><x>",
                "<y><z><w/></z></y>",
                "</x></flushCloudDBInstanceResponse>",
                size,
            ),
        ),
        (
            "empty instances",
            shape(
                "<flushCloudDBInstanceResponse><returnCode>0</returnCode><returnMessage>success</returnMessage><cloudDBInstanceList>",
                "<c/>",
                "</cloudDBInstanceList></flushCloudDBInstanceResponse>",
                size,
            ),
        ),
    ]
}

/// The roots the module keeps the contents of (src/parse/mod.rs, `answer`).
const ROOTS: [&str; 3] = ["flushCloudDBInstanceResponse", "responseError", "error"];

#[test]
fn the_tree_stays_within_four_bytes_per_byte_of_the_body_and_linear() {
    let _one = MEASURING.lock().unwrap();
    let mut failed = Vec::new();
    for (what, small) in shapes(1 << 20) {
        let large = shapes(10 << 20)
            .into_iter()
            .find(|(w, _)| *w == what)
            .unwrap()
            .1;
        let mut ratios = Vec::new();
        for body in [&small, &large] {
            let (peak, read) = peak_of(|| parse_xml_and_drop(body, MAX_DEPTH, &ROOTS));
            read.unwrap();
            let ratio = peak as f64 / body.len() as f64;
            let (whole, _) = peak_of(|| parse_flush_response_json(body, &ParseOptions::default()));
            println!(
                "{what}, {} bytes: the reader's peak {peak} B ({ratio:.2} per byte); \
                 the whole parse's {whole} B ({:.2} per byte)",
                body.len(),
                whole as f64 / body.len() as f64
            );
            ratios.push(ratio);
        }
        // Within 4 bytes per byte; linear: the larger body costs no more per byte than the
        // smaller one (within 10 %).
        if ratios.iter().any(|&r| r > 4.0) || ratios[1] > ratios[0] * 1.1 {
            failed.push(format!("{what}: {ratios:?} bytes per byte"));
        }
    }
    assert!(failed.is_empty(), "{failed:?}");
}

/// The reader's speed (natively): MB/s on each shape and on the fixtures, best of a few runs.
#[test]
#[ignore = "a measurement: run with --release --ignored --nocapture"]
#[allow(clippy::disallowed_methods)]
fn speed() {
    let _one = MEASURING.lock().unwrap();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures");
    let mut bodies: Vec<(String, String)> = shapes(10 << 20)
        .into_iter()
        .map(|(w, b)| (w.to_owned(), b))
        .collect();
    let answer = std::fs::read_to_string(format!("{dir}/flush-response.xml")).unwrap();
    // The answer's instance repeated to about 10 MB: an answer as the API sends it, only longer.
    let (head, rest) = answer.split_once("<cloudDBInstance>").unwrap();
    let (instance, tail) = rest.split_once("</cloudDBInstance>").unwrap();
    let item = format!("<cloudDBInstance>{instance}</cloudDBInstance>");
    bodies.push((
        "flush-response.xml's instance × n".to_owned(),
        shape(head, &item, tail, 10 << 20),
    ));
    bodies.push(("flush-response.xml".to_owned(), answer));
    for (what, body) in &bodies {
        let runs = if body.len() > 1 << 20 { 5 } else { 20_000 };
        let mut best = f64::MAX;
        for _ in 0..5 {
            let start = std::time::Instant::now();
            for _ in 0..runs {
                parse_xml_and_drop(std::hint::black_box(body), MAX_DEPTH, &ROOTS).unwrap();
            }
            best = best.min(start.elapsed().as_secs_f64() / runs as f64);
        }
        println!(
            "{what}: {:.1} MB/s ({} bytes, {:.1} µs a parse)",
            body.len() as f64 / best / 1e6,
            body.len(),
            best * 1e6
        );
    }
}
