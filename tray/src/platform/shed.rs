//! Linux: give back the memory that only the start (or a rare task) needed.
//!
//! Most of the idle tray's resident memory is its own program file: pages of code and read-only
//! data (the texts of seven languages, the icons, the settings reader, the history loader, the
//! update check's TLS and signature code) that were read once and are never touched again until
//! the next start. The kernel keeps them mapped for as long as the process lives. Measured with
//! `scripts/bench`: after start-up some 6 MB of the 7.4 MB were such file pages, and about 2.4 MB
//! of them stayed out once handed back — what the checks use every minute comes back on its own,
//! from the page cache or the file.
//!
//! So, after start-up has settled and after each update check, [`shed`] asks the kernel to page
//! out the program's read-only mappings (`MADV_PAGEOUT`, Linux 5.4 and later; older kernels say
//! `EINVAL` and nothing happens) and glibc to return its free heap (`malloc_trim`). Nothing
//! writable is touched, so nothing is lost: a page needed again is a minor or major fault, not
//! an error.

use std::fs;

/// Page out the program's own read-only mappings and trim the heap. Returns the bytes advised.
pub fn shed() -> usize {
    let advised = fs::read_link("/proc/self/exe")
        .ok()
        .and_then(|exe| {
            let maps = fs::read_to_string("/proc/self/maps").ok()?;
            Some(page_out(&read_only_of(&maps, &exe.to_string_lossy())))
        })
        .unwrap_or(0);
    #[cfg(target_env = "gnu")]
    // SAFETY: malloc_trim only walks glibc's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
    advised
}

/// The `(start, length)` of each read-only mapping of `exe` in a `/proc/<pid>/maps` text.
fn read_only_of(maps: &str, exe: &str) -> Vec<(usize, usize)> {
    maps.lines()
        .filter_map(|line| {
            // address perms offset dev inode path (the path may hold spaces: the rest).
            let mut f = line.splitn(6, ' ');
            let range = f.next()?;
            let perms = f.next()?;
            let path = f.nth(3)?.trim_start();
            if path != exe || perms.contains('w') {
                return None;
            }
            let (a, b) = range.split_once('-')?;
            let (a, b) = (
                usize::from_str_radix(a, 16).ok()?,
                usize::from_str_radix(b, 16).ok()?,
            );
            (b > a).then_some((a, b - a))
        })
        .collect()
}

fn page_out(ranges: &[(usize, usize)]) -> usize {
    let mut advised = 0;
    for &(start, len) in ranges {
        // SAFETY: the ranges are this process's own file-backed, read-only mappings, read from
        // /proc/self/maps just now; MADV_PAGEOUT only drops pages the kernel can read again.
        let r = unsafe { libc::madvise(start as *mut libc::c_void, len, libc::MADV_PAGEOUT) };
        if r == 0 {
            advised += len;
        } else {
            tracing::debug!(
                "madvise(MADV_PAGEOUT) refused: {}",
                std::io::Error::last_os_error()
            );
            break;
        }
    }
    advised
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_programs_read_only_mappings() {
        let maps = "\
55d0c0a00000-55d0c0c4d000 r--p 00000000 fe:01 1234 /usr/bin/gatewatch-app
55d0c0c4d000-55d0c10bf000 r-xp 0024d000 fe:01 1234 /usr/bin/gatewatch-app
55d0c10bf000-55d0c1121000 r--p 006bf000 fe:01 1234 /usr/bin/gatewatch-app
55d0c1121000-55d0c1126000 rw-p 00721000 fe:01 1234 /usr/bin/gatewatch-app
55d0c2000000-55d0c2100000 rw-p 00000000 00:00 0                          [heap]
7f1e2c000000-7f1e2c028000 r--p 00000000 fe:01 99 /usr/lib/x86_64-linux-gnu/libc.so.6
7f1e2d000000-7f1e2d001000 r-xp 00000000 fe:01 77 /usr/bin/gatewatch-app-other
";
        assert_eq!(
            read_only_of(maps, "/usr/bin/gatewatch-app"),
            vec![
                (0x55d0c0a00000, 0x24d000),
                (0x55d0c0c4d000, 0x472000),
                (0x55d0c10bf000, 0x62000),
            ]
        );
        // A program replaced on disk while it runs (a package upgrade).
        let deleted = "7f00-8f00 r-xp 0 fe:01 5 /opt/g w/gatewatch-app (deleted)\n";
        assert_eq!(
            read_only_of(deleted, "/opt/g w/gatewatch-app (deleted)"),
            vec![(0x7f00, 0x1000)]
        );
        assert!(read_only_of("garbage\n\n", "/x").is_empty());
    }

    #[test]
    fn it_runs_on_this_process() {
        // The test program's own code is paged out and still runs afterwards.
        assert!(shed() > 0);
        assert_eq!(read_only_of("", "/x"), vec![]);
    }
}
