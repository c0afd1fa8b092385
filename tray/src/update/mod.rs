//! The tray's side of the update check: when to check (a timer task posting [`Msg::Due`]),
//! the check itself (a task with a client of its own, dropped when it is done, so nothing of it
//! stays resident), what the menu and the Settings page say, and — on Windows, when asked —
//! the download, the verification and the installer's start. The decisions are the core's
//! ([`gatewatch_core::update`]); [`Updater`] is owned by the app and changed only from its loop.
//!
//! What differs per platform (where downloads go, how the installer is started) is one module
//! each, chosen once here: `windows.rs`; `other.rs` everywhere else, where nothing is ever
//! installed (Linux's package managers and the release page bring new versions there).

#[cfg_attr(windows, path = "windows.rs")]
#[cfg_attr(not(windows), path = "other.rs")]
mod imp;

use std::path::{Path, PathBuf};
use std::time::Duration;

use gatewatch_core::ipc::UpdateAction;
use gatewatch_core::notice::{Notice, Urgency};
use gatewatch_core::settings::{Config, ProxySetting, Settings};
use gatewatch_core::store;
use gatewatch_core::text::Lang;
use gatewatch_core::update::{
    self, channel, fetch::Fetcher, Channel, Found, NotInstalled, Policy, Release, State, Tell,
    UpdateError, UpdateView, Updates, Version,
};
use tokio::sync::mpsc;
use tokio::task::{AbortHandle, JoinSet};

use crate::event::Event;
use crate::menu::{MenuId, UpdateLines};

/// The version this program is. `GATEWATCH_BUILD_VERSION` at build time overrides Cargo's, for
/// the tests that need a "next version" of the tray without building everything again.
pub const VERSION: &str = match option_env!("GATEWATCH_BUILD_VERSION") {
    Some(v) => v,
    None => env!("CARGO_PKG_VERSION"),
};

/// What the tray keeps about updates in its data directory.
pub const STATE_FILE: &str = "update.json";
/// The installer asks the tray to quit (`gatewatch-app --quit`) as its first step; if it is
/// still running this long after it started without having asked, the tray steps aside anyway.
const INSTALLER_QUIT_WAIT: Duration = Duration::from_secs(30);
/// An installer that ends this soon, without having asked the tray to quit, did not install.
const INSTALLER_CHECK: Duration = Duration::from_millis(500);

/// What the update tasks tell the app.
#[derive(Debug)]
pub enum Msg {
    /// The daily check is due.
    Due,
    Checked {
        result: Result<Found, UpdateError>,
        manual: bool,
    },
    Downloaded(Result<PathBuf, UpdateError>),
    /// The installer ended before it asked the tray to quit: it did not install. `detail`
    /// is for the log.
    InstallerEnded {
        code: Option<i32>,
        detail: String,
    },
}

/// The app's state of updates.
pub struct Updater {
    running: Version,
    /// The `updates` setting, as the menu's switch shows it.
    setting: Updates,
    policy: Result<Policy, UpdateError>,
    proxy: ProxySetting,
    timeout: Duration,
    channel: Channel,
    state: State,
    path: PathBuf,
    started_ms: i64,
    seed: u64,
    timer: Option<AbortHandle>,
    checking: bool,
    /// A newer version, verified, as the latest check found it.
    available: Option<Release>,
    /// Downloading or starting this version's installer.
    installing: Option<Version>,
    /// Why the latest install failed (said in the language of the moment).
    problem: Option<NotInstalled>,
    /// Why the latest check failed.
    last_error: Option<UpdateError>,
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Where a download goes, and whether installing is possible here.
pub fn downloads_dir() -> Option<PathBuf> {
    imp::downloads_dir()
}

impl Updater {
    /// Read what was remembered, and the switches.
    pub fn new(data_dir: &Path, s: &Settings, cfg: &Config) -> Updater {
        let path = data_dir.join(STATE_FILE);
        let now = now_ms();
        let state = match store::read_as::<State>(&path, (now / 1000) as u64) {
            Ok(s) => s.unwrap_or_default(),
            Err(e) => {
                tracing::warn!("update state: {e}");
                State::default()
            }
        };
        let running = Version::parse(VERSION).unwrap_or_else(|e| {
            // The build's own version is always one; a broken override must not stop the tray.
            tracing::error!("this build's version: {e}");
            Version::parse("0.0.0").expect("a version")
        });
        let policy = policy_of(s);
        let u = Updater {
            running,
            setting: s.updates,
            policy,
            proxy: cfg.proxy.clone(),
            timeout: cfg.probe.timeout,
            channel: channel::detect(),
            state,
            path,
            started_ms: now,
            seed: now as u64 ^ u64::from(std::process::id()).rotate_left(32),
            timer: None,
            checking: false,
            available: None,
            installing: None,
            problem: None,
            last_error: None,
        };
        match &u.policy {
            Ok(Policy::Check { url }) => tracing::info!(%url, "update checks: once a day"),
            Ok(p) => tracing::info!(
                "update checks: none ({})",
                p.refusal().map(|e| e.to_string()).unwrap_or_default()
            ),
            Err(e) => tracing::warn!("update checks: none: {e}"),
        }
        u
    }

    /// At start: the first start's notice (when checks are on), and the first check's timer.
    pub fn start(
        &mut self,
        tasks: &mut JoinSet<()>,
        events: &mpsc::Sender<Event>,
        lang: Lang,
    ) -> Option<Notice> {
        self.schedule(tasks, events);
        if !matches!(self.policy, Ok(Policy::Check { .. })) || self.state.told_daily_check {
            return None;
        }
        self.state.told_daily_check = true;
        self.save();
        let (title, body) = update::daily_check_notice(lang);
        Some(notice(title, body))
    }

    /// Settings changed: the switches and the address again; the proxy and timeout too.
    pub fn reconfigure(
        &mut self,
        s: &Settings,
        cfg: &Config,
        tasks: &mut JoinSet<()>,
        events: &mpsc::Sender<Event>,
    ) {
        self.proxy = cfg.proxy.clone();
        self.timeout = cfg.probe.timeout;
        self.apply(s, tasks, events);
    }

    /// The `updates` setting changed (the menu's switch): the switches again.
    pub fn apply(&mut self, s: &Settings, tasks: &mut JoinSet<()>, events: &mpsc::Sender<Event>) {
        let policy = policy_of(s);
        self.setting = s.updates;
        if policy != self.policy {
            self.policy = policy;
            if !matches!(self.policy, Ok(Policy::Check { .. })) {
                self.available = None;
            }
            self.schedule(tasks, events);
        }
    }

    fn schedule(&mut self, tasks: &mut JoinSet<()>, events: &mpsc::Sender<Event>) {
        if let Some(t) = self.timer.take() {
            t.abort();
        }
        let Ok(p @ Policy::Check { .. }) = &self.policy else {
            return;
        };
        let at = update::next_check_ms(
            &self.state,
            self.started_ms,
            now_ms(),
            p.loopback(),
            self.seed,
        );
        tracing::debug!(in_s = (at - now_ms()) / 1000, "next update check");
        self.timer = Some(tasks.spawn(due_at(at, events.clone())));
    }

    /// The menu's "Check for updates", the Settings page's button, or the timer.
    fn check(&mut self, manual: bool, tasks: &mut JoinSet<()>, events: &mpsc::Sender<Event>) {
        let Ok(Policy::Check { url }) = &self.policy else {
            return;
        };
        if self.checking {
            return;
        }
        self.checking = true;
        let loopback = self.policy.as_ref().is_ok_and(Policy::loopback);
        let (url, proxy, timeout, running, events) = (
            url.clone(),
            self.proxy.clone(),
            self.timeout,
            self.running.clone(),
            events.clone(),
        );
        tasks.spawn(async move {
            let result = async {
                let f = Fetcher::new(&proxy, loopback, timeout, &running)?;
                f.check(&url, &running, update::PLATFORM, &update::trusted_keys())
                    .await
                // The client goes here, with its connection pool and TLS configuration.
            }
            .await;
            // Its TLS, HTTP and signature code ran once today: hand those pages back.
            crate::app::shed("an update check");
            if events
                .send(Event::Update(Msg::Checked { result, manual }))
                .await
                .is_err()
            {
                tracing::debug!("an update check ended while the app was stopping");
            }
        });
    }

    /// A message from one of the update tasks; what to notify, if anything.
    pub fn on(
        &mut self,
        msg: Msg,
        tasks: &mut JoinSet<()>,
        events: &mpsc::Sender<Event>,
        lang: Lang,
    ) -> Option<Notice> {
        match msg {
            Msg::Due => {
                self.timer = None;
                self.check(false, tasks, events);
                None
            }
            Msg::Checked { result, manual } => {
                self.checking = false;
                match &result {
                    Ok(Found::Newer(r)) => {
                        tracing::info!(version = %r.version, "update check: a newer version is available")
                    }
                    Ok(Found::UpToDate { latest }) => {
                        tracing::info!(%latest, "update check: up to date")
                    }
                    // The one line a failed check leaves; the next is tomorrow.
                    Err(e) => tracing::warn!("update check: no update: {e}"),
                }
                let told = update::tell(&mut self.state, &result, manual, now_ms());
                self.last_error = result.as_ref().err().cloned();
                match result {
                    Ok(Found::Newer(r)) => {
                        // Asked by hand, a skipped version is offered again.
                        if manual && self.state.skipped.as_deref() == Some(&r.version.to_string()) {
                            self.state.skipped = None;
                        }
                        self.available = Some(r);
                    }
                    Ok(Found::UpToDate { .. }) => self.available = None,
                    // A failed check takes nothing away from what the last one found.
                    Err(_) => {}
                }
                self.save();
                self.schedule(tasks, events);
                if let Tell::Available(r) = &told {
                    tracing::info!(version = %r.version, "telling of a new version");
                }
                update::answer(&told, &self.running, self.channel, lang).map(|(t, b)| notice(t, b))
            }
            Msg::Downloaded(Ok(path)) => self.run_installer(&path, tasks, events, lang),
            Msg::Downloaded(Err(e)) => {
                let detail = e.to_string();
                self.install_failed(NotInstalled::Update(e), &detail, lang)
            }
            Msg::InstallerEnded { code, detail } => {
                self.install_failed(NotInstalled::Ended { code }, &detail, lang)
            }
        }
    }

    /// Something asked of the updates: from the menu, or the window.
    pub fn act(
        &mut self,
        action: UpdateAction,
        tasks: &mut JoinSet<()>,
        events: &mpsc::Sender<Event>,
        lang: Lang,
    ) -> Option<Notice> {
        match action {
            UpdateAction::Check => {
                self.check(true, tasks, events);
                None
            }
            UpdateAction::Skip => {
                if let Some(r) = &self.available {
                    tracing::info!(version = %r.version, "skipping this version");
                    self.state.skipped = Some(r.version.to_string());
                    self.save();
                }
                None
            }
            UpdateAction::Install => self.install(tasks, events, lang),
        }
    }

    /// Windows: download the installer, verify it, start it.
    fn install(
        &mut self,
        tasks: &mut JoinSet<()>,
        events: &mpsc::Sender<Event>,
        lang: Lang,
    ) -> Option<Notice> {
        let (Some(r), None) = (
            self.available.clone().filter(|r| !self.skipped(r)),
            &self.installing,
        ) else {
            return None;
        };
        let Some(dir) = downloads_dir().filter(|_| self.channel == Channel::Installer) else {
            return self.install_failed(
                NotInstalled::NotHere,
                "Gatewatch does not install itself on this system",
                lang,
            );
        };
        let loopback = self.policy.as_ref().is_ok_and(Policy::loopback);
        tracing::info!(version = %r.version, url = %r.url, "downloading the update");
        self.installing = Some(r.version.clone());
        self.problem = None;
        let (proxy, timeout, running, events) = (
            self.proxy.clone(),
            self.timeout,
            self.running.clone(),
            events.clone(),
        );
        tasks.spawn(async move {
            let result = async {
                // Only this version's file is kept: older downloads go.
                imp::clear_downloads(&dir);
                let f = Fetcher::new(&proxy, loopback, timeout, &running)?;
                f.download(&r, &dir, &update::trusted_keys(), update::DOWNLOAD_CAP)
                    .await
            }
            .await;
            if events
                .send(Event::Update(Msg::Downloaded(result)))
                .await
                .is_err()
            {
                tracing::debug!("a download ended while the app was stopping");
            }
        });
        None
    }

    fn run_installer(
        &mut self,
        path: &Path,
        tasks: &mut JoinSet<()>,
        events: &mpsc::Sender<Event>,
        lang: Lang,
    ) -> Option<Notice> {
        tracing::info!(path = %path.display(), "the update is verified; starting its installer");
        let mut child = match imp::start_installer(path) {
            Ok(c) => c,
            Err(e) => {
                // Smart App Control, an antivirus, a policy: Windows refused to run it.
                return self.install_failed(
                    NotInstalled::Refused,
                    &format!("Windows did not start the installer: {e}"),
                    lang,
                );
            }
        };
        tracing::info!(pid = ?child.id(), "installer started; it will ask Gatewatch to quit");
        let events = events.clone();
        tasks.spawn(async move {
            let ended = tokio::time::timeout(INSTALLER_QUIT_WAIT, async {
                tokio::time::sleep(INSTALLER_CHECK).await;
                child.wait().await
            })
            .await;
            let ev = match ended {
                Ok(Ok(s)) => Event::Update(Msg::InstallerEnded {
                    code: s.code(),
                    detail: format!("the installer ended without installing ({s})"),
                }),
                Ok(Err(e)) => Event::Update(Msg::InstallerEnded {
                    code: None,
                    detail: format!("cannot watch the installer: {e}"),
                }),
                Err(_) => Event::Quit("the installer is running"),
            };
            if events.send(ev).await.is_err() {
                tracing::debug!("the installer's watch ended with the app");
            }
        });
        None
    }

    /// `detail` (addresses, the library's and the system's words) goes to the log only.
    fn install_failed(&mut self, why: NotInstalled, detail: &str, lang: Lang) -> Option<Notice> {
        tracing::warn!("update not installed: {detail}");
        self.installing = None;
        let line = update::install_failed(&why, lang);
        self.problem = Some(why);
        Some(Notice {
            title: update::install_failed_title(lang),
            body: line,
            urgency: Urgency::Normal,
            kind: "update",
        })
    }

    fn skipped(&self, r: &Release) -> bool {
        self.state.skipped.as_deref() == Some(&r.version.to_string())
    }

    fn save(&self) {
        if let Err(e) = store::write_json(&self.path, &self.state) {
            tracing::warn!("update state not saved: {e}");
        }
    }

    /// The menu's lines.
    pub fn lines(&self, lang: Lang) -> UpdateLines {
        let mut l = UpdateLines::default();
        // The switch, unless the environment turned checks off (the setting would not count).
        let forced_off = matches!(self.policy, Ok(Policy::Off { by }) if by == update::OFF_BY_ENV);
        if !matches!(self.policy, Ok(Policy::Explained(_))) && !forced_off {
            l.daily = Some((
                update::menu_word(update::MenuWord::Daily, lang),
                self.setting == Updates::Notify,
            ));
        }
        match &self.policy {
            Ok(Policy::Explained(s)) => {
                l.check = Some((MenuId::UpdateInfo, s.to_string(), false));
                return l;
            }
            Ok(Policy::Check { .. }) => {}
            // Off, or an address that cannot be used: nothing to show, nothing to click.
            Ok(Policy::Off { .. }) | Err(_) => return l,
        }
        let word = |w| update::menu_word(w, lang);
        l.check = Some(if self.checking {
            (
                MenuId::CheckForUpdates,
                word(update::MenuWord::Checking),
                false,
            )
        } else {
            (MenuId::CheckForUpdates, word(update::MenuWord::Check), true)
        });
        if let Some(v) = &self.installing {
            l.top
                .push((MenuId::UpdateInfo, update::installing(v, lang), false));
            return l;
        }
        if let Some(p) = &self.problem {
            l.top
                .push((MenuId::UpdateInfo, update::install_failed(p, lang), false));
        }
        if let Some(r) = self.available.as_ref().filter(|r| !self.skipped(r)) {
            l.top.push((
                MenuId::UpdateInfo,
                update::available_title(&r.version, lang),
                true,
            ));
            match self.channel {
                Channel::Installer => {
                    l.top
                        .push((MenuId::InstallUpdate, word(update::MenuWord::Install), true))
                }
                Channel::ReleasePage => l.top.push((
                    MenuId::OpenReleasePage,
                    word(update::MenuWord::ReleasePage),
                    true,
                )),
                Channel::Apt | Channel::Dnf => {
                    l.top
                        .push((MenuId::UpdateInfo, update::how(self.channel, lang), false))
                }
            }
            l.top
                .push((MenuId::SkipVersion, word(update::MenuWord::Skip), true));
        }
        l
    }

    /// What the Settings page shows.
    pub fn view(&self, lang: Lang) -> UpdateView {
        let (mode, explanation) = match &self.policy {
            Ok(Policy::Explained(s)) => ("explained", Some(s.to_string())),
            Ok(Policy::Check { .. }) => ("notify", None),
            Ok(Policy::Off { .. }) | Err(_) => ("off", None),
        };
        UpdateView {
            mode,
            explanation,
            current: self.running.to_string(),
            available: self.available.as_ref().map(|r| r.version.to_string()),
            notes: self.available.as_ref().map(|r| r.notes.clone()),
            how: self
                .available
                .as_ref()
                .map(|_| update::how(self.channel, lang)),
            skipped: self.available.as_ref().is_some_and(|r| self.skipped(r)),
            error: self
                .last_error
                .as_ref()
                .or(self.policy.as_ref().err())
                .map(|e| e.words(lang)),
            install: self
                .installing
                .as_ref()
                .map(|v| update::installing(v, lang))
                .or_else(|| {
                    self.problem
                        .as_ref()
                        .map(|p| update::install_failed(p, lang))
                }),
            last_check_ms: self.state.last_check_ms,
        }
    }
}

fn policy_of(s: &Settings) -> Result<Policy, UpdateError> {
    update::policy(s.updates, s.update_url.as_deref(), |k| {
        std::env::var(k).ok()
    })
}

fn notice(title: String, body: String) -> Notice {
    Notice {
        title,
        body,
        urgency: Urgency::Normal,
        kind: "update",
    }
}

/// Post [`Msg::Due`] at wall-clock time `at_ms`. The wall clock is looked at every few minutes,
/// so that a computer asleep past the time checks soon after it wakes.
async fn due_at(at_ms: i64, events: mpsc::Sender<Event>) {
    loop {
        let left = at_ms - now_ms();
        if left <= 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(left.min(600_000) as u64)).await;
    }
    if events.send(Event::Update(Msg::Due)).await.is_err() {
        tracing::debug!("the update timer fired while the app was stopping");
    }
}
