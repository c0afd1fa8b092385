//! I/O at the edge of [`super::hosts`]: writing and removing the per-user host manifests its
//! [`plan`](super::hosts::plan) describes. A manifest is written only where the browser's
//! profile folder exists, atomically, and a file at that place that is not Gatewatch's is never
//! replaced or removed. On Windows the registry key that names each file is the caller's to
//! write (the tray's platform module, the installer); here only the files are.

use std::io::Write as _;
use std::path::Path;

use super::hosts::{is_ours, sandboxes_found, HostEntry, HostState, Os, Plan};

#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error("{path}: not Gatewatch's manifest; left as it is")]
    NotOurs { path: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> RegisterError + '_ {
    move |source| RegisterError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Write each family's manifest where its browser has a profile; say where each stands. On
/// Linux, sandboxed installs found under `home` are named beside it.
pub fn install(os: Os, home: &Path, plans: &[Plan]) -> Vec<(HostEntry, Option<RegisterError>)> {
    plans
        .iter()
        .map(|p| {
            let (state, error) = if !p.profiles.iter().any(|d| d.is_dir()) {
                (HostState::NotInstalled, None)
            } else {
                match write(&p.registration.file, &p.registration.contents) {
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

/// Remove every family's manifest that is Gatewatch's (uninstalling): the files removed, and
/// what could not be.
pub fn remove(plans: &[Plan]) -> (Vec<&Path>, Vec<RegisterError>) {
    let mut removed = Vec::new();
    let mut errors = Vec::new();
    for p in plans {
        let file = p.registration.file.as_path();
        match std::fs::read_to_string(file) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => errors.push(io(file)(e)),
            Ok(text) if !is_ours(&text) => errors.push(RegisterError::NotOurs {
                path: file.display().to_string(),
            }),
            Ok(_) => match std::fs::remove_file(file) {
                Ok(()) => removed.push(file),
                Err(e) => errors.push(io(file)(e)),
            },
        }
    }
    (removed, errors)
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
}
