//! I/O at the edge of [`super::hosts`]: writing and removing the per-user host manifests its
//! [`plan`](super::hosts::plan) describes, and on Windows the keys under `HKEY_CURRENT_USER`
//! that name them. A manifest is written only where the browser's profile folder exists,
//! atomically, and a file at that place that is not Gatewatch's is never replaced or removed.
//! Where a package's system-wide manifest already names the same host (Linux: the .deb and the
//! .rpm put them in), none is written for the user, and one left from before is removed, so
//! that removing the package leaves nothing behind.
//!
//! Used by the tray at every start ([`install`]) and by `gatewatch-browser-host --unregister`
//! ([`remove`]), which the Windows uninstaller runs and a person may.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::hosts::{
    self, is_ours, manifest_path, sandboxes_found, HostEntry, HostState, Os, Places, Plan,
    Registration,
};
use crate::view::Unset;

#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error("{path}: not Gatewatch's manifest; left as it is")]
    NotOurs { path: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("the registry key HKEY_CURRENT_USER\\{key}: {source}")]
    Key {
        key: &'static str,
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> RegisterError + '_ {
    move |source| RegisterError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// This user's places, read from the environment, and every family's plan for the host
/// program at `host` (which must be there: a manifest naming a missing program helps no one).
pub fn this_user(host: &Path) -> Result<(Os, Places, Vec<Plan>), Unset> {
    let os = Os::current();
    if !host.is_file() {
        return Err(Unset::NoHost(host.display().to_string()));
    }
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let home = match os {
        Os::Windows => env("USERPROFILE").unwrap_or_default(),
        _ => env("HOME").ok_or_else(|| Unset::Other("HOME is not set".into()))?,
    };
    let places = Places {
        home: PathBuf::from(home),
        local_app_data: env("LOCALAPPDATA").map(PathBuf::from),
        app_data: env("APPDATA").map(PathBuf::from),
        // Any folder will do on Windows (a key names the file): Gatewatch's own.
        manifests_dir: crate::store::data_dir(env).map(|d| d.join("browser")),
        system_root: (os == Os::Linux).then(|| PathBuf::from("/")),
    };
    let plans = hosts::plan(os, &places, &host.to_string_lossy())
        .map_err(|e| Unset::Other(e.to_string()))?;
    Ok((os, places, plans))
}

/// Write each family's manifest where its browser has a profile; say where each stands. On
/// Linux, sandboxed installs found under `home` are named beside it.
pub fn install(os: Os, home: &Path, plans: &[Plan]) -> Vec<(HostEntry, Option<RegisterError>)> {
    plans
        .iter()
        .map(|p| {
            let (state, error) = if !p.profiles.iter().any(|d| d.is_dir()) {
                (HostState::NotInstalled, None)
            } else if system_names_ours(p) {
                // The package's manifest does it for every user; ours from before goes.
                let error = remove_file(&p.registration.file).err();
                (HostState::System, error)
            } else {
                let r = &p.registration;
                match write(&r.file, &r.contents).and_then(|()| name_in_registry(r)) {
                    Ok(()) => (HostState::Registered, None),
                    Err(e) => (HostState::Failed, Some(e)),
                }
            };
            let sandboxes = match os {
                Os::Linux => sandboxes_found(p.family, |d| home.join(d).is_dir()),
                _ => vec![],
            };
            let entry = HostEntry {
                family: p.family,
                name: p.family.name(),
                state,
                sandboxes,
            };
            (entry, error)
        })
        .collect()
}

/// Does a system-wide manifest for this family name the host this plan names?
fn system_names_ours(p: &Plan) -> bool {
    let ours = manifest_path(&p.registration.contents);
    p.system.iter().any(|f| {
        std::fs::read_to_string(f)
            .ok()
            .is_some_and(|text| manifest_path(&text) == ours)
    })
}

/// Remove every family's manifest that is Gatewatch's, and on Windows the key that names it
/// (uninstalling): what was removed, and what could not be.
pub fn remove(plans: &[Plan]) -> (Vec<String>, Vec<RegisterError>) {
    let mut removed = Vec::new();
    let mut errors = Vec::new();
    for p in plans {
        let r = &p.registration;
        let mut files = vec![r.file.clone()];
        if let Some(key) = r.key {
            // The key may name a manifest elsewhere (another data folder): that one goes too,
            // if it is ours; the key goes if what it names is ours or gone.
            match unname_in_registry(key) {
                Ok(Some(named)) => {
                    removed.push(format!("HKEY_CURRENT_USER\\{key}"));
                    files.push(named);
                }
                Ok(None) => {}
                Err(e) => errors.push(e),
            }
        }
        files.dedup();
        for file in files {
            match remove_file(&file) {
                Ok(true) => removed.push(file.display().to_string()),
                Ok(false) => {}
                Err(e) => errors.push(e),
            }
        }
    }
    (removed, errors)
}

/// The system-wide manifests under `root` (`/`; a test's folder in tests) for the host program
/// at `host`, as the Linux packages install them (`gatewatch-browser-host --system-install`
/// from their install script): every family's, Firefox's also in `/usr/lib64` where that
/// folder exists (Fedora). Each file, and whether it could be written; another program's file
/// under our name is left.
pub fn system_install(root: &Path, host: &str) -> Vec<(PathBuf, Result<(), RegisterError>)> {
    system_files(root)
        .map(|(family, file)| {
            let r = write(&file, &hosts::manifest(family, host));
            (file, r)
        })
        .collect()
}

/// Remove the system-wide manifests under `root` that are Gatewatch's (the packages' remove
/// script): what was removed, and what could not be.
pub fn system_remove(root: &Path) -> (Vec<String>, Vec<RegisterError>) {
    let mut removed = Vec::new();
    let mut errors = Vec::new();
    for (_, file) in system_files(root) {
        match remove_file(&file) {
            Ok(true) => removed.push(file.display().to_string()),
            Ok(false) => {}
            Err(e) => errors.push(e),
        }
    }
    (removed, errors)
}

/// Every family's system-wide manifest file under `root`, but in a `/usr/lib64` that is not
/// there.
fn system_files(root: &Path) -> impl Iterator<Item = (hosts::Family, PathBuf)> + '_ {
    hosts::Family::ALL.into_iter().flat_map(move |family| {
        family
            .system_hosts_dirs()
            .iter()
            .filter(|d| !d.starts_with("/usr/lib64/") || root.join("usr/lib64").is_dir())
            .map(move |d| {
                let dir = root.join(d.trim_start_matches('/'));
                (family, dir.join(family.manifest_file(Os::Linux)))
            })
    })
}

/// Remove `file` if it is one of Gatewatch's manifests: whether it was there.
fn remove_file(file: &Path) -> Result<bool, RegisterError> {
    match std::fs::read_to_string(file) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(io(file)(e)),
        Ok(text) if !is_ours(&text) => Err(RegisterError::NotOurs {
            path: file.display().to_string(),
        }),
        Ok(_) => std::fs::remove_file(file).map(|()| true).map_err(io(file)),
    }
}

/// Windows: the key's default value names the manifest's file.
#[cfg(windows)]
fn name_in_registry(r: &Registration) -> Result<(), RegisterError> {
    use crate::winreg::{get_string, set_string, HKEY_CURRENT_USER};
    let Some(key) = r.key else { return Ok(()) };
    let file = r.file.to_string_lossy();
    let err = |source| RegisterError::Key { key, source };
    if get_string(HKEY_CURRENT_USER, key, "")
        .map_err(err)?
        .as_deref()
        == Some(&*file)
    {
        return Ok(());
    }
    set_string(HKEY_CURRENT_USER, key, "", &file).map_err(err)
}

/// Windows: remove the key if what it names is Gatewatch's manifest or no longer there; the
/// file it named, when it did.
#[cfg(windows)]
fn unname_in_registry(key: &'static str) -> Result<Option<PathBuf>, RegisterError> {
    use crate::winreg::{delete_key, get_string, HKEY_CURRENT_USER};
    let err = |source| RegisterError::Key { key, source };
    let Some(named) = get_string(HKEY_CURRENT_USER, key, "").map_err(err)? else {
        return Ok(None);
    };
    let named = PathBuf::from(named);
    match std::fs::read_to_string(&named) {
        Ok(text) if !is_ours(&text) => {
            return Err(RegisterError::NotOurs {
                path: named.display().to_string(),
            })
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(&named)(e)),
    }
    delete_key(HKEY_CURRENT_USER, key).map_err(err)?;
    Ok(Some(named))
}

/// Elsewhere no plan has a key: there is nothing to name.
#[cfg(not(windows))]
fn name_in_registry(r: &Registration) -> Result<(), RegisterError> {
    match r.key {
        None => Ok(()),
        Some(key) => Err(RegisterError::Key {
            key,
            source: std::io::ErrorKind::Unsupported.into(),
        }),
    }
}

#[cfg(not(windows))]
fn unname_in_registry(key: &'static str) -> Result<Option<PathBuf>, RegisterError> {
    Err(RegisterError::Key {
        key,
        source: std::io::ErrorKind::Unsupported.into(),
    })
}

/// Write `contents` to `file` through a temporary file and a rename, unless another program's
/// manifest is there.
fn write(file: &Path, contents: &str) -> Result<(), RegisterError> {
    match std::fs::read_to_string(file) {
        Ok(text) if text == contents => return Ok(()),
        Ok(text) if !is_ours(&text) => {
            return Err(RegisterError::NotOurs {
                path: file.display().to_string(),
            })
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(file)(e)),
    }
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    let tmp = file.with_extension(format!("tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(contents.as_bytes())?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, file)
    })();
    if result.is_err() {
        // The temporary file is worthless now; the error below is what matters.
        std::fs::remove_file(&tmp).ok();
    }
    result.map_err(io(file))
}

#[cfg(test)]
mod tests {
    use super::super::hosts::{manifest, manifest_path, plan, Family, Places, Sandbox};
    use super::*;
    use std::path::PathBuf;

    fn home(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("gw-hosts-{name}-{}", std::process::id()));
        std::fs::remove_dir_all(&d).ok();
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn places(home: &Path) -> Places {
        Places {
            home: home.to_path_buf(),
            local_app_data: None,
            app_data: None,
            manifests_dir: None,
            system_root: Some(home.join("root")),
        }
    }

    #[test]
    fn manifests_are_written_where_a_browser_was_run_and_never_over_another_s() {
        let h = home("install");
        for d in [
            ".config/chromium",
            ".config/mozilla",
            ".config/microsoft-edge",
            "snap/chromium",
        ] {
            std::fs::create_dir_all(h.join(d)).unwrap();
        }
        // Someone else's manifest under our name, in Edge's folder.
        let edge = h.join(".config/microsoft-edge/NativeMessagingHosts/app.gatewatch.browser.json");
        std::fs::create_dir_all(edge.parent().unwrap()).unwrap();
        std::fs::write(&edge, r#"{"name":"com.other.tool","path":"/opt/other"}"#).unwrap();

        let host = "/usr/bin/gatewatch-browser-host";
        let plans = plan(Os::Linux, &places(&h), host).unwrap();
        let got = install(Os::Linux, &h, &plans);
        let states: Vec<_> = got
            .iter()
            .map(|(e, _)| (e.family, e.state.clone()))
            .collect();
        assert_eq!(
            states,
            vec![
                (Family::Chromium, HostState::Registered),
                (Family::Chrome, HostState::NotInstalled),
                (Family::Edge, HostState::Failed),
                // Found by its XDG profile, written to ~/.mozilla all the same.
                (Family::Firefox, HostState::Registered),
            ]
        );
        assert!(matches!(got[2].1, Some(RegisterError::NotOurs { .. })));
        assert_eq!(got[0].0.sandboxes, vec![Sandbox::Snap]);
        let read = |rel: &str| std::fs::read_to_string(h.join(rel)).unwrap();
        let chromium = read(".config/chromium/NativeMessagingHosts/app.gatewatch.browser.json");
        assert_eq!(chromium, manifest(Family::Chromium, host));
        let firefox = read(".mozilla/native-messaging-hosts/app.gatewatch.browser.json");
        assert_eq!(manifest_path(&firefox).as_deref(), Some(host));
        assert!(
            !h.join(".config/google-chrome").exists(),
            "nothing made for a browser not run"
        );
        assert!(
            read(".config/microsoft-edge/NativeMessagingHosts/app.gatewatch.browser.json")
                .contains("com.other.tool")
        );

        // The program moved: the next start rewrites ours.
        let moved = "/opt/gatewatch/gatewatch-browser-host";
        let plans = plan(Os::Linux, &places(&h), moved).unwrap();
        install(Os::Linux, &h, &plans);
        let chromium = read(".config/chromium/NativeMessagingHosts/app.gatewatch.browser.json");
        assert_eq!(manifest_path(&chromium).as_deref(), Some(moved));

        // Uninstalling removes ours, and only ours.
        let (removed, errors) = remove(&plans);
        assert_eq!(removed.len(), 2, "{removed:?}");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].to_string().contains("not Gatewatch's manifest"));
        assert!(!h
            .join(".config/chromium/NativeMessagingHosts/app.gatewatch.browser.json")
            .exists());
        assert!(edge.exists());
        std::fs::remove_dir_all(&h).ok();
    }

    #[test]
    fn a_package_s_system_wide_manifest_for_the_same_host_makes_the_user_s_unneeded() {
        let h = home("system");
        for d in [".config/chromium", ".mozilla", ".config/google-chrome"] {
            std::fs::create_dir_all(h.join(d)).unwrap();
        }
        let host = "/usr/bin/gatewatch-browser-host";
        let plans = plan(Os::Linux, &places(&h), host).unwrap();
        // Written before the package was installed: the user's own, for Chromium.
        install(Os::Linux, &h, &plans);
        let mine = h.join(".config/chromium/NativeMessagingHosts/app.gatewatch.browser.json");
        assert!(mine.exists());
        // The package's, as scripts/package writes them: Chromium's and Firefox's (lib64 on
        // Fedora) name this host; Chrome's names another install's.
        let system = |rel: &str, family: Family, host: &str| {
            let f = h.join("root").join(rel).join("app.gatewatch.browser.json");
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            std::fs::write(f, manifest(family, host)).unwrap();
        };
        system(
            "etc/chromium/native-messaging-hosts",
            Family::Chromium,
            host,
        );
        system(
            "usr/lib64/mozilla/native-messaging-hosts",
            Family::Firefox,
            host,
        );
        system(
            "etc/opt/chrome/native-messaging-hosts",
            Family::Chrome,
            "/opt/gatewatch/gatewatch-browser-host",
        );

        let got = install(Os::Linux, &h, &plans);
        let states: Vec<_> = got.iter().map(|(e, _)| e.state.clone()).collect();
        assert_eq!(
            states,
            vec![
                HostState::System,
                HostState::Registered,
                HostState::NotInstalled,
                HostState::System,
            ]
        );
        assert!(got.iter().all(|(_, e)| e.is_none()), "{got:?}");
        assert!(
            !mine.exists(),
            "the user's own is removed: the package's does it"
        );
        assert!(!h
            .join(".mozilla/native-messaging-hosts/app.gatewatch.browser.json")
            .exists());
        // Chrome's system-wide one names another program: the user's own names this one.
        let chrome =
            h.join(".config/google-chrome/NativeMessagingHosts/app.gatewatch.browser.json");
        let text = std::fs::read_to_string(chrome).unwrap();
        assert_eq!(manifest_path(&text).as_deref(), Some(host));
        std::fs::remove_dir_all(&h).ok();
    }

    #[test]
    fn the_packages_system_wide_manifests_come_and_go_and_only_ours() {
        let root = home("system-root");
        let host = "/usr/bin/gatewatch-browser-host";
        let written = system_install(&root, host);
        let files: Vec<String> = written
            .iter()
            .map(|(f, r)| {
                assert!(r.is_ok(), "{f:?}: {r:?}");
                // With `/` whatever the platform running the test.
                let rel = f.strip_prefix(&root).unwrap().display().to_string();
                rel.replace('\\', "/")
            })
            .collect();
        assert_eq!(
            files,
            vec![
                "etc/chromium/native-messaging-hosts/app.gatewatch.browser.json",
                "etc/opt/chrome/native-messaging-hosts/app.gatewatch.browser.json",
                "etc/opt/edge/native-messaging-hosts/app.gatewatch.browser.json",
                // No /usr/lib64 here (Debian): Firefox's in /usr/lib only.
                "usr/lib/mozilla/native-messaging-hosts/app.gatewatch.browser.json",
            ]
        );
        let firefox = std::fs::read_to_string(root.join(&files[3])).unwrap();
        assert_eq!(firefox, manifest(Family::Firefox, host));
        // The tray then finds them and writes none for the user.
        let h = home("system-user");
        std::fs::create_dir_all(h.join(".mozilla")).unwrap();
        let places = Places {
            system_root: Some(root.clone()),
            ..places(&h)
        };
        let plans = plan(Os::Linux, &places, host).unwrap();
        let got = install(Os::Linux, &h, &plans);
        assert_eq!(got[3].0.state, HostState::System);

        // Fedora keeps 64-bit libraries in /usr/lib64, where its Firefox looks.
        std::fs::create_dir_all(root.join("usr/lib64")).unwrap();
        let written = system_install(&root, host);
        assert_eq!(written.len(), 5);
        assert!(root
            .join("usr/lib64/mozilla/native-messaging-hosts/app.gatewatch.browser.json")
            .is_file());

        // Someone else's file under our name stays, and is said.
        let other = root.join("etc/opt/edge/native-messaging-hosts/app.gatewatch.browser.json");
        std::fs::write(&other, r#"{"name":"com.other","path":"/x"}"#).unwrap();
        let (removed, errors) = system_remove(&root);
        assert_eq!(removed.len(), 4, "{removed:?}");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(other.exists());
        assert!(!root.join(&files[0]).exists());
        let (removed, errors) = system_remove(&root);
        assert!(removed.is_empty() && errors.len() == 1);
        std::fs::remove_dir_all(&root).ok();
        std::fs::remove_dir_all(&h).ok();
    }
}
