//! One tracking run at a time per store: an advisory `flock` on `.obby/track.lock`, taken before
//! the stat cache is loaded, so a second run waits and then sees everything the first recorded
//! (instead of recording the same changes again from a stale cache). The wait is bounded by the
//! store connection's busy timeout; the kernel drops the lock when a process dies, `kill -9`
//! included.

use std::fs::File;
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

use super::TrackError;
use crate::store::Store;

/// The held lock; released on drop.
pub(super) struct TrackLock {
    file: File,
}

impl TrackLock {
    pub(super) fn acquire(store: &Store) -> Result<Self, TrackError> {
        let path = store.location().dir.join("track.lock");
        let err = |source| TrackError::Lock { path: path.clone(), source };
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(err)?;
        let timeout_ms: i64 =
            store.conn().pragma_query_value(None, "busy_timeout", |r| r.get(0)).unwrap_or(60_000);
        let deadline =
            Instant::now() + Duration::from_millis(u64::try_from(timeout_ms).unwrap_or(0));
        loop {
            // SAFETY: flock on a descriptor this function owns; no memory is passed.
            let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
            if rc == 0 {
                return Ok(Self { file });
            }
            let e = std::io::Error::last_os_error();
            if e.kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            if e.kind() != std::io::ErrorKind::WouldBlock {
                return Err(err(e));
            }
            if Instant::now() >= deadline {
                return Err(err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "another obby process is tracking this store (raise `store.busy_timeout` to wait longer)",
                )));
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for TrackLock {
    fn drop(&mut self) {
        // SAFETY: as above; unlocking a descriptor we own.
        unsafe {
            libc::flock(self.file.as_raw_fd(), libc::LOCK_UN);
        }
    }
}
