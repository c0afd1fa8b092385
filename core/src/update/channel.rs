//! How this copy of Gatewatch gets its updates, looked up on this machine (I/O: a few file
//! names). Windows: its own installer. Linux: the package manager when Gatewatch's apt or dnf
//! repository is configured (the files README tells people to add) and the program is the
//! packaged one in /usr/bin; anything else — a downloaded package, an AppImage, a build from
//! source — and macOS: the release page.

use std::path::Path;

use super::Channel;

/// The apt source README's Install section adds (deb822).
pub const APT_SOURCE: &str = "/etc/apt/sources.list.d/gatewatch.sources";
/// The dnf repository file README's Install section adds.
pub const DNF_REPO: &str = "/etc/yum.repos.d/gatewatch.repo";

/// This machine's channel.
pub fn detect() -> Channel {
    if cfg!(windows) {
        return Channel::Installer;
    }
    if !cfg!(target_os = "linux") {
        return Channel::ReleasePage;
    }
    let packaged = std::env::current_exe()
        .ok()
        .and_then(|e| e.canonicalize().ok())
        .is_some_and(|e| e.starts_with("/usr/bin"));
    from_files(packaged, |p| Path::new(p).is_file())
}

/// The choice, from whether the program is the packaged one and which repository files exist.
pub fn from_files(packaged: bool, exists: impl Fn(&str) -> bool) -> Channel {
    if packaged && exists(APT_SOURCE) {
        Channel::Apt
    } else if packaged && exists(DNF_REPO) {
        Channel::Dnf
    } else {
        Channel::ReleasePage
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_package_manager_only_for_packaged_copies_with_our_repository() {
        assert_eq!(from_files(true, |p| p == APT_SOURCE), Channel::Apt);
        assert_eq!(from_files(true, |p| p == DNF_REPO), Channel::Dnf);
        assert_eq!(from_files(true, |_| false), Channel::ReleasePage);
        assert_eq!(from_files(false, |_| true), Channel::ReleasePage);
    }
}
