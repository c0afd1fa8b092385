//! The tray process's one owner of state. It reads the monitor task's outputs and a closed set
//! of [`Event`]s (tray clicks, notification clicks, the local socket's clients, the explainer
//! process ending, signals) from one loop, and is the only writer of the view, the history, the
//! settings it acts on, the tray's look and the explainer session. Everything it starts runs in
//! its `JoinSet` and stops with it.
//!
//! It never waits for the explainer: messages to a client go through a bounded queue, and a
//! client that does not keep up is dropped.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitStatus;
use std::sync::Arc;
use std::time::{Duration, Instant};

use gatewatch_core::alert;
use gatewatch_core::browser::hosts::Family;
use gatewatch_core::browser::{self as door, TrayWord, Window};
use gatewatch_core::diagnose::Verdict;
use gatewatch_core::driver::{self, Command, Output};
use gatewatch_core::history::{History, Record};
use gatewatch_core::ipc::{self, FromTray, Page, ToTray, UpdateAction};
use gatewatch_core::links::Link;
use gatewatch_core::model::NetErrorKind;
use gatewatch_core::monitor::Status;
use gatewatch_core::notice::{Notice, Urgency};
use gatewatch_core::report::Report;
use gatewatch_core::settings::{ProxySetting, Settings};
use gatewatch_core::statuspage::PageFailure;
use gatewatch_core::store;
use gatewatch_core::text::{self, Lang, Then, WindowTrouble};
use gatewatch_core::update::Updates;
use gatewatch_core::view::{HistoryView, View};
use tokio::sync::{mpsc, watch};
use tokio::task::{AbortHandle, JoinHandle, JoinSet};

use gatewatch_core::channel::{Conn, Listener};

use crate::clients;
use crate::event::{ClientId, Event};
use crate::menu::{MenuId, TrayEvent, TrayModel};
use crate::update::Updater;
use crate::{autostart, browser, explainer, links, notify, settings};

/// Samples are written at most this often; outages at once.
const SAVE_EVERY: Duration = Duration::from_secs(300);
/// How long after start-up (the first check on screen) or the window's close their memory is
/// given back: time for what was still running to end.
const SETTLED: Duration = Duration::from_secs(2);

/// Give back the memory only the start or a rare task needed ([`crate::platform::shed`]).
pub fn shed(after: &str) {
    let advised = crate::platform::shed();
    tracing::debug!(after, advised, "read-only pages handed back");
}
/// How long quitting waits for the monitor to stop and its last records to arrive.
const STOP_WAIT: Duration = Duration::from_secs(5);
/// At Quit, notices still on their way to a channel get this long.
const ALERTS_GRACE: Duration = Duration::from_secs(3);

pub struct Options {
    pub verbose: bool,
    /// Open the explainer at start.
    pub show: bool,
    pub socket: Option<PathBuf>,
    /// The channel we listen on (None: it could not be set up; the tray works without it).
    pub listener: Option<Listener>,
}

/// Starts the tray backend with the model to draw and the channel for what people do to it.
pub type StartTray =
    Box<dyn FnOnce(watch::Receiver<TrayModel>, mpsc::Sender<Event>) -> Option<JoinHandle<()>>>;

struct Client {
    queue: mpsc::Sender<Arc<str>>,
    writer: AbortHandle,
    reader: AbortHandle,
    /// Let go after an answer: the writer sends what is queued, then closes its side.
    finishing: bool,
}

impl Drop for Client {
    fn drop(&mut self) {
        // The writer may be stuck on a client that stopped reading: stop it, which closes the
        // connection, and the reader with it — unless it is finishing an answer, which ends it.
        self.reader.abort();
        if !self.finishing {
            self.writer.abort();
        }
    }
}

/// A connected `gatewatch-browser-host`: its browser's latest window (in memory only, while it
/// is connected), and the word it was last told.
#[derive(Default)]
struct BrowserClient {
    records: Vec<door::Record>,
    told: Option<TrayWord>,
    /// The browser, when its host could tell.
    family: Option<Family>,
}

/// The explainer process we started and are waiting for.
struct Child {
    generation: u64,
    pid: Option<u32>,
    /// It connected and said hello.
    connected: bool,
}

struct App {
    verbose: bool,
    events: mpsc::Sender<Event>,
    tasks: JoinSet<()>,
    commands: mpsc::Sender<Command>,
    /// The tray backend's task, where it is one (Linux).
    tray: Option<JoinHandle<()>>,

    view: View,
    model: TrayModel,
    model_tx: watch::Sender<TrayModel>,

    history: History,
    history_path: PathBuf,
    last_save: Instant,
    dirty: bool,
    /// The view's history pages no longer match the history (or were never reckoned): they are
    /// reckoned before the view goes to a window, and only then — with no window open the
    /// pages cost nothing.
    history_stale: bool,
    /// Why the status page could not be read, for the next check's report.
    status_error: Option<PageFailure>,

    settings: Settings,
    settings_path: PathBuf,
    lang: Lang,

    socket: Option<PathBuf>,
    clients: HashMap<ClientId, Client>,
    next_client: ClientId,
    /// The connected explainer, if one is open.
    session: Option<ClientId>,
    child: Option<Child>,
    generation: u64,
    /// A page asked for while the explainer was starting.
    pending_page: Option<Page>,
    /// New versions: the check's schedule, what it found, the menu's lines about it.
    updates: Updater,

    /// The task sending notices to the channels; started with the first channel configured,
    /// so that a tray with none makes no such request and keeps no such task.
    alerts: Option<alert::send::Handle>,
    /// What it needs besides the channels (the checks' proxy; loopback endpoints in tests).
    alert_route: (ProxySetting, bool),
    alert_seq: u64,
    /// What the sender was last told of this computer's network.
    alerts_online: Option<bool>,
    /// The channels' states, as the sender last reported them (the settings' order).
    channel_lanes: Vec<alert::outbox::LaneView>,
    /// The last "Send a test" of each channel.
    channel_tests: Vec<Option<alert::TestOutcome>>,

    /// The browser hosts connected now.
    browsers: HashMap<ClientId, BrowserClient>,
    /// The window last handed to the monitor (what `gatewatch check` is told).
    browser_window: Option<Window>,
    /// The first check is on screen (start-up is over).
    started: bool,
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

fn now_secs() -> u64 {
    (now_ms() / 1000) as u64
}

fn offset_minutes() -> i32 {
    chrono::Local::now().offset().local_minus_utc() / 60
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot configure the monitor: {0}")]
    Config(#[from] gatewatch_core::settings::ConfigError),
    #[error("cannot start the monitor: {0}")]
    Monitor(#[from] gatewatch_core::probe::ProbeError),
}

/// Run Gatewatch until Quit or a signal; the history is saved before this returns.
pub async fn run(opts: Options, start_tray: StartTray) -> Result<(), StartError> {
    let data_dir = settings::data_dir();
    tracing::info!(version = crate::update::VERSION, data = %data_dir.display(), "Gatewatch starting");
    let settings_path = data_dir.join(store::SETTINGS_FILE);
    let (mut s, mut warnings) = settings::load(&settings_path, now_secs());
    let cfg = settings::config(
        &mut s,
        &mut warnings,
        now_secs() ^ u64::from(std::process::id()),
    )?;
    for w in &warnings {
        tracing::warn!("{w}");
    }
    let lang = settings::lang(&s);
    let history_path = data_dir.join(store::HISTORY_FILE);
    let (history, history_problem) = store::load_history(&history_path, now_secs());
    if let Some(e) = history_problem {
        tracing::warn!("{e}");
        warnings.push(text::store_problem(&e, Then::NewHistory, lang));
    }
    if let Err(e) = autostart::set(s.start_at_login) {
        tracing::warn!("start at login: {e}");
    }

    let updates = Updater::new(&data_dir, &s, &cfg);
    let alert_route = (cfg.proxy.clone(), cfg.endpoints.all_loopback());
    let handle = driver::spawn(cfg)?;
    let (events_tx, mut events_rx) = mpsc::channel(64);
    let model = TrayModel::starting(lang, s.start_at_login);
    let (model_tx, model_rx) = watch::channel(model.clone());
    let tray = start_tray(model_rx, events_tx.clone());

    let mut app = App {
        verbose: opts.verbose,
        events: events_tx,
        tasks: JoinSet::new(),
        commands: handle.commands,
        tray,
        view: View {
            warnings: warnings.clone(),
            lang: lang.code(),
            utc_offset_minutes: offset_minutes(),
            ..View::default()
        },
        model,
        model_tx,
        history,
        history_path,
        last_save: Instant::now(),
        dirty: false,
        history_stale: true,
        status_error: None,
        settings: s,
        settings_path,
        lang,
        socket: opts.socket,
        clients: HashMap::new(),
        next_client: 1,
        session: None,
        child: None,
        generation: 0,
        pending_page: None,
        updates,
        alerts: None,
        alert_route,
        alert_seq: 0,
        alerts_online: None,
        channel_lanes: Vec::new(),
        channel_tests: Vec::new(),
        browsers: HashMap::new(),
        browser_window: None,
        started: false,
    };
    app.channels_changed();
    if let Some(listener) = opts.listener {
        app.tasks.spawn(accept(listener, app.events.clone()));
    }
    app.tasks.spawn(quit_on_signals(app.events.clone()));
    // The browsers' host manifests, for the companion extension: small files, off the loop.
    // Where each browser stands goes to the Settings page.
    let events = app.events.clone();
    app.tasks.spawn(async move {
        match tokio::task::spawn_blocking(browser::register_hosts).await {
            Ok(said) => {
                if events.send(Event::BrowserHosts(said)).await.is_err() {
                    tracing::debug!("browser hosts: the app has stopped");
                }
            }
            Err(e) => tracing::warn!("browser hosts: {e}"),
        }
    });
    if !warnings.is_empty() {
        app.notify(Notice {
            title: text::settings_reset_title(lang),
            body: warnings.join("\n"),
            urgency: Urgency::Normal,
            kind: "warning",
        });
    }
    if let Some(n) = app.updates.start(&mut app.tasks, &app.events, lang) {
        app.notify(n);
    }
    app.refresh_updates();
    if opts.show {
        app.open(Page::Status);
    }

    let mut outputs = handle.outputs;
    loop {
        tokio::select! {
            out = outputs.recv() => match out {
                Some(o) => app.on_output(o),
                None => {
                    tracing::error!("the monitor stopped by itself; quitting");
                    break;
                }
            },
            Some(ev) = events_rx.recv() => {
                if let Event::Quit(why) = ev {
                    tracing::info!("{why}: quitting");
                    break;
                }
                app.on_event(ev);
            }
            Some(done) = app.tasks.join_next(), if !app.tasks.is_empty() => {
                if let Err(e) = done {
                    if e.is_panic() {
                        tracing::error!("a background task failed: {e}");
                    }
                }
            }
        }
        app.publish();
    }
    app.shutdown(outputs).await;
    Ok(())
}

/// Accept connections on the channel for as long as the app runs; dropping the listener (when
/// the app stops this task) removes the socket file (Unix) or frees the pipe's name (Windows).
async fn accept(mut listener: Listener, events: mpsc::Sender<Event>) {
    loop {
        match listener.accept().await {
            Ok(stream) => {
                if events.send(Event::Connected(stream)).await.is_err() {
                    return;
                }
            }
            Err(e) => {
                // Out of descriptors, most likely: wait rather than spin.
                tracing::warn!("cannot accept a connection: {e}");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// SIGTERM (logout, `kill`) and SIGINT (Ctrl-C with `--verbose`), or Ctrl-C on Windows, quit
/// cleanly, like "Quit": the monitor stops and the history is saved.
async fn quit_on_signals(events: mpsc::Sender<Event>) {
    let why = crate::platform::quit_requests().await;
    if events.send(Event::Quit(why)).await.is_err() {
        tracing::debug!("{why} while stopping");
    }
}

async fn wait_for(mut child: tokio::process::Child, generation: u64, events: mpsc::Sender<Event>) {
    let relay = child
        .stderr
        .take()
        .map(|e| tokio::spawn(explainer::relay(e)));
    let status = child.wait().await;
    // Its last words are in the pipe already, unless a process it started holds the pipe open:
    // wait for them only a moment.
    let why = match relay {
        Some(r) => tokio::time::timeout(Duration::from_millis(500), r)
            .await
            .ok()
            .and_then(Result::ok)
            .flatten(),
        None => None,
    };
    if events
        .send(Event::ExplainerExited {
            generation,
            status,
            why,
        })
        .await
        .is_err()
    {
        tracing::debug!("the explainer ended while the app was stopping");
    }
}

impl App {
    // ---- the monitor -------------------------------------------------------------------

    fn on_output(&mut self, out: Output) {
        let lang = self.lang;
        match out {
            Output::Checking => {
                self.view.checking = true;
                self.send_view();
            }
            Output::Checked {
                observation,
                diagnosis,
                status,
            } => {
                let now = now_ms();
                let mut report = Report::new(
                    &observation,
                    &diagnosis,
                    self.status_error.take().as_ref(),
                    lang,
                    now,
                );
                // The tray is the one the browser talks to: the browser's part is always said.
                report.browser_asked();
                self.model.show(&status, offset_minutes());
                self.view.utc_offset_minutes = offset_minutes();
                let first = !std::mem::replace(&mut self.started, true);
                self.view.checked(report, *status, lang);
                self.history_stale = true;
                self.send_view();
                self.tell_browsers();
                if first {
                    // Start-up is over once the first check is on screen.
                    self.shed_soon("start-up");
                }
            }
            Output::Changed(status) => {
                self.tell_alerts_online(status.verdict);
                self.model.show(&status, offset_minutes());
                self.view.set_status(*status, lang);
                self.send_view();
                self.tell_browsers();
            }
            Output::Notify(t, status) => {
                self.alert(&t, &status);
                // The monitor decides notices for the channels too: the desktop shows them
                // only when the `notifications` setting is on.
                if self.settings.notifications {
                    self.notify(Notice::render(&t, lang, offset_minutes()));
                }
            }
            Output::Record(r) => {
                let important = !matches!(r, Record::Sample(_));
                self.history.apply(r);
                self.dirty = true;
                self.history_stale = true;
                if important || self.last_save.elapsed() >= SAVE_EVERY {
                    self.save_history();
                }
            }
            Output::StatusPageUnread(f) => {
                tracing::warn!("{f}");
                self.status_error = Some(f);
            }
            // The library's words go to the log; the window says what it means.
            Output::Warning(m) => {
                tracing::warn!("new settings not applied: {m}");
                self.view.warnings.push(text::settings_not_applied(lang));
                self.send_view();
            }
            Output::NetworkChanged(networks) => {
                tracing::info!("another network ({networks}): starting over, checking now");
            }
            Output::Log(m) => tracing::warn!("{m}"),
        }
    }

    fn save_history(&mut self) {
        if let Err(e) = store::save_history(&self.history_path, &self.history) {
            tracing::error!("history not saved: {e}");
        }
        self.last_save = Instant::now();
        self.dirty = false;
    }

    fn command(&self, cmd: Command) {
        if let Err(e) = self.commands.try_send(cmd) {
            tracing::warn!("the monitor did not take a command: {e}");
        }
    }

    // ---- the channels -------------------------------------------------------------------

    /// The channels or the route to them changed (or the app starts): start the sender with
    /// the first channel, or tell the running one.
    fn channels_changed(&mut self) {
        let setup = alert::send::Setup {
            channels: self.settings.channels.clone(),
            proxy: self.alert_route.0.clone(),
            loopback: self.alert_route.1,
        };
        self.channel_tests
            .resize(self.settings.channels.len(), None);
        if let Some(h) = &self.alerts {
            let cmd = alert::send::Command::Reconfigure(Box::new(setup));
            if h.commands.try_send(cmd).is_err() {
                tracing::warn!("alerts: the sender is busy; new channels not applied");
            }
        } else if !setup.channels.is_empty() {
            let (h, mut reports) = alert::send::spawn(setup);
            let events = self.events.clone();
            self.tasks.spawn(async move {
                while let Some(r) = reports.recv().await {
                    if events.send(Event::Alerts(r)).await.is_err() {
                        return;
                    }
                }
            });
            self.alerts = Some(h);
            self.alerts_online = None;
            if let Some(v) = self.view.status.as_ref().map(|s| s.verdict) {
                self.tell_alerts_online(v);
            }
        }
        self.show_channels();
    }

    /// A notice the monitor decided, to the channels that want it (off this loop: the queue
    /// is the sender's).
    fn alert(&mut self, t: &gatewatch_core::monitor::Transition, status: &Status) {
        let Some(h) = &self.alerts else { return };
        self.alert_seq += 1;
        let a = alert::Alert::compose(
            t,
            status,
            self.lang,
            offset_minutes(),
            now_ms(),
            self.alert_seq,
        );
        if h.commands
            .try_send(alert::send::Command::Alert(Box::new(a)))
            .is_err()
        {
            tracing::warn!(
                "alerts: the sender is not keeping up; a notice for the channels was dropped"
            );
        }
    }

    /// A notice while this computer is offline waits for its network.
    fn tell_alerts_online(&mut self, verdict: Verdict) {
        let online = verdict != Verdict::Offline;
        let Some(h) = &self.alerts else { return };
        if self.alerts_online != Some(online)
            && h.commands
                .try_send(alert::send::Command::Online(online))
                .is_ok()
        {
            self.alerts_online = Some(online);
        }
    }

    fn on_alerts(&mut self, r: alert::send::Report) {
        match r {
            alert::send::Report::States(lanes) => {
                self.channel_lanes = lanes;
                self.show_channels();
            }
            // Never a URL or a token: the sender names channels by their host.
            alert::send::Report::Log(line) => tracing::warn!("alerts: {line}"),
        }
    }

    /// The channels' states to the menu's line and the window.
    fn show_channels(&mut self) {
        let specs = &self.settings.channels;
        // Lanes come in the settings' order; until the sender reports, none is failing.
        let lanes = if self.channel_lanes.len() == specs.len() {
            self.channel_lanes.as_slice()
        } else {
            &[]
        };
        self.model.channel_problem = alert::failing_line(specs, lanes, self.lang);
        let views = alert::channel_views(specs, lanes, &self.channel_tests, self.lang);
        if views != self.view.channels || self.model.channel_problem != self.view.channel_problem {
            self.view.channels = views;
            self.view.channel_problem = self.model.channel_problem.clone();
            self.send_view();
        }
    }

    /// "Send a test" from the Settings page, to a saved channel, past its queue.
    fn test_channel(&mut self, index: usize) {
        let (Some(h), Some(spec)) = (&self.alerts, self.settings.channels.get(index)) else {
            tracing::warn!("alerts: no channel {index} to test");
            return;
        };
        self.alert_seq += 1;
        let a = alert::Alert::test(
            self.view.status.as_ref(),
            self.lang,
            offset_minutes(),
            now_ms(),
            self.alert_seq,
        );
        let (reply, answer) = tokio::sync::oneshot::channel();
        let cmd = alert::send::Command::Test {
            spec: Box::new(spec.clone()),
            alert: Box::new(a),
            reply,
        };
        if h.commands.try_send(cmd).is_err() {
            tracing::warn!("alerts: the sender is busy; test not sent");
            return;
        }
        let events = self.events.clone();
        self.tasks.spawn(async move {
            let result = answer
                .await
                .unwrap_or(Err(alert::outbox::Failure::Net(NetErrorKind::Protocol)));
            events
                .send(Event::ChannelTested { index, result })
                .await
                .ok();
        });
    }

    fn notify(&mut self, n: Notice) {
        self.tasks
            .spawn(notify::deliver(n, self.lang, self.events.clone()));
    }

    /// Redraw the tray if anything it shows changed.
    fn publish(&self) {
        self.model_tx.send_if_modified(|m| {
            if *m == self.model {
                false
            } else {
                m.clone_from(&self.model);
                true
            }
        });
    }

    // ---- events -----------------------------------------------------------------------

    fn on_event(&mut self, ev: Event) {
        match ev {
            Event::Tray(TrayEvent::Menu(id)) => self.on_menu(id),
            Event::Tray(TrayEvent::Activate) | Event::NotificationClicked => {
                self.open(Page::Status);
            }
            Event::Connected(stream) => self.connected(stream),
            Event::Alerts(r) => self.on_alerts(r),
            Event::ChannelTested { index, result } => {
                if let Err(f) = &result {
                    tracing::warn!("alerts: the test to channel {index} failed: {f:?}");
                }
                if let Some(slot) = self.channel_tests.get_mut(index) {
                    *slot = Some(alert::TestOutcome::of(result, now_ms(), self.lang));
                }
                self.show_channels();
            }
            Event::Client { id, msg } => self.on_client(id, msg),
            Event::Disconnected(id) => self.drop_client(id),
            Event::ExplainerExited {
                generation,
                status,
                why,
            } => self.explainer_exited(generation, status, why),
            Event::Update(msg) => {
                let told = self
                    .updates
                    .on(msg, &mut self.tasks, &self.events, self.lang);
                self.after_update(told);
            }
            Event::BrowserHosts(said) => {
                match said {
                    Ok(entries) => self.view.browsers.registered(entries),
                    Err(why) => self.view.browsers.not_registered(why),
                }
                self.send_view();
            }
            // Handled by the loop, which stops.
            Event::Quit(_) => {}
        }
    }

    fn on_menu(&mut self, id: MenuId) {
        match id {
            MenuId::Status
            | MenuId::OpenExplainer
            | MenuId::ExplainerProblem
            | MenuId::ChannelProblem => {
                self.open(Page::Status);
            }
            MenuId::CheckNow => self.command(Command::CheckNow),
            MenuId::OpenChatgpt => {
                self.tasks.spawn(links::open(Link::Chatgpt));
            }
            MenuId::OpenStatusPage => {
                self.tasks.spawn(links::open(Link::StatusPage));
            }
            MenuId::SnoozeHour => {
                self.command(Command::Snooze(ipc::SnoozeKind::Hour.snooze()));
            }
            MenuId::SnoozeUntilRecovered => {
                self.command(Command::Snooze(ipc::SnoozeKind::UntilRecovered.snooze()));
            }
            MenuId::Unsnooze => self.command(Command::Unsnooze),
            MenuId::Settings => self.open(Page::Settings),
            MenuId::StartAtLogin => self.toggle_start_at_login(),
            MenuId::UpdateChecks => self.toggle_update_checks(),
            MenuId::Quit => {
                if self.events.try_send(Event::Quit("Quit")).is_err() {
                    tracing::error!("cannot quit: the event queue is full");
                }
            }
            MenuId::UpdateInfo => self.open(Page::Settings),
            MenuId::CheckForUpdates => self.update(UpdateAction::Check),
            MenuId::SkipVersion => self.update(UpdateAction::Skip),
            MenuId::InstallUpdate => self.update(UpdateAction::Install),
            MenuId::OpenReleasePage => {
                self.tasks.spawn(links::open(Link::Releases));
            }
        }
    }

    fn update(&mut self, action: UpdateAction) {
        let told = self
            .updates
            .act(action, &mut self.tasks, &self.events, self.lang);
        self.after_update(told);
    }

    /// Notify what the updater has to say, and show its state in the menu and the window.
    fn after_update(&mut self, told: Option<Notice>) {
        if let Some(n) = told {
            self.notify(n);
        }
        self.refresh_updates();
    }

    fn refresh_updates(&mut self) {
        self.model.update = self.updates.lines(self.lang);
        self.view.update = Some(self.updates.view(self.lang));
        self.send_view();
    }

    fn toggle_start_at_login(&mut self) {
        let on = !self.settings.start_at_login;
        if let Err(e) = autostart::set(on) {
            tracing::warn!("start at login: {e}");
            return;
        }
        self.settings.start_at_login = on;
        self.model.start_at_login = on;
        if let Err(e) = settings::save(&self.settings_path, &self.settings) {
            tracing::warn!("{e}");
        }
    }

    /// The menu's "Check for new versions daily": the `updates` setting flipped, saved, applied.
    fn toggle_update_checks(&mut self) {
        self.settings.updates = match self.settings.updates {
            Updates::Notify => Updates::Off,
            Updates::Off => Updates::Notify,
        };
        tracing::info!(
            updates = self.settings.updates.as_str(),
            "update checks switched from the menu"
        );
        if let Err(e) = settings::save(&self.settings_path, &self.settings) {
            tracing::warn!("{e}");
        }
        self.updates
            .apply(&self.settings, &mut self.tasks, &self.events);
        self.refresh_updates();
    }

    /// The explainer saved new settings: read them, and apply what changed.
    fn reconfigure(&mut self) {
        let (mut s, mut warnings) = match settings::read(&self.settings_path, now_secs()) {
            Ok(read) => read,
            Err(e) => {
                // What runs now was good: keep it, and put it back on disk for the next start
                // (the damaged file stays aside, named in the warning).
                tracing::warn!("{e}");
                let saved = settings::save(&self.settings_path, &self.settings);
                let warning = match &saved {
                    Ok(()) => text::store_problem(&e, Then::KeptSettings, self.lang),
                    Err(w) => {
                        tracing::warn!("{w}");
                        text::store_problem(&e, Then::KeptUnsaved(w), self.lang)
                    }
                };
                self.view.warnings = vec![warning];
                self.send_view();
                return;
            }
        };
        let cfg = match settings::config(&mut s, &mut warnings, now_secs()) {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!("new settings not applied: {e}");
                return;
            }
        };
        for w in &warnings {
            tracing::warn!("{w}");
        }
        if s.start_at_login != self.settings.start_at_login {
            if let Err(e) = autostart::set(s.start_at_login) {
                tracing::warn!("start at login: {e}");
            }
        }
        let lang = settings::lang(&s);
        self.lang = lang;
        self.model.lang = lang;
        self.model.start_at_login = s.start_at_login;
        if let Some(status) = self.view.status.clone() {
            self.model.show(&status, offset_minutes());
            self.view.set_status(status, lang);
        } else {
            self.model = TrayModel {
                problem: self.model.problem.take(),
                channel_problem: self.model.channel_problem.take(),
                ..TrayModel::starting(lang, s.start_at_login)
            };
        }
        self.view.lang = lang.code();
        self.view.warnings = warnings;
        self.history_stale = true;
        self.updates
            .reconfigure(&s, &cfg, &mut self.tasks, &self.events);
        let channels_before = std::mem::take(&mut self.settings.channels);
        self.settings = s;
        self.alert_route = (cfg.proxy.clone(), cfg.endpoints.all_loopback());
        if channels_before != self.settings.channels {
            self.channel_tests = vec![None; self.settings.channels.len()];
        }
        self.channels_changed();
        self.command(Command::Reconfigure(Box::new(cfg)));
        self.command(Command::CheckNow);
        self.refresh_updates();
        self.tell_browsers();
    }

    // ---- the explainer ----------------------------------------------------------------

    /// Show the explainer on `page`: bring the open one forward, or start one.
    fn open(&mut self, page: Page) {
        if let Some(id) = self.session {
            self.send(id, &FromTray::Show { page });
            return;
        }
        if self.child.as_ref().is_some_and(|c| !c.connected) {
            // It is starting; it will be told once it says hello.
            self.pending_page = Some(page);
            return;
        }
        let Some(socket) = self.socket.clone() else {
            let why = "no local socket to talk to it".to_string();
            self.explainer_failed(WindowTrouble::NoChannel, why, false);
            return;
        };
        let spawned = explainer::program()
            .map_err(|why| (WindowTrouble::CannotRun, why))
            .and_then(|program| {
                explainer::spawn(&program, &socket, page, self.verbose).map_err(|e| {
                    (
                        explainer::not_started(&e),
                        format!("{}: {e}", program.display()),
                    )
                })
            });
        match spawned {
            Ok(child) => {
                self.generation += 1;
                let pid = child.id();
                tracing::info!(?pid, page = page.as_str(), "explainer started");
                self.child = Some(Child {
                    generation: self.generation,
                    pid,
                    connected: false,
                });
                self.tasks
                    .spawn(wait_for(child, self.generation, self.events.clone()));
            }
            Err((trouble, why)) => self.explainer_failed(trouble, why, false),
        }
    }

    /// Say in the menu why there is no window, in words; `why`, the system's or the window's own
    /// words, goes to the log.
    fn explainer_failed(&mut self, trouble: WindowTrouble, why: String, started: bool) {
        let line = text::explainer_problem(&trouble, started, self.lang);
        tracing::warn!("{line} ({why})");
        self.model.problem = Some(line);
    }

    fn explainer_exited(
        &mut self,
        generation: u64,
        status: std::io::Result<ExitStatus>,
        why: Option<explainer::Said>,
    ) {
        let Some(child) = self.child.take_if(|c| c.generation == generation) else {
            return;
        };
        self.pending_page = None;
        let ended = match &status {
            Ok(s) if s.success() => {
                tracing::info!(pid = ?child.pid, "explainer closed");
                return;
            }
            Ok(s) => explainer::describe(*s),
            Err(e) => e.to_string(),
        };
        let trouble = explainer::trouble(why.as_ref(), &status);
        let raw = match why {
            Some(why) => format!("{why}; {ended}"),
            None => ended,
        };
        self.explainer_failed(trouble, raw, child.connected);
    }

    fn connected(&mut self, stream: Conn) {
        let id = self.next_client;
        self.next_client += 1;
        let (read, write) = tokio::io::split(stream);
        let (queue, rx) = mpsc::channel(clients::QUEUE);
        let writer = self.tasks.spawn(clients::write(id, write, rx));
        let reader = self
            .tasks
            .spawn(clients::read(id, read, self.events.clone()));
        self.clients.insert(
            id,
            Client {
                queue,
                writer,
                reader,
                finishing: false,
            },
        );
    }

    fn drop_client(&mut self, id: ClientId) {
        self.clients.remove(&id);
        self.browsers.remove(&id);
        self.show_connected_browsers();
        if self.session == Some(id) {
            self.session = None;
            // Nobody looks at the pages now: give their memory back.
            self.view.history = HistoryView::default();
            self.history_stale = true;
            tracing::info!("the explainer disconnected");
            // And the pages of code that served it, once its connection's tasks have ended.
            self.shed_soon("the window closed");
        }
    }

    /// [`shed`] once what `after` names has settled ([`SETTLED`]).
    fn shed_soon(&mut self, after: &'static str) {
        self.tasks.spawn(async move {
            tokio::time::sleep(SETTLED).await;
            shed(after);
        });
    }

    fn on_client(&mut self, id: ClientId, msg: ToTray) {
        match msg {
            ToTray::Show { page } => {
                tracing::info!("another launch asked for the explainer");
                self.open(page);
                // It only came to ask; hanging up tells it we did.
                self.drop_client(id);
            }
            ToTray::Hello { pid } => self.hello(id, pid),
            ToTray::CheckNow => self.command(Command::CheckNow),
            ToTray::Snooze { kind } => self.command(Command::Snooze(kind.snooze())),
            ToTray::Unsnooze => self.command(Command::Unsnooze),
            ToTray::Reconfigure => self.reconfigure(),
            ToTray::Update { action } => self.update(action),
            ToTray::TestChannel { index } => self.test_channel(index),
            ToTray::Browser { records, family } => self.browser(id, records, family),
            ToTray::BrowserAsk => {
                let window = self
                    .browser_window
                    .clone()
                    .filter(|w| door::read(w, now_ms()).is_some());
                self.send(id, &FromTray::BrowserWindow { window });
                self.finish_client(id);
            }
            ToTray::Quit => {
                tracing::info!("asked to quit on the local channel");
                self.drop_client(id);
                if self.events.try_send(Event::Quit("--quit")).is_err() {
                    tracing::warn!("cannot queue the quit; the event queue is full");
                }
            }
        }
    }

    fn hello(&mut self, id: ClientId, pid: u32) {
        if let Some(open) = self.session.filter(|s| *s != id) {
            tracing::info!(
                pid,
                "a second explainer; bringing the open one forward instead"
            );
            self.send(id, &FromTray::Busy);
            self.send(open, &FromTray::Show { page: Page::Status });
            return;
        }
        tracing::info!(pid, "explainer connected");
        self.session = Some(id);
        if let Some(c) = self.child.as_mut() {
            c.connected = true;
        }
        self.model.problem = None;
        self.send_view();
        if let Some(page) = self.pending_page.take() {
            self.send(id, &FromTray::Show { page });
        }
    }

    fn send_view(&mut self) {
        let Some(id) = self.session else { return };
        if self.history_stale {
            self.view.show_history(&self.history, now_ms(), self.lang);
            self.history_stale = false;
        }
        match FromTray::view(&self.view) {
            Ok(msg) => self.send(id, &msg),
            Err(e) => tracing::error!("{e}"),
        }
    }

    /// Queue a message for a client without waiting; a client too slow to take it is dropped.
    fn send(&mut self, id: ClientId, msg: &FromTray) {
        let line: Arc<str> = match ipc::encode(msg) {
            Ok(l) => l.into(),
            Err(e) => {
                tracing::error!("{e}");
                return;
            }
        };
        let Some(client) = self.clients.get(&id) else {
            return;
        };
        if let Err(e) = client.queue.try_send(line) {
            tracing::warn!("client {id} is not keeping up ({e}); dropping it");
            self.drop_client(id);
        }
    }

    /// Let a client go once what is queued for it is sent: the answer, then the hang-up.
    fn finish_client(&mut self, id: ClientId) {
        if let Some(mut c) = self.clients.remove(&id) {
            c.finishing = true;
        }
        self.browsers.remove(&id);
        self.show_connected_browsers();
    }

    // ---- the browser ------------------------------------------------------------------

    /// A browser host relayed its browser's window. Checked again here (the tray does not
    /// trust the host): a window that is not one is refused and the host hung up on. The
    /// monitor gets every connected browser's records, with the time they came; the host gets
    /// the tray's word at once, and again whenever it changes.
    fn browser(&mut self, id: ClientId, records: Vec<door::Record>, family: Option<Family>) {
        if let Err(e) = door::check_records(&records) {
            tracing::warn!("client {id}: not a browser window ({e}); hanging up");
            self.drop_client(id);
            return;
        }
        tracing::debug!(client = id, records = records.len(), "a browser window");
        let client = self.browsers.entry(id).or_default();
        client.records = records;
        client.family = family;
        let window = Window {
            records: browser::merged(self.browsers.values().map(|b| b.records.as_slice())),
            received_ms: now_ms(),
        };
        self.browser_window = Some(window.clone());
        self.command(Command::Browser(window));
        if let Some(b) = self.browsers.get_mut(&id) {
            b.told = None;
        }
        self.show_connected_browsers();
        self.tell_browsers();
    }

    /// Which browsers' extensions are connected now, to the Settings page when it changed.
    fn show_connected_browsers(&mut self) {
        let families: Vec<Option<Family>> = self.browsers.values().map(|b| b.family).collect();
        if self.view.browsers.set_connected(&families) {
            self.send_view();
        }
    }

    /// Tell each connected browser the tray's word where it changed since it was last told.
    fn tell_browsers(&mut self) {
        let status = self.view.status.as_ref();
        let (lang, offset) = (self.lang, offset_minutes());
        let changed: Vec<(ClientId, TrayWord)> = self
            .browsers
            .iter()
            .filter_map(|(id, b)| {
                let word = gatewatch_core::view::browser_word(status, &b.records, lang, offset);
                (b.told.as_ref() != Some(&word)).then_some((*id, word))
            })
            .collect();
        for (id, word) in changed {
            if let Some(b) = self.browsers.get_mut(&id) {
                b.told = Some(word.clone());
            }
            self.send(id, &FromTray::Browser { word });
        }
    }

    // ---- the end ----------------------------------------------------------------------

    /// Stop the monitor, keep its last records, save the history; then let go of everything
    /// else (the explainer quits when its connection closes).
    async fn shutdown(mut self, mut outputs: mpsc::Receiver<Output>) {
        if self.commands.try_send(Command::Shutdown).is_err() {
            tracing::warn!("the monitor was already stopping");
        }
        let drain = async {
            while let Some(out) = outputs.recv().await {
                if let Output::Record(r) = out {
                    self.history.apply(r);
                    self.dirty = true;
                }
            }
        };
        if tokio::time::timeout(STOP_WAIT, drain).await.is_err() {
            tracing::error!("the monitor did not stop in time; history may miss its last minutes");
        }
        if self.dirty {
            self.save_history();
        }
        self.clients.clear();
        // The tray task takes its icon off the panel when the model's sender is gone.
        drop(self.model_tx);
        if let Some(tray) = self.tray {
            if tokio::time::timeout(Duration::from_secs(2), tray)
                .await
                .is_err()
            {
                tracing::warn!("the tray icon did not go away in time");
            }
        }
        // Notices still on their way to a channel get a moment.
        if let Some(h) = self.alerts.take() {
            h.close(ALERTS_GRACE).await;
        }
        self.tasks.shutdown().await;
        tracing::info!("Gatewatch stopped; history saved");
    }
}
