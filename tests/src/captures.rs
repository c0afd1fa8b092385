//! Real responses from chatgpt.com, api.openai.com, the phone apps' hosts and status.openai.com,
//! as people captured them in public bug reports and fixtures (`core/tests/captures/`).
//!
//! One file per response: metadata lines (`source:`, `date:`, `host:`, `path:`, `shown:`,
//! `truncated:`, `expect:`, `note:`), a blank line, the status line, the headers the source
//! shows, a blank line, and the body exactly as the source shows it. A status of `000` means the
//! source showed the body but not its status code: such a capture cannot be served as HTTP and is
//! read by the classifier alone.

use std::path::{Path, PathBuf};

use crate::Page;

#[derive(Debug, Clone)]
pub struct Capture {
    pub file: PathBuf,
    pub source: String,
    pub date: String,
    pub host: String,
    pub path: String,
    pub shown: String,
    pub truncated: String,
    /// The reading a correct Gatewatch gives (see the corpus's README).
    pub expect: String,
    pub note: String,
    /// `None` when the source did not show it (`000`).
    pub status: Option<u16>,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("{0}: {1}")]
    Format(PathBuf, String),
}

impl Capture {
    /// Every `*.txt` capture in `dir`, sorted by file name.
    pub fn load_dir(dir: &Path) -> Result<Vec<Capture>, CaptureError> {
        let entries = std::fs::read_dir(dir).map_err(|e| CaptureError::Io(dir.to_path_buf(), e))?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        files.iter().map(|f| Capture::load(f)).collect()
    }

    pub fn load(file: &Path) -> Result<Capture, CaptureError> {
        let text =
            std::fs::read_to_string(file).map_err(|e| CaptureError::Io(file.to_path_buf(), e))?;
        Capture::parse(file, &text)
    }

    pub fn parse(file: &Path, text: &str) -> Result<Capture, CaptureError> {
        let bad = |m: &str| CaptureError::Format(file.to_path_buf(), m.to_string());
        let text = text.replace("\r\n", "\n");
        let (meta, rest) = text
            .split_once("\n\n")
            .ok_or_else(|| bad("no blank line after the metadata"))?;
        let field = |name: &str| -> Result<String, CaptureError> {
            meta.lines()
                .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
                .map(|v| v.trim().to_string())
                .ok_or_else(|| bad(&format!("no `{name}:` line")))
        };
        let (head, body) = match rest.split_once("\n\n") {
            Some((h, b)) => (h, b),
            None => (rest.trim_end_matches('\n'), ""),
        };
        let mut lines = head.lines();
        let status_line = lines.next().ok_or_else(|| bad("no status line"))?;
        let code = status_line
            .strip_prefix("HTTP/")
            .and_then(|r| r.split_whitespace().nth(1))
            .ok_or_else(|| bad("the status line must read `HTTP/1.1 <code> <reason>`"))?;
        let status = match code {
            "000" => None,
            c => Some(
                c.parse::<u16>()
                    .ok()
                    .filter(|s| (100..600).contains(s))
                    .ok_or_else(|| bad("the status code must be 100-599, or 000 if unknown"))?,
            ),
        };
        let headers = lines
            .map(|l| {
                l.split_once(':')
                    .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
                    .ok_or_else(|| bad(&format!("not a header line: {l:?}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let source = field("source")?;
        if !source.starts_with("https://") {
            return Err(bad("`source:` must be an https URL"));
        }
        Ok(Capture {
            file: file.to_path_buf(),
            source,
            date: field("date")?,
            host: field("host")?,
            path: field("path")?,
            shown: field("shown")?,
            truncated: field("truncated")?,
            expect: field("expect")?,
            note: field("note").unwrap_or_default(),
            status,
            headers,
            body: body.to_string(),
        })
    }

    pub fn name(&self) -> String {
        self.file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// The response to serve, exactly as captured (None when its status is unknown).
    pub fn page(&self) -> Option<Page> {
        let status = self.status?;
        // Framing is the fake server's job: a captured length or encoding would lie about the
        // body as stored here.
        let headers = self
            .headers
            .iter()
            .filter(|(n, _)| {
                !matches!(
                    n.as_str(),
                    "content-length" | "transfer-encoding" | "content-encoding" | "connection"
                )
            })
            .cloned()
            .collect();
        Some(Page::raw(status, headers, self.body.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_layout() {
        let c = Capture::parse(
            Path::new("x.txt"),
            "source: https://example.test/1\ndate: 2025-01-23\nhost: chatgpt.com\npath: /\nshown: raw-html\ntruncated: no\nexpect: gateway\nnote: n\n\nHTTP/1.1 502 Bad Gateway\nServer: cloudflare\ncf-ray: 1-FRA\n\n<html>\n\n</html>\n",
        )
        .unwrap();
        assert_eq!(c.status, Some(502));
        assert_eq!(c.headers[0], ("server".into(), "cloudflare".into()));
        assert_eq!(c.body, "<html>\n\n</html>\n");
        assert_eq!(c.expect, "gateway");
        let c = Capture::parse(
            Path::new("y.txt"),
            "source: https://e.test\ndate: d\nhost: h\npath: p\nshown: s\ntruncated: no\nexpect: ok\n\nHTTP/1.1 000 Unknown\n\n{}",
        )
        .unwrap();
        assert_eq!(c.status, None);
        assert!(c.page().is_none());
        assert!(Capture::parse(Path::new("z"), "source: http://x\n\nHTTP/1.1 200 OK\n\n").is_err());
        assert!(Capture::parse(Path::new("z"), "no metadata").is_err());
    }
}
