//! A tray host and a notification tap for a headless desktop session (`scripts/desktop-session`):
//! the desktop tests and the benchmark observe the app through these, over D-Bus, as a real
//! panel and a real notification daemon's client would.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use zbus::object_server::SignalEmitter;
use zbus::zvariant::OwnedValue;

/// The tray host: records every StatusNotifierItem that registers.
#[derive(Default, Clone)]
struct Watcher {
    items: Arc<Mutex<Vec<String>>>,
}

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    async fn register_status_notifier_item(
        &self,
        service: &str,
        #[zbus(header)] header: zbus::message::Header<'_>,
        #[zbus(signal_emitter)] emitter: SignalEmitter<'_>,
    ) {
        let sender = header.sender().map(|s| s.to_string()).unwrap_or_default();
        // Items register either a bus name or (like libayatana-appindicator) an object path.
        let item = if service.starts_with('/') {
            format!("{sender}{service}")
        } else {
            format!("{service}/StatusNotifierItem")
        };
        self.items.lock().unwrap().push(item.clone());
        Self::status_notifier_item_registered(&emitter, &item)
            .await
            .ok();
    }

    async fn register_status_notifier_host(&self, _service: &str) {}

    #[zbus(property)]
    fn registered_status_notifier_items(&self) -> Vec<String> {
        self.items.lock().unwrap().clone()
    }

    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn protocol_version(&self) -> i32 {
        0
    }

    #[zbus(signal)]
    async fn status_notifier_item_registered(
        emitter: &SignalEmitter<'_>,
        service: &str,
    ) -> zbus::Result<()>;

    #[zbus(signal)]
    async fn status_notifier_host_registered(emitter: &SignalEmitter<'_>) -> zbus::Result<()>;
}

pub struct TrayHost {
    conn: zbus::blocking::Connection,
    watcher: Watcher,
}

impl TrayHost {
    /// Own `org.kde.StatusNotifierWatcher` on the session bus.
    pub fn start() -> TrayHost {
        let watcher = Watcher::default();
        let conn = zbus::blocking::connection::Builder::session()
            .expect("a D-Bus session bus (run under scripts/desktop-session)")
            .name("org.kde.StatusNotifierWatcher")
            .unwrap()
            .serve_at("/StatusNotifierWatcher", watcher.clone())
            .unwrap()
            .build()
            .expect("own org.kde.StatusNotifierWatcher");
        TrayHost { conn, watcher }
    }

    /// The latest item that registered, as `bus-name/object-path`.
    pub fn item(&self) -> Option<String> {
        self.watcher.items.lock().unwrap().last().cloned()
    }

    fn prop(&self, item: &str, name: &str) -> Option<String> {
        let slash = item.find('/')?;
        let (dest, path) = item.split_at(slash);
        let reply = self
            .conn
            .call_method(
                Some(dest),
                path,
                Some("org.freedesktop.DBus.Properties"),
                "Get",
                &("org.kde.StatusNotifierItem", name),
            )
            .ok()?;
        let v: OwnedValue = reply.body().deserialize().ok()?;
        String::try_from(v).ok()
    }

    /// The colour of the icon the tray would draw: the item's icon file, as it names it.
    pub fn icon_color(&self) -> Option<[u8; 3]> {
        let item = self.item()?;
        let name = self.prop(&item, "IconName")?;
        let file = if Path::new(&name).is_absolute() {
            PathBuf::from(&name)
        } else {
            PathBuf::from(self.prop(&item, "IconThemePath")?).join(format!("{name}.png"))
        };
        let decoder = png::Decoder::new(BufReader::new(std::fs::File::open(&file).ok()?));
        let mut reader = decoder.read_info().ok()?;
        let mut buf = vec![0; reader.output_buffer_size()?];
        let info = reader.next_frame(&mut buf).ok()?;
        let channels = info.color_type.samples();
        let (x, y) = (info.width * 17 / 100, info.height / 2);
        let i = ((y * info.width + x) as usize) * channels;
        Some([buf[i], buf[i + 1], buf[i + 2]])
    }

    pub fn wait_for_color(&self, want: [u8; 3], secs: u64) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        let mut last = None;
        while Instant::now() < deadline {
            last = self.icon_color();
            if last == Some(want) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err(format!("tray icon colour {last:?}, wanted {want:?}"))
    }
}

/// Every Notify call on the session bus, as `(when, app_name, summary)`.
pub struct NotificationTap {
    child: Child,
    calls: Arc<Mutex<Vec<(Instant, String, String)>>>,
}

impl NotificationTap {
    pub fn start() -> NotificationTap {
        let mut child = Command::new("dbus-monitor")
            .args([
                "--session",
                "type='method_call',interface='org.freedesktop.Notifications',member='Notify'",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-monitor");
        let out = child.stdout.take().unwrap();
        let calls = Arc::new(Mutex::new(Vec::new()));
        let sink = calls.clone();
        std::thread::spawn(move || {
            let mut strings: Option<Vec<String>> = None;
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if line.starts_with("method call") && line.contains("member=Notify") {
                    strings = Some(Vec::new());
                } else if let (Some(s), Some(rest)) = (
                    strings.as_mut(),
                    line.trim_start().strip_prefix("string \""),
                ) {
                    s.push(rest.trim_end_matches('"').to_string());
                    // app_name, app_icon, summary: the summary is the third string argument.
                    if s.len() == 3 {
                        sink.lock()
                            .unwrap()
                            .push((Instant::now(), s[0].clone(), s[2].clone()));
                        strings = None;
                    }
                }
            }
        });
        // dbus-monitor needs a moment to install its match rule.
        std::thread::sleep(Duration::from_millis(500));
        NotificationTap { child, calls }
    }

    /// Gatewatch's notifications so far: when each was sent, and its summary.
    pub fn notices(&self) -> Vec<(Instant, String)> {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, app, _)| app == "Gatewatch")
            .map(|(t, _, s)| (*t, s.clone()))
            .collect()
    }

    pub fn summaries(&self) -> Vec<String> {
        self.notices().into_iter().map(|(_, s)| s).collect()
    }

    pub fn wait_for(&self, summary: &str, secs: u64) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        while Instant::now() < deadline {
            if self.summaries().iter().any(|s| s == summary) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err(format!(
            "no {summary:?} notification; saw {:?}",
            self.summaries()
        ))
    }
}

impl Drop for NotificationTap {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}
