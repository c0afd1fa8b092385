//! Checks that catch a broken translation, for every language in core/locales/ (found at build
//! time, so a new language is checked the moment its folder exists):
//! - every file parses with no error, and every language has English's files;
//! - every English message exists in every language, with the same variables, and no language
//!   has messages English lacks;
//! - counts and durations use plural forms wherever the language has more than one (so "1
//!   minutes" cannot happen), with only the language's own CLDR categories as keys;
//! - no message is unused, and every message the window asks for exists;
//! - no English sentence shows in another language's rendering of any verdict, cause, advice,
//!   fact, menu item or notification.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use fluent_syntax::ast;
use gatewatch_core::diagnose::{
    Advice, Blind, BlockHow, Cause, Diagnosis, Door, EdgeInfo, Evidence, Layer, NetworkBlock,
    Verdict,
};
use gatewatch_core::fingerprint;
use gatewatch_core::i18n::{self, Lang};
use gatewatch_core::model::{NetErrorKind, Target};
use gatewatch_core::monitor::{Monitor, MonitorConfig, Now, Status, Transition};
use gatewatch_core::notice::Notice;
use gatewatch_core::statuspage::{ComponentStatus, Indicator, PageError};
use gatewatch_core::store::StoreError;
use gatewatch_core::text::{self, MenuText, Then};
use gatewatch_core::view::{self, WINDOWS_TOOLTIP_UNITS};
use intl_pluralrules::{PluralRuleType, PluralRules};

const CLDR: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// A message as the checks see it: its variables, and the variables it selects plural forms on
/// (with the keys it uses).
#[derive(Debug, Default)]
struct Msg {
    /// Its text, placeables left out.
    text: String,
    vars: BTreeSet<String>,
    /// Variables its comment names ("$hour24 is 0–23"): given by the code, a translation may
    /// use them instead of those English uses.
    offered: BTreeSet<String>,
    plurals: BTreeMap<String, BTreeSet<String>>,
}

fn walk_pattern(p: &ast::Pattern<&str>, m: &mut Msg) {
    for e in &p.elements {
        match e {
            ast::PatternElement::Placeable { expression } => walk_expr(expression, m),
            ast::PatternElement::TextElement { value } => m.text.push_str(value),
        }
    }
}

fn walk_expr(e: &ast::Expression<&str>, m: &mut Msg) {
    match e {
        ast::Expression::Inline(i) => walk_inline(i, m),
        ast::Expression::Select { selector, variants } => {
            walk_inline(selector, m);
            // A plural: a select on a variable whose keys are CLDR plural categories.
            let keys: BTreeSet<String> = variants
                .iter()
                .filter_map(|v| match v.key {
                    ast::VariantKey::Identifier { name } => Some(name.to_string()),
                    ast::VariantKey::NumberLiteral { .. } => None,
                })
                .collect();
            let plural = keys.iter().all(|k| CLDR.contains(&k.as_str()));
            if let (true, ast::InlineExpression::VariableReference { id }) = (plural, selector) {
                m.plurals
                    .entry(id.name.to_string())
                    .or_default()
                    .extend(keys);
            }
            for v in variants {
                walk_pattern(&v.value, m);
            }
        }
    }
}

fn walk_inline(i: &ast::InlineExpression<&str>, m: &mut Msg) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            m.vars.insert(id.name.to_string());
        }
        ast::InlineExpression::Placeable { expression } => walk_expr(expression, m),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                walk_inline(a, m);
            }
        }
        _ => {}
    }
}

/// A language's messages, by file and id; panics on any parse error.
fn messages(lang: Lang) -> BTreeMap<(String, String), Msg> {
    let mut out = BTreeMap::new();
    for (file, text) in lang.files() {
        let res = fluent_syntax::parser::parse(*text).unwrap_or_else(|(_, errors)| {
            panic!(
                "core/locales/{}/{file} does not parse: {errors:?}",
                lang.code()
            )
        });
        for entry in &res.body {
            match entry {
                ast::Entry::Message(msg) => {
                    let mut m = Msg::default();
                    let value = msg.value.as_ref().unwrap_or_else(|| {
                        panic!("{}/{file}: {} has no value", lang.code(), msg.id.name)
                    });
                    walk_pattern(value, &mut m);
                    if let Some(c) = &msg.comment {
                        for line in &c.content {
                            for part in line.split('$').skip(1) {
                                let name: String = part
                                    .chars()
                                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                                    .collect();
                                m.offered.insert(name);
                            }
                        }
                    }
                    let key = (file.to_string(), msg.id.name.to_string());
                    assert!(
                        out.insert(key, m).is_none(),
                        "{}/{file}: {} is defined twice",
                        lang.code(),
                        msg.id.name
                    );
                }
                ast::Entry::Junk { content } => {
                    panic!("{}/{file}: cannot parse {content:?}", lang.code())
                }
                _ => {}
            }
        }
    }
    out
}

fn translations() -> impl Iterator<Item = Lang> {
    Lang::shipped().filter(|l| *l != Lang::EN)
}

#[test]
fn the_languages_are_found_in_the_locale_folder() {
    let dirs: BTreeSet<String> = fs::read_dir(root().join("core/locales"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    let shipped: BTreeSet<String> = Lang::shipped().map(|l| l.code().to_string()).collect();
    assert_eq!(dirs, shipped);
    for l in Lang::shipped() {
        assert!(!l.name().is_empty() && l.name() != l.code(), "{}", l.code());
    }
    // ChatGPT's largest audiences, as README promises.
    for tag in ["en", "it", "es", "pt-BR", "fr", "de", "ja"] {
        assert!(shipped.contains(tag), "{tag} is not shipped");
    }
}

#[test]
fn every_language_has_every_message_with_the_same_variables() {
    let en = messages(Lang::EN);
    let en_files: BTreeSet<_> = Lang::EN.files().iter().map(|f| f.0).collect();
    for lang in translations() {
        let files: BTreeSet<_> = lang.files().iter().map(|f| f.0).collect();
        assert_eq!(
            files,
            en_files,
            "{}: not the same files as English",
            lang.code()
        );
        let tr = messages(lang);
        for (key, m) in &en {
            let t = tr
                .get(key)
                .unwrap_or_else(|| panic!("{}/{}: {} is missing", lang.code(), key.0, key.1));
            // A translation may leave out a plural's number ("one outage"), never add one.
            let given: BTreeSet<_> = m.vars.union(&m.offered).cloned().collect();
            let extra: Vec<_> = t.vars.difference(&given).collect();
            assert!(
                extra.is_empty(),
                "{}/{}: {} uses {extra:?}, which English does not give",
                lang.code(),
                key.0,
                key.1
            );
            let plural_vars: BTreeSet<_> = m.plurals.keys().cloned().collect();
            let missing: Vec<_> = m
                .vars
                .difference(&t.vars)
                .filter(|v| !plural_vars.contains(*v) && !m.offered.contains(*v))
                .collect();
            assert!(
                missing.is_empty(),
                "{}/{}: {} leaves out {missing:?}",
                lang.code(),
                key.0,
                key.1
            );
        }
        for key in tr.keys() {
            assert!(
                en.contains_key(key),
                "{}/{}: {} is not in English (a typo, or an old message?)",
                lang.code(),
                key.0,
                key.1
            );
        }
    }
}

#[test]
fn counts_use_the_languages_own_plural_forms() {
    let en = messages(Lang::EN);
    for lang in Lang::shipped() {
        // CLDR's rules by the tag, else by its language (pt-BR's are pt's).
        let id: unic_langid::LanguageIdentifier = lang.code().parse().unwrap();
        let base: unic_langid::LanguageIdentifier = id.language.as_str().parse().unwrap();
        let rules = PluralRules::create(id, PluralRuleType::CARDINAL)
            .or_else(|_| PluralRules::create(base, PluralRuleType::CARDINAL))
            .unwrap();
        // The language's categories: those its rules give some count.
        let categories: BTreeSet<String> = (0..=1000u64)
            .chain([1_000_000, 2_000_000])
            .map(|n| format!("{:?}", rules.select(n).unwrap()).to_lowercase())
            .collect();
        let tr = messages(lang);
        for (key, m) in &en {
            for var in m.plurals.keys() {
                let t = &tr[key];
                if categories.len() > 1 {
                    assert!(
                        t.plurals.contains_key(var),
                        "{}/{}: {} must choose its words by ${var} (plural forms {categories:?})",
                        lang.code(),
                        key.0,
                        key.1
                    );
                }
            }
        }
        for (key, t) in &tr {
            for (var, keys) in &t.plurals {
                for k in keys {
                    assert!(
                        categories.contains(k),
                        "{}/{}: {} selects [{k}] on ${var}, not a plural form of the language \
                         ({categories:?})",
                        lang.code(),
                        key.0,
                        key.1
                    );
                }
            }
        }
    }
    // And the English text comes out right.
    let en = Lang::EN;
    assert_eq!(text::duration(86_400_000, en), "1 day");
    let flap = |n| {
        Notice::render(
            &Transition::Flapping {
                outages: n,
                window_ms: 3_600_000,
            },
            en,
            0,
        )
        .body
    };
    assert!(flap(1).contains("once"), "{}", flap(1));
    assert!(flap(4).contains("4 times"), "{}", flap(4));
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .into()
}

fn sources(dirs: &[&str], exts: &[&str]) -> String {
    fn walk(dir: &Path, exts: &[&str], out: &mut String) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, exts, out);
            } else if p.extension().is_some_and(|x| exts.iter().any(|e| x == *e)) {
                out.push_str(&fs::read_to_string(&p).unwrap());
                out.push('\n');
            }
        }
    }
    let mut out = String::new();
    for d in dirs {
        walk(&root().join(d), exts, &mut out);
    }
    out
}

/// Whether `id` is named in `code`: as a literal ("id", 'id', data-t="id"), or as a prefix the
/// code completes ("cause-{}" with a literal "healthy" elsewhere; "state_" + x with 'up').
fn referenced(id: &str, code: &str, prefixes: &[String]) -> bool {
    let quoted = |s: &str| code.contains(&format!("\"{s}\"")) || code.contains(&format!("'{s}'"));
    quoted(id)
        || prefixes.iter().any(|p| {
            id.strip_prefix(p.as_str())
                .is_some_and(|rest| quoted(rest) || code.contains(&format!("{rest},")))
        })
}

/// Prefixes of message ids the code builds: `"cause-{}"` (Rust) and `"state_" +` (JS).
fn prefixes(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in code.match_indices('{') {
        let Some(start) = code[..i].rfind('"') else {
            continue;
        };
        let p = &code[start + 1..i];
        if !p.ends_with('-') {
            continue;
        }
        if !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_')
        {
            out.push(p.to_string());
        }
    }
    for (i, _) in code.match_indices("\" +") {
        let Some(start) = code[..i].rfind('"') else {
            continue;
        };
        let p = &code[start + 1..i];
        if p.ends_with('_') && p.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            out.push(p.to_string());
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn no_message_is_unused_and_every_message_the_window_asks_for_exists() {
    let rust = sources(&["core/src", "tray/src", "src-tauri/src"], &["rs"]);
    let ui = sources(&["ui"], &["js", "html"]);
    let code = format!("{rust}\n{ui}");
    let prefixes = prefixes(&code);
    let en = messages(Lang::EN);
    let ids: BTreeSet<&str> = en.keys().map(|k| k.1.as_str()).collect();
    for id in &ids {
        assert!(
            *id == "language-name" || referenced(id, &code, &prefixes),
            "message {id} is not used anywhere (core/src, tray/src, src-tauri/src, ui/)"
        );
    }
    // What the window asks for: t("id" …) in its script, data-t="id" in its page.
    let mut asked = BTreeSet::new();
    for pat in ["t(\"", "data-t=\""] {
        for (i, _) in ui.match_indices(pat) {
            // `t(` itself, not `act(`.
            if ui[..i].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
                continue;
            }
            let rest = &ui[i + pat.len()..];
            let id: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            // `t("state_" + x)` builds ids: the prefix check above covers those.
            let after = &rest[id.len()..];
            if after.starts_with('"') && !after.starts_with("\" +") {
                asked.insert(id);
            }
        }
    }
    assert!(
        asked.len() > 50,
        "the window's ids were not found: {asked:?}"
    );
    for id in &asked {
        assert!(
            ids.contains(id.as_str()),
            "the window asks for {id}, which is not in English"
        );
    }
}

fn diagnosis(verdict: Verdict, cause: Cause, evidence: Vec<Evidence>) -> Diagnosis {
    Diagnosis {
        verdict,
        layer: Layer::Origin,
        cause,
        http_status: Some(502),
        cf_code: Some(1020),
        evidence,
        edge: EdgeInfo {
            colo: Some("FRA".into()),
            loc: None,
        },
        api_alive: Some(true),
        status_page: None,
        advice: Advice::ALL.to_vec(),
        latency_ms: Some(40),
        limited: None,
        app_route: None,
        network_block: None,
    }
}

/// One of each fact (the match makes a new kind of fact a compile error here until it is
/// added).
fn facts() -> Vec<Evidence> {
    let net = NetErrorKind::Timeout;
    let all = vec![
        Evidence::EdgeAnswered {
            colo: Some("FRA".into()),
            latency_ms: 40,
        },
        Evidence::EdgeAnswered {
            colo: None,
            latency_ms: 40,
        },
        Evidence::EdgeNotTrace { status: 200 },
        Evidence::EdgeHttpError { status: 503 },
        Evidence::EdgeFailed { error: net },
        Evidence::OriginAnswered {
            status: 502,
            class: "gateway".into(),
            code: Some(502),
            colo: Some("FRA".into()),
            latency_ms: 40,
        },
        Evidence::OriginAnswered {
            status: 403,
            class: "challenge".into(),
            code: None,
            colo: None,
            latency_ms: 40,
        },
        Evidence::OriginAnswered {
            status: 500,
            class: "origin_error".into(),
            code: None,
            colo: None,
            latency_ms: 40,
        },
        Evidence::OriginFailed {
            error: NetErrorKind::Dns,
            latency_ms: 40,
        },
        Evidence::ApiAlive { latency_ms: 40 },
        Evidence::ApiHttpError {
            status: 503,
            class: "gateway".into(),
        },
        Evidence::ApiFailed {
            error: NetErrorKind::Reset,
        },
        Evidence::ControlAnswered,
        Evidence::ControlFailed {
            error: NetErrorKind::Connect,
        },
        Evidence::Slow {
            target: Target::Edge,
            latency_ms: 5000,
            limit_ms: 3000,
        },
        Evidence::StatusPage {
            indicator: Indicator::Minor,
            chatgpt_affected: true,
            incidents: 1,
            chatgpt_worst: ComponentStatus::PartialOutage,
        },
        Evidence::StatusPage {
            indicator: Indicator::None,
            chatgpt_affected: false,
            incidents: 3,
            chatgpt_worst: ComponentStatus::Operational,
        },
        Evidence::LimitedView {
            status: 403,
            reason: Blind::Challenge,
        },
        Evidence::LimitedView {
            status: 404,
            reason: Blind::Refused,
        },
        Evidence::AppRoute {
            door: Door::Answers,
            status: Some(200),
            error: None,
            latency_ms: 40,
        },
        Evidence::AppRoute {
            door: Door::Fails,
            status: Some(502),
            error: None,
            latency_ms: 40,
        },
        Evidence::AppRoute {
            door: Door::Refuses,
            status: Some(403),
            error: None,
            latency_ms: 40,
        },
        Evidence::AppRoute {
            door: Door::Unreachable,
            status: None,
            error: Some(NetErrorKind::ProxyAuth),
            latency_ms: 40,
        },
        Evidence::PhoneApps {
            status: ComponentStatus::MajorOutage,
        },
        Evidence::RetryAfter { secs: 120 },
        Evidence::ControlReplaced { status: 302 },
        Evidence::AnsweredInPlace {
            target: Target::Api,
            status: 200,
        },
    ];
    let mut all = all;
    for how in BlockHow::ALL {
        all.push(Evidence::NetworkBlock {
            target: Target::Origin,
            how,
            vendor: Some("Fortinet".into()),
            detail: Some("403".into()),
        });
    }
    all.push(Evidence::NetworkBlock {
        target: Target::Origin,
        how: BlockHow::DnsAnswer,
        vendor: None,
        detail: Some("NXDOMAIN".into()),
    });
    for e in &all {
        match e {
            Evidence::EdgeAnswered { .. }
            | Evidence::EdgeNotTrace { .. }
            | Evidence::EdgeHttpError { .. }
            | Evidence::EdgeFailed { .. }
            | Evidence::OriginAnswered { .. }
            | Evidence::OriginFailed { .. }
            | Evidence::ApiAlive { .. }
            | Evidence::ApiHttpError { .. }
            | Evidence::ApiFailed { .. }
            | Evidence::ControlAnswered
            | Evidence::ControlReplaced { .. }
            | Evidence::AnsweredInPlace { .. }
            | Evidence::NetworkBlock { .. }
            | Evidence::ControlFailed { .. }
            | Evidence::Slow { .. }
            | Evidence::StatusPage { .. }
            | Evidence::LimitedView { .. }
            | Evidence::AppRoute { .. }
            | Evidence::PhoneApps { .. }
            | Evidence::RetryAfter { .. } => {}
        }
    }
    all
}

/// Everything the core says about a check, in `lang`, one string each.
fn everything(lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    for v in Verdict::ALL {
        out.push(text::headline(v, lang));
    }
    for c in Cause::ALL {
        out.push(text::cause_short(c, lang));
        out.push(text::cause_long(c, lang));
        let d = diagnosis(Verdict::BadGateway, c, vec![]);
        out.push(text::summary(&d, lang));
        let limited = Diagnosis {
            limited: Some(Blind::Challenge),
            ..d
        };
        out.push(text::summary(&limited, lang));
        out.push(text::explanation(&limited, lang));
    }
    for a in Advice::ALL {
        out.push(text::advice(a, lang));
    }
    for b in Blind::ALL {
        out.push(text::limited_long(b, lang));
        out.push(text::limited_short(b, lang));
    }
    // A network that blocks ChatGPT: every way, and every reading of what lies beyond.
    for how in BlockHow::ALL {
        for beyond in [
            None,
            Some(Verdict::Up),
            Some(Verdict::Degraded),
            Some(Verdict::BadGateway),
        ] {
            for page in [false, true] {
                let d = Diagnosis {
                    verdict: Verdict::Blocked,
                    cause: Cause::NetworkBlocks,
                    limited: Some(Blind::Network),
                    status_page: page.then(|| {
                        let r = gatewatch_core::statuspage::parse(
                            r#"{"status":{"indicator":"none"},"components":[],"incidents":[]}"#,
                            0,
                        )
                        .unwrap();
                        (&r).into()
                    }),
                    network_block: Some(NetworkBlock {
                        how,
                        vendor: Some("Fortinet".into()),
                        detail: Some("403".into()),
                        target: Target::Origin,
                        beyond,
                    }),
                    ..diagnosis(Verdict::Blocked, Cause::NetworkBlocks, vec![])
                };
                out.push(text::headline_for(&d, lang));
                out.push(text::summary(&d, lang));
                out.push(text::cause_line(&d, lang));
                out.push(text::explanation(&d, lang));
            }
        }
    }
    for e in facts() {
        out.push(text::evidence(&e, lang));
    }
    for m in MenuText::ALL {
        out.push(text::menu(m, lang));
    }
    out.push(text::notify_again_at(0, 0, lang));
    for why in text::WindowTrouble::examples() {
        for started in [false, true] {
            out.push(text::explainer_problem(&why, started, lang));
        }
    }
    for e in NetErrorKind::ALL {
        out.push(text::page_error(PageError::NoAnswer { error: e }, lang));
    }
    for e in [
        PageError::Http { status: 503 },
        PageError::Unreadable,
        PageError::TooLarge { kib: 256 },
    ] {
        out.push(text::page_error(e, lang));
    }
    out.push(text::settings_not_applied(lang));
    let file = || std::path::PathBuf::from("/home/u/.local/share/gatewatch/settings.json");
    let io = |k: std::io::ErrorKind| std::io::Error::from(k);
    let unsaved = StoreError::Write {
        path: file(),
        source: io(std::io::ErrorKind::StorageFull),
    };
    let problems = [
        StoreError::Corrupt {
            path: file(),
            reason: "expected value at line 1 column 1".into(),
            backup: file().with_extension("json.corrupt-1764000000"),
        },
        StoreError::Read {
            path: file(),
            source: io(std::io::ErrorKind::PermissionDenied),
        },
        StoreError::Write {
            path: file(),
            source: io(std::io::ErrorKind::ReadOnlyFilesystem),
        },
        StoreError::Write {
            path: file(),
            source: io(std::io::ErrorKind::NotFound),
        },
        StoreError::Write {
            path: file(),
            source: io(std::io::ErrorKind::Other),
        },
    ];
    for e in &problems {
        for then in [
            Then::DefaultSettings,
            Then::NewHistory,
            Then::KeptSettings,
            Then::KeptUnsaved(&unsaved),
            Then::Nothing,
        ] {
            out.push(text::store_problem(e, then, lang));
        }
    }
    out.push(text::settings_reset_title(lang));
    out.push(text::open_gatewatch(lang));
    let transitions = [
        Transition::Down {
            verdict: Verdict::BadGateway,
            cause: Cause::Overload,
            http_status: Some(502),
            colo: Some("FRA".into()),
            since_wall_ms: 0,
            api_alive: Some(true),
        },
        Transition::Recovered {
            was: Verdict::BadGateway,
            downtime_ms: 600_000,
            since_wall_ms: 0,
        },
        Transition::StillDown {
            verdict: Verdict::BadGateway,
            cause: Cause::CloudflareFailure,
            downtime_ms: 3_600_000,
        },
        Transition::Flapping {
            outages: 3,
            window_ms: 3_600_000,
        },
        Transition::Stable {
            now: Verdict::Up,
            outages: 3,
            downtime_ms: 600_000,
        },
    ];
    for t in &transitions {
        let n = Notice::render(t, lang, 0);
        out.push(n.title);
        out.push(n.body);
    }
    out
}

/// Words of a sentence (a run of letters), for telling a sentence from a name or a number.
fn words(s: &str) -> usize {
    s.split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() > 1)
        .count()
}

#[test]
fn no_english_sentence_leaks_into_another_language() {
    let english = everything(Lang::EN);
    // English's sentences: every message without variables, three words or more.
    let en_sentences: Vec<String> = messages(Lang::EN)
        .iter()
        .filter(|((file, _), m)| file != i18n::WINDOW_FILE && m.vars.is_empty())
        .map(|((_, id), _)| i18n::t(Lang::EN, id))
        .filter(|s| words(s) >= 3)
        .collect();
    assert!(en_sentences.len() > 100);
    for lang in translations() {
        let theirs = everything(lang);
        for (en, tr) in english.iter().zip(&theirs) {
            assert!(
                en != tr || words(en) < 2,
                "{}: {en:?} is the same as in English",
                lang.code()
            );
            for s in &en_sentences {
                assert!(
                    !tr.contains(s.as_str()),
                    "{}: {tr:?} holds the English {s:?}",
                    lang.code()
                );
            }
        }
    }
}

/// The window's labels (formatted by the window, so not in the renderings above): none of
/// English's sentences is left as it is in another language.
#[test]
fn no_window_sentence_is_left_in_english() {
    let en = messages(Lang::EN);
    for lang in translations() {
        let tr = messages(lang);
        for (key, m) in en.iter().filter(|(k, _)| k.0 == i18n::WINDOW_FILE) {
            if words(&m.text) >= 3 {
                assert_ne!(
                    tr[key].text.trim(),
                    m.text.trim(),
                    "{}/{}: {} is still English",
                    lang.code(),
                    key.0,
                    key.1
                );
            }
        }
    }
}

/// Every state the tray's tooltip can show: each verdict with each cause (the enums' own lists,
/// so a cause added later is in at once), seen whole or through each kind of limited view, paused
/// or not, with the longest tags and the longest time of day or no since-time; and before any
/// check. `(what, status)`.
fn tooltip_states() -> Vec<(String, Status)> {
    // Guards: a new reason for a limited view must join `Blind::ALL`.
    for b in Blind::ALL {
        match b {
            Blind::Challenge | Blind::Refused | Blind::Network => {}
        }
    }
    // 12:55, the longest time of day in any language ("12:55 PM").
    let since = 12 * 3_600_000 + 55 * 60_000;
    let base =
        Monitor::new(MonitorConfig::default(), Now::new(0, since)).status(Now::new(0, since));
    let mut diagnoses = vec![("before any check".to_string(), None)];
    for v in Verdict::ALL {
        for c in Cause::ALL {
            for limited in std::iter::once(None).chain(Blind::ALL.map(Some)) {
                let d = Diagnosis {
                    cf_code: Some(1020),
                    limited,
                    ..diagnosis(v, c, vec![])
                };
                diagnoses.push((format!("{v:?}, {c:?}, limited {limited:?}"), Some(d)));
            }
        }
    }
    // A network's block, each way, named by the longest filter name there is.
    let vendor = fingerprint::vendors().max_by_key(|v| v.chars().count());
    for how in BlockHow::ALL {
        let d = Diagnosis {
            network_block: Some(NetworkBlock {
                how,
                vendor: vendor.map(String::from),
                detail: Some("403".into()),
                target: Target::Edge,
                beyond: None,
            }),
            limited: Some(Blind::Network),
            ..diagnosis(Verdict::Blocked, Cause::NetworkBlocks, vec![])
        };
        diagnoses.push((format!("network block {how:?}, {vendor:?}"), Some(d)));
    }
    let mut out = Vec::new();
    for (what, d) in diagnoses {
        for paused in [false, true] {
            for since_wall_ms in [Some(since), None] {
                let verdict = d.as_ref().map_or(Verdict::Unknown, |d| d.verdict);
                let s = Status {
                    verdict,
                    color: verdict.color(),
                    since_wall_ms,
                    diagnosis: d.clone(),
                    paused,
                    ..base.clone()
                };
                out.push((
                    format!("{what}, paused {paused}, since {since_wall_ms:?}"),
                    s,
                ));
            }
        }
    }
    out
}

/// tray-icon keeps 127 UTF-16 units of a tooltip on Windows (128 with the NUL) and cuts the rest
/// wherever it falls. As the tray builds it there (`view::tooltip_text`), every tooltip in every
/// language and state must fit, with the headline and since when whole and any cut between words,
/// marked "…". The shipped languages must show whole the states the review found cut: a limited
/// view with nothing wrong, and, paused, an official outage seen through a limited view.
#[test]
fn every_windows_tooltip_fits_and_no_word_is_cut() {
    let states = tooltip_states();
    assert!(states.len() > 2 * Verdict::ALL.len() * Cause::ALL.len());
    // A word goes on across a cut when the characters on both sides of it are letters or digits
    // of a script written with spaces (Japanese and Chinese break between characters).
    let spaced = |c: char| {
        (c.is_alphanumeric() || c == '\'')
            && !matches!(c as u32, 0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xFF00..=0xFFEF)
    };
    for lang in Lang::all() {
        let (mut cut, mut longest) = (0, (0, String::new()));
        for (what, s) in &states {
            let got = view::tooltip_text(s, lang, 0, WINDOWS_TOOLTIP_UNITS);
            let units = got.encode_utf16().count();
            let ctx = format!("{}, {what}: {got:?} ({units} UTF-16 units)", lang.code());
            assert!(units <= WINDOWS_TOOLTIP_UNITS, "{ctx}");
            let (title, body) = view::tooltip(s, lang, 0);
            let whole = format!("{title}\n{body}");
            if got == whole {
                if units > longest.0 {
                    longest = (units, got.clone());
                }
                continue;
            }
            cut += 1;
            if std::env::var_os("GATEWATCH_SHOW_CUTS").is_some() {
                println!("{ctx}");
            }
            // Shortened: the headline whole, since when whole; the line is the same state's
            // without its tags (status code, data centre, a filter's name), whole or cut between words.
            let (got_title, got_body) = got.split_once('\n').expect(&ctx);
            assert_eq!(got_title, title, "{ctx}");
            let since = s
                .since_wall_ms
                .map(|ms| text::since(ms, 0, lang))
                .unwrap_or_default();
            assert!(got_body.contains(&since), "since when is whole: {ctx}");
            let untagged = Status {
                diagnosis: s.diagnosis.clone().map(|d| Diagnosis {
                    cf_code: None,
                    http_status: None,
                    edge: EdgeInfo {
                        colo: None,
                        loc: None,
                    },
                    // A block's tag is the filter's name.
                    network_block: d
                        .network_block
                        .clone()
                        .map(|b| NetworkBlock { vendor: None, ..b }),
                    ..d
                }),
                ..s.clone()
            };
            let (_, bare) = view::tooltip(&untagged, lang, 0);
            let Some(at) = got_body.find('…') else {
                assert_eq!(got_body, bare, "{ctx}");
                continue;
            };
            let kept = &got_body[..at];
            assert!(!kept.is_empty() && bare.starts_with(kept), "{ctx}");
            let (last, next) = (kept.chars().last(), bare[kept.len()..].chars().next());
            assert!(
                !(last.is_some_and(spaced) && next.is_some_and(spaced)),
                "a word is cut at {:?}|{:?}: {ctx}",
                last,
                next
            );
        }
        println!(
            "{}: {cut} of {} states cut; the longest whole one, {} units: {:?}",
            lang.code(),
            states.len(),
            longest.0,
            longest.1
        );
        if lang.is_pseudo() {
            continue;
        }
        // The states the review found cut, whole in every shipped language.
        for (verdict, cause, paused) in [
            (Verdict::Up, Cause::Healthy, false),
            (Verdict::OriginError, Cause::OfficialOutage, true),
        ] {
            for b in Blind::ALL {
                let (what, s) = states
                    .iter()
                    .find(|(_, s)| {
                        s.diagnosis.as_ref().is_some_and(|d| {
                            (d.verdict, d.cause, d.limited) == (verdict, cause, Some(b))
                        }) && s.paused == paused
                            && s.since_wall_ms.is_some()
                    })
                    .unwrap();
                let (title, body) = view::tooltip(s, lang, 0);
                assert_eq!(
                    view::tooltip_text(s, lang, 0, WINDOWS_TOOLTIP_UNITS),
                    format!("{title}\n{body}"),
                    "{}, {what}: cut",
                    lang.code()
                );
            }
        }
    }
    // The accented pseudo-locale (about 40 % longer) does not fit whole: the cut is tested too.
    let xa = Lang::from_tag("en-XA").unwrap();
    assert!(states.iter().any(|(_, s)| {
        let (title, body) = view::tooltip(s, xa, 0);
        view::tooltip_text(s, xa, 0, WINDOWS_TOOLTIP_UNITS) != format!("{title}\n{body}")
    }));
}

/// Failures are said in each language's words: nothing Gatewatch says carries what a library or
/// the system wrote (the parser's reason for a damaged file is given to the renderings above and
/// must not come out; the report and the log keep such words).
#[test]
fn no_failure_is_said_in_a_librarys_words() {
    const LIBRARY: &[&str] = &[
        "error sending request",
        "client error",
        "dns error",
        "os error",
        "hyper",
        "reqwest",
        "expected value at line",
        "permissiondenied",
        "storagefull",
    ];
    for lang in Lang::all() {
        for said in everything(lang) {
            let low = said.to_lowercase();
            for w in LIBRARY {
                assert!(!low.contains(w), "{}: {said:?} has {w:?}", lang.code());
            }
        }
    }
}
