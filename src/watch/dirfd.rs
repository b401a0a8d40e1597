//! The few `*at` calls the poller makes, relative to an open directory descriptor.
//!
//! Polling cost is the kernel's cost per `stat`: a lookup of one name under an open directory is
//! about half the price of walking a full path, and needs no path to be built. Listings use the
//! same descriptor, so a pass allocates nothing per entry.

use std::ffi::CStr;
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// The stat data a pass compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Meta {
    /// Size in bytes (0 for a directory, whose size is filesystem noise).
    pub size: u64,
    /// Modification time, ns since the epoch.
    pub mtime_ns: i64,
    /// Status change time, ns since the epoch.
    pub ctime_ns: i64,
    /// Inode number.
    pub ino: u64,
    /// A directory (symlinks are never followed, so a link to one is not).
    pub is_dir: bool,
}

impl Meta {
    fn from_stat(st: &libc::stat) -> Self {
        let is_dir = st.st_mode & libc::S_IFMT == libc::S_IFDIR;
        Self {
            size: if is_dir { 0 } else { st.st_size as u64 },
            mtime_ns: st.st_mtime * 1_000_000_000 + st.st_mtime_nsec,
            ctime_ns: st.st_ctime * 1_000_000_000 + st.st_ctime_nsec,
            ino: st.st_ino,
            is_dir,
        }
    }
}

/// Opens a root directory (a symlink given as the root is followed).
pub(super) fn open_root(path: &Path) -> io::Result<OwnedFd> {
    let c = std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    open(libc::AT_FDCWD, &c, 0)
}

/// Opens the directory `name` under `dir`, never through a symlink.
pub(super) fn open_dir_at(dir: BorrowedFd<'_>, name: &CStr) -> io::Result<OwnedFd> {
    open(dir.as_raw_fd(), name, libc::O_NOFOLLOW)
}

fn open(dir: libc::c_int, name: &CStr, flags: libc::c_int) -> io::Result<OwnedFd> {
    let flags = flags | libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC;
    // SAFETY: NUL-terminated name valid for the call; the result is a fresh descriptor.
    let fd = unsafe { libc::openat(dir, name.as_ptr(), flags) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` was just opened and is owned by nobody else.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// `lstat` of `name` under `dir`.
pub(super) fn stat_at(dir: BorrowedFd<'_>, name: &CStr) -> io::Result<Meta> {
    let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
    // SAFETY: valid descriptor, NUL-terminated name, and room for one `stat`.
    let rc = unsafe {
        libc::fstatat(dir.as_raw_fd(), name.as_ptr(), st.as_mut_ptr(), libc::AT_SYMLINK_NOFOLLOW)
    };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: fstatat filled it in.
    Ok(Meta::from_stat(unsafe { st.assume_init_ref() }))
}

/// `fstat` of an open descriptor.
pub(super) fn stat_fd(fd: BorrowedFd<'_>) -> io::Result<Meta> {
    let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
    // SAFETY: valid descriptor and room for one `stat`.
    if unsafe { libc::fstat(fd.as_raw_fd(), st.as_mut_ptr()) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: fstat filled it in.
    Ok(Meta::from_stat(unsafe { st.assume_init_ref() }))
}

/// The names of one directory listing, NUL-terminated in one buffer, sorted by their bytes.
/// Reused from listing to listing.
#[derive(Debug, Default)]
pub(super) struct Names {
    bytes: Vec<u8>,
    /// Start and length (without the NUL) of each name in `bytes`.
    spans: Vec<(u32, u32)>,
}

impl Names {
    /// How many names.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// The `i`th name, in byte order.
    pub fn get(&self, i: usize) -> &CStr {
        let (at, len) = self.spans[i];
        let (at, len) = (at as usize, len as usize);
        // The NUL after each name was written by `list`, and names hold no NUL.
        CStr::from_bytes_with_nul(&self.bytes[at..=at + len]).unwrap_or_default()
    }

    /// Replaces the names by those of directory `dir` ("." and ".." left out).
    pub fn list(&mut self, dir: BorrowedFd<'_>) -> io::Result<()> {
        self.bytes.clear();
        self.spans.clear();
        // A duplicate, because closedir closes the descriptor it was given.
        // SAFETY: plain syscall on a valid descriptor.
        let fd = unsafe { libc::fcntl(dir.as_raw_fd(), libc::F_DUPFD_CLOEXEC, 0) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` is ours; on success the stream owns it.
        let dp = unsafe { libc::fdopendir(fd) };
        if dp.is_null() {
            let err = io::Error::last_os_error();
            // SAFETY: the stream did not take it.
            unsafe { libc::close(fd) };
            return Err(err);
        }
        let mut result = Ok(());
        loop {
            // SAFETY: errno is thread-local; zero it to tell the end from an error.
            unsafe { *libc::__errno_location() = 0 };
            // SAFETY: `dp` is a valid stream until closedir below.
            let ent = unsafe { libc::readdir(dp) };
            if ent.is_null() {
                let err = io::Error::last_os_error();
                if err.raw_os_error().is_some_and(|e| e != 0) {
                    result = Err(err);
                }
                break;
            }
            // SAFETY: readdir returns a NUL-terminated name valid until the next call.
            let name = unsafe { CStr::from_ptr((*ent).d_name.as_ptr()) }.to_bytes();
            if name == b"." || name == b".." {
                continue;
            }
            self.spans.push((self.bytes.len() as u32, name.len() as u32));
            self.bytes.extend_from_slice(name);
            self.bytes.push(0);
        }
        // SAFETY: closes the stream and its descriptor once.
        unsafe { libc::closedir(dp) };
        let bytes = &self.bytes;
        let name = |&(at, len): &(u32, u32)| &bytes[at as usize..(at + len) as usize];
        self.spans.sort_unstable_by(|a, b| name(a).cmp(name(b)));
        result
    }
}
