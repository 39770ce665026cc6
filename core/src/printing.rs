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
        let status =
            Command::new("powershell").args(["-NoProfile", "-NonInteractive", "-Command", &script]).status().map_err(
                |e| Error::PrinterUnavailable { system: "windows", reason: format!("cannot start PowerShell: {e}") },
            )?;
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
    run_lp("lp", pdf, printer, &media)
}

/// Hands `pdf` to CUPS through the `lp` program at `lp`.
fn run_lp(lp: &str, pdf: &[u8], printer: &str, media: &str) -> Result<()> {
    let mut cmd = Command::new(lp);
    if !printer.trim().is_empty() {
        cmd.args(["-d", printer.trim()]);
    }
    cmd.args(["-o", &format!("media={media}"), "-o", "fit-to-page", "-t", "Regulars receipt", "-"]);
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::PrinterUnavailable { system: "cups", reason: format!("cannot run lp: {e}") })?;
    // lp may exit before reading everything (no such printer): its own
    // message below says why, not the broken pipe.
    let written = child.stdin.take().expect("piped stdin").write_all(pdf);
    let out = child.wait_with_output()?;
    if out.status.success() {
        written?;
        return Ok(());
    }
    Err(lp_failure(printer.trim(), String::from_utf8_lossy(&out.stderr).trim()))
}

/// Reads what `lp` said when it refused a job, so the cashier gets a
/// sentence about the cause (no such printer, no default printer, CUPS not
/// running) instead of lp's English; anything else stays `PrintFailed`.
fn lp_failure(printer: &str, stderr: &str) -> Error {
    let said = stderr.to_ascii_lowercase();
    let reason = stderr.to_string();
    if said.contains("does not exist") || said.contains("no default destination") || said.contains("not found") {
        Error::PrinterNotFound { printer: printer.to_string(), reason }
    } else if said.contains("scheduler is not running")
        || said.contains("unable to connect")
        || said.contains("connection refused")
        || said.contains("no such file or directory")
    {
        Error::PrinterUnavailable { system: "cups", reason }
    } else {
        Error::PrintFailed(reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lp_refusals_become_errors_a_cashier_can_act_on() {
        let check = |printer: &str, stderr: &str, code: &str| {
            assert_eq!(lp_failure(printer, stderr).code(), code, "{stderr}");
        };
        check("Star", "lp: The printer or class does not exist.", "PrinterNotFound");
        check("", "lp: Error - No default destination.", "PrinterNotFound");
        check("", "lp: Error - Scheduler is not running.", "PrinterUnavailable");
        check("", "lp: Unable to connect to server: Connection refused", "PrinterUnavailable");
        check("Star", "lp: Unsupported document-format \"application/pdf\".", "PrintFailed");
        let Error::PrinterNotFound { printer, .. } = lp_failure("Star", "lp: The printer or class does not exist.")
        else {
            panic!("not PrinterNotFound");
        };
        assert_eq!(printer, "Star");
    }

    #[test]
    fn a_missing_lp_says_which_printing_system_to_install() {
        if cfg!(target_os = "windows") {
            return;
        }
        // No lp to run, as on a machine without CUPS's client.
        let error = run_lp("/nonexistent/regulars-test/lp", b"%PDF-1.4", "", "A4").unwrap_err();
        assert_eq!(error.code(), "PrinterUnavailable");
        assert!(error.details().contains(&("system", "cups".to_string())));
    }
}
