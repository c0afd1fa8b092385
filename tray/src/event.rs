//! The closed set of things that can happen to the app, besides the monitor's outputs: tray
//! clicks, notification clicks, the local channel's clients, the explainer process ending, the
//! update check's tasks, and quitting. Every source (the tray backends, [`crate::notify`], [`crate::clients`], the app's
//! own tasks) posts these on one channel, and [`crate::app`] alone reads them, so none of those
//! modules needs the app, and the app needs none of their insides.

use std::process::ExitStatus;

use gatewatch_core::channel::Conn;
use gatewatch_core::ipc::ToTray;

pub use crate::menu::TrayEvent;

/// One connection on the local channel, numbered from 1 as they come.
pub type ClientId = u64;

/// Everything that can happen to the app, besides the monitor's outputs.
#[derive(Debug)]
pub enum Event {
    Tray(TrayEvent),
    /// A click on a notification (D-Bus servers with actions, Windows toasts; macOS's
    /// notifications report none).
    #[cfg_attr(target_os = "macos", allow(dead_code))]
    NotificationClicked,
    Connected(Conn),
    Client {
        id: ClientId,
        msg: ToTray,
    },
    Disconnected(ClientId),
    ExplainerExited {
        generation: u64,
        status: std::io::Result<ExitStatus>,
        /// The reason it gave on its way out, if any ([`crate::explainer::failure`]).
        why: Option<crate::explainer::Said>,
    },
    /// The update check's tasks ([`crate::update`]).
    Update(crate::update::Msg),
    /// What the task sending to the channels reports (their states, its log lines).
    Alerts(gatewatch_core::alert::send::Report),
    /// A "Send a test" to `channels[index]` ended.
    ChannelTested {
        index: usize,
        result: Result<(), gatewatch_core::alert::outbox::Failure>,
    },
    /// The browsers' host manifests, as the start wrote them ([`crate::browser::register_hosts`]).
    BrowserHosts(
        Result<
            Vec<(gatewatch_core::browser::hosts::HostEntry, Option<String>)>,
            gatewatch_core::view::Unset,
        >,
    ),
    Quit(&'static str),
}
