//! Where each browser looks for a native messaging host, and what the host's manifest says.
//!
//! Four families: Chromium, Google Chrome and Microsoft Edge read one kind of manifest
//! (`allowed_origins`, the extension's origins), Firefox another (`allowed_extensions`, the
//! add-on's id), and Firefox refuses Chromium's key. The tray writes a manifest per user for each
//! family whose profile folder exists (on Windows, a key under HKCU names it) at every start;
//! the .deb and .rpm add system-wide ones. A browser in a sandbox — a Flatpak, Chromium as a
//! Snap — cannot start a program outside it, so it is said to be unsupported, not worked around;
//! Firefox as a Snap reads the same `~/.mozilla` folder through the desktop's portal, which asks
//! the user once.
//!
//! Pure: paths are relative to the home folder (or, on Windows, to the profile folders the
//! caller names), and whether something exists is asked of a function the caller hands in.

use serde::Serialize;

use super::{CHROMIUM_IDS, GECKO_ID, HOST_NAME};

/// A family of browsers that reads one set of manifests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    Chromium,
    Chrome,
    Edge,
    Firefox,
}

/// The operating systems, for their folders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    Linux,
    MacOs,
    Windows,
}

impl Os {
    pub const fn current() -> Os {
        if cfg!(windows) {
            Os::Windows
        } else if cfg!(target_os = "macos") {
            Os::MacOs
        } else {
            Os::Linux
        }
    }
}

impl Family {
    pub const ALL: [Family; 4] = [
        Family::Chromium,
        Family::Chrome,
        Family::Edge,
        Family::Firefox,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Family::Chromium => "chromium",
            Family::Chrome => "chrome",
            Family::Edge => "edge",
            Family::Firefox => "firefox",
        }
    }

    /// The browser's name as its maker writes it (not translated).
    pub const fn name(self) -> &'static str {
        match self {
            Family::Chromium => "Chromium",
            Family::Chrome => "Google Chrome",
            Family::Edge => "Microsoft Edge",
            Family::Firefox => "Firefox",
        }
    }

    /// Its profile folder (present when the browser has been run by this user), relative to the
    /// home folder on Linux and macOS, to `%LOCALAPPDATA%` (Chromium's) or `%APPDATA%`
    /// (Firefox's) on Windows.
    pub const fn profile_dir(self, os: Os) -> &'static str {
        match (os, self) {
            (Os::Linux, Family::Chromium) => ".config/chromium",
            (Os::Linux, Family::Chrome) => ".config/google-chrome",
            (Os::Linux, Family::Edge) => ".config/microsoft-edge",
            (Os::Linux, Family::Firefox) => ".mozilla",
            (Os::MacOs, Family::Chromium) => "Library/Application Support/Chromium",
            (Os::MacOs, Family::Chrome) => "Library/Application Support/Google/Chrome",
            (Os::MacOs, Family::Edge) => "Library/Application Support/Microsoft Edge",
            (Os::MacOs, Family::Firefox) => "Library/Application Support/Firefox",
            (Os::Windows, Family::Chromium) => r"Chromium\User Data",
            (Os::Windows, Family::Chrome) => r"Google\Chrome\User Data",
            (Os::Windows, Family::Edge) => r"Microsoft\Edge\User Data",
            (Os::Windows, Family::Firefox) => r"Mozilla\Firefox",
        }
    }

    /// The per-user folder of host manifests, relative to the home folder (Linux, macOS). On
    /// Windows the manifest may live anywhere; a registry key names it ([`Family::registry_key`]).
    pub const fn user_hosts_dir(self, os: Os) -> Option<&'static str> {
        match (os, self) {
            (Os::Linux, Family::Chromium) => Some(".config/chromium/NativeMessagingHosts"),
            (Os::Linux, Family::Chrome) => Some(".config/google-chrome/NativeMessagingHosts"),
            (Os::Linux, Family::Edge) => Some(".config/microsoft-edge/NativeMessagingHosts"),
            // Firefox 147 moved profiles to ~/.config/mozilla, but reads native manifests only
            // from here (Bugzilla 2005167).
            (Os::Linux, Family::Firefox) => Some(".mozilla/native-messaging-hosts"),
            (Os::MacOs, Family::Chromium) => {
                Some("Library/Application Support/Chromium/NativeMessagingHosts")
            }
            (Os::MacOs, Family::Chrome) => {
                Some("Library/Application Support/Google/Chrome/NativeMessagingHosts")
            }
            (Os::MacOs, Family::Edge) => {
                Some("Library/Application Support/Microsoft Edge/NativeMessagingHosts")
            }
            (Os::MacOs, Family::Firefox) => {
                Some("Library/Application Support/Mozilla/NativeMessagingHosts")
            }
            (Os::Windows, _) => None,
        }
    }

    /// The system-wide folder of host manifests on Linux, where the .deb and .rpm put theirs.
    pub const fn system_hosts_dir(self) -> &'static str {
        match self {
            Family::Chromium => "/etc/chromium/native-messaging-hosts",
            Family::Chrome => "/etc/opt/chrome/native-messaging-hosts",
            Family::Edge => "/etc/opt/edge/native-messaging-hosts",
            Family::Firefox => "/usr/lib/mozilla/native-messaging-hosts",
        }
    }

    /// The key under `HKEY_CURRENT_USER` whose default value is the manifest's path (Windows).
    pub const fn registry_key(self) -> &'static str {
        match self {
            Family::Chromium => r"Software\Chromium\NativeMessagingHosts\app.gatewatch.browser",
            Family::Chrome => r"Software\Google\Chrome\NativeMessagingHosts\app.gatewatch.browser",
            Family::Edge => r"Software\Microsoft\Edge\NativeMessagingHosts\app.gatewatch.browser",
            Family::Firefox => r"Software\Mozilla\NativeMessagingHosts\app.gatewatch.browser",
        }
    }

    /// Its manifest's file name: one per family where they share a folder (Windows), the host's
    /// name where each family has a folder of its own.
    pub fn manifest_file(self, os: Os) -> String {
        match os {
            Os::Windows => format!("{HOST_NAME}.{}.json", self.as_str()),
            _ => format!("{HOST_NAME}.json"),
        }
    }

    /// Sandboxed installs of this family found in the home folder (Linux): their folders, and
    /// whether they can start the host.
    pub const fn sandboxes(self) -> &'static [(&'static str, Sandbox)] {
        match self {
            Family::Chromium => &[
                (".var/app/org.chromium.Chromium", Sandbox::Flatpak),
                ("snap/chromium", Sandbox::Snap),
            ],
            Family::Chrome => &[(".var/app/com.google.Chrome", Sandbox::Flatpak)],
            Family::Edge => &[(".var/app/com.microsoft.Edge", Sandbox::Flatpak)],
            Family::Firefox => &[
                (".var/app/org.mozilla.firefox", Sandbox::Flatpak),
                ("snap/firefox", Sandbox::SnapPortal),
            ],
        }
    }
}

/// A browser in a sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sandbox {
    /// A Flatpak: it cannot start a program outside its sandbox (unsupported).
    Flatpak,
    /// Chromium as a Snap: likewise (unsupported).
    Snap,
    /// Firefox as a Snap: it reads `~/.mozilla/native-messaging-hosts` through the desktop's
    /// WebExtensions portal, which asks the user once.
    SnapPortal,
}

impl Sandbox {
    pub const fn as_str(self) -> &'static str {
        match self {
            Sandbox::Flatpak => "flatpak",
            Sandbox::Snap => "snap",
            Sandbox::SnapPortal => "snap_portal",
        }
    }
}

/// The host manifest for a family, naming the host program at `path` (absolute).
pub fn manifest(family: Family, path: &str) -> String {
    let mut m = serde_json::json!({
        "name": HOST_NAME,
        "description": "Gatewatch: is ChatGPT down? Your browser's ChatGPT request outcomes, to the Gatewatch tray",
        "path": path,
        "type": "stdio",
    });
    let allowed = match family {
        Family::Firefox => ("allowed_extensions", serde_json::json!([GECKO_ID])),
        _ => (
            "allowed_origins",
            serde_json::json!(CHROMIUM_IDS
                .iter()
                .map(|id| format!("chrome-extension://{id}/"))
                .collect::<Vec<_>>()),
        ),
    };
    m[allowed.0] = allowed.1;
    let mut s = serde_json::to_string_pretty(&m).unwrap_or_default();
    s.push('\n');
    s
}

/// The program a manifest names, if it is one of ours (named [`HOST_NAME`]).
pub fn manifest_path(text: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    if v.get("name")?.as_str()? != HOST_NAME {
        return None;
    }
    v.get("path")?.as_str().map(str::to_string)
}

/// Where a family stands for this user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum HostState {
    /// A manifest for this user names the host.
    Registered,
    /// A system-wide manifest (the package's) names this same host: nothing per user needed.
    System,
    /// The browser has not been run by this user (no profile folder).
    NotInstalled,
    /// Writing the manifest (or the key) failed; the reason is in the log.
    Failed,
}

/// One family's entry on the Settings page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostEntry {
    pub family: Family,
    pub name: &'static str,
    #[serde(flatten)]
    pub state: HostState,
    /// Sandboxed installs found beside it.
    pub sandboxes: Vec<Sandbox>,
}

/// The sandboxed installs of `family` under `home` (Linux), found with `exists`.
pub fn sandboxes_found(family: Family, exists: impl Fn(&str) -> bool) -> Vec<Sandbox> {
    family
        .sandboxes()
        .iter()
        .filter(|(dir, _)| exists(dir))
        .map(|(_, s)| *s)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_family_gets_its_own_kind_of_manifest() {
        let chromium: serde_json::Value = serde_json::from_str(&manifest(
            Family::Chromium,
            "/usr/bin/gatewatch-browser-host",
        ))
        .unwrap();
        assert_eq!(chromium["name"], HOST_NAME);
        assert_eq!(chromium["type"], "stdio");
        assert_eq!(chromium["path"], "/usr/bin/gatewatch-browser-host");
        assert_eq!(
            chromium["allowed_origins"][0],
            format!("chrome-extension://{}/", CHROMIUM_IDS[0])
        );
        assert!(chromium.get("allowed_extensions").is_none());
        let firefox: serde_json::Value =
            serde_json::from_str(&manifest(Family::Firefox, "/x/host")).unwrap();
        assert_eq!(firefox["allowed_extensions"][0], GECKO_ID);
        // Firefox refuses Chromium's key.
        assert!(firefox.get("allowed_origins").is_none());
        assert_eq!(
            manifest_path(&manifest(Family::Edge, "/a b/host")).as_deref(),
            Some("/a b/host")
        );
        assert_eq!(manifest_path("{\"name\":\"other\",\"path\":\"/x\"}"), None);
        assert_eq!(manifest_path("not json"), None);
    }

    #[test]
    fn the_host_name_is_one_browsers_accept() {
        // Chrome: lowercase letters, digits, underscores and dots; Firefox: ^\w+(\.\w+)*$.
        assert!(HOST_NAME.split('.').all(|p| !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')));
    }

    #[test]
    fn folders_per_platform() {
        assert_eq!(
            Family::Firefox.user_hosts_dir(Os::Linux),
            Some(".mozilla/native-messaging-hosts")
        );
        assert_eq!(Family::Chrome.user_hosts_dir(Os::Windows), None);
        assert!(Family::Edge
            .registry_key()
            .ends_with(r"Microsoft\Edge\NativeMessagingHosts\app.gatewatch.browser"));
        assert_eq!(
            Family::Firefox.manifest_file(Os::Windows),
            "app.gatewatch.browser.firefox.json"
        );
        assert_eq!(
            Family::Firefox.manifest_file(Os::Linux),
            "app.gatewatch.browser.json"
        );
        for f in Family::ALL {
            for os in [Os::Linux, Os::MacOs] {
                let dir = f.user_hosts_dir(os).unwrap();
                assert!(!dir.starts_with('/'), "{dir} is relative to home");
            }
        }
        let found = sandboxes_found(Family::Chromium, |d| d == "snap/chromium");
        assert_eq!(found, vec![Sandbox::Snap]);
        let found = sandboxes_found(Family::Firefox, |d| d.starts_with("snap/"));
        assert_eq!(found, vec![Sandbox::SnapPortal]);
    }
}
