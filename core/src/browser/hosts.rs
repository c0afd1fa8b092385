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

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{CHROMIUM_IDS, GECKO_ID, HOST_NAME};

/// A family of browsers that reads one set of manifests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

    /// The system-wide folders of host manifests on Linux, where the .deb and .rpm put theirs
    /// (absolute). Firefox reads `/usr/lib64` on distributions that keep 64-bit libraries there
    /// (Fedora), `/usr/lib` elsewhere.
    pub const fn system_hosts_dirs(self) -> &'static [&'static str] {
        match self {
            Family::Chromium => &["/etc/chromium/native-messaging-hosts"],
            Family::Chrome => &["/etc/opt/chrome/native-messaging-hosts"],
            Family::Edge => &["/etc/opt/edge/native-messaging-hosts"],
            Family::Firefox => &[
                "/usr/lib/mozilla/native-messaging-hosts",
                "/usr/lib64/mozilla/native-messaging-hosts",
            ],
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

/// The folders a registration is placed by, read from the environment by the caller: the home
/// folder (Linux, macOS); on Windows `%LOCALAPPDATA%` (Chromium's, Chrome's and Edge's profiles),
/// `%APPDATA%` (Firefox's), and the folder Gatewatch keeps its own manifests in (any folder
/// will do there: the registry key names the file); on Linux the root the system-wide
/// manifests of the packages are looked for under (`/`; a test's folder in tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Places {
    pub home: PathBuf,
    pub local_app_data: Option<PathBuf>,
    pub app_data: Option<PathBuf>,
    pub manifests_dir: Option<PathBuf>,
    pub system_root: Option<PathBuf>,
}

/// One family's manifest: the file, what it says, and on Windows the key under
/// `HKEY_CURRENT_USER` whose default value must be the file's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub family: Family,
    pub file: PathBuf,
    pub contents: String,
    pub key: Option<&'static str>,
}

/// What Gatewatch should do for one family of browsers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub family: Family,
    /// The browser's profile folders (any one will do), which say whether this user has run it.
    pub profiles: Vec<PathBuf>,
    /// Where its manifest goes and what it says (the same whether the profile is there or not:
    /// uninstalling removes it either way).
    pub registration: Registration,
    /// The system-wide manifests a package may have put in place for this family (Linux): one
    /// that names the same host makes the user's own unneeded.
    pub system: Vec<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("the host program's path must be absolute for the browsers to start it: {0}")]
    RelativeHost(String),
    #[error("no folder for the host manifests: {0} is not set")]
    NoFolder(&'static str),
}

/// Every family's manifest for this user, on `os`, naming the host program at `host`.
/// Pure: nothing is read or written; the caller writes a registration only where the profile
/// exists ("only register where the browser is"), and removes them all on uninstall.
pub fn plan(os: Os, places: &Places, host: &str) -> Result<Vec<Plan>, PlanError> {
    // Linux and macOS take absolute paths only; Windows would take a path relative to the
    // manifest, but Gatewatch's manifests do not sit beside the program.
    let absolute = match os {
        Os::Windows => {
            let b = host.as_bytes();
            (b.len() > 2 && b[1] == b':' && (b[2] == b'\\' || b[2] == b'/'))
                || host.starts_with(r"\\")
        }
        _ => host.starts_with('/'),
    };
    if !absolute {
        return Err(PlanError::RelativeHost(host.to_string()));
    }
    Family::ALL
        .into_iter()
        .map(|family| {
            let (profiles, file, key) = match os {
                Os::Windows => {
                    let base = match family {
                        Family::Firefox => places
                            .app_data
                            .as_ref()
                            .ok_or(PlanError::NoFolder("APPDATA"))?,
                        _ => places
                            .local_app_data
                            .as_ref()
                            .ok_or(PlanError::NoFolder("LOCALAPPDATA"))?,
                    };
                    let dir = places
                        .manifests_dir
                        .as_ref()
                        .ok_or(PlanError::NoFolder("the data directory"))?;
                    (
                        vec![join(base, family.profile_dir(os))],
                        dir.join(family.manifest_file(os)),
                        Some(family.registry_key()),
                    )
                }
                _ => {
                    let dir = family.user_hosts_dir(os).unwrap_or_default();
                    let mut profiles = vec![join(&places.home, family.profile_dir(os))];
                    // Firefox 147 and later keep new profiles under ~/.config/mozilla, yet read
                    // host manifests from ~/.mozilla only (Bugzilla 2005167).
                    if (os, family) == (Os::Linux, Family::Firefox) {
                        profiles.push(join(&places.home, ".config/mozilla"));
                    }
                    (
                        profiles,
                        join(&places.home, dir).join(family.manifest_file(os)),
                        None,
                    )
                }
            };
            let system = match (os, &places.system_root) {
                (Os::Linux, Some(root)) => family
                    .system_hosts_dirs()
                    .iter()
                    .map(|d| join(root, d).join(family.manifest_file(os)))
                    .collect(),
                _ => vec![],
            };
            Ok(Plan {
                family,
                profiles,
                system,
                registration: Registration {
                    family,
                    file,
                    contents: manifest(family, host),
                    key,
                },
            })
        })
        .collect()
}

/// `base` joined with a relative path written with `/` or `\` (the tables above), one
/// component at a time so that the platform's separator is used.
fn join(base: &Path, rel: &str) -> PathBuf {
    rel.split(['/', '\\'])
        .filter(|c| !c.is_empty())
        .fold(base.to_path_buf(), |p, c| p.join(c))
}

/// May Gatewatch replace or remove the file that holds `text`? Only when it is one of its own
/// manifests (named [`HOST_NAME`]): a file someone else put there under that name is left alone.
pub fn is_ours(text: &str) -> bool {
    manifest_path(text).is_some()
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

    fn places(home: &str) -> Places {
        Places {
            home: PathBuf::from(home),
            local_app_data: Some(PathBuf::from(r"C:\Users\Ann\AppData\Local")),
            app_data: Some(PathBuf::from(r"C:\Users\Ann\AppData\Roaming")),
            manifests_dir: Some(PathBuf::from(
                r"C:\Users\Ann\AppData\Roaming\gatewatch\browser",
            )),
            system_root: Some(PathBuf::from("/")),
        }
    }

    /// A plan's files as strings with `/`, whatever the platform running the test.
    fn files(plans: &[Plan]) -> Vec<(Family, String)> {
        plans
            .iter()
            .map(|p| {
                let f = p.registration.file.to_string_lossy().replace('\\', "/");
                (p.family, f)
            })
            .collect()
    }

    #[test]
    fn linux_manifests_go_where_each_browser_reads_them() {
        let host = "/usr/bin/gatewatch-browser-host";
        let plans = plan(Os::Linux, &places("/home/ann"), host).unwrap();
        assert_eq!(
            files(&plans),
            vec![
                (
                    Family::Chromium,
                    "/home/ann/.config/chromium/NativeMessagingHosts/app.gatewatch.browser.json".into()
                ),
                (
                    Family::Chrome,
                    "/home/ann/.config/google-chrome/NativeMessagingHosts/app.gatewatch.browser.json"
                        .into()
                ),
                (
                    Family::Edge,
                    "/home/ann/.config/microsoft-edge/NativeMessagingHosts/app.gatewatch.browser.json"
                        .into()
                ),
                (
                    Family::Firefox,
                    "/home/ann/.mozilla/native-messaging-hosts/app.gatewatch.browser.json".into()
                ),
            ]
        );
        for p in &plans {
            assert_eq!(p.registration.key, None);
            let m: serde_json::Value = serde_json::from_str(&p.registration.contents).unwrap();
            assert_eq!(m["path"], host);
            assert_eq!(m["name"], HOST_NAME);
            assert!(is_ours(&p.registration.contents));
        }
        // Firefox counts as run with either profile folder, the old or the XDG one.
        let firefox = &plans[3];
        assert_eq!(
            firefox.profiles,
            vec![
                PathBuf::from("/home/ann/.mozilla"),
                PathBuf::from("/home/ann/.config/mozilla")
            ]
        );
        assert_eq!(
            plans[0].profiles,
            vec![PathBuf::from("/home/ann/.config/chromium")]
        );
        // The packages' system-wide manifests, looked for before the user's own is written.
        assert_eq!(
            plans[0].system,
            vec![PathBuf::from(
                "/etc/chromium/native-messaging-hosts/app.gatewatch.browser.json"
            )]
        );
        assert_eq!(
            firefox.system,
            vec![
                PathBuf::from("/usr/lib/mozilla/native-messaging-hosts/app.gatewatch.browser.json"),
                PathBuf::from(
                    "/usr/lib64/mozilla/native-messaging-hosts/app.gatewatch.browser.json"
                )
            ]
        );
    }

    #[test]
    fn macos_manifests_go_under_application_support() {
        let plans = plan(
            Os::MacOs,
            &places("/Users/ann"),
            "/Applications/Gatewatch.app/Contents/MacOS/gatewatch-browser-host",
        )
        .unwrap();
        let support = "/Users/ann/Library/Application Support";
        assert_eq!(
            files(&plans),
            vec![
                (
                    Family::Chromium,
                    format!("{support}/Chromium/NativeMessagingHosts/app.gatewatch.browser.json")
                ),
                (
                    Family::Chrome,
                    format!(
                        "{support}/Google/Chrome/NativeMessagingHosts/app.gatewatch.browser.json"
                    )
                ),
                (
                    Family::Edge,
                    format!(
                        "{support}/Microsoft Edge/NativeMessagingHosts/app.gatewatch.browser.json"
                    )
                ),
                (
                    Family::Firefox,
                    format!("{support}/Mozilla/NativeMessagingHosts/app.gatewatch.browser.json")
                ),
            ]
        );
        assert_eq!(
            plans[3].profiles,
            vec![PathBuf::from(format!("{support}/Firefox"))]
        );
    }

    #[test]
    fn windows_manifests_are_named_by_keys_under_hkcu() {
        let host = r"C:\Program Files\Gatewatch\gatewatch-browser-host.exe";
        let plans = plan(Os::Windows, &places("C:/Users/Ann"), host).unwrap();
        let dir = "C:/Users/Ann/AppData/Roaming/gatewatch/browser";
        assert_eq!(
            files(&plans),
            vec![
                (
                    Family::Chromium,
                    format!("{dir}/app.gatewatch.browser.chromium.json")
                ),
                (
                    Family::Chrome,
                    format!("{dir}/app.gatewatch.browser.chrome.json")
                ),
                (
                    Family::Edge,
                    format!("{dir}/app.gatewatch.browser.edge.json")
                ),
                (
                    Family::Firefox,
                    format!("{dir}/app.gatewatch.browser.firefox.json")
                ),
            ]
        );
        let keys: Vec<_> = plans.iter().map(|p| p.registration.key).collect();
        assert_eq!(
            keys,
            vec![
                Some(r"Software\Chromium\NativeMessagingHosts\app.gatewatch.browser"),
                Some(r"Software\Google\Chrome\NativeMessagingHosts\app.gatewatch.browser"),
                Some(r"Software\Microsoft\Edge\NativeMessagingHosts\app.gatewatch.browser"),
                Some(r"Software\Mozilla\NativeMessagingHosts\app.gatewatch.browser"),
            ]
        );
        // The path, backslashes and all, survives JSON.
        let m: serde_json::Value = serde_json::from_str(&plans[1].registration.contents).unwrap();
        assert_eq!(m["path"], host);
        assert!(
            plans.iter().all(|p| p.system.is_empty()),
            "no system-wide ones"
        );
        let profile = |i: usize| plans[i].profiles[0].to_string_lossy().replace('\\', "/");
        assert_eq!(
            profile(1),
            "C:/Users/Ann/AppData/Local/Google/Chrome/User Data"
        );
        assert_eq!(profile(3), "C:/Users/Ann/AppData/Roaming/Mozilla/Firefox");
        // Without the folders, no plan: said, not guessed.
        let none = Places {
            app_data: None,
            ..places("C:/Users/Ann")
        };
        assert_eq!(
            plan(Os::Windows, &none, host),
            Err(PlanError::NoFolder("APPDATA"))
        );
    }

    #[test]
    fn the_host_must_be_named_by_an_absolute_path() {
        for (os, host) in [
            (Os::Linux, "gatewatch-browser-host"),
            (Os::Linux, "./gatewatch-browser-host"),
            (Os::MacOs, "bin/gatewatch-browser-host"),
            (Os::Windows, "gatewatch-browser-host.exe"),
            (Os::Windows, r"C:gatewatch-browser-host.exe"),
        ] {
            assert_eq!(
                plan(os, &places("/home/ann"), host),
                Err(PlanError::RelativeHost(host.into())),
                "{os:?}"
            );
        }
        assert!(plan(Os::Windows, &places("/h"), r"\\server\share\host.exe").is_ok());
    }

    #[test]
    fn only_our_own_manifests_are_ours() {
        assert!(is_ours(&manifest(Family::Firefox, "/x")));
        assert!(!is_ours(
            r#"{"name":"org.keepassxc.keepassxc_browser","path":"/x"}"#
        ));
        assert!(!is_ours("{"));
        assert!(!is_ours(r#"{"name":"app.gatewatch.browser"}"#));
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
