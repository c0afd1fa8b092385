//! A tray host and a notification tap for a headless desktop session (`scripts/desktop-session`):
//! the desktop tests and the benchmark observe the app through these, over D-Bus, as a real
//! panel and a real notification daemon's client would.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use std::collections::HashMap;

use zbus::object_server::SignalEmitter;
use zbus::zvariant::{OwnedObjectPath, OwnedValue, Value};

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

    fn get(&self, item: &str, name: &str) -> Option<OwnedValue> {
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
        reply.body().deserialize().ok()
    }

    fn prop(&self, item: &str, name: &str) -> Option<String> {
        String::try_from(self.get(item, name)?).ok()
    }

    /// The colour of the icon the tray would draw: from the pixels the item sends
    /// (`IconPixmap`, ARGB32, the largest size), else from the icon file it names.
    pub fn icon_color(&self) -> Option<[u8; 3]> {
        let item = self.item()?;
        if let Some(c) = self.pixmap_color(&item) {
            return Some(c);
        }
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

    fn pixmap_color(&self, item: &str) -> Option<[u8; 3]> {
        let v = self.get(item, "IconPixmap")?;
        let icons: Vec<(i32, i32, Vec<u8>)> = Vec::try_from(v).ok()?;
        let (w, h, data) = icons.into_iter().max_by_key(|(w, _, _)| *w)?;
        let (x, y) = (w * 17 / 100, h / 2);
        let i = ((y * w + x) * 4) as usize;
        // ARGB, network byte order.
        Some([*data.get(i + 1)?, *data.get(i + 2)?, *data.get(i + 3)?])
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

    /// The item's tooltip: (title, description).
    pub fn tooltip(&self) -> Option<(String, String)> {
        let item = self.item()?;
        let v = self.get(&item, "ToolTip")?;
        let Value::Structure(s) = &*v else {
            return None;
        };
        let f = s.fields();
        let text = |i: usize| match f.get(i) {
            Some(Value::Str(s)) => Some(s.as_str().to_string()),
            _ => None,
        };
        Some((text(2)?, text(3)?))
    }

    /// Wait until the tooltip satisfies `want`; the last one seen otherwise.
    pub fn wait_for_tooltip(
        &self,
        secs: u64,
        want: impl Fn(&str, &str) -> bool,
    ) -> Result<(String, String), String> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        let mut last = None;
        while Instant::now() < deadline {
            last = self.tooltip();
            if let Some((t, d)) = &last {
                if want(t, d) {
                    return Ok((t.clone(), d.clone()));
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err(format!("tooltip {last:?}"))
    }

    /// A left click on the icon, as a panel sends it (`Activate(x, y)`).
    pub fn activate(&self) -> Result<(), String> {
        let item = self.item().ok_or("no tray item")?;
        let slash = item.find('/').ok_or("bad item")?;
        let (dest, path) = item.split_at(slash);
        self.conn
            .call_method(
                Some(dest),
                path,
                Some("org.kde.StatusNotifierItem"),
                "Activate",
                &(10i32, 10i32),
            )
            .map(drop)
            .map_err(|e| e.to_string())
    }

    fn menu_path(&self) -> Option<(String, String)> {
        let item = self.item()?;
        let dest = item.split('/').next()?.to_string();
        let path = OwnedObjectPath::try_from(self.get(&item, "Menu")?).ok()?;
        Some((dest, path.as_str().to_string()))
    }

    /// The menu as a panel would show it: every item, depth first, with its id, label (access
    /// key markers removed) and whether it is enabled.
    pub fn menu(&self) -> Vec<MenuLine> {
        let Some((dest, path)) = self.menu_path() else {
            return Vec::new();
        };
        type Layout = (i32, HashMap<String, OwnedValue>, Vec<OwnedValue>);
        let Ok(reply) = self.conn.call_method(
            Some(dest.as_str()),
            path.as_str(),
            Some("com.canonical.dbusmenu"),
            "GetLayout",
            &(0i32, -1i32, Vec::<String>::new()),
        ) else {
            return Vec::new();
        };
        let Ok((_rev, (_, _, children))) = reply.body().deserialize::<(u32, Layout)>() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for c in &children {
            walk(c, &mut out);
        }
        out
    }

    /// Click the menu item labelled `label`, as a panel does (`Event(id, "clicked", …)`).
    pub fn click(&self, label: &str) -> Result<(), String> {
        let line = self
            .menu()
            .into_iter()
            .find(|l| l.label == label)
            .ok_or_else(|| format!("no menu item {label:?}"))?;
        let (dest, path) = self.menu_path().ok_or("no menu")?;
        self.conn
            .call_method(
                Some(dest.as_str()),
                path.as_str(),
                Some("com.canonical.dbusmenu"),
                "Event",
                &(line.id, "clicked", Value::from(0i32), 0u32),
            )
            .map(drop)
            .map_err(|e| e.to_string())
    }

    /// Wait until some menu line satisfies `want`.
    pub fn wait_for_menu(
        &self,
        secs: u64,
        want: impl Fn(&MenuLine) -> bool,
    ) -> Result<MenuLine, String> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        let mut last = Vec::new();
        while Instant::now() < deadline {
            last = self.menu();
            if let Some(l) = last.iter().find(|l| want(l)) {
                return Ok(l.clone());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err(format!("menu: {last:?}"))
    }
}

/// One item of a tray menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuLine {
    pub id: i32,
    pub label: String,
    pub enabled: bool,
    /// For check items: whether checked.
    pub checked: Option<bool>,
}

fn walk(v: &Value, out: &mut Vec<MenuLine>) {
    let v = match v {
        Value::Value(inner) => inner.as_ref(),
        other => other,
    };
    let Value::Structure(s) = v else { return };
    let [Value::I32(id), Value::Dict(props), Value::Array(children)] = s.fields() else {
        return;
    };
    let mut line = MenuLine {
        id: *id,
        label: String::new(),
        enabled: true,
        checked: None,
    };
    let mut separator = false;
    for (k, val) in props.iter() {
        let (Value::Str(k), val) = (k, val) else {
            continue;
        };
        let val = match val {
            Value::Value(inner) => inner.as_ref(),
            other => other,
        };
        match (k.as_str(), val) {
            ("label", Value::Str(l)) => {
                line.label = l
                    .as_str()
                    .replace("__", "\u{0}")
                    .replace('_', "")
                    .replace('\u{0}', "_")
            }
            ("enabled", Value::Bool(b)) => line.enabled = *b,
            ("toggle-state", Value::I32(t)) => line.checked = Some(*t == 1),
            ("type", Value::Str(t)) if t.as_str() == "separator" => separator = true,
            _ => {}
        }
    }
    if !separator {
        out.push(line);
    }
    for c in children.inner() {
        walk(c, out);
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
