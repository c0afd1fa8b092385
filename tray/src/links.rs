//! Opening a link in the system browser without waiting for it: `xdg-open` (Linux), `open`
//! (macOS), `start` (Windows). Only the core's allow-listed [`Link`]s are ever opened.

use gatewatch_core::links::Link;

pub async fn open(link: Link) {
    let url = link.url();
    let mut cmd = if cfg!(target_os = "macos") {
        tokio::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = tokio::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        tokio::process::Command::new("xdg-open")
    };
    cmd.arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null());
    match cmd.status().await {
        Ok(s) if s.success() => tracing::info!("opened {url}"),
        Ok(s) => tracing::warn!("cannot open {url}: the opener ended with {s}"),
        Err(e) => tracing::warn!("cannot open {url}: {e}"),
    }
}
