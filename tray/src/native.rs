//! The tray on Windows and macOS: tray-icon (the Tauri project's own tray crate) on tao's event
//! loop, which must own the main thread there. The app itself (the same `app::run` as on Linux,
//! on the same single tokio runtime) runs on a second thread; models go to the event loop through
//! its proxy, clicks come back as [`Event::Tray`].
//!
//! NOT BUILT OR RUN: this machine builds Linux only, so this file has never been compiled. It is
//! kept small and conventional (it follows tray-icon's own tao example); see README, "Built and
//! run on Linux only".

use tao::event::Event as TaoEvent;
use tao::event_loop::{ControlFlow, EventLoopBuilder};
use tokio::sync::mpsc;
use tray_icon::menu::{
    CheckMenuItem, IsMenuItem, Menu, MenuEvent, MenuItem, PredefinedMenuItem, Submenu,
};
use tray_icon::{Icon, MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};

use crate::app;
use crate::event::Event;
use crate::icons;
use crate::menu::{self, Entry, MenuId, TrayEvent, TrayModel};

const ICON_SIZE: u32 = 64;

enum UserEvent {
    /// The app's channel for tray events, once it has started.
    Started(mpsc::Sender<Event>),
    Model(TrayModel),
    Menu(MenuEvent),
    Tray(TrayIconEvent),
    /// The app has stopped (Quit, a signal, or an error) with this exit code.
    Stopped(i32),
}

fn item(e: &Entry) -> Result<Box<dyn IsMenuItem>, tray_icon::menu::Error> {
    Ok(match e {
        Entry::Item { id, label, enabled } => {
            Box::new(MenuItem::with_id(id.id(), label, *enabled, None))
        }
        Entry::Check { id, label, checked } => {
            Box::new(CheckMenuItem::with_id(id.id(), label, true, *checked, None))
        }
        Entry::Submenu { label, entries } => {
            let sub = Submenu::new(label, true);
            for e in entries {
                sub.append(item(e)?.as_ref())?;
            }
            Box::new(sub)
        }
        Entry::Separator => Box::new(PredefinedMenuItem::separator()),
    })
}

fn build_menu(m: &TrayModel) -> Result<Menu, tray_icon::menu::Error> {
    let menu = Menu::new();
    for e in menu::entries(m) {
        menu.append(item(&e)?.as_ref())?;
    }
    Ok(menu)
}

fn icon(m: &TrayModel) -> Option<Icon> {
    Icon::from_rgba(icons::render(m.look, ICON_SIZE), ICON_SIZE, ICON_SIZE).ok()
}

/// The title over the line, already within the 127 UTF-16 units Windows keeps (the core's
/// `view::tooltip_text`, checked for every language and state in its tests).
fn tooltip(m: &TrayModel) -> String {
    m.tooltip_text.clone()
}

/// Draw `m`: create the tray the first time, update it after.
fn show(tray: &mut Option<TrayIcon>, m: &TrayModel) {
    let menu = match build_menu(m) {
        Ok(menu) => menu,
        Err(e) => {
            tracing::warn!("tray menu: {e}");
            return;
        }
    };
    match tray {
        Some(t) => {
            if let Err(e) = t.set_icon(icon(m)) {
                tracing::warn!("tray icon: {e}");
            }
            if let Err(e) = t.set_tooltip(Some(tooltip(m))) {
                tracing::warn!("tray tooltip: {e}");
            }
            t.set_menu(Some(Box::new(menu)));
        }
        None => {
            let mut b = TrayIconBuilder::new()
                .with_id("gatewatch")
                .with_menu(Box::new(menu))
                .with_tooltip(tooltip(m))
                .with_menu_on_left_click(false);
            if let Some(i) = icon(m) {
                b = b.with_icon(i);
            }
            match b.build() {
                Ok(t) => *tray = Some(t),
                Err(e) => tracing::error!("no tray icon: {e}"),
            }
        }
    }
}

/// Run the event loop on this (the main) thread and the app on another; never returns.
pub fn run(rt: tokio::runtime::Runtime, opts: app::Options) -> Result<(), app::StartError> {
    #[allow(unused_mut)]
    let mut event_loop = EventLoopBuilder::<UserEvent>::with_user_event().build();
    #[cfg(target_os = "macos")]
    {
        use tao::platform::macos::{ActivationPolicy, EventLoopExtMacOS};
        // A tray app: no Dock icon, no menu bar of its own.
        event_loop.set_activation_policy(ActivationPolicy::Accessory);
    }
    let proxy = event_loop.create_proxy();
    let p = proxy.clone();
    MenuEvent::set_event_handler(Some(move |e| {
        if p.send_event(UserEvent::Menu(e)).is_err() {
            tracing::debug!("menu event after the loop ended");
        }
    }));
    let p = proxy.clone();
    TrayIconEvent::set_event_handler(Some(move |e| {
        if p.send_event(UserEvent::Tray(e)).is_err() {
            tracing::debug!("tray event after the loop ended");
        }
    }));

    let p = proxy.clone();
    let spawned = std::thread::Builder::new()
        .name("gatewatch".into())
        .spawn(move || {
            let to_loop = p.clone();
            let start_tray: app::StartTray = Box::new(move |mut model, events| {
                let p = to_loop;
                if p.send_event(UserEvent::Started(events)).is_err() {
                    return None;
                }
                Some(tokio::spawn(async move {
                    let first = model.borrow_and_update().clone();
                    let mut next = Some(first);
                    while let Some(m) = next.take() {
                        if p.send_event(UserEvent::Model(m)).is_err() {
                            return;
                        }
                        if model.changed().await.is_ok() {
                            next = Some(model.borrow_and_update().clone());
                        }
                    }
                }))
            });
            let code = match rt.block_on(app::run(opts, start_tray)) {
                Ok(()) => 0,
                Err(e) => {
                    tracing::error!("{e}");
                    1
                }
            };
            if p.send_event(UserEvent::Stopped(code)).is_err() {
                std::process::exit(code);
            }
        });
    if let Err(e) = spawned {
        tracing::error!("cannot start: {e}");
        std::process::exit(1);
    }

    let mut tray: Option<TrayIcon> = None;
    let mut events: Option<mpsc::Sender<Event>> = None;
    let send = |events: &Option<mpsc::Sender<Event>>, e: TrayEvent| {
        if let Some(tx) = events {
            if let Err(err) = tx.try_send(Event::Tray(e)) {
                tracing::warn!("tray event {e:?} dropped: {err}");
            }
        }
    };
    event_loop.run(move |event, _, control_flow| {
        *control_flow = ControlFlow::Wait;
        if let TaoEvent::UserEvent(ev) = event {
            match ev {
                UserEvent::Started(tx) => events = Some(tx),
                UserEvent::Model(m) => show(&mut tray, &m),
                UserEvent::Menu(e) => {
                    if let Some(id) = MenuId::parse(e.id().0.as_str()) {
                        send(&events, TrayEvent::Menu(id));
                    }
                }
                UserEvent::Tray(TrayIconEvent::Click {
                    button: MouseButton::Left,
                    button_state: MouseButtonState::Up,
                    ..
                }) => send(&events, TrayEvent::Activate),
                UserEvent::Tray(_) => {}
                UserEvent::Stopped(code) => {
                    tray.take();
                    std::process::exit(code);
                }
            }
        }
    })
}
