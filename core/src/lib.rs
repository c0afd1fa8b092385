//! Gatewatch's core: is ChatGPT down, and why?
//!
//! # Layout
//! - [`model`]: raw facts of a check (probes, responses, network errors).
//! - [`classify`]: what one HTTP answer means (Cloudflare 502 page, challenge, 1xxx block…).
//! - [`statuspage`]: OpenAI's status page, parsed tolerantly.
//! - [`diagnose`]: `Observation -> Diagnosis`, the verdict with its cause, evidence and advice.
//!
//! Everything above is pure: no network, no clock, no GUI.
pub mod classify;
pub mod diagnose;
pub mod driver;
pub mod history;
pub mod model;
pub mod monitor;
pub mod notice;
pub mod probe;
pub mod report;
pub mod settings;
pub mod statuspage;
pub mod store;
pub mod text;
