//! The few registry calls Gatewatch makes (Windows): string values under a key of
//! `HKEY_CURRENT_USER` (or, read only, `HKEY_LOCAL_MACHINE`) — the tray's start-at-login value
//! and toast name, and the keys that name the browsers' host manifests
//! ([`crate::browser::register`]). An empty value name is the key's default value.

use std::ffi::OsStr;
use std::io;
use std::os::windows::ffi::OsStrExt as _;

use windows_sys::Win32::Foundation::{ERROR_FILE_NOT_FOUND, ERROR_MORE_DATA};
use windows_sys::Win32::System::Registry::{
    RegDeleteKeyValueW, RegDeleteKeyW, RegGetValueW, RegSetKeyValueW, REG_SZ, RRF_RT_REG_SZ,
};
pub use windows_sys::Win32::System::Registry::{HKEY, HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE};

/// A NUL-terminated UTF-16 string, as the wide Win32 calls take.
pub fn wide(s: &OsStr) -> Vec<u16> {
    s.encode_wide().chain(std::iter::once(0)).collect()
}

fn win32(code: u32) -> io::Result<()> {
    if code == 0 {
        Ok(())
    } else {
        Err(io::Error::from_raw_os_error(code as i32))
    }
}

/// Set a string value, making the key if it is not there.
pub fn set_string(root: HKEY, key: &str, name: &str, value: &str) -> io::Result<()> {
    let (key, name, value) = (
        wide(key.as_ref()),
        wide(name.as_ref()),
        wide(value.as_ref()),
    );
    // SAFETY: NUL-terminated strings; the data's size in bytes includes its NUL.
    win32(unsafe {
        RegSetKeyValueW(
            root,
            key.as_ptr(),
            name.as_ptr(),
            REG_SZ,
            value.as_ptr().cast(),
            (value.len() * 2) as u32,
        )
    })
}

/// A string value; `None` when the key or the value does not exist.
pub fn get_string(root: HKEY, key: &str, name: &str) -> io::Result<Option<String>> {
    let (key, name) = (wide(key.as_ref()), wide(name.as_ref()));
    let mut buf = vec![0u16; 260];
    loop {
        let mut bytes = (buf.len() * 2) as u32;
        // SAFETY: the buffer holds `bytes` bytes; the call writes at most that many.
        let rc = unsafe {
            RegGetValueW(
                root,
                key.as_ptr(),
                name.as_ptr(),
                RRF_RT_REG_SZ,
                std::ptr::null_mut(),
                buf.as_mut_ptr().cast(),
                &mut bytes,
            )
        };
        match rc {
            0 => {
                let n = (bytes as usize / 2).min(buf.len());
                let s = &buf[..n];
                let end = s.iter().position(|&c| c == 0).unwrap_or(n);
                return Ok(Some(String::from_utf16_lossy(&s[..end])));
            }
            ERROR_FILE_NOT_FOUND => return Ok(None),
            ERROR_MORE_DATA if buf.len() < 32 * 1024 => buf.resize(buf.len() * 4, 0),
            rc => return Err(io::Error::from_raw_os_error(rc as i32)),
        }
    }
}

/// Remove a value; one that is not there is fine.
pub fn delete_value(root: HKEY, key: &str, name: &str) -> io::Result<()> {
    let (key, name) = (wide(key.as_ref()), wide(name.as_ref()));
    // SAFETY: NUL-terminated strings.
    match unsafe { RegDeleteKeyValueW(root, key.as_ptr(), name.as_ptr()) } {
        0 | ERROR_FILE_NOT_FOUND => Ok(()),
        rc => win32(rc),
    }
}

/// Remove a key that has no subkeys; one that is not there is fine.
pub fn delete_key(root: HKEY, key: &str) -> io::Result<()> {
    let key = wide(key.as_ref());
    // SAFETY: a NUL-terminated string.
    match unsafe { RegDeleteKeyW(root, key.as_ptr()) } {
        0 | ERROR_FILE_NOT_FOUND => Ok(()),
        rc => win32(rc),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEST_KEY: &str = r"Software\Gatewatch tests\winreg";

    #[test]
    fn default_values_long_values_and_keys_come_and_go() {
        let long = "x".repeat(5000);
        set_string(HKEY_CURRENT_USER, TEST_KEY, "", &long).unwrap();
        assert_eq!(
            get_string(HKEY_CURRENT_USER, TEST_KEY, "").unwrap(),
            Some(long)
        );
        delete_key(HKEY_CURRENT_USER, TEST_KEY).unwrap();
        assert_eq!(get_string(HKEY_CURRENT_USER, TEST_KEY, "").unwrap(), None);
        delete_key(HKEY_CURRENT_USER, TEST_KEY).unwrap();
        delete_value(HKEY_CURRENT_USER, TEST_KEY, "none").unwrap();
    }
}
