//! Start at login on Linux: an XDG autostart entry, `$XDG_CONFIG_HOME/autostart/gatewatch.desktop`,
//! whose `Exec` is this very executable (the AppImage when run from one); turning it off removes
//! the file.

use std::path::{Path, PathBuf};

use crate::autostart::AutostartError;

const FILE: &str = "gatewatch.desktop";
/// What tauri-plugin-autostart wrote, before the tray became its own process.
const OLD_FILE: &str = "Gatewatch.desktop";

fn dir() -> Result<PathBuf, AutostartError> {
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    var("XDG_CONFIG_HOME")
        .or_else(|| var("HOME").map(|h| h.join(".config")))
        .map(|c| c.join("autostart"))
        .ok_or(AutostartError::NoConfigDir)
}

fn program() -> Result<PathBuf, AutostartError> {
    // Inside an AppImage our executable is in a temporary mount; the image is what to run.
    if let Some(image) = std::env::var_os("APPIMAGE").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(image));
    }
    std::env::current_exe().map_err(AutostartError::Exe)
}

/// Make the autostart entry exist (`on`) or not.
pub fn set(on: bool) -> Result<(), AutostartError> {
    let dir = dir()?;
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| AutostartError::Io { path, source }
    };
    let old = dir.join(OLD_FILE);
    if std::fs::read_to_string(&old).is_ok_and(|t| t.contains("gatewatch-app")) {
        std::fs::remove_file(&old).map_err(io(&old))?;
    }
    let path = dir.join(FILE);
    if on {
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        let tmp = dir.join(format!(".{FILE}.tmp-{}", std::process::id()));
        std::fs::write(&tmp, entry(&program()?)).map_err(io(&tmp))?;
        std::fs::rename(&tmp, &path).map_err(io(&path))
    } else {
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(&path)(e)),
            _ => Ok(()),
        }
    }
}

/// The desktop entry that starts `exe` at login.
fn entry(exe: &Path) -> String {
    format!(
        "[Desktop Entry]\nType=Application\nName=Gatewatch\nComment=Is ChatGPT down, and why?\n\
         Exec={}\nTerminal=false\nX-GNOME-Autostart-enabled=true\n",
        exec_arg(&exe.to_string_lossy())
    )
}

/// One argument of `Exec=`, quoted as the Desktop Entry spec asks: reserved characters in
/// double quotes with `"`, `` ` ``, `$` and `\` escaped, `%` doubled; then the string
/// level's own escaping of backslashes.
fn exec_arg(arg: &str) -> String {
    let arg = arg.replace('%', "%%");
    if !arg.chars().any(|c| " \t\n\"'\\><~|&;$*?#()`".contains(c)) {
        return arg;
    }
    let mut q = String::from("\"");
    for c in arg.chars() {
        if matches!(c, '"' | '`' | '$' | '\\') {
            q.push('\\');
        }
        q.push(c);
    }
    q.push('"');
    q.replace('\\', "\\\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exec_is_quoted_as_the_spec_says() {
        assert_eq!(exec_arg("/usr/bin/gatewatch-app"), "/usr/bin/gatewatch-app");
        assert_eq!(
            exec_arg("/home/a b/100%/gatewatch-app"),
            "\"/home/a b/100%%/gatewatch-app\""
        );
        assert_eq!(exec_arg("/x/$y"), "\"/x/\\\\$y\"");
        let e = entry(Path::new("/opt/gw/gatewatch-app"));
        assert!(e.starts_with("[Desktop Entry]\n"), "{e}");
        assert!(e.contains("\nExec=/opt/gw/gatewatch-app\n"), "{e}");
    }
}
