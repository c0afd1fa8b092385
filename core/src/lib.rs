//! Gatewatch's core: is ChatGPT down, and why?
//!
//! # Layout
//! - [`model`]: raw facts of a check (probes, responses, network errors).
//! - [`classify`]: what one HTTP answer means (Cloudflare 502 page, challenge, 1xxx block…);
//!   [`fingerprint`]: whose block page an answer is (a web filter's, a proxy's); [`addr`]:
//!   Cloudflare's address ranges and OpenAI's names; [`certname`]: a certificate's names.
//! - [`statuspage`]: OpenAI's status page, parsed tolerantly.
//! - [`diagnose`]: `Observation -> Diagnosis`, the verdict with its cause, evidence and advice.
//! - [`monitor`]: the state machine; [`history`], [`notice`], [`text`], [`report`], [`settings`].
//! - [`view`]: the snapshot the tray process keeps and the explainer shows; [`links`].
//! - [`update`]: is there a newer Gatewatch, and can it be believed (signed manifests; pure),
//!   with [`update::fetch`] doing its few requests.
//! - [`ipc`]: the messages between the tray process and the explainer process; [`channel`]:
//!   their transport (a Unix socket, a named pipe on Windows), one module per platform.
//! - [`browser`]: the user's own browser as a door — the companion extension's outcome
//!   records, their reading, the native messaging framing and the host manifests.
//!
//! Everything above is pure: no network, no clock, no GUI. Only [`probe`], [`proxy`] (the
//! system's proxy settings), [`driver`], [`netwatch`] (the system's reports of its addresses),
//! [`store`], [`channel`] and [`browser::register`] (the host manifests) do I/O (and [`ipc`]'s
//! line reader and [`browser::native`]'s framing, over streams they are handed).
pub mod addr;
pub mod alert;
pub mod browser;
pub mod certname;
pub mod channel;
pub mod classify;
pub mod diagnose;
pub mod driver;
pub mod fingerprint;
pub mod history;
pub mod i18n;
pub mod ipc;
pub mod links;
pub mod model;
pub mod monitor;
pub mod netchange;
pub mod netwatch;
pub mod notice;
pub mod probe;
pub mod proxy;
pub mod report;
pub mod settings;
pub mod statuspage;
pub mod store;
pub mod text;
pub mod update;
pub mod view;
#[cfg(windows)]
pub mod winreg;
