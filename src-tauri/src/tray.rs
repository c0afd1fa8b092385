//! The tray icon and its menu. Menu ids are one enum, defined once.

use gatewatch_core::driver::Command;
use gatewatch_core::monitor::{Snooze, SnoozeView, Status};
use gatewatch_core::text::{self, Lang};
use tauri::image::Image;
use tauri::menu::{CheckMenuItem, Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::{MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, Wry};
use tauri_plugin_autostart::ManagerExt as _;

use crate::icons::{self, Look};
use crate::state::Shared;
use crate::windows::{self, Page};

pub const TRAY_ID: &str = "gatewatch";
/// Icon edge in pixels: panels scale it down; 64 keeps HiDPI panels crisp.
const ICON_SIZE: u32 = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuId {
    Status,
    CheckNow,
    OpenExplainer,
    OpenChatgpt,
    OpenStatusPage,
    SnoozeHour,
    SnoozeUntilRecovered,
    Unsnooze,
    Settings,
    StartAtLogin,
    Quit,
}

impl MenuId {
    const ALL: [MenuId; 11] = [
        MenuId::Status,
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
    ];

    pub const fn id(self) -> &'static str {
        match self {
            MenuId::Status => "status",
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
        }
    }

    pub fn parse(s: &str) -> Option<MenuId> {
        MenuId::ALL.into_iter().find(|m| m.id() == s)
    }

    fn label(self, lang: Lang) -> &'static str {
        let (en, it) = match self {
            MenuId::Status => ("Checking…", "Controllo in corso…"),
            MenuId::CheckNow => ("Check now", "Controlla ora"),
            MenuId::OpenExplainer => ("What's going on?", "Cosa succede?"),
            MenuId::OpenChatgpt => ("Open ChatGPT", "Apri ChatGPT"),
            MenuId::OpenStatusPage => (
                "Open OpenAI status page",
                "Apri la pagina di stato di OpenAI",
            ),
            MenuId::SnoozeHour => ("For 1 hour", "Per 1 ora"),
            MenuId::SnoozeUntilRecovered => ("Until ChatGPT is back", "Finché ChatGPT non torna"),
            MenuId::Unsnooze => ("Notify me again", "Avvisami di nuovo"),
            MenuId::Settings => ("Settings…", "Impostazioni…"),
            MenuId::StartAtLogin => ("Start at login", "Avvia all'accesso"),
            MenuId::Quit => ("Quit Gatewatch", "Esci da Gatewatch"),
        };
        if lang == Lang::It {
            it
        } else {
            en
        }
    }
}

/// The menu items that change after creation.
pub struct TrayItems {
    status: MenuItem<Wry>,
    unsnooze: MenuItem<Wry>,
    start_at_login: CheckMenuItem<Wry>,
}

fn build_menu(
    app: &AppHandle,
    lang: Lang,
    start_at_login: bool,
) -> tauri::Result<(Menu<Wry>, TrayItems)> {
    let item = |id: MenuId, enabled: bool| {
        MenuItem::with_id(app, id.id(), id.label(lang), enabled, None::<&str>)
    };
    let status = item(MenuId::Status, false)?;
    let unsnooze = item(MenuId::Unsnooze, false)?;
    let snooze_label = if lang == Lang::It {
        "Silenzia le notifiche"
    } else {
        "Snooze notifications"
    };
    let snooze = Submenu::with_items(
        app,
        snooze_label,
        true,
        &[
            &item(MenuId::SnoozeHour, true)?,
            &item(MenuId::SnoozeUntilRecovered, true)?,
            &unsnooze,
        ],
    )?;
    let start_at_login = CheckMenuItem::with_id(
        app,
        MenuId::StartAtLogin.id(),
        MenuId::StartAtLogin.label(lang),
        true,
        start_at_login,
        None::<&str>,
    )?;
    let menu = Menu::with_items(
        app,
        &[
            &status,
            &PredefinedMenuItem::separator(app)?,
            &item(MenuId::CheckNow, true)?,
            &item(MenuId::OpenExplainer, true)?,
            &item(MenuId::OpenChatgpt, true)?,
            &item(MenuId::OpenStatusPage, true)?,
            &PredefinedMenuItem::separator(app)?,
            &snooze,
            &item(MenuId::Settings, true)?,
            &start_at_login,
            &PredefinedMenuItem::separator(app)?,
            &item(MenuId::Quit, true)?,
        ],
    )?;
    Ok((
        menu,
        TrayItems {
            status,
            unsnooze,
            start_at_login,
        },
    ))
}

fn image(look: Look) -> Image<'static> {
    Image::new_owned(icons::render(look, ICON_SIZE), ICON_SIZE, ICON_SIZE)
}

/// Create the tray icon (grey "unknown" until the first check).
pub fn create(app: &AppHandle, lang: Lang, start_at_login: bool) -> tauri::Result<()> {
    let (menu, items) = build_menu(app, lang, start_at_login)?;
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(image(Look::Unknown))
        .tooltip("Gatewatch")
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| on_menu(app, event.id().as_ref()))
        .on_tray_icon_event(|tray, event| {
            // Linux panels deliver no click events; elsewhere a left click opens the explainer.
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                windows::open(tray.app_handle(), Page::Status);
            }
        })
        .build(app)?;
    app.manage(std::sync::Mutex::new(items));
    Ok(())
}

/// Rebuild the menu in another language.
pub fn relabel(app: &AppHandle, lang: Lang, start_at_login: bool) -> tauri::Result<()> {
    let (menu, items) = build_menu(app, lang, start_at_login)?;
    if let Some(tray) = app.tray_by_id(TRAY_ID) {
        tray.set_menu(Some(menu))?;
    }
    if let Some(slot) = app.try_state::<std::sync::Mutex<TrayItems>>() {
        *slot.lock().unwrap_or_else(|p| p.into_inner()) = items;
    }
    Ok(())
}

pub use gatewatch_core::view::status_line;

/// Repaint the icon and tooltip, and refresh the menu's changing lines.
pub fn show(app: &AppHandle, status: &Status, lang: Lang, offset_minutes: i32) {
    let line = status_line(status, lang, offset_minutes);
    if let Some(tray) = app.tray_by_id(TRAY_ID) {
        paint(&tray, Look::of(status), &line);
    }
    if let Some(items) = app.try_state::<std::sync::Mutex<TrayItems>>() {
        let items = items.lock().unwrap_or_else(|p| p.into_inner());
        if let Err(e) = items.status.set_text(&line) {
            tracing::warn!("tray status line: {e}");
        }
        let snoozed = status.snooze.is_some();
        let label = match (status.snooze, lang) {
            (Some(SnoozeView::Until { wall_ms }), Lang::En) => format!(
                "Notify me again (snoozed until {})",
                text::clock(wall_ms, offset_minutes)
            ),
            (Some(SnoozeView::Until { wall_ms }), Lang::It) => format!(
                "Avvisami di nuovo (silenzio fino alle {})",
                text::clock(wall_ms, offset_minutes)
            ),
            _ => MenuId::Unsnooze.label(lang).to_string(),
        };
        if items
            .unsnooze
            .set_text(label)
            .and_then(|_| items.unsnooze.set_enabled(snoozed))
            .is_err()
        {
            tracing::warn!("tray snooze item could not be updated");
        }
    }
}

fn paint(tray: &TrayIcon, look: Look, tooltip: &str) {
    if let Err(e) = tray.set_icon(Some(image(look))) {
        tracing::warn!("tray icon: {e}");
    }
    if let Err(e) = tray.set_tooltip(Some(tooltip)) {
        tracing::warn!("tray tooltip: {e}");
    }
}

fn send(app: &AppHandle, cmd: Command) {
    let shared = app.state::<Shared>();
    if let Err(e) = shared.commands.try_send(cmd) {
        tracing::warn!("monitor did not take a command: {e}");
    }
}

fn on_menu(app: &AppHandle, id: &str) {
    let Some(id) = MenuId::parse(id) else {
        tracing::warn!("unknown menu id {id:?}");
        return;
    };
    match id {
        MenuId::Status | MenuId::OpenExplainer => windows::open(app, Page::Status),
        MenuId::CheckNow => send(app, Command::CheckNow),
        MenuId::OpenChatgpt => crate::commands::open(app, crate::commands::Link::Chatgpt),
        MenuId::OpenStatusPage => crate::commands::open(app, crate::commands::Link::StatusPage),
        MenuId::SnoozeHour => send(app, Command::Snooze(Snooze::For { ms: 3_600_000 })),
        MenuId::SnoozeUntilRecovered => send(app, Command::Snooze(Snooze::UntilRecovered)),
        MenuId::Unsnooze => send(app, Command::Unsnooze),
        MenuId::Settings => windows::open(app, Page::Settings),
        MenuId::StartAtLogin => toggle_start_at_login(app),
        MenuId::Quit => app.exit(0),
    }
}

fn toggle_start_at_login(app: &AppHandle) {
    let shared = app.state::<Shared>();
    let mut settings = shared.settings();
    settings.start_at_login = !settings.start_at_login;
    if let Err(e) = crate::apply_start_at_login(app, settings.start_at_login) {
        tracing::warn!("start at login: {e}");
        settings.start_at_login = app.autolaunch().is_enabled().unwrap_or(false);
    }
    if let Some(items) = app.try_state::<std::sync::Mutex<TrayItems>>() {
        let items = items.lock().unwrap_or_else(|p| p.into_inner());
        if items
            .start_at_login
            .set_checked(settings.start_at_login)
            .is_err()
        {
            tracing::warn!("tray start-at-login item could not be updated");
        }
    }
    if let Err(e) = crate::settings::save(app, &settings) {
        tracing::warn!("{e}");
    }
    *shared.settings.lock().unwrap_or_else(|p| p.into_inner()) = settings;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn menu_ids_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for m in MenuId::ALL {
            assert_eq!(MenuId::parse(m.id()), Some(m));
            assert!(seen.insert(m.id()));
            assert_ne!(m.label(Lang::En), m.label(Lang::It));
        }
        assert_eq!(MenuId::parse("nope"), None);
    }
}
