//! The file-system operations themselves, free of the engine: each takes
//! owned arguments and returns owned results, so it can run on the JS thread
//! (the `*Sync` calls) or on tokio's blocking pool (callbacks and promises).
//! Failures carry the syscall and paths Node names in its messages.

use std::{
    ffi::{CString, OsStr, OsString},
    fs::File,
    io::{self, Read, Write},
    mem::ManuallyDrop,
    os::unix::{
        ffi::{OsStrExt, OsStringExt},
        fs::{DirBuilderExt, FileExt, FileTypeExt, MetadataExt, PermissionsExt},
        io::FromRawFd,
    },
    path::{Path, PathBuf},
    time::SystemTime,
};

/// A failed operation, named as Node names it: `ENOENT: ..., open '/x'`.
pub struct FsError {
    pub err: io::Error,
    pub syscall: &'static str,
    pub path: Option<PathBuf>,
    pub dest: Option<PathBuf>,
    /// For a file too large to read whole: its size (JS makes this Node's
    /// ERR_FS_FILE_TOO_LARGE).
    pub size: Option<u64>,
}

pub type FsResult<T> = Result<T, FsError>;

/// Attaches the syscall and path to an `io::Error`.
pub trait Context<T> {
    fn at(self, syscall: &'static str, path: &Path) -> FsResult<T>;
    fn at2(self, syscall: &'static str, path: &Path, dest: &Path) -> FsResult<T>;
    fn at_fd(self, syscall: &'static str) -> FsResult<T>;
}

impl<T> Context<T> for io::Result<T> {
    fn at(self, syscall: &'static str, path: &Path) -> FsResult<T> {
        self.map_err(|err| FsError { err, syscall, path: Some(path.to_path_buf()), dest: None, size: None })
    }

    fn at2(self, syscall: &'static str, path: &Path, dest: &Path) -> FsResult<T> {
        self.map_err(|err| FsError { err, syscall, path: Some(path.to_path_buf()), dest: Some(dest.to_path_buf()), size: None })
    }

    fn at_fd(self, syscall: &'static str) -> FsResult<T> {
        self.map_err(|err| FsError { err, syscall, path: None, dest: None, size: None })
    }
}

fn errno(code: i32) -> io::Error {
    io::Error::from_raw_os_error(code)
}

fn c_path(path: &Path) -> io::Result<CString> {
    CString::new(path.as_os_str().as_bytes()).map_err(|_| errno(libc::EINVAL))
}

/// Maps a libc return value to `io::Result`.
fn check(ret: libc::c_int) -> io::Result<libc::c_int> {
    if ret < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(ret)
    }
}

/// Borrows a descriptor the JS side owns as a `File`, without closing it.
fn with_fd<R>(fd: i32, f: impl FnOnce(&File) -> io::Result<R>) -> io::Result<R> {
    if fd < 0 {
        return Err(errno(libc::EBADF));
    }
    // SAFETY: the File is never dropped, so the descriptor stays the
    // caller's; invalid descriptors make the syscalls fail with EBADF.
    let file = ManuallyDrop::new(unsafe { File::from_raw_fd(fd) });
    f(&file)
}

pub fn open(path: &Path, flags: i32, mode: u32) -> FsResult<i32> {
    let c = c_path(path).at("open", path)?;
    // SAFETY: open(2) on a NUL-terminated path.
    check(unsafe { libc::open(c.as_ptr(), flags | libc::O_CLOEXEC, mode as libc::c_uint) }).at("open", path)
}

pub fn close(fd: i32) -> FsResult<()> {
    if fd < 0 {
        return Err(errno(libc::EBADF)).at_fd("close");
    }
    // SAFETY: closes a descriptor the JS side asked to close.
    check(unsafe { libc::close(fd) }).map(drop).at_fd("close")
}

/// Runs a system call again while a signal interrupts it.
fn retry_eintr<T>(mut call: impl FnMut() -> io::Result<T>) -> io::Result<T> {
    loop {
        match call() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// An offset such that `offset + len` still fits `off_t`. JS positions
/// arrive as doubles, which can round a valid offset near 2^63 just past it.
fn fit_offset(position: u64, len: usize) -> u64 {
    position.min(i64::MAX as u64 - len as u64)
}

/// Reads up to `buf.len()` bytes at `position` (or the current offset when
/// `None`), retrying on EINTR.
pub fn read_into(fd: i32, buf: &mut [u8], position: Option<u64>) -> FsResult<usize> {
    let position = position.map(|p| fit_offset(p, buf.len()));
    with_fd(fd, |mut file| {
        retry_eintr(|| match position {
            Some(pos) => file.read_at(buf, pos),
            None => file.read(buf),
        })
    })
    .at_fd("read")
}

/// Reads into `buf` (allocated by the caller), truncated to what was read.
pub fn read(fd: i32, mut buf: Vec<u8>, position: Option<u64>) -> FsResult<Vec<u8>> {
    let n = read_into(fd, &mut buf, position)?;
    buf.truncate(n);
    Ok(buf)
}

/// One write(2)/pwrite(2); short writes are the caller's to continue, as in
/// Node's `fs.write`.
pub fn write(fd: i32, data: &[u8], position: Option<u64>) -> FsResult<usize> {
    let position = position.map(|p| fit_offset(p, data.len()));
    with_fd(fd, |mut file| {
        retry_eintr(|| match position {
            Some(pos) => file.write_at(data, pos),
            None => file.write(data),
        })
    })
    .at_fd("write")
}

/// Writes all of `data`, continuing after short writes.
pub fn write_all(fd: i32, mut data: &[u8], mut position: Option<u64>) -> FsResult<usize> {
    let total = data.len();
    while !data.is_empty() {
        let n = write(fd, data, position)?;
        if n == 0 {
            return Err(errno(libc::EIO)).at_fd("write");
        }
        data = &data[n..];
        position = position.map(|p| p + n as u64);
    }
    Ok(total)
}

/// Writes all of `chunks` with writev(2)/pwritev(2), continuing after
/// short writes; returns the total written.
pub fn writev_all(fd: i32, chunks: &[Vec<u8>], mut position: Option<u64>) -> FsResult<usize> {
    let total: usize = chunks.iter().map(Vec::len).sum();
    let (mut index, mut offset, mut done) = (0, 0, 0);
    while done < total {
        while index < chunks.len() && offset == chunks[index].len() {
            index += 1;
            offset = 0;
        }
        let iovecs: Vec<libc::iovec> = chunks[index..]
            .iter()
            .take(1024)
            .enumerate()
            .map(|(i, c)| {
                let start = if i == 0 { offset } else { 0 };
                libc::iovec { iov_base: c[start..].as_ptr() as *mut _, iov_len: c.len() - start }
            })
            .collect();
        // SAFETY: every iovec points into a chunk borrowed for this call.
        let n = unsafe {
            match position {
                Some(pos) => libc::pwritev(fd, iovecs.as_ptr(), iovecs.len() as i32, fit_offset(pos, total - done) as libc::off_t),
                None => libc::writev(fd, iovecs.as_ptr(), iovecs.len() as i32),
            }
        };
        if n < 0 {
            let err = io::Error::last_os_error();
            if err.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(err).at_fd("write");
        }
        if n == 0 {
            return Err(errno(libc::EIO)).at_fd("write");
        }
        let mut left = n as usize;
        done += left;
        position = position.map(|p| p + left as u64);
        while left > 0 {
            let room = chunks[index].len() - offset;
            if left < room {
                offset += left;
                left = 0;
            } else {
                left -= room;
                index += 1;
                offset = 0;
            }
        }
    }
    Ok(total)
}

/// The whole of `fd` from its current offset (or `path`, opened with
/// `flags`), read straight into one vector sized from fstat.
pub fn read_file(target: &Target, flags: i32) -> FsResult<Vec<u8>> {
    let (fd, owned) = match target {
        Target::Fd(fd) => (*fd, false),
        Target::Path(path) => (open(path, flags, 0o666)?, true),
    };
    let result = (|| {
        let size = with_fd(fd, |f| f.metadata()).at_fd("fstat")?;
        if size.is_dir() {
            return Err(errno(libc::EISDIR)).at_fd("read");
        }
        // Node's kIoMaxLength: one Buffer holds at most 2 GiB - 1.
        if size.len() > i32::MAX as u64 {
            return Err(FsError { err: errno(libc::EFBIG), syscall: "read", path: None, dest: None, size: Some(size.len()) });
        }
        let mut buf = Vec::with_capacity(if size.is_file() { size.len() as usize } else { 64 * 1024 });
        with_fd(fd, |mut file| file.read_to_end(&mut buf)).at_fd("read")?;
        Ok(buf)
    })();
    if owned {
        let _ = close(fd);
    }
    result
}

/// Writes all of `data` to `path` (opened with `flags`/`mode`) or to `fd`
/// at its offset. Every short write is continued and every error reported;
/// the descriptor is closed either way.
pub fn write_file(target: &Target, data: &[u8], flags: i32, mode: u32) -> FsResult<()> {
    match target {
        Target::Fd(fd) => write_all(*fd, data, None).map(drop),
        Target::Path(path) => {
            let fd = open(path, flags, mode)?;
            let written = write_all(fd, data, None);
            let closed = close(fd);
            written?;
            closed
        }
    }
}

/// A path or an open descriptor, as `readFile`/`writeFile` accept.
pub enum Target {
    Path(PathBuf),
    Fd(i32),
}

/// `stat(2)` results in the order `fs.js` builds `Stats` from: the ten
/// integer fields, then seconds and nanoseconds of atime, mtime, ctime and
/// birthtime.
pub type StatFields = [f64; 18];

pub fn stat_fields(m: &std::fs::Metadata) -> StatFields {
    let (birth_s, birth_ns) = m
        .created()
        .ok()
        .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map(|d| (d.as_secs() as f64, d.subsec_nanos() as f64))
        .unwrap_or((m.ctime() as f64, m.ctime_nsec() as f64));
    [
        m.dev() as f64,
        m.mode() as f64,
        m.nlink() as f64,
        m.uid() as f64,
        m.gid() as f64,
        m.rdev() as f64,
        m.blksize() as f64,
        m.ino() as f64,
        m.size() as f64,
        m.blocks() as f64,
        m.atime() as f64,
        m.atime_nsec() as f64,
        m.mtime() as f64,
        m.mtime_nsec() as f64,
        m.ctime() as f64,
        m.ctime_nsec() as f64,
        birth_s,
        birth_ns,
    ]
}

pub fn stat(path: &Path) -> FsResult<StatFields> {
    std::fs::metadata(path).map(|m| stat_fields(&m)).at("stat", path)
}

pub fn lstat(path: &Path) -> FsResult<StatFields> {
    std::fs::symlink_metadata(path).map(|m| stat_fields(&m)).at("lstat", path)
}

pub fn fstat(fd: i32) -> FsResult<StatFields> {
    with_fd(fd, |f| f.metadata()).map(|m| stat_fields(&m)).at_fd("fstat")
}

/// `statfs(2)`: type, bsize, blocks, bfree, bavail, files, ffree.
pub fn statfs(path: &Path) -> FsResult<[f64; 7]> {
    let c = c_path(path).at("statfs", path)?;
    // SAFETY: statfs fills the zeroed struct for a NUL-terminated path.
    let mut s: libc::statfs = unsafe { std::mem::zeroed() };
    check(unsafe { libc::statfs(c.as_ptr(), &mut s) }).at("statfs", path)?;
    Ok([
        s.f_type as f64,
        s.f_bsize as f64,
        s.f_blocks as f64,
        s.f_bfree as f64,
        s.f_bavail as f64,
        s.f_files as f64,
        s.f_ffree as f64,
    ])
}

/// libuv's dirent type numbers (`UV_DIRENT_*`), which `Dirent` understands.
fn dirent_type(t: std::fs::FileType) -> u8 {
    if t.is_file() {
        1
    } else if t.is_dir() {
        2
    } else if t.is_symlink() {
        3
    } else if t.is_fifo() {
        4
    } else if t.is_socket() {
        5
    } else if t.is_char_device() {
        6
    } else if t.is_block_device() {
        7
    } else {
        0
    }
}

/// Entry names (raw bytes) and dirent types, in directory order as libuv
/// returns them.
pub fn read_dir(path: &Path) -> FsResult<Vec<(Vec<u8>, u8)>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(path).at("scandir", path)? {
        let entry = entry.at("scandir", path)?;
        let kind = entry.file_type().map(dirent_type).unwrap_or(0);
        out.push((entry.file_name().into_vec(), kind));
    }
    Ok(out)
}

/// `mkdir`; with `recursive`, `mkdir -p` returning the first directory
/// created, as Node does.
pub fn mkdir(path: &Path, recursive: bool, mode: u32) -> FsResult<Option<PathBuf>> {
    if !recursive {
        return std::fs::DirBuilder::new().mode(mode).create(path).map(|_| None).at("mkdir", path);
    }
    let mut missing = Vec::new();
    let mut cursor = Some(path);
    while let Some(p) = cursor.filter(|p| !p.as_os_str().is_empty()) {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => break,
            Ok(_) => return Err(errno(if p == path { libc::EEXIST } else { libc::ENOTDIR })).at("mkdir", path),
            Err(_) => missing.push(p),
        }
        cursor = p.parent();
    }
    let first = missing.last().map(|p| p.to_path_buf());
    for dir in missing.iter().rev() {
        match std::fs::DirBuilder::new().mode(mode).create(dir) {
            Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(e).at("mkdir", path),
            _ => {}
        }
    }
    Ok(first)
}

/// Creates `<prefix>XXXXXX` with a random suffix, as mkdtemp(3) does.
pub fn mkdtemp(prefix: &Path) -> FsResult<PathBuf> {
    let mut template = prefix.as_os_str().as_bytes().to_vec();
    template.extend_from_slice(b"XXXXXX\0");
    // SAFETY: mkdtemp rewrites the X's of a NUL-terminated template in place.
    let ret = unsafe { libc::mkdtemp(template.as_mut_ptr().cast()) };
    let shown = PathBuf::from(OsStr::from_bytes(&template[..template.len() - 1]));
    if ret.is_null() {
        return Err(io::Error::last_os_error()).at("mkdtemp", &shown);
    }
    Ok(shown)
}

/// `rm`: files, and with `recursive` whole trees; `force` ignores missing
/// paths. Busy or not-yet-empty directories are retried `max_retries` times
/// with a linear backoff of `retry_delay` ms, as Node does.
pub fn rm(path: &Path, recursive: bool, force: bool, max_retries: u32, retry_delay: u64) -> FsResult<()> {
    let meta = match std::fs::symlink_metadata(path) {
        Err(e) if force && e.kind() == io::ErrorKind::NotFound => return Ok(()),
        other => other.at("lstat", path)?,
    };
    if !meta.is_dir() {
        return std::fs::remove_file(path).at("rm", path);
    }
    if !recursive {
        return Err(errno(libc::EISDIR)).at("rm", path);
    }
    let mut attempt = 0;
    loop {
        match remove_tree(path) {
            Err(e) if attempt < max_retries && retryable(&e.err) => {
                attempt += 1;
                std::thread::sleep(std::time::Duration::from_millis(retry_delay * attempt as u64));
            }
            other => return other,
        }
    }
}

fn retryable(err: &io::Error) -> bool {
    matches!(err.raw_os_error(), Some(libc::EBUSY | libc::EMFILE | libc::ENFILE | libc::ENOTEMPTY | libc::EPERM))
}

fn remove_tree(path: &Path) -> FsResult<()> {
    for entry in std::fs::read_dir(path).at("scandir", path)? {
        let entry = entry.at("scandir", path)?;
        let child = entry.path();
        if entry.file_type().at("lstat", &child)?.is_dir() {
            remove_tree(&child)?;
        } else {
            std::fs::remove_file(&child).at("rm", &child)?;
        }
    }
    std::fs::remove_dir(path).at("rmdir", path)
}

pub fn copy_file(src: &Path, dest: &Path, mode: u32) -> FsResult<()> {
    const COPYFILE_EXCL: u32 = 1;
    const COPYFILE_FICLONE_FORCE: u32 = 4;
    if mode & COPYFILE_FICLONE_FORCE != 0 {
        return Err(errno(libc::ENOSYS)).at2("copyfile", src, dest);
    }
    let meta = std::fs::metadata(src).at2("copyfile", src, dest)?;
    if meta.is_dir() {
        return Err(errno(libc::EISDIR)).at2("copyfile", src, dest);
    }
    if mode & COPYFILE_EXCL != 0 && std::fs::symlink_metadata(dest).is_ok() {
        return Err(errno(libc::EEXIST)).at2("copyfile", src, dest);
    }
    std::fs::copy(src, dest).map(drop).at2("copyfile", src, dest)
}

pub fn symlink(target: &Path, path: &Path) -> FsResult<()> {
    std::os::unix::fs::symlink(target, path).at2("symlink", target, path)
}

pub fn readlink(path: &Path) -> FsResult<PathBuf> {
    std::fs::read_link(path).at("readlink", path)
}

/// `realpath(3)` (`realpath.native`), or with `as_lstat` the error Node's
/// JS `realpath` gives: `lstat` on the first component that fails.
pub fn realpath(path: &Path, as_lstat: bool) -> FsResult<PathBuf> {
    match std::fs::canonicalize(path) {
        Ok(p) => Ok(p),
        Err(e) if !as_lstat => Err(e).at("realpath", path),
        Err(e) => {
            let mut prefix = PathBuf::new();
            for part in path.components() {
                prefix.push(part);
                if let Err(err) = std::fs::symlink_metadata(&prefix) {
                    return Err(err).at("lstat", &prefix);
                }
            }
            Err(e).at("lstat", path)
        }
    }
}

pub fn chmod(path: &Path, mode: u32) -> FsResult<()> {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).at("chmod", path)
}

pub fn fchmod(fd: i32, mode: u32) -> FsResult<()> {
    with_fd(fd, |f| f.set_permissions(std::fs::Permissions::from_mode(mode))).at_fd("fchmod")
}

pub fn chown(path: &Path, uid: u32, gid: u32, follow: bool) -> FsResult<()> {
    let c = c_path(path).at("chown", path)?;
    // SAFETY: (l)chown on a NUL-terminated path.
    let ret = unsafe { if follow { libc::chown(c.as_ptr(), uid, gid) } else { libc::lchown(c.as_ptr(), uid, gid) } };
    check(ret).map(drop).at(if follow { "chown" } else { "lchown" }, path)
}

pub fn fchown(fd: i32, uid: u32, gid: u32) -> FsResult<()> {
    // SAFETY: fchown on a descriptor; bad ones fail with EBADF.
    check(unsafe { libc::fchown(fd, uid, gid) }).map(drop).at_fd("fchown")
}

fn timespec(seconds: f64) -> libc::timespec {
    let secs = seconds.floor();
    libc::timespec { tv_sec: secs as libc::time_t, tv_nsec: ((seconds - secs) * 1e9) as libc::c_long }
}

/// `utimes`/`lutimes` (times in seconds, as Node passes them).
pub fn utimes(path: &Path, atime: f64, mtime: f64, follow: bool) -> FsResult<()> {
    let syscall = if follow { "utime" } else { "lutime" };
    let c = c_path(path).at(syscall, path)?;
    let times = [timespec(atime), timespec(mtime)];
    let flags = if follow { 0 } else { libc::AT_SYMLINK_NOFOLLOW };
    // SAFETY: utimensat on a NUL-terminated path with two timespecs.
    check(unsafe { libc::utimensat(libc::AT_FDCWD, c.as_ptr(), times.as_ptr(), flags) }).map(drop).at(syscall, path)
}

pub fn futimes(fd: i32, atime: f64, mtime: f64) -> FsResult<()> {
    let times = [timespec(atime), timespec(mtime)];
    // SAFETY: futimens with two timespecs; bad descriptors fail with EBADF.
    check(unsafe { libc::futimens(fd, times.as_ptr()) }).map(drop).at_fd("futime")
}

pub fn truncate(path: &Path, len: u64) -> FsResult<()> {
    let file = std::fs::OpenOptions::new().write(true).open(path).at("open", path)?;
    file.set_len(len).at_fd("ftruncate")
}

pub fn ftruncate(fd: i32, len: u64) -> FsResult<()> {
    with_fd(fd, |f| f.set_len(len)).at_fd("ftruncate")
}

pub fn fsync(fd: i32, data_only: bool) -> FsResult<()> {
    let syscall = if data_only { "fdatasync" } else { "fsync" };
    with_fd(fd, |f| if data_only { f.sync_data() } else { f.sync_all() }).at_fd(syscall)
}

pub fn access(path: &Path, mode: i32) -> FsResult<()> {
    let c = c_path(path).at("access", path)?;
    // SAFETY: access(2) on a NUL-terminated path.
    check(unsafe { libc::access(c.as_ptr(), mode) }).map(drop).at("access", path)
}

/// Path bytes as the engine-independent `PathBuf`.
pub fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    PathBuf::from(OsString::from_vec(bytes))
}
