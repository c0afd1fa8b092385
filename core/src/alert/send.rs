//! The task that sends alerts: its own, off the monitor's path, so a channel that hangs or
//! fails never delays a check. It owns the [`Outbox`], asks it what is due, does the HTTP and
//! hands back the outcomes.
//!
//! Requests go through the checks' proxy setting (a proxy that works for the checks works for
//! the alerts), never follow a redirect (a webhook's body goes to its own host and nowhere
//! else), have a connect and a total timeout, and read at most [`ANSWER_CAP`] of an answer. The
//! HTTP client exists only while something waits to be sent: an idle tray keeps none.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::outbox::{Failure, Job, LaneView, Outbox};
use super::payload::{self, Answer};
use super::{Alert, ChannelSpec};
use crate::model::NetErrorKind;
use crate::monitor::Now;
use crate::probe::{net_error, USER_AGENT};
use crate::proxy;
use crate::settings::ProxySetting;

/// Read at most this much of a service's answer (enough for any error or rate-limit body).
pub const ANSWER_CAP: usize = 16 * 1024;
/// The longest one attempt may take.
pub const TIMEOUT: Duration = Duration::from_secs(10);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// What the sender needs from the settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setup {
    pub channels: Vec<ChannelSpec>,
    pub proxy: ProxySetting,
    /// The checks' endpoints are on this machine (tests): the system proxy is not used, as for
    /// the checks.
    pub loopback: bool,
}

impl Setup {
    fn loopback(&self) -> bool {
        self.loopback
            || self
                .channels
                .iter()
                .filter_map(|c| c.checked_url().ok())
                .any(|u| crate::settings::is_loopback_url(&u))
    }
}

/// What the shell tells the sender.
#[derive(Debug)]
pub enum Command {
    /// A notice the monitor decided.
    Alert(Box<Alert>),
    /// Whether this computer's network works (the shown verdict is not `offline`).
    Online(bool),
    Reconfigure(Box<Setup>),
    /// "Send a test" to this channel (saved or not) at once, past the queue.
    Test {
        spec: Box<ChannelSpec>,
        alert: Box<Alert>,
        reply: oneshot::Sender<Result<(), Failure>>,
    },
}

/// What the sender tells the shell.
#[derive(Debug, Clone, PartialEq)]
pub enum Report {
    /// The channels' states changed (in the settings' order).
    States(Vec<LaneView>),
    /// For the log.
    Log(String),
}

/// The running sender: where to send it commands, and how to stop it. Its reports come on the
/// receiver [`spawn`] returns beside it.
pub struct Handle {
    pub commands: mpsc::Sender<Command>,
    task: tokio::task::JoinHandle<()>,
}

impl Handle {
    /// Stop, giving what waits up to `grace` to go out first.
    pub async fn close(self, grace: Duration) {
        drop(self.commands);
        let mut task = self.task;
        if tokio::time::timeout(grace, &mut task).await.is_err() {
            task.abort();
        }
    }
}

/// Start the sender on the current runtime: its handle, and its reports.
pub fn spawn(setup: Setup) -> (Handle, mpsc::Receiver<Report>) {
    let (tx, rx) = mpsc::channel(64);
    let (report_tx, report_rx) = mpsc::channel(64);
    let task = tokio::spawn(run(setup, rx, report_tx));
    (Handle { commands: tx, task }, report_rx)
}

fn wall_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

struct Clock(Instant);

impl Clock {
    fn now(&self) -> Now {
        Now::new(self.0.elapsed().as_millis() as u64, wall_ms())
    }
}

type Attempt = (Job, Result<Answer, NetErrorKind>);

async fn run(
    mut setup: Setup,
    mut commands: mpsc::Receiver<Command>,
    reports: mpsc::Sender<Report>,
) {
    let clock = Clock(Instant::now());
    let mut outbox = Outbox::new(setup.channels.clone());
    let mut client: Option<reqwest::Client> = None;
    let mut flying: JoinSet<Attempt> = JoinSet::new();
    let mut states = outbox.views();
    let mut closing = false;
    let report = |r: Report| {
        // A shell that stopped reading loses only its log lines and states.
        reports.try_send(r).ok();
    };
    loop {
        // What is due goes now.
        let (jobs, logs) = outbox.due(clock.now());
        logs.into_iter().map(Report::Log).for_each(report);
        if !jobs.is_empty() && client.is_none() {
            match build_client(&setup) {
                Ok(c) => client = Some(c),
                Err(e) => report(Report::Log(format!(
                    "alerts: cannot set up HTTP with the proxy setting: {e}"
                ))),
            }
        }
        for job in jobs {
            match &client {
                Some(c) => {
                    let c = c.clone();
                    flying.spawn(async move {
                        let outcome = attempt(&c, &job.spec, &job.alert).await;
                        (job, outcome)
                    });
                }
                None => {
                    let logs = outbox.done(&job, Err(NetErrorKind::Protocol), clock.now());
                    logs.into_iter().map(Report::Log).for_each(report);
                }
            }
        }
        let views = outbox.views();
        if views != states {
            states = views;
            report(Report::States(states.clone()));
        }
        if outbox.is_idle() {
            if closing {
                return;
            }
            // Nothing to send: the client (its connections, its TLS state) goes.
            client = None;
        }
        if closing && outbox.next_wake().is_none() && flying.is_empty() {
            return;
        }
        let wake = outbox
            .next_wake()
            .map(|ms| clock.0 + Duration::from_millis(ms))
            .unwrap_or_else(|| Instant::now() + Duration::from_secs(3600));
        tokio::select! {
            Some(done) = flying.join_next(), if !flying.is_empty() => {
                if let Ok((job, outcome)) = done {
                    let logs = outbox.done(&job, outcome, clock.now());
                    logs.into_iter().map(Report::Log).for_each(report);
                }
            }
            cmd = commands.recv(), if !closing => match cmd {
                None => closing = true,
                Some(Command::Alert(a)) => {
                    outbox.push(*a).into_iter().map(Report::Log).for_each(report);
                }
                Some(Command::Online(on)) => outbox.set_online(on),
                Some(Command::Reconfigure(s)) => {
                    if s.proxy != setup.proxy || s.loopback() != setup.loopback() {
                        client = None;
                    }
                    setup = *s;
                    let logs = outbox.reconfigure(setup.channels.clone());
                    logs.into_iter().map(Report::Log).for_each(report);
                }
                Some(Command::Test { spec, alert, reply }) => {
                    let setup = Setup { channels: vec![(*spec).clone()], ..setup.clone() };
                    tokio::spawn(async move {
                        let result = match build_client(&setup) {
                            Ok(c) => match attempt(&c, &spec, &alert).await {
                                Ok(Answer::Delivered) => Ok(()),
                                Ok(Answer::Later { status, .. }) => Err(Failure::Status(status)),
                                Ok(Answer::Refused { status }) => Err(Failure::Refused(status)),
                                Err(kind) => Err(Failure::Net(kind)),
                            },
                            Err(_) => Err(Failure::Net(NetErrorKind::Protocol)),
                        };
                        reply.send(result).ok();
                    });
                }
            },
            _ = tokio::time::sleep_until(wake) => {}
        }
    }
}

fn build_client(setup: &Setup) -> Result<reqwest::Client, reqwest::Error> {
    let b = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(TIMEOUT)
        // A webhook's body goes to its own host only.
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(1)
        .pool_idle_timeout(Duration::from_secs(30));
    let (b, _route) = proxy::apply(b, &setup.proxy, setup.loopback())?;
    b.build()
}

/// One POST, its answer read up to the cap and judged.
async fn attempt(
    client: &reqwest::Client,
    spec: &ChannelSpec,
    alert: &Alert,
) -> Result<Answer, NetErrorKind> {
    let url = spec.checked_url().map_err(|_| NetErrorKind::Protocol)?;
    let sent = wall_ms();
    let req = payload::request(spec.kind, alert, sent, spec.token.as_deref());
    let mut rb = client.post(url).body(req.body);
    for (k, v) in req.headers {
        rb = rb.header(k, v);
    }
    let mut resp = rb.send().await.map_err(|e| net_error(&e).0)?;
    let status = resp.status().as_u16();
    let retry_after = resp
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    let mut body = Vec::new();
    // The status decides; a body cut short or reset only loses its detail.
    while let Ok(Some(chunk)) = resp.chunk().await {
        let room = ANSWER_CAP - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= ANSWER_CAP {
            break;
        }
    }
    Ok(payload::judge(
        status,
        retry_after.as_deref(),
        &String::from_utf8_lossy(&body),
        sent,
    ))
}
