//! A real HTTP proxy on loopback: Debian's tinyproxy, started with a generated configuration on
//! a free port (with or without basic auth), its log kept to count what went through it, and
//! stopped on demand or on drop. No mock of the HTTP client: what Gatewatch does through it is
//! what it would do through an office proxy.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Tinyproxy {
    child: Option<Child>,
    addr: SocketAddr,
    dir: PathBuf,
    auth: Option<(String, String)>,
}

impl Tinyproxy {
    /// Start tinyproxy on 127.0.0.1 on a free port; `auth` turns on `BasicAuth`. Fails if
    /// tinyproxy is not installed (scripts/install-deps test) or does not listen within 5 s.
    pub fn start(auth: Option<(&str, &str)>) -> std::io::Result<Tinyproxy> {
        Self::start_with(auth, &[])
    }

    /// The same, with tinyproxy's own `Filter`: the domains in `blocked` (regular expressions,
    /// as its filter file takes them) are refused with its "403 Filtered" page, to `CONNECT`
    /// and to plain requests alike — an office proxy's policy.
    pub fn start_with(auth: Option<(&str, &str)>, blocked: &[&str]) -> std::io::Result<Tinyproxy> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let dir =
            std::env::temp_dir().join(format!("gatewatch-tinyproxy-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let mut conf = format!(
            "Port {port}\nListen 127.0.0.1\nTimeout 10\nLogLevel Connect\nMaxClients 50\nAllow 127.0.0.1\n"
        );
        if let Some((user, pass)) = auth {
            conf.push_str(&format!("BasicAuth {user} {pass}\n"));
        }
        if !blocked.is_empty() {
            let filter = dir.join("filter");
            std::fs::write(&filter, blocked.join("\n") + "\n")?;
            conf.push_str(&format!(
                "Filter \"{}\"\nFilterType ere\nFilterDefaultDeny No\n",
                filter.display()
            ));
        }
        let conf_path = dir.join("tinyproxy.conf");
        std::fs::File::create(&conf_path)?.write_all(conf.as_bytes())?;
        let log = std::fs::File::create(dir.join("tinyproxy.log"))?;
        let child = Command::new("tinyproxy")
            .arg("-d")
            .arg("-c")
            .arg(&conf_path)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .map_err(|e| {
                std::io::Error::new(
                    e.kind(),
                    format!(
                        "cannot start tinyproxy ({e}): install it with scripts/install-deps test"
                    ),
                )
            })?;
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let mut p = Tinyproxy {
            child: Some(child),
            addr,
            dir,
            auth: auth.map(|(u, p)| (u.into(), p.into())),
        };
        let deadline = Instant::now() + Duration::from_secs(5);
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            if Instant::now() > deadline {
                p.stop();
                return Err(std::io::Error::other(format!(
                    "tinyproxy did not listen on {addr}: {}",
                    p.log()
                )));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(p)
    }

    /// `http://127.0.0.1:<port>`, with the credentials when it was started with them.
    pub fn url(&self) -> String {
        match &self.auth {
            Some((u, p)) => format!("http://{u}:{p}@{}", self.addr),
            None => format!("http://{}", self.addr),
        }
    }

    /// The same address without credentials.
    pub fn url_without_login(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Its log so far.
    pub fn log(&self) -> String {
        let mut s = String::new();
        if let Ok(mut f) = std::fs::File::open(self.dir.join("tinyproxy.log")) {
            // A log that cannot be read reads as empty; the counts then fail loudly.
            let _partial = f.read_to_string(&mut s);
        }
        s
    }

    /// How many requests it has been asked to forward (or tunnel) so far.
    pub fn requests(&self) -> usize {
        self.log()
            .lines()
            .filter(|l| l.contains("Request (file descriptor"))
            .count()
    }

    /// Stop it (the process this helper started, by its handle) and wait for it.
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            if let Err(e) = c.kill() {
                eprintln!("tinyproxy: cannot stop it: {e}");
            }
            if let Err(e) = c.wait() {
                eprintln!("tinyproxy: cannot reap it: {e}");
            }
        }
    }
}

impl Drop for Tinyproxy {
    fn drop(&mut self) {
        self.stop();
        if let Err(e) = std::fs::remove_dir_all(&self.dir) {
            eprintln!("tinyproxy: cannot remove {}: {e}", self.dir.display());
        }
    }
}
