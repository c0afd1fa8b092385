// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // GTK 3 probes OpenGL (GLX) when it opens the display, which loads the GL driver (with
    // Mesa, LLVM): some 30 MB for nothing, since WebKitGTK draws the explainer without GDK's GL.
    // A user's own GDK_GL setting wins. Set before any thread.
    #[cfg(target_os = "linux")]
    if std::env::var_os("GDK_GL").is_none() {
        std::env::set_var("GDK_GL", "disable");
    }
    gatewatch_explainer::run();
}
