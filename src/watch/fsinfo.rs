//! Which filesystems inotify cannot see changes on.
//!
//! inotify reports what the local kernel does to a file. On network and userspace filesystems
//! (NFS, SMB/CIFS, 9p as used by WSL 2's DrvFS and VM shares, FUSE such as sshfs) changes made
//! by another machine or by the host never pass through the local kernel, so the watcher polls
//! there instead. The filesystem is recognised by `statfs`'s `f_type` magic number.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// `f_type` magic numbers of filesystems where inotify misses changes, with their names.
const BLIND: &[(i64, &str)] = &[
    (0x0102_1997, "9p"),
    (0x6969, "NFS"),
    (0x517B, "SMB"),
    (0xFF53_4D42, "CIFS"),
    (0xFE53_4D42, "SMB2"),
    (0x6573_5546, "FUSE"),
    (0x0BD0_0BD0, "Lustre"),
    (0x5346_414F, "AFS"),
    (0x6B41_4653, "kAFS"),
    (0x0122_0A29, "GPFS"),
    (0x4750_4653, "GPFS"),
    (0x0053_464B, "VirtualBox shared folder"),
    (0x786F_4256, "VirtualBox shared folder"),
];

/// The name of `path`'s filesystem when inotify cannot be trusted on it, else `None` (also when
/// `statfs` fails: then inotify is tried and its own errors speak).
#[must_use]
pub fn inotify_blind(path: &Path) -> Option<&'static str> {
    let c = CString::new(path.as_os_str().as_bytes()).ok()?;
    // SAFETY: statfs fills the zeroed struct; the path is NUL-terminated.
    let mut buf: libc::statfs = unsafe { std::mem::zeroed() };
    // SAFETY: valid pointers for the duration of the call.
    if unsafe { libc::statfs(c.as_ptr(), &raw mut buf) } != 0 {
        return None;
    }
    #[allow(clippy::useless_conversion)]
    let magic = i64::from(buf.f_type) & 0xFFFF_FFFF;
    BLIND.iter().find(|(m, _)| *m == magic).map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    #[test]
    fn local_temp_dirs_are_not_blind() {
        let tmp = tempfile::tempdir().unwrap();
        // The test machine's temp dir is a local filesystem (tmpfs, ext4, overlay...).
        let found = super::inotify_blind(tmp.path());
        assert!(found.is_none() || found == Some("FUSE"), "{found:?}");
    }
}
