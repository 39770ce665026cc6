//! The app's clock: every command takes its `now` from [`now`], and the
//! window learns it through `staff_state`, so the whole app tells one time.
//!
//! A test hook: when the environment sets `REGULARS_CLOCK_START` (an RFC 3339
//! instant with its offset, e.g. `2026-12-01T10:30:00+08:00`), the app's time
//! starts at that instant and runs on with the real time elapsed since the
//! app started, so the idle lock and the PIN pad's lock still work. The
//! end-to-end tests start the app this way, so the demo shop's "today" (and
//! every figure that depends on it) is the same at whatever hour they run.
//! Unset, it is the real time.

use std::sync::OnceLock;
use std::time::Instant;

use chrono::{DateTime, Utc};

/// The environment variable that sets the app's starting instant.
pub const CLOCK_START_VAR: &str = "REGULARS_CLOCK_START";

/// Real time, or a fixed start that runs on with the real elapsed time.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    Real,
    StartedAt { start: DateTime<Utc>, at: Instant },
}

impl Clock {
    /// The clock the value of [`CLOCK_START_VAR`] asks for (`None` or empty: real time).
    pub fn from_setting(value: Option<&str>) -> Result<Clock, String> {
        match value.map(str::trim) {
            None | Some("") => Ok(Clock::Real),
            Some(text) => DateTime::parse_from_rfc3339(text)
                .map(|start| Clock::StartedAt { start: start.with_timezone(&Utc), at: Instant::now() })
                .map_err(|error| {
                    format!("{CLOCK_START_VAR}={text:?} is not an RFC 3339 instant such as 2026-12-01T10:30:00+08:00: {error}")
                }),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::Real => real_now(),
            Clock::StartedAt { start, at } => {
                let elapsed = chrono::Duration::from_std(at.elapsed()).unwrap_or(chrono::Duration::zero());
                *start + elapsed
            }
        }
    }
}

/// The one place the shell reads the real clock (the root clippy.toml forbids it elsewhere).
#[allow(clippy::disallowed_methods)]
fn real_now() -> DateTime<Utc> {
    Utc::now()
}

static CLOCK: OnceLock<Clock> = OnceLock::new();

/// Reads [`CLOCK_START_VAR`] once, at start; an unreadable value is an error
/// (a test that asked for a fixed clock must not run on the real one).
pub fn start_from_environment() -> Result<Clock, String> {
    // The shell's environment is read at start (REGULARS_DB in main.rs, and here).
    #[allow(clippy::disallowed_methods)]
    let value = std::env::var_os(CLOCK_START_VAR);
    let value = value.map(|v| v.into_string().map_err(|_| format!("{CLOCK_START_VAR} is not UTF-8"))).transpose()?;
    let clock = Clock::from_setting(value.as_deref())?;
    Ok(*CLOCK.get_or_init(|| clock))
}

/// The app's time now (see the module's comment).
pub fn now() -> DateTime<Utc> {
    CLOCK.get_or_init(|| Clock::Real).now()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_setting_or_an_empty_one_is_the_real_clock() {
        assert!(matches!(Clock::from_setting(None), Ok(Clock::Real)));
        assert!(matches!(Clock::from_setting(Some("  ")), Ok(Clock::Real)));
    }

    #[test]
    fn a_start_instant_with_its_offset_is_where_the_clock_starts_and_it_runs_on() {
        let clock = Clock::from_setting(Some("2026-12-01T10:30:00+08:00")).unwrap();
        let start = DateTime::parse_from_rfc3339("2026-12-01T02:30:00Z").unwrap().with_timezone(&Utc);
        let first = clock.now();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let second = clock.now();
        assert!(first >= start && first < start + chrono::Duration::seconds(5), "{first}");
        assert!(second - first >= chrono::Duration::milliseconds(20), "{first} then {second}");
    }

    #[test]
    fn a_start_without_an_offset_or_not_a_time_is_refused_naming_the_variable() {
        for bad in ["2026-12-01T10:30:00", "2026-12-01", "tomorrow"] {
            let error = Clock::from_setting(Some(bad)).unwrap_err();
            assert!(error.starts_with("REGULARS_CLOCK_START="), "{bad}: {error}");
        }
    }
}
