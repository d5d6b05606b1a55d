//! Request ids: `requestId` in every success answer, shaped like a UUID (version 4).

use crate::time;
use std::sync::atomic::{AtomicU64, Ordering};

/// A per-process source of distinct request ids.
pub(crate) struct RequestIds {
    count: AtomicU64,
    seed: u64,
}

impl RequestIds {
    /// A source seeded from the standard library's random hasher keys and the clock.
    pub(crate) fn new() -> Self {
        let seed = {
            use std::hash::{BuildHasher, Hasher};
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u64(time::now_ms());
            h.finish()
        };
        RequestIds {
            count: AtomicU64::new(0),
            seed,
        }
    }

    /// A fresh request id.
    pub(crate) fn next(&self) -> String {
        let n = self.count.fetch_add(1, Ordering::Relaxed);
        let a = self.seed ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let b = time::now_ms().rotate_left(17) ^ self.seed.rotate_left(29) ^ n;
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            ((b >> 48) & 0x3fff) | 0x8000,
            b & 0xffff_ffff_ffff
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_uuid_v4_shaped() {
        let ids = RequestIds::new();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..10_000 {
            let id = ids.next();
            let parts: Vec<&str> = id.split('-').collect();
            let lens: Vec<usize> = parts.iter().map(|p| p.len()).collect();
            assert_eq!(lens, [8, 4, 4, 4, 12], "{id}");
            assert!(
                id.chars().all(|c| c == '-' || c.is_ascii_hexdigit()),
                "{id}"
            );
            assert!(parts[2].starts_with('4'), "{id}");
            assert!(
                matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'),
                "{id}"
            );
            assert!(seen.insert(id));
        }
    }
}
