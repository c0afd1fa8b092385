//! What the tray shows, as data: [`TrayModel`] is built purely from the app's state, and
//! [`entries`] turns it into the menu, so both tray backends (StatusNotifierItem on Linux,
//! tray-icon elsewhere) draw the same thing and the words are tested once.
//! Menu ids are one enum, [`MenuId`], defined here and nowhere else.

use gatewatch_core::monitor::{SnoozeView, Status};
use gatewatch_core::text::{self, Lang, MenuText};
use gatewatch_core::view;

use crate::icons::Look;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MenuId {
    Status,
    /// A line saying why the explainer is not there (it failed to start, or crashed).
    ExplainerProblem,
    CheckNow,
    OpenExplainer,
    OpenChatgpt,
    OpenStatusPage,
    /// A channel's notices do not go through (a line, not an action).
    ChannelProblem,
    SnoozeHour,
    SnoozeUntilRecovered,
    Unsnooze,
    Settings,
    StartAtLogin,
    Quit,
    /// "Gatewatch 0.3.0 is available" (opens the Settings page, with the notes), how to get
    /// it, why an install failed, or the build's sentence instead of the check.
    UpdateInfo,
    /// Windows: download, verify and start the installer.
    InstallUpdate,
    /// Elsewhere, when no package manager brings it: the release page.
    OpenReleasePage,
    SkipVersion,
    CheckForUpdates,
    /// The daily check on or off (the `updates` setting), beside "Start at login".
    UpdateChecks,
}

// The string ids are what tray-icon keys its items by (native.rs, not built on Linux).
#[cfg_attr(target_os = "linux", allow(dead_code))]
impl MenuId {
    pub const ALL: [MenuId; 19] = [
        MenuId::Status,
        MenuId::ExplainerProblem,
        MenuId::ChannelProblem,
        MenuId::CheckNow,
        MenuId::OpenExplainer,
        MenuId::OpenChatgpt,
        MenuId::OpenStatusPage,
        MenuId::SnoozeHour,
        MenuId::SnoozeUntilRecovered,
        MenuId::Unsnooze,
        MenuId::Settings,
        MenuId::StartAtLogin,
        MenuId::Quit,
        MenuId::UpdateInfo,
        MenuId::InstallUpdate,
        MenuId::OpenReleasePage,
        MenuId::SkipVersion,
        MenuId::CheckForUpdates,
        MenuId::UpdateChecks,
    ];

    /// A stable string id, for toolkits that key menu items by string.
    pub const fn id(self) -> &'static str {
        match self {
            MenuId::Status => "status",
            MenuId::ExplainerProblem => "explainer-problem",
            MenuId::ChannelProblem => "channel-problem",
            MenuId::CheckNow => "check-now",
            MenuId::OpenExplainer => "open-explainer",
            MenuId::OpenChatgpt => "open-chatgpt",
            MenuId::OpenStatusPage => "open-status-page",
            MenuId::SnoozeHour => "snooze-hour",
            MenuId::SnoozeUntilRecovered => "snooze-until-recovered",
            MenuId::Unsnooze => "unsnooze",
            MenuId::Settings => "settings",
            MenuId::StartAtLogin => "start-at-login",
            MenuId::Quit => "quit",
            MenuId::UpdateInfo => "update-info",
            MenuId::InstallUpdate => "install-update",
            MenuId::OpenReleasePage => "open-release-page",
            MenuId::SkipVersion => "skip-version",
            MenuId::CheckForUpdates => "check-for-updates",
            MenuId::UpdateChecks => "update-checks",
        }
    }

    pub fn parse(s: &str) -> Option<MenuId> {
        MenuId::ALL.into_iter().find(|m| m.id() == s)
    }

    /// The fixed words of the items whose label does not change.
    fn text(self) -> Option<MenuText> {
        Some(match self {
            MenuId::CheckNow => MenuText::CheckNow,
            MenuId::OpenExplainer => MenuText::WhatsGoingOn,
            MenuId::OpenChatgpt => MenuText::OpenChatgpt,
            MenuId::OpenStatusPage => MenuText::OpenStatusPage,
            MenuId::SnoozeHour => MenuText::SnoozeHour,
            MenuId::SnoozeUntilRecovered => MenuText::SnoozeUntilBack,
            MenuId::Settings => MenuText::Settings,
            MenuId::StartAtLogin => MenuText::StartAtLogin,
            MenuId::Quit => MenuText::Quit,
            // Their words come with the model (the update's lines are the updater's).
            MenuId::Status
            | MenuId::ExplainerProblem
            | MenuId::ChannelProblem
            | MenuId::Unsnooze
            | MenuId::UpdateInfo
            | MenuId::InstallUpdate
            | MenuId::OpenReleasePage
            | MenuId::SkipVersion
            | MenuId::CheckForUpdates
            | MenuId::UpdateChecks => return None,
        })
    }
}

/// What a person did to the tray.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrayEvent {
    Menu(MenuId),
    /// A left click on the icon (where the platform reports one).
    Activate,
}

/// Everything the tray draws, in one comparable value: the tray is redrawn only when it changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayModel {
    pub lang: Lang,
    pub look: Look,
    pub status_line: String,
    pub tooltip_title: String,
    pub tooltip_body: String,
    /// Both as one text within what Windows keeps of a tooltip (tray-icon on Windows and macOS).
    pub tooltip_text: String,
    pub unsnooze_label: String,
    pub snoozed: bool,
    pub start_at_login: bool,
    /// Why the explainer is not there, if it failed.
    pub problem: Option<String>,
    /// A channel whose notices do not go through, said once here rather than per notice.
    pub channel_problem: Option<String>,
    /// The update check's lines (`crate::update`).
    pub update: UpdateLines,
}

/// The update check's menu lines: (id, words, enabled).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UpdateLines {
    /// Under the status: a new version and what to do about it, or an install's trouble.
    pub top: Vec<(MenuId, String, bool)>,
    /// Above "Settings…": "Check for updates", or the build's sentence; none when off.
    pub check: Option<(MenuId, String, bool)>,
    /// Under "Start at login": the daily check's switch (words, checked); none when the build
    /// or the environment decides.
    pub daily: Option<(String, bool)>,
}

impl TrayModel {
    /// Before the first check.
    pub fn starting(lang: Lang, start_at_login: bool) -> TrayModel {
        TrayModel {
            lang,
            look: Look::Unknown,
            status_line: text::menu(MenuText::Checking, lang).to_string(),
            tooltip_title: "Gatewatch".into(),
            tooltip_body: text::menu(MenuText::Checking, lang).to_string(),
            tooltip_text: format!("Gatewatch\n{}", text::menu(MenuText::Checking, lang)),
            unsnooze_label: text::menu(MenuText::NotifyAgain, lang).to_string(),
            snoozed: false,
            start_at_login,
            problem: None,
            update: UpdateLines::default(),
            channel_problem: None,
        }
    }

    /// The look and words for the monitor's confirmed status.
    pub fn show(&mut self, status: &Status, offset_minutes: i32) {
        let lang = self.lang;
        self.look = Look::of(status);
        self.status_line = view::status_line(status, lang, offset_minutes);
        (self.tooltip_title, self.tooltip_body) = view::tooltip(status, lang, offset_minutes);
        self.tooltip_text =
            view::tooltip_text(status, lang, offset_minutes, view::WINDOWS_TOOLTIP_UNITS);
        self.snoozed = status.snooze.is_some();
        self.unsnooze_label = match status.snooze {
            Some(SnoozeView::Until { wall_ms }) => {
                text::notify_again_at(wall_ms, offset_minutes, lang)
            }
            _ => text::menu(MenuText::NotifyAgain, lang).to_string(),
        };
    }
}

/// One menu line, as both tray backends build it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Item {
        id: MenuId,
        label: String,
        enabled: bool,
    },
    Check {
        id: MenuId,
        label: String,
        checked: bool,
    },
    Submenu {
        label: String,
        entries: Vec<Entry>,
    },
    Separator,
}

fn item(id: MenuId, lang: Lang) -> Entry {
    Entry::Item {
        id,
        label: id.text().map_or_else(String::new, |t| text::menu(t, lang)),
        enabled: true,
    }
}

/// The menu for `m`, top to bottom.
pub fn entries(m: &TrayModel) -> Vec<Entry> {
    let lang = m.lang;
    let mut out = vec![Entry::Item {
        id: MenuId::Status,
        label: m.status_line.clone(),
        enabled: false,
    }];
    if let Some(p) = &m.problem {
        out.push(Entry::Item {
            id: MenuId::ExplainerProblem,
            label: p.clone(),
            enabled: false,
        });
    }
    if let Some(p) = &m.channel_problem {
        out.push(Entry::Item {
            id: MenuId::ChannelProblem,
            label: p.clone(),
            enabled: false,
        });
    }
    let line = |(id, label, enabled): &(MenuId, String, bool)| Entry::Item {
        id: *id,
        label: label.clone(),
        enabled: *enabled,
    };
    out.extend(m.update.top.iter().map(line));
    out.extend([
        Entry::Separator,
        item(MenuId::CheckNow, lang),
        item(MenuId::OpenExplainer, lang),
        item(MenuId::OpenChatgpt, lang),
        item(MenuId::OpenStatusPage, lang),
        Entry::Separator,
        Entry::Submenu {
            label: text::menu(MenuText::Snooze, lang).to_string(),
            entries: vec![
                item(MenuId::SnoozeHour, lang),
                item(MenuId::SnoozeUntilRecovered, lang),
                Entry::Item {
                    id: MenuId::Unsnooze,
                    label: m.unsnooze_label.clone(),
                    enabled: m.snoozed,
                },
            ],
        },
    ]);
    out.extend(m.update.check.iter().map(line));
    out.extend([
        item(MenuId::Settings, lang),
        Entry::Check {
            id: MenuId::StartAtLogin,
            label: text::menu(MenuText::StartAtLogin, lang).to_string(),
            checked: m.start_at_login,
        },
    ]);
    out.extend(m.update.daily.iter().map(|(label, checked)| Entry::Check {
        id: MenuId::UpdateChecks,
        label: label.clone(),
        checked: *checked,
    }));
    out.extend([Entry::Separator, item(MenuId::Quit, lang)]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(entries: &[Entry], out: &mut Vec<String>) {
        for e in entries {
            match e {
                Entry::Item { label, .. } | Entry::Check { label, .. } => out.push(label.clone()),
                Entry::Submenu { label, entries } => {
                    out.push(label.clone());
                    labels(entries, out);
                }
                Entry::Separator => {}
            }
        }
    }

    #[test]
    fn menu_ids_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for m in MenuId::ALL {
            assert_eq!(MenuId::parse(m.id()), Some(m));
            assert!(seen.insert(m.id()));
        }
        assert_eq!(MenuId::parse("nope"), None);
    }

    #[test]
    fn every_label_is_there_in_both_languages() {
        for lang in [Lang::EN, Lang::from_tag("it").unwrap()] {
            let mut m = TrayModel::starting(lang, true);
            let trouble = text::WindowTrouble::Exited(1);
            m.problem = Some(text::explainer_problem(&trouble, false, lang));
            let mut got = Vec::new();
            labels(&entries(&m), &mut got);
            assert!(got.iter().all(|l| !l.is_empty()), "{got:?}");
            assert_eq!(got.len(), 13, "{got:?}");
            if lang == Lang::EN {
                assert_eq!(got[0], "Checking…");
                assert_eq!(got[1], "The details window could not open: exit code 1");
                assert!(got.contains(&"What's going on?".to_string()));
                assert!(got.contains(&"Quit Gatewatch".to_string()));
            } else {
                assert!(got.contains(&"Cosa succede?".to_string()));
            }
        }
    }

    #[test]
    fn the_update_lines_go_under_the_status_and_above_settings() {
        let mut m = TrayModel::starting(Lang::EN, false);
        m.update = UpdateLines {
            top: vec![
                (
                    MenuId::UpdateInfo,
                    "Gatewatch 9.0.0 is available".into(),
                    true,
                ),
                (MenuId::InstallUpdate, "Install update".into(), true),
            ],
            check: Some((MenuId::CheckForUpdates, "Check for updates".into(), false)),
            daily: Some(("Check for new versions daily".into(), true)),
        };
        let e = entries(&m);
        let at = |id| {
            e.iter()
                .position(|x| matches!(x, Entry::Item { id: i, .. } if *i == id))
        };
        assert_eq!(at(MenuId::UpdateInfo), Some(1));
        assert_eq!(at(MenuId::InstallUpdate), Some(2));
        assert_eq!(
            at(MenuId::CheckForUpdates).map(|i| i + 1),
            at(MenuId::Settings)
        );
        assert!(matches!(
            &e[at(MenuId::CheckForUpdates).unwrap()],
            Entry::Item { enabled: false, .. }
        ));
        // The switch, checked, right under "Start at login".
        let daily = e
            .iter()
            .position(|x| {
                matches!(
                    x,
                    Entry::Check {
                        id: MenuId::UpdateChecks,
                        checked: true,
                        ..
                    }
                )
            })
            .expect("the daily check's switch");
        assert!(matches!(
            &e[daily - 1],
            Entry::Check {
                id: MenuId::StartAtLogin,
                ..
            }
        ));
        // Off by the setting: the switch alone, unchecked.
        m.update = UpdateLines {
            daily: Some(("Check for new versions daily".into(), false)),
            ..UpdateLines::default()
        };
        let off = entries(&m);
        assert_eq!(off.len(), e.len() - 3);
        assert!(off.iter().any(|x| matches!(
            x,
            Entry::Check {
                id: MenuId::UpdateChecks,
                checked: false,
                ..
            }
        )));
        // Decided by the build or the environment: none of it.
        m.update = UpdateLines::default();
        assert_eq!(entries(&m).len(), e.len() - 4);
    }

    #[test]
    fn notify_again_is_offered_only_while_snoozed() {
        let m = TrayModel::starting(Lang::EN, false);
        let snooze = entries(&m)
            .into_iter()
            .find_map(|e| match e {
                Entry::Submenu { entries, .. } => Some(entries),
                _ => None,
            })
            .unwrap();
        assert_eq!(
            snooze[2],
            Entry::Item {
                id: MenuId::Unsnooze,
                label: "Notify me again".into(),
                enabled: false
            }
        );
    }
}
