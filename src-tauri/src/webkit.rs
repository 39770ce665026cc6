//! What the shell sets, on Linux, for the WebKitGTK web process before the
//! window opens, to keep a till's idle memory near a bare Tauri window's
//! (docs/benchmarks.md, "Memory: the target met (2026-12-07, evening)").
//! Both are environment variables the web process inherits, set in `main`
//! before any thread starts, and each is left alone when the user has set
//! it (or its like) already.
//!
//! - Painting without accelerated compositing
//!   (`WEBKIT_DISABLE_COMPOSITING_MODE=1`): the page is painted on the CPU
//!   into one buffer instead of through OpenGL layers. On a till without a
//!   GPU driver (Mesa's software rasteriser) the compositor's GL state,
//!   shaders and layer textures cost the web process ~60 MiB more; the
//!   counter's screens have no animation or video that needs a GPU.
//!   `WEBKIT_DISABLE_COMPOSITING_MODE=0` in the environment turns
//!   compositing back on.
//! - Bold Chinese from the regular CJK font file: WebKitGTK finds fonts
//!   through fontconfig, which gives bold text (names, totals, buttons) the
//!   Noto Sans CJK Bold file, a second 19 MiB font file whose glyph pages
//!   stay in memory beside the Regular's. A fontconfig file of the app's
//!   own (the system's configuration included first, then one rule) answers
//!   a bold request for Noto Sans CJK with the Regular face marked to be
//!   emboldened, and WebKit draws the bold itself (synthetic bold). Latin
//!   fonts keep their real bold faces: the rule looks only at the first
//!   family asked for.

// Elsewhere `prepare` does nothing and the font file's parts go unused.
#![cfg_attr(not(target_os = "linux"), allow(dead_code))]

use std::path::{Path, PathBuf};

/// The system's fontconfig file, included before the app's rule.
const SYSTEM_CONFIG: &str = "/etc/fonts/fonts.conf";

/// The app's fontconfig file: the system's configuration, then the rule.
pub const FONT_CONFIG: &str = r#"<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<!-- Written by Regulars at start (src-tauri/src/webkit.rs): bold Noto Sans CJK
     is drawn from the Regular file, emboldened, so one CJK font file is mapped. -->
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <match target="pattern">
    <test qual="first" name="family" compare="contains"><string>Noto Sans CJK</string></test>
    <test name="weight" compare="more"><const>medium</const></test>
    <edit name="weight" mode="assign"><const>regular</const></edit>
    <edit name="embolden" mode="assign"><bool>true</bool></edit>
  </match>
</fontconfig>
"#;

/// Where the app's fontconfig file is written: beside the database (the
/// app's own folder, private to the user).
pub fn font_config_path(database: &Path) -> PathBuf {
    database.parent().unwrap_or(Path::new(".")).join("regulars-fonts.conf")
}

/// Sets what the module's comment lists. Must run before any thread starts.
#[cfg(target_os = "linux")]
pub fn prepare(database: &Path) {
    // The shell's environment is read at start.
    #[allow(clippy::disallowed_methods)]
    let set = |name: &str| std::env::var_os(name).is_some();
    if !set("WEBKIT_DISABLE_COMPOSITING_MODE") {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
    // A fontconfig file or folder the user chose, or a system that keeps its
    // configuration elsewhere, is left as it is.
    if set("FONTCONFIG_FILE") || set("FONTCONFIG_PATH") || !Path::new(SYSTEM_CONFIG).is_file() {
        return;
    }
    let path = font_config_path(database);
    let written = match std::fs::read_to_string(&path) {
        Ok(text) if text == FONT_CONFIG => Ok(()),
        _ => std::fs::write(&path, FONT_CONFIG),
    };
    match written {
        Ok(()) => std::env::set_var("FONTCONFIG_FILE", &path),
        Err(error) => {
            eprintln!("regulars: cannot write {} (bold Chinese uses its own font file): {error}", path.display())
        }
    }
}

#[cfg(not(target_os = "linux"))]
pub fn prepare(_database: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_rule_comes_after_the_system_configuration() {
        let include = FONT_CONFIG.find(&format!(">{SYSTEM_CONFIG}</include>")).expect("the system file is included");
        let rule = FONT_CONFIG.find("<match").expect("the rule");
        assert!(include < rule);
    }

    #[test]
    fn the_font_file_is_written_beside_the_database() {
        let path = font_config_path(Path::new("/home/shop/.local/share/regulars/regulars.db"));
        assert_eq!(path, Path::new("/home/shop/.local/share/regulars/regulars-fonts.conf"));
    }
}
