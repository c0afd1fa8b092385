//! The channel on Windows: a named pipe, `\\.\pipe\gatewatch-<user's SID>-<data dir's hash>`
//! ([`super::pipe_name`]).
//!
//! - Only this user: each pipe instance is created with a security descriptor whose DACL
//!   grants access to the user's own SID and nobody else (protected, so nothing is inherited),
//!   and remote clients are refused (`PIPE_REJECT_REMOTE_CLIENTS`).
//! - Only one Gatewatch: a named mutex in the session's namespace (`Local\gatewatch-…`, with
//!   the same user-only DACL) decides who is first, as `flock` does on Unix. Then the pipe's
//!   first instance is created with `FILE_FLAG_FIRST_PIPE_INSTANCE`, which fails while any
//!   instance of that name exists: holding the mutex, that means a process that is not one of
//!   ours took the name, and we say so. (The mutex and not the pipe flag alone: Wine ignores the
//!   flag, and the flag cannot tell our own second launch from a squatter.) The listener always
//!   keeps one instance waiting, so the name is never free while it runs.
//! - The other way round: a client asks which process serves the pipe and checks that it runs
//!   as the same user before it reads a view from it or hands a page over, so another user's
//!   process that took the name first is not believed.

use std::ffi::OsStr;
use std::io;
use std::os::windows::ffi::OsStrExt as _;
use std::os::windows::io::AsRawHandle as _;
use std::path::{Path, PathBuf};
use std::ptr::null_mut;
use std::time::Duration;

use tokio::net::windows::named_pipe::{ClientOptions, NamedPipeServer, ServerOptions};
use windows_sys::Win32::Foundation::{
    CloseHandle, GetLastError, LocalFree, ERROR_ACCESS_DENIED, ERROR_ALREADY_EXISTS,
    ERROR_PIPE_BUSY, HANDLE,
};
use windows_sys::Win32::Security::Authorization::{
    ConvertSidToStringSidW, ConvertStringSecurityDescriptorToSecurityDescriptorW, SDDL_REVISION_1,
};
use windows_sys::Win32::Security::{
    GetTokenInformation, TokenUser, PSECURITY_DESCRIPTOR, SECURITY_ATTRIBUTES, TOKEN_QUERY,
    TOKEN_USER,
};
use windows_sys::Win32::System::Pipes::GetNamedPipeServerProcessId;
use windows_sys::Win32::System::Threading::{
    CreateMutexW, GetCurrentProcess, OpenProcess, OpenProcessToken,
    PROCESS_QUERY_LIMITED_INFORMATION,
};

use super::{connect_err, io_err, ChannelError, Claim, Conn};

/// How long a client waits while every pipe instance is busy (one is made again at once).
const BUSY_WAIT: Duration = Duration::from_secs(2);

/// Where the tray listens: `GATEWATCH_SOCKET` if set (a pipe name), else the pipe for this user
/// and data directory.
pub fn endpoint(get: impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
    if let Some(p) = get(crate::ipc::SOCKET_ENV).filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let data = crate::store::data_dir(&get)?;
    let sid = user_sid().ok()?;
    Some(PathBuf::from(super::pipe_name(&sid, &data)))
}

fn wide(s: &OsStr) -> Vec<u16> {
    s.encode_wide().chain(std::iter::once(0)).collect()
}

/// A string the system allocated with `LocalAlloc`, read and freed.
///
/// SAFETY: `p` is null or a NUL-terminated UTF-16 string from LocalAlloc that nobody else frees.
unsafe fn take_local_string(p: *mut u16) -> String {
    if p.is_null() {
        return String::new();
    }
    let mut n = 0;
    while *p.add(n) != 0 {
        n += 1;
    }
    let s = String::from_utf16_lossy(std::slice::from_raw_parts(p, n));
    LocalFree(p.cast());
    s
}

struct Handle(HANDLE);

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: a handle this module opened and owns.
        unsafe { CloseHandle(self.0) };
    }
}

/// The SID ("S-1-5-21-…") of the user `process` runs as.
fn process_sid(process: HANDLE) -> io::Result<String> {
    // SAFETY: plain Win32 calls on handles we own, into buffers sized as the system says.
    unsafe {
        let mut token: HANDLE = null_mut();
        if OpenProcessToken(process, TOKEN_QUERY, &mut token) == 0 {
            return Err(io::Error::last_os_error());
        }
        let token = Handle(token);
        let mut len = 0u32;
        GetTokenInformation(token.0, TokenUser, null_mut(), 0, &mut len);
        if len == 0 {
            return Err(io::Error::last_os_error());
        }
        // u64s: TOKEN_USER holds pointers, so the buffer must be aligned for them.
        let mut buf = vec![0u64; (len as usize).div_ceil(8)];
        if GetTokenInformation(token.0, TokenUser, buf.as_mut_ptr().cast(), len, &mut len) == 0 {
            return Err(io::Error::last_os_error());
        }
        let user = &*(buf.as_ptr() as *const TOKEN_USER);
        let mut s: *mut u16 = null_mut();
        if ConvertSidToStringSidW(user.User.Sid, &mut s) == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(take_local_string(s))
    }
}

/// The SID of the user this process runs as.
pub fn user_sid() -> io::Result<String> {
    // SAFETY: the pseudo-handle of our own process needs no closing.
    process_sid(unsafe { GetCurrentProcess() })
}

/// The pipe's security descriptor in SDDL: a protected DACL (`P`: nothing inherited) with one
/// entry, generic all (`GA`) for `sid`. Everyone else, other users and services alike, is denied.
pub fn pipe_sddl(sid: &str) -> String {
    format!("D:P(A;;GA;;;{sid})")
}

/// A security descriptor made from SDDL, freed on drop.
struct Descriptor(PSECURITY_DESCRIPTOR);

// SAFETY: the descriptor is immutable once made; the system only reads it.
unsafe impl Send for Descriptor {}
unsafe impl Sync for Descriptor {}

impl Descriptor {
    fn for_user() -> io::Result<Descriptor> {
        let sddl = wide(OsStr::new(&pipe_sddl(&user_sid()?)));
        let mut sd: PSECURITY_DESCRIPTOR = null_mut();
        // SAFETY: a NUL-terminated string in, a LocalAlloc'd descriptor out (freed on drop).
        let ok = unsafe {
            ConvertStringSecurityDescriptorToSecurityDescriptorW(
                sddl.as_ptr(),
                SDDL_REVISION_1,
                &mut sd,
                null_mut(),
            )
        };
        if ok == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Descriptor(sd))
    }
}

impl Drop for Descriptor {
    fn drop(&mut self) {
        // SAFETY: allocated by ConvertStringSecurityDescriptorToSecurityDescriptorW.
        unsafe { LocalFree(self.0) };
    }
}

impl Descriptor {
    fn attributes(&self) -> SECURITY_ATTRIBUTES {
        SECURITY_ATTRIBUTES {
            nLength: std::mem::size_of::<SECURITY_ATTRIBUTES>() as u32,
            lpSecurityDescriptor: self.0,
            bInheritHandle: 0,
        }
    }
}

/// The lock's name for a pipe: the pipe's own name in the session's namespace (a mutex name
/// may hold no backslash but the namespace's).
pub fn mutex_name(pipe: &OsStr) -> String {
    let pipe = pipe.to_string_lossy();
    let base = pipe.strip_prefix(r"\\.\pipe\").unwrap_or(&pipe);
    format!(r"Local\{}", base.replace('\\', "_"))
}

/// Take the lock named after `pipe`: `Ok(None)` if another process holds it.
fn lock(pipe: &OsStr, sd: &Descriptor) -> io::Result<Option<Handle>> {
    let name = wide(OsStr::new(&mutex_name(pipe)));
    let sa = sd.attributes();
    // SAFETY: valid attributes and a NUL-terminated name; the handle is closed by `Handle`.
    unsafe {
        let h = CreateMutexW(&sa, 0, name.as_ptr());
        let err = GetLastError();
        if h.is_null() {
            return Err(io::Error::from_raw_os_error(err as i32));
        }
        let h = Handle(h);
        Ok((err != ERROR_ALREADY_EXISTS).then_some(h))
    }
}

fn create(name: &OsStr, sd: &Descriptor, first: bool) -> io::Result<NamedPipeServer> {
    let mut sa = sd.attributes();
    // SAFETY: `sa` is a valid SECURITY_ATTRIBUTES for the duration of the call.
    unsafe {
        ServerOptions::new()
            .first_pipe_instance(first)
            .reject_remote_clients(true)
            .create_with_security_attributes_raw(name, (&mut sa as *mut SECURITY_ATTRIBUTES).cast())
    }
}

/// The running tray's pipe: one instance always waits for the next client. Dropping it closes
/// the pipe, then releases the lock (fields drop in order).
pub struct Listener {
    name: PathBuf,
    sd: Descriptor,
    next: NamedPipeServer,
    _lock: Handle,
}

// SAFETY: the mutex handle is only closed, once, on drop; handles may be used from any thread.
unsafe impl Send for Handle {}

impl Listener {
    pub async fn accept(&mut self) -> io::Result<Conn> {
        let connected = self.next.connect().await;
        // Whatever happened to this instance, another one waits from now on (before this one
        // goes, so that the name is never free).
        let fresh = create(self.name.as_os_str(), &self.sd, false)?;
        let conn = std::mem::replace(&mut self.next, fresh);
        connected?;
        Ok(Box::new(conn))
    }

    /// The raw handle of the waiting instance (for tests that read its security back).
    pub fn raw_handle(&self) -> std::os::windows::io::RawHandle {
        self.next.as_raw_handle()
    }
}

pub(super) fn claim(path: &Path) -> Result<Claim, ChannelError> {
    let sd = Descriptor::for_user().map_err(io_err(path))?;
    let lock = match lock(path.as_os_str(), &sd) {
        Ok(Some(lock)) => lock,
        Ok(None) => return Ok(Claim::Running),
        // Another user's mutex of that name (our DACL would have let us open our own).
        Err(e) if e.raw_os_error() == Some(ERROR_ACCESS_DENIED as i32) => {
            return Err(ChannelError::NotOurs(path.to_path_buf()))
        }
        Err(e) => return Err(io_err(path)(e)),
    };
    match create(path.as_os_str(), &sd, true) {
        Ok(next) => Ok(Claim::First(Listener {
            name: path.to_path_buf(),
            sd,
            next,
            _lock: lock,
        })),
        // We hold the lock, yet an instance of this name exists: not one of ours.
        Err(e) if e.raw_os_error() == Some(ERROR_ACCESS_DENIED as i32) => {
            Err(ChannelError::NotOurs(path.to_path_buf()))
        }
        Err(e) => Err(io_err(path)(e)),
    }
}

/// Connect to the tray's pipe, and make sure it is served by a process of this same user.
pub async fn connect(path: &Path) -> Result<Conn, ChannelError> {
    let deadline = tokio::time::Instant::now() + BUSY_WAIT;
    let client = loop {
        match ClientOptions::new().open(path.as_os_str()) {
            Ok(c) => break c,
            Err(e)
                if e.raw_os_error() == Some(ERROR_PIPE_BUSY as i32)
                    && tokio::time::Instant::now() < deadline =>
            {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(e) => return Err(connect_err(path)(e)),
        }
    };
    let mut pid = 0u32;
    // SAFETY: a pipe handle we own; the process handle is closed by `Handle`.
    let owner = unsafe {
        if GetNamedPipeServerProcessId(client.as_raw_handle() as HANDLE, &mut pid) == 0 {
            return Err(connect_err(path)(io::Error::last_os_error()));
        }
        let process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid);
        if process.is_null() {
            return Err(connect_err(path)(io::Error::last_os_error()));
        }
        let process = Handle(process);
        process_sid(process.0)
    }
    .map_err(connect_err(path))?;
    if owner != user_sid().map_err(connect_err(path))? {
        return Err(ChannelError::NotOurs(path.to_path_buf()));
    }
    Ok(Box::new(client))
}

#[cfg(test)]
mod tests {
    use super::super::{claim, hand_over, Claim};
    use super::*;
    use crate::ipc::Page;
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    use windows_sys::Win32::Security::Authorization::{
        ConvertSecurityDescriptorToStringSecurityDescriptorW, GetSecurityInfo, SE_KERNEL_OBJECT,
    };
    use windows_sys::Win32::Security::DACL_SECURITY_INFORMATION;

    fn name(test: &str) -> PathBuf {
        PathBuf::from(format!(
            r"\\.\pipe\gatewatch-test-{test}-{}",
            std::process::id()
        ))
    }

    /// The DACL the system holds for a handle, as SDDL.
    fn dacl_of(h: HANDLE) -> String {
        unsafe {
            let mut sd: PSECURITY_DESCRIPTOR = null_mut();
            let rc = GetSecurityInfo(
                h,
                SE_KERNEL_OBJECT,
                DACL_SECURITY_INFORMATION,
                null_mut(),
                null_mut(),
                null_mut(),
                null_mut(),
                &mut sd,
            );
            assert_eq!(rc, 0, "GetSecurityInfo failed: {rc}");
            let mut s: *mut u16 = null_mut();
            let ok = ConvertSecurityDescriptorToStringSecurityDescriptorW(
                sd,
                SDDL_REVISION_1,
                DACL_SECURITY_INFORMATION,
                &mut s,
                null_mut(),
            );
            assert_ne!(ok, 0, "{}", io::Error::last_os_error());
            LocalFree(sd);
            take_local_string(s)
        }
    }

    #[test]
    fn the_lock_is_named_after_the_pipe() {
        assert_eq!(
            mutex_name(OsStr::new(
                r"\\.\pipe\gatewatch-S-1-5-21-7-0123456789abcdef"
            )),
            r"Local\gatewatch-S-1-5-21-7-0123456789abcdef"
        );
        assert_eq!(mutex_name(OsStr::new(r"\\.\pipe\a\b")), r"Local\a_b");
    }

    #[test]
    fn the_user_has_a_sid() {
        let sid = user_sid().unwrap();
        assert!(sid.starts_with("S-1-"), "{sid}");
        assert_eq!(pipe_sddl(&sid), format!("D:P(A;;GA;;;{sid})"));
    }

    #[tokio::test]
    async fn the_first_instance_is_the_lock_and_admits_only_this_user() {
        let pipe = name("claim");
        let Ok(Claim::First(listener)) = claim(&pipe) else {
            panic!("the first claim must win");
        };
        let second = claim(&pipe);
        assert!(
            matches!(second, Ok(Claim::Running)),
            "a second claim must see the first: {:?}",
            second
                .as_ref()
                .map(|c| matches!(c, Claim::First(_)))
                .map_err(|e| e.to_string())
        );
        let sid = user_sid().unwrap();
        let dacl = dacl_of(listener.raw_handle() as HANDLE);
        // Protected, exactly one entry: ours, with all rights. Windows stores the generic right
        // mapped for files (FA); Wine keeps it as asked (GA). Anything more is a failure.
        assert!(
            [format!("D:P(A;;FA;;;{sid})"), format!("D:P(A;;GA;;;{sid})")].contains(&dacl),
            "exactly one entry, ours: {dacl}"
        );
        drop(listener);
        let Ok(Claim::First(again)) = claim(&pipe) else {
            panic!("the name is free once the listener is gone");
        };
        drop(again);
    }

    #[tokio::test]
    async fn a_page_is_handed_over_and_clients_keep_coming() {
        let pipe = name("hand");
        let Ok(Claim::First(mut listener)) = claim(&pipe) else {
            panic!("the first claim must win");
        };
        let server = tokio::spawn(async move {
            let mut got = Vec::new();
            for _ in 0..3 {
                let mut conn = listener.accept().await.unwrap();
                let mut line = vec![0u8; 256];
                let n = conn.read(&mut line).await.unwrap();
                got.push(String::from_utf8_lossy(&line[..n]).into_owned());
                conn.write_all(b"bye\n").await.unwrap();
            }
            got
        });
        for page in [Page::Settings, Page::Status, Page::Settings] {
            hand_over(&pipe, page).await.unwrap();
        }
        let got = server.await.unwrap();
        assert_eq!(got[0], "{\"type\":\"show\",\"page\":\"settings\"}\n");
        assert_eq!(got[1], "{\"type\":\"show\",\"page\":\"status\"}\n");
    }

    #[tokio::test]
    async fn nobody_listening_is_a_clear_error() {
        let e = connect(&name("none")).await.err().unwrap();
        assert!(e.to_string().contains("gatewatch-test-none"), "{e}");
    }
}
