//! Finding and loading a CJK-capable font for receipts.

use crate::error::{Error, Result};
use printpdf::ParsedFont;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// A parsed font ready for receipts. Parsing a CJK collection takes tens of
/// milliseconds, so [`receipt_font`] keeps one per process.
pub struct ReceiptFont {
    pub(crate) font: ParsedFont,
    pub path: PathBuf,
    pub face_index: usize,
    /// The font's PostScript name, e.g. `NotoSansCJKtc-Regular`.
    pub name: String,
}

impl std::fmt::Debug for ReceiptFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ReceiptFont({} #{} {})", self.path.display(), self.face_index, self.name)
    }
}

/// Characters every receipt font must have: Traditional and Simplified
/// Chinese, digits and the currency signs.
const REQUIRED: &str = "熟客收據会员储值0123456789$¥";

const INSTALL_HINT: &str = "install a CJK font (Debian/Ubuntu: apt-get install fonts-noto-cjk; \
    Windows and macOS ship one) or set the receipt font in the settings";

/// The OS's usual CJK font files, best first (Traditional Chinese faces
/// preferred). The one OS-specific list of the receipt renderer.
pub fn system_cjk_font_candidates() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = Vec::new();
    if cfg!(target_os = "windows") {
        let windir = crate::paths::windows_folder();
        for f in ["msjh.ttc", "msyh.ttc", "mingliu.ttc", "simsun.ttc"] {
            found.push(windir.join("Fonts").join(f));
        }
    } else if cfg!(target_os = "macos") {
        for f in [
            "/System/Library/Fonts/PingFang.ttc",
            "/System/Library/Fonts/STHeiti Medium.ttc",
            "/Library/Fonts/Arial Unicode.ttf",
        ] {
            found.push(PathBuf::from(f));
        }
    } else {
        // Ask fontconfig first: it knows where this distribution keeps fonts.
        if let Ok(out) =
            std::process::Command::new("fc-match").args(["-f", "%{file}", "Noto Sans CJK TC:lang=zh-tw"]).output()
        {
            if out.status.success() {
                let file = String::from_utf8_lossy(&out.stdout).trim().to_string();
                if !file.is_empty() {
                    found.push(PathBuf::from(file));
                }
            }
        }
        for f in [
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
            "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
            "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
            "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
            "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
            "/usr/share/fonts/truetype/arphic/uming.ttc",
        ] {
            found.push(PathBuf::from(f));
        }
    }
    let mut unique = Vec::new();
    for p in found {
        if !unique.contains(&p) {
            unique.push(p);
        }
    }
    unique
}

fn covers_required(font: &ParsedFont) -> bool {
    REQUIRED.chars().all(|c| font.lookup_glyph_index(c as u32).is_some_and(|g| g != 0))
}

/// Loads the best face of a font file: in a collection (.ttc), the
/// Traditional Chinese face when there is one, else the first face that
/// has the characters receipts need.
pub fn load_font_file(path: &Path) -> Result<ReceiptFont> {
    let bytes = std::fs::read(path).map_err(|e| Error::FontUnavailable {
        path: path.display().to_string(),
        reason: format!("{e}; {INSTALL_HINT}"),
    })?;
    let mut fallback: Option<ReceiptFont> = None;
    for index in 0..16 {
        let mut warnings = Vec::new();
        let Some(font) = ParsedFont::from_bytes(&bytes, index, &mut warnings) else { break };
        if !covers_required(&font) {
            continue;
        }
        let name = font.font_name.clone().unwrap_or_default();
        let candidate = ReceiptFont { font, path: path.to_path_buf(), face_index: index, name };
        let lower = candidate.name.to_ascii_lowercase();
        if lower.contains("tc") || lower.contains("jhenghei") || lower.contains("hk") || lower.contains("mingliu") {
            return Ok(candidate);
        }
        if fallback.is_none() {
            fallback = Some(candidate);
        }
    }
    fallback.ok_or_else(|| Error::FontUnavailable {
        path: path.display().to_string(),
        reason: format!("it has no face with Chinese characters; {INSTALL_HINT}"),
    })
}

/// The receipt font for a configured path ('' = find one on the system),
/// parsed once per process and shared.
pub fn receipt_font(configured: &str) -> Result<Arc<ReceiptFont>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<ReceiptFont>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(font) = cache.lock().map_err(|_| poisoned())?.get(configured) {
        return Ok(font.clone());
    }
    let font = if configured.trim().is_empty() {
        let candidates = system_cjk_font_candidates();
        let found = candidates.iter().filter(|p| p.is_file()).find_map(|p| load_font_file(p).ok());
        found.ok_or_else(|| Error::FontUnavailable {
            path: candidates.first().map(|p| p.display().to_string()).unwrap_or_default(),
            reason: format!("no CJK font was found on this computer; {INSTALL_HINT}"),
        })?
    } else {
        load_font_file(Path::new(configured.trim()))?
    };
    let font = Arc::new(font);
    cache.lock().map_err(|_| poisoned())?.insert(configured.to_string(), font.clone());
    Ok(font)
}

fn poisoned() -> Error {
    Error::InvalidInput { field: "receipt font", reason: "font cache unavailable".into() }
}
