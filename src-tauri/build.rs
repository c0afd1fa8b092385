//! tauri.conf.json lives at the repository root, next to ui/ and icons/, so the whole desktop
//! configuration is visible from the top; tauri-build is pointed at it explicitly.

fn main() {
    let attrs = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(&[
            "snapshot",
            "check_now",
            "snooze",
            "unsnooze",
            "get_settings",
            "save_settings",
            "test_channel",
            "open_link",
            "phone_qr",
            "close_window",
            "texts",
        ]));
    if let Err(e) = tauri_build::try_build(attrs) {
        panic!("tauri-build: {e:#}");
    }
}
