//! Sending a PDF to a printer: the one OS-specific function for printing.

use crate::error::{Error, Result};
use crate::settings::PaperSize;
use std::io::Write;
use std::process::{Command, Stdio};

/// Prints `pdf` on `printer` ('' = the system's default printer).
///
/// - Linux and macOS: CUPS `lp`, with the paper size as a media option
///   (`Custom.80x<length>mm` for rolls, `A4`/`A5` for sheets).
/// - Windows: the PDF is written to a temporary file and handed to the
///   shell's "print" verb (the default PDF application prints it).
pub fn print_pdf(pdf: &[u8], printer: &str, paper: PaperSize, roll_length_mm: f32) -> Result<()> {
    if cfg!(target_os = "windows") {
        let path = std::env::temp_dir().join(format!("regulars-receipt-{}.pdf", std::process::id()));
        std::fs::write(&path, pdf)?;
        let file = path.display().to_string().replace('\'', "''");
        let script = if printer.trim().is_empty() {
            format!("Start-Process -FilePath '{file}' -Verb Print -Wait")
        } else {
            let name = printer.trim().replace('\'', "''");
            format!("Start-Process -FilePath '{file}' -Verb PrintTo -ArgumentList '\"{name}\"' -Wait")
        };
        let status = Command::new("powershell")
            .args(["-NoProfile", "-NonInteractive", "-Command", &script])
            .status()
            .map_err(|e| Error::PrintFailed(format!("cannot start PowerShell: {e}")))?;
        return if status.success() {
            Ok(())
        } else {
            Err(Error::PrintFailed(format!("PowerShell exited with {status}")))
        };
    }
    let media = match paper {
        PaperSize::A4 => "A4".to_string(),
        PaperSize::A5 => "A5".to_string(),
        roll => format!("Custom.{}x{}mm", roll.width_mm().round(), roll_length_mm.ceil().max(10.0)),
    };
    let mut cmd = Command::new("lp");
    if !printer.trim().is_empty() {
        cmd.args(["-d", printer.trim()]);
    }
    cmd.args(["-o", &format!("media={media}"), "-o", "fit-to-page", "-t", "Regulars receipt", "-"]);
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::PrintFailed(format!("cannot run lp (is CUPS installed?): {e}")))?;
    child.stdin.take().expect("piped stdin").write_all(pdf)?;
    let out = child.wait_with_output()?;
    if out.status.success() {
        Ok(())
    } else {
        Err(Error::PrintFailed(String::from_utf8_lossy(&out.stderr).trim().to_string()))
    }
}
