//! A dependent of the core for wasm32: its own allocator (a bump arena), its own panic handler,
//! and one export, `dependent_signature_len`, that signs a request with the core.
#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

use ncloud_redis_flush::{sign_request, SignRequest, Timestamp};

/// Signs the API page's example request and returns the signature's length (44), or 0 on error.
#[no_mangle]
pub extern "C" fn dependent_signature_len() -> usize {
    let Ok(timestamp) = Timestamp::from_millis(1546221796556) else {
        return 0;
    };
    sign_request(&SignRequest {
        method: "GET",
        url: "/clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=882689&responseFormatType=json",
        timestamp,
        access_key: "Y0Z9EG0lKoeWAQCSHRtM",
        secret_key: "TESTSECRETKEY0123456789abcdefghijklmnopq",
        api_key: None,
        signature_version: Default::default(),
    })
    .map_or(0, |signed| signed.signature.len())
}

#[cfg(target_arch = "wasm32")]
mod runtime {
    use core::alloc::{GlobalAlloc, Layout};
    use core::cell::UnsafeCell;
    use core::sync::atomic::{AtomicUsize, Ordering};

    const ARENA_BYTES: usize = 1 << 20;

    struct Arena(UnsafeCell<[u8; ARENA_BYTES]>);
    // WebAssembly here is single-threaded; the offset is atomic all the same.
    unsafe impl Sync for Arena {}

    static ARENA: Arena = Arena(UnsafeCell::new([0; ARENA_BYTES]));

    /// Hands out the arena front to back and never frees: enough for a test.
    struct Bump(AtomicUsize);

    unsafe impl GlobalAlloc for Bump {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            let base = ARENA.0.get() as usize;
            let mut offset = self.0.load(Ordering::Relaxed);
            loop {
                let start = (base + offset).next_multiple_of(layout.align()) - base;
                let end = start + layout.size();
                if end > ARENA_BYTES {
                    return core::ptr::null_mut();
                }
                match self
                    .0
                    .compare_exchange(offset, end, Ordering::Relaxed, Ordering::Relaxed)
                {
                    Ok(_) => return (base + start) as *mut u8,
                    Err(now) => offset = now,
                }
            }
        }

        unsafe fn dealloc(&self, _: *mut u8, _: Layout) {}
    }

    #[global_allocator]
    static ALLOCATOR: Bump = Bump(AtomicUsize::new(0));

    #[panic_handler]
    fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
        core::arch::wasm32::unreachable()
    }
}
