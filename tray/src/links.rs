//! Opening a link in the system browser without waiting for it, with the platform's opener
//! (`xdg-open`, `open`, the Windows shell's URL handler). Only the core's allow-listed [`Link`]s are ever opened.

use gatewatch_core::links::Link;

pub async fn open(link: Link) {
    let url = link.url();
    let mut cmd = crate::platform::opener(url);
    cmd.stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null());
    match cmd.status().await {
        Ok(s) if s.success() => tracing::info!("opened {url}"),
        Ok(s) => tracing::warn!("cannot open {url}: the opener ended with {s}"),
        Err(e) => tracing::warn!("cannot open {url}: {e}"),
    }
}
