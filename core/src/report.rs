//! The diagnosis as people and programs read it: `gatewatch check --json`, the explainer window.
//!
//! A typed view, serialised at the boundary, with the wording already in the chosen language.
//! Field names here are a public interface (scripts parse them): add, never rename.

use serde::Serialize;

use crate::diagnose::{Diagnosis, Health};
use crate::model::{Observation, Outcome, Probe};
use crate::statuspage::Incident;
use crate::text::{self, Lang};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub verdict: &'static str,
    pub color: &'static str,
    pub health: Health,
    pub exit_code: i32,
    pub headline: &'static str,
    pub summary: String,
    pub cause: crate::diagnose::Cause,
    pub cause_text: &'static str,
    pub layer: crate::diagnose::Layer,
    pub http_status: Option<u16>,
    pub cf_code: Option<u16>,
    pub advice: Vec<&'static str>,
    pub advice_ids: Vec<crate::diagnose::Advice>,
    pub edge: EdgeView,
    pub api_alive: Option<bool>,
    pub status_page: Option<StatusPageReport>,
    pub evidence: Vec<String>,
    pub probes: Vec<ProbeView>,
    pub checked_at_ms: i64,
    pub lang: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EdgeView {
    pub colo: Option<String>,
    pub loc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusPageReport {
    pub indicator: Option<&'static str>,
    pub description: Option<String>,
    pub chatgpt_affected: bool,
    pub incidents: Vec<Incident>,
    /// Why the page could not be read this time, if it could not.
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProbeView {
    pub target: &'static str,
    pub url: String,
    pub status: Option<u16>,
    pub latency_ms: u64,
    pub error: Option<String>,
    pub error_kind: Option<&'static str>,
    pub truncated: bool,
}

impl From<&Probe> for ProbeView {
    fn from(p: &Probe) -> Self {
        let (status, error, error_kind, truncated) = match &p.outcome {
            Outcome::Response(r) => (Some(r.status), None, None, r.truncated),
            Outcome::Failed { error, detail } => {
                (None, Some(detail.clone()), Some(error.as_str()), false)
            }
        };
        ProbeView {
            target: p.target.as_str(),
            url: p.url.clone(),
            status,
            latency_ms: p.latency_ms,
            error,
            error_kind,
            truncated,
        }
    }
}

impl Report {
    pub fn new(
        obs: &Observation,
        d: &Diagnosis,
        status_error: Option<&str>,
        lang: Lang,
        checked_at_ms: i64,
    ) -> Report {
        let status_page = match (&d.status_page, status_error) {
            (None, None) => None,
            (page, error) => Some(StatusPageReport {
                indicator: page.as_ref().map(|p| p.indicator.as_str()),
                description: page.as_ref().and_then(|p| p.description.clone()),
                chatgpt_affected: page.as_ref().is_some_and(|p| p.chatgpt_affected),
                incidents: page
                    .as_ref()
                    .map(|p| p.incidents.clone())
                    .unwrap_or_default(),
                error: error.map(str::to_string),
            }),
        };
        Report {
            verdict: d.verdict.as_str(),
            color: d.verdict.color().as_str(),
            health: d.verdict.health(),
            exit_code: d.verdict.exit_code(),
            headline: text::headline(d.verdict, lang),
            summary: text::summary(d, lang),
            cause: d.cause,
            cause_text: text::cause_long(d.cause, lang),
            layer: d.layer,
            http_status: d.http_status,
            cf_code: d.cf_code,
            advice: d.advice.iter().map(|a| text::advice(*a, lang)).collect(),
            advice_ids: d.advice.clone(),
            edge: EdgeView {
                colo: d.edge.colo.clone(),
                loc: d.edge.loc.clone(),
            },
            api_alive: d.api_alive,
            status_page,
            evidence: d.evidence.iter().map(|e| text::evidence(e, lang)).collect(),
            probes: obs.probes().map(ProbeView::from).collect(),
            checked_at_ms,
            lang: lang.code(),
        }
    }
}
