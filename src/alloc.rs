//! The binary's memory allocator: small blocks from mimalloc, the rest from the system's.
//!
//! With glibc's allocator alone, an unchanged `obby track` of 20,000 files took 110 ms once the
//! stat cache was loaded on one thread while others walked the tree, against 92 ms one after
//! the other: the loading thread's 17 ms query took 60 ms, waiting in the kernel, as glibc grows
//! its per-thread heaps under the process's memory-map lock, which page faults need too.
//! mimalloc keeps small blocks in per-thread pages, and the overlapped run took 57 ms. Alone,
//! though, it kept freed buffers (file contents, read chunks) mapped: a first track peaked at
//! 140 MB instead of 46. So blocks of [`LARGE`] bytes and more go to the system allocator,
//! which returns them, and mimalloc is built without transparent huge pages (its `no_thp`
//! feature), which otherwise round its small pages up to 2 MiB of resident memory: 53 MB → 46.
//! It is mimalloc 2 (its `v2` feature): version 3 added 0.3 ms to every process start
//! (2.6 → 3.0 ms for `obby --version`), which short commands such as `deps audit` feel.
//!
//! The price: a short run that makes many small blocks once pays for mimalloc laying out fresh
//! pages; `deps audit --json` of a 600-package lockfile takes about 0.4 ms more (6.0 → 6.4 ms,
//! hyperfine, 100 runs). `search` measured the same either way.

use std::alloc::{GlobalAlloc, Layout, System};

use mimalloc::MiMalloc;

/// Blocks at least this large come from the system allocator: paths, names, hashes and tree
/// nodes stay under it; file contents and I/O buffers mostly do not.
pub const LARGE: usize = 4 * 1024;

/// The allocator; `src/bin/obby.rs` installs it with `#[global_allocator]`.
pub struct Allocator;

fn large(layout: Layout) -> bool {
    layout.size() >= LARGE
}

// SAFETY: every block is freed (or resized) by the allocator that made it, which the layout
// tells apart: `dealloc` and `realloc` get the layout the block was allocated with, and a
// `realloc` that crosses `LARGE` moves the block between the two by allocate, copy, free.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract (a non-zero size) is passed on unchanged.
        unsafe { if large(layout) { System.alloc(layout) } else { MiMalloc.alloc(layout) } }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `alloc`.
        unsafe {
            if large(layout) { System.alloc_zeroed(layout) } else { MiMalloc.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from the same side, chosen by the same layout.
        unsafe {
            if large(layout) { System.dealloc(ptr, layout) } else { MiMalloc.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees a valid `new_size` for `layout.align()`.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        match (large(layout), large(new_layout)) {
            // SAFETY: same side for both: that allocator's own `realloc` contract holds.
            (true, true) => unsafe { System.realloc(ptr, layout, new_size) },
            (false, false) => unsafe { MiMalloc.realloc(ptr, layout, new_size) },
            _ => {
                // SAFETY: `new_layout` has a non-zero size (the caller's contract); the copy
                // stays within both blocks, which do not overlap; `ptr` is freed by its side.
                unsafe {
                    let new = self.alloc(new_layout);
                    if !new.is_null() {
                        std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                        self.dealloc(ptr, layout);
                    }
                    new
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_keep_their_bytes_when_they_grow_and_shrink_across_the_threshold() {
        let a = Allocator;
        for align in [1, 8, 64, 4096] {
            let small = Layout::from_size_align(1000, align).unwrap();
            // SAFETY: non-zero sizes; each block is freed once with its current layout.
            unsafe {
                let p = a.alloc(small);
                assert!(!p.is_null());
                for i in 0..1000 {
                    *p.add(i) = (i % 251) as u8;
                }
                // Small -> large: moved to the system allocator.
                let p = a.realloc(p, small, LARGE * 3);
                assert!(!p.is_null() && (p as usize).is_multiple_of(align));
                assert!((0..1000).all(|i| *p.add(i) == (i % 251) as u8));
                let big = Layout::from_size_align(LARGE * 3, align).unwrap();
                // Large -> large, then large -> small: back to mimalloc.
                let p = a.realloc(p, big, LARGE * 5);
                let bigger = Layout::from_size_align(LARGE * 5, align).unwrap();
                let p = a.realloc(p, bigger, 500);
                assert!(!p.is_null() && (p as usize).is_multiple_of(align));
                assert!((0..500).all(|i| *p.add(i) == (i % 251) as u8));
                a.dealloc(p, Layout::from_size_align(500, align).unwrap());
                let z = a.alloc_zeroed(big);
                assert!((0..LARGE * 3).all(|i| *z.add(i) == 0));
                a.dealloc(z, big);
            }
        }
    }
}
