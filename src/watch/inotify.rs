//! The raw inotify instance and the reader thread that drains it.
//!
//! The reader thread does one thing: wait for the descriptor to be readable, `read()` as many
//! events as the kernel has (256 KiB at a time), parse them and send them, one `Vec` per read,
//! into an unbounded channel. It never waits on the consumer, so the kernel queue
//! (`fs.inotify.max_queued_events`, 16,384 by default) is emptied as fast as the kernel fills it
//! and bursts are held in user memory instead of overflowing. Watches are added and removed from
//! the consumer's thread on the same descriptor, which the kernel allows.

use std::ffi::CString;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

use crossbeam_channel::Sender;

/// The events a directory watch asks for.
pub const DIR_MASK: u32 = libc::IN_CREATE
    | libc::IN_DELETE
    | libc::IN_MODIFY
    | libc::IN_ATTRIB
    | libc::IN_MOVED_FROM
    | libc::IN_MOVED_TO
    | libc::IN_DELETE_SELF
    | libc::IN_MOVE_SELF
    | libc::IN_ONLYDIR
    | libc::IN_DONT_FOLLOW
    | libc::IN_EXCL_UNLINK;

/// One event as the kernel wrote it.
#[derive(Clone, Debug)]
pub struct RawEvent {
    /// Watch descriptor (-1 for a queue overflow).
    pub wd: i32,
    /// `IN_*` bits.
    pub mask: u32,
    /// Pairs `IN_MOVED_FROM` with `IN_MOVED_TO`.
    pub cookie: u32,
    /// Name inside the watched directory (empty for events on the directory itself).
    pub name: Box<[u8]>,
}

/// An inotify instance.
#[derive(Debug)]
pub struct Inotify {
    fd: Arc<OwnedFd>,
}

impl Inotify {
    /// Makes a non-blocking, close-on-exec instance.
    pub fn new() -> io::Result<Self> {
        // SAFETY: plain syscall; the returned descriptor is owned by us alone.
        let fd = unsafe { libc::inotify_init1(libc::IN_NONBLOCK | libc::IN_CLOEXEC) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` is a fresh descriptor nobody else owns.
        Ok(Self { fd: Arc::new(unsafe { OwnedFd::from_raw_fd(fd) }) })
    }

    /// Watches a directory; returns the watch descriptor.
    pub fn add_watch(&self, path: &Path, mask: u32) -> io::Result<i32> {
        let c = CString::new(path.as_os_str().as_bytes())
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
        // SAFETY: valid descriptor and NUL-terminated string for the duration of the call.
        let wd = unsafe { libc::inotify_add_watch(self.fd.as_raw_fd(), c.as_ptr(), mask) };
        if wd < 0 { Err(io::Error::last_os_error()) } else { Ok(wd) }
    }

    /// Removes a watch (errors are ignored: the watch may already be gone).
    pub fn rm_watch(&self, wd: i32) {
        // SAFETY: plain syscall on our descriptor.
        unsafe {
            libc::inotify_rm_watch(self.fd.as_raw_fd(), wd);
        }
    }

    /// Bytes of events waiting in the kernel queue (`FIONREAD`); 0 when it cannot be asked.
    pub fn queued_bytes(&self) -> usize {
        let mut n: libc::c_int = 0;
        // SAFETY: FIONREAD writes one int.
        let rc = unsafe { libc::ioctl(self.fd.as_raw_fd(), libc::FIONREAD, &raw mut n) };
        if rc == 0 { usize::try_from(n).unwrap_or(0) } else { 0 }
    }

    /// Starts the reader thread; it stops when `stop` is set or the receiver is dropped.
    pub fn spawn_reader<T: Send + 'static>(
        &self,
        tx: Sender<T>,
        wrap: fn(Vec<RawEvent>) -> T,
        stop: Arc<AtomicBool>,
    ) -> io::Result<JoinHandle<()>> {
        let fd = Arc::clone(&self.fd);
        std::thread::Builder::new().name("obby-inotify".into()).spawn(move || {
            // u64 storage keeps the buffer aligned for `inotify_event`.
            let mut buf = vec![0u64; 32 * 1024];
            while !stop.load(Ordering::Relaxed) {
                let mut pfd = libc::pollfd { fd: fd.as_raw_fd(), events: libc::POLLIN, revents: 0 };
                // SAFETY: one valid pollfd.
                let ready = unsafe { libc::poll(&raw mut pfd, 1, 200) };
                if ready <= 0 {
                    continue;
                }
                loop {
                    let len = buf.len() * 8;
                    // SAFETY: the buffer is valid for `len` bytes.
                    let n = unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), len) };
                    if n <= 0 {
                        break;
                    }
                    // SAFETY: u64 -> u8 view of the bytes just written.
                    let bytes = unsafe {
                        std::slice::from_raw_parts(buf.as_ptr().cast::<u8>(), n as usize)
                    };
                    if tx.send(wrap(parse(bytes))).is_err() {
                        return;
                    }
                }
            }
        })
    }
}

/// Parses the bytes of one `read()`.
fn parse(bytes: &[u8]) -> Vec<RawEvent> {
    const HEADER: usize = std::mem::size_of::<libc::inotify_event>();
    let mut out = Vec::with_capacity(bytes.len() / (HEADER + 16));
    let mut at = 0;
    while at + HEADER <= bytes.len() {
        let field = |off: usize| {
            let mut b = [0u8; 4];
            b.copy_from_slice(&bytes[at + off..at + off + 4]);
            b
        };
        let wd = i32::from_ne_bytes(field(0));
        let mask = u32::from_ne_bytes(field(4));
        let cookie = u32::from_ne_bytes(field(8));
        let len = u32::from_ne_bytes(field(12)) as usize;
        let end = (at + HEADER + len).min(bytes.len());
        let raw_name = &bytes[at + HEADER..end];
        let name_len = raw_name.iter().position(|&b| b == 0).unwrap_or(raw_name.len());
        out.push(RawEvent { wd, mask, cookie, name: raw_name[..name_len].into() });
        at = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reader_delivers_creates_in_order() {
        let tmp = tempfile::tempdir().unwrap();
        let ino = Inotify::new().unwrap();
        let wd = ino.add_watch(tmp.path(), DIR_MASK).unwrap();
        let (tx, rx) = crossbeam_channel::unbounded();
        let stop = Arc::new(AtomicBool::new(false));
        let handle = ino.spawn_reader(tx, |v| v, Arc::clone(&stop)).unwrap();
        for i in 0..50 {
            std::fs::write(tmp.path().join(format!("f{i}")), b"x").unwrap();
        }
        let mut names = Vec::new();
        while names.len() < 50 {
            for ev in rx.recv_timeout(std::time::Duration::from_secs(5)).unwrap() {
                assert_eq!(ev.wd, wd);
                if ev.mask & libc::IN_CREATE != 0 {
                    names.push(String::from_utf8(ev.name.to_vec()).unwrap());
                }
            }
        }
        assert_eq!(names[0], "f0");
        assert_eq!(names[49], "f49");
        stop.store(true, Ordering::Relaxed);
        handle.join().unwrap();
    }
}
