//! GLIDE's logger: one per process, shared by JS's `Logger.log` and the core's own events
//! (connects, reconnects with their attempt and delay, slot tables, redirects, authentication
//! failures; never a password or a command's arguments).
//!
//! Levels are GLIDE's (error 0, warn 1, info 2, debug 3, trace 4, off 5): a line is written when
//! its level is at most the configured one. Until configured, warnings and errors go to stderr.
//! With a file name, lines go to `<dir>/<name>.<YYYY-MM-DD-HH>` (UTC), a new file each hour as
//! GLIDE's rolling appender names them, `<dir>` being `GLIDE_LOG_DIR` or `glide-logs`. A line
//! reads `2026-12-07T04:50:00.123456Z  WARN glide_deno: <identifier> - <message>`.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

pub const ERROR: u8 = 0;
pub const WARN: u8 = 1;
pub const INFO: u8 = 2;
pub const DEBUG: u8 = 3;
pub const TRACE: u8 = 4;
pub const OFF: u8 = 5;

static LEVEL: AtomicU8 = AtomicU8::new(WARN);
static CONFIGURED: AtomicBool = AtomicBool::new(false);
static SINK: Mutex<Sink> = Mutex::new(Sink::Console);

enum Sink {
    Console,
    File {
        dir: PathBuf,
        name: String,
        /// The hour (since the epoch) the open file is for.
        hour: u64,
        file: Option<File>,
    },
}

/// Sets the level and where lines go (`file`: a file name, else stderr); with `only_if_unset`,
/// only if nothing configured it before (GLIDE's `Logger.init`). The level in force after.
pub fn configure(level: u8, file: Option<&str>, only_if_unset: bool) -> u8 {
    let level = level.min(OFF);
    if only_if_unset && CONFIGURED.swap(true, Ordering::AcqRel) {
        return LEVEL.load(Ordering::Acquire);
    }
    CONFIGURED.store(true, Ordering::Release);
    let sink = match file {
        Some(name) if !name.is_empty() => Sink::File {
            dir: std::env::var_os("GLIDE_LOG_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("glide-logs")),
            name: name.to_owned(),
            hour: 0,
            file: None,
        },
        _ => Sink::Console,
    };
    *SINK.lock().unwrap_or_else(|p| p.into_inner()) = sink;
    LEVEL.store(level, Ordering::Release);
    level
}

/// Whether a line at `level` would be written.
pub fn enabled(level: u8) -> bool {
    let set = LEVEL.load(Ordering::Relaxed);
    set < OFF && level < OFF && level <= set
}

/// Writes a line at `level` (if enabled): `identifier` says where it comes from.
pub fn log(level: u8, identifier: &str, message: &str) {
    if !enabled(level) {
        return;
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let line = format!(
        "{}  {:>5} glide_deno: {identifier} - {message}\n",
        timestamp(now.as_secs(), now.subsec_micros()),
        name(level)
    );
    let mut sink = SINK.lock().unwrap_or_else(|p| p.into_inner());
    match &mut *sink {
        Sink::Console => {
            let _ = std::io::stderr().write_all(line.as_bytes());
        }
        Sink::File {
            dir,
            name,
            hour,
            file,
        } => {
            let this_hour = now.as_secs() / 3600;
            if file.is_none() || *hour != this_hour {
                *hour = this_hour;
                let (y, m, d) = civil(this_hour as i64 / 24);
                let path = dir.join(format!("{name}.{y:04}-{m:02}-{d:02}-{:02}", this_hour % 24));
                *file = std::fs::create_dir_all(&*dir)
                    .and_then(|_| OpenOptions::new().create(true).append(true).open(path))
                    .ok();
            }
            if let Some(f) = file {
                let _ = f.write_all(line.as_bytes());
            }
        }
    }
}

/// Writes the line `message` makes, at `level`, if enabled (the message is only made then).
pub fn event(level: u8, identifier: &str, message: impl FnOnce() -> String) {
    if enabled(level) {
        log(level, identifier, &message());
    }
}

fn name(level: u8) -> &'static str {
    match level {
        ERROR => "ERROR",
        WARN => "WARN",
        INFO => "INFO",
        DEBUG => "DEBUG",
        _ => "TRACE",
    }
}

/// `YYYY-MM-DDTHH:MM:SS.ffffffZ` for `secs` since the epoch.
fn timestamp(secs: u64, micros: u32) -> String {
    let (y, m, d) = civil((secs / 86_400) as i64);
    let s = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{micros:06}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// The civil date of `days` since 1970-01-01 (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_are_utc_civil_ones() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(19_723), (2024, 1, 1));
        assert_eq!(civil(11_016), (2000, 2, 29));
        assert_eq!(timestamp(1_733_547_000, 42), "2024-12-07T04:50:00.000042Z");
    }

    #[test]
    fn a_line_is_written_at_or_below_the_level() {
        LEVEL.store(INFO, Ordering::Release);
        assert!(enabled(ERROR) && enabled(WARN) && enabled(INFO));
        assert!(!enabled(DEBUG) && !enabled(TRACE) && !enabled(OFF));
        LEVEL.store(OFF, Ordering::Release);
        assert!(!enabled(ERROR));
        LEVEL.store(WARN, Ordering::Release);
    }
}
