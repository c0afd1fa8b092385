//! The framework's floor: what a Tauri 2 tray app costs before it does anything. A tray icon
//! (a plain grey square, drawn in code) with a one-item menu, no window, GDK's GL probe off as in
//! Gatewatch's explainer. `scripts/bench` builds it and measures it beside Gatewatch.

use tauri::image::Image;
use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::RunEvent;

fn main() {
    if std::env::var_os("GDK_GL").is_none() {
        std::env::set_var("GDK_GL", "disable");
    }
    let app = tauri::Builder::default()
        .setup(|app| {
            let quit = MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?;
            let menu = Menu::with_items(app, &[&quit])?;
            let grey: Vec<u8> = [0x6b, 0x72, 0x80, 0xff].repeat(32 * 32);
            TrayIconBuilder::with_id("floor")
                .icon(Image::new_owned(grey, 32, 32))
                .menu(&menu)
                .on_menu_event(|app, e| {
                    if e.id() == "quit" {
                        app.exit(0);
                    }
                })
                .build(app)?;
            Ok(())
        })
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|_, event| {
            if let RunEvent::ExitRequested { code: None, api, .. } = event {
                api.prevent_exit();
            }
        }),
        Err(e) => {
            eprintln!("tauri-floor: {e}");
            std::process::exit(1);
        }
    }
}
