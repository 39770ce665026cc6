//! Power cuts and force-quits: the `regulars` binary is killed (SIGKILL) at
//! random moments, while it creates and migrates a new file and sets the
//! shop up, and while `regulars dev stream` writes; every receipt it
//! reported as committed must survive, and the file must open, sound and
//! balanced. Each run draws a new seed and prints it; set
//! `REGULARS_CRASH_SEED` to replay a failing run.

use crate::common::check_invariants;
use regulars::store::MIGRATIONS;
use regulars::Store;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// A small deterministic generator for the kill delays and stream seeds.
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// This run's seed: `REGULARS_CRASH_SEED` when set, else drawn from the
/// clock; printed either way, so a failure can be replayed.
#[allow(clippy::disallowed_methods)] // The test's own setting and its own randomness.
fn crash_seed(test: &str) -> u64 {
    let seed = std::env::var("REGULARS_CRASH_SEED").ok().and_then(|s| s.trim().parse().ok()).unwrap_or_else(|| {
        let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        t.as_nanos() as u64 ^ u64::from(std::process::id()).rotate_left(32)
    });
    eprintln!("{test}: seed {seed} (replay with REGULARS_CRASH_SEED={seed})");
    seed | 1
}

fn regulars(db: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_regulars"));
    c.arg("--db").arg(db).args(args).env_remove("REGULARS_DB");
    c.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    c
}

/// Collects the child's whole output lines as they arrive: a line cut by
/// the kill was never fully reported.
fn collect_lines(child: &mut Child) -> (Arc<Mutex<Vec<String>>>, thread::JoinHandle<()>) {
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let sink = lines.clone();
    let reader = thread::spawn(move || {
        let mut line = String::new();
        while out.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
            if line.ends_with('\n') {
                sink.lock().unwrap().push(line.trim_end().to_string());
            }
            line.clear();
        }
    });
    (lines, reader)
}

/// SIGKILLs the child; true when it was still running (the kill landed).
fn kill(child: &mut Child) -> bool {
    let running = child.try_wait().unwrap().is_none();
    child.kill().expect("SIGKILL regulars");
    child.wait().unwrap();
    running
}

/// The `committed <number> <request id>` lines of a stream.
fn committed_lines(lines: &[String], round: &str) -> Vec<(i64, String)> {
    lines
        .iter()
        .map(|line| match line.split(' ').collect::<Vec<_>>().as_slice() {
            ["committed", number, request_id] => (number.parse().expect("receipt number"), (*request_id).to_string()),
            _ => panic!("{round}: unexpected output line {line:?}"),
        })
        .collect()
}

/// The file opens through the real open path, is sound, balanced, at the
/// latest schema, and holds every receipt reported as committed.
fn check_after_kill(db: &Path, committed: &[(i64, String)], round: &str) -> Store {
    let store = Store::open(db).unwrap_or_else(|e| panic!("{round}: reopening after the kill failed: {e}"));
    assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64, "{round}");
    assert_eq!(store.integrity_check().unwrap(), "ok", "{round}");
    for (number, request_id) in committed {
        let receipt =
            store.receipt(*number).unwrap_or_else(|e| panic!("{round}: committed receipt {number} is gone: {e}"));
        assert_eq!(&receipt.request_id, request_id, "{round}: receipt {number}");
    }
    check_invariants(&store);
    store
}

/// How far a killed first start got: the schema version on disk (without
/// migrating further) and whether the shop was marked set up.
fn progress(db: &Path) -> Option<(i64, bool)> {
    if !db.exists() {
        return None;
    }
    let store = Store::open_at_version(db, 0).unwrap();
    let version = store.schema_version().unwrap();
    let set_up = version == MIGRATIONS.len() as i64 && store.is_set_up().unwrap();
    Some((version, set_up))
}

const INIT: [&str; 7] = ["init", "--name", "阿明茶飲", "--currency", "TWD", "--time-zone", "Asia/Taipei"];

#[test]
fn a_first_start_killed_while_creating_migrating_or_setting_up_opens_sound_on_the_next() {
    let mut rng = XorShift(crash_seed("first start"));
    let dir = tempfile::tempdir().unwrap();
    // How long a whole first start takes on this machine: kills are spread over it.
    let timed = |args: &[&str], name: &str| {
        let started = Instant::now();
        let out = regulars(&dir.path().join(name), args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        started.elapsed().as_micros() as u64
    };
    let init_us = timed(&INIT, "timed-init.db");
    let stream_us = timed(&["dev", "stream", "--seed", "1", "--count", "3"], "timed-stream.db");
    let mut cut_short = 0;
    const ROUNDS: u64 = 16;
    for round in 0..ROUNDS {
        let db = dir.path().join(format!("first-{round}.db"));
        let stream = round % 2 == 1;
        let seed = (1 + rng.below(1_000_000)).to_string();
        let (args, span): (Vec<&str>, u64) =
            if stream { (vec!["dev", "stream", "--seed", &seed], stream_us) } else { (INIT.to_vec(), init_us) };
        let delay = Duration::from_micros(rng.below(span));
        let name = format!("first start {round} ({}, killed after {delay:?})", args[0]);
        let mut child = regulars(&db, &args).spawn().expect("start regulars");
        let (lines, reader) = collect_lines(&mut child);
        thread::sleep(delay);
        let landed = kill(&mut child);
        reader.join().unwrap();
        let committed = if stream { committed_lines(&lines.lock().unwrap(), &name) } else { Vec::new() };
        let found = progress(&db);
        // Cut short: before the file existed, inside the migrations, or (init) before the setup was saved.
        if landed && found.is_none_or(|(version, set_up)| version < MIGRATIONS.len() as i64 || !(stream || set_up)) {
            cut_short += 1;
        }
        eprintln!("{name}: found {found:?}, {} committed", committed.len());
        drop(check_after_kill(&db, &committed, &name));
        // The interrupted start is simply run again, and finishes.
        let again = regulars(&db, &INIT).output().unwrap();
        assert!(again.status.success(), "{name}: init after the kill: {}", String::from_utf8_lossy(&again.stderr));
        let store = check_after_kill(&db, &committed, &name);
        assert!(store.is_set_up().unwrap(), "{name}");
        assert_eq!(store.settings().unwrap().name, "阿明茶飲", "{name}");
    }
    assert!(cut_short > 0, "no kill of {ROUNDS} landed before a first start had finished");
}

#[test]
fn receipts_reported_as_committed_survive_a_kill_at_any_moment() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    let mut rng = XorShift(crash_seed("stream"));
    let mut committed: Vec<(i64, String)> = Vec::new();
    const ROUNDS: u64 = 20;
    for round in 0..ROUNDS {
        // Distinct per round, so no round replays another's request ids.
        let seed = (rng.below(1_000_000) * 100 + round + 1).to_string();
        let name = format!("round {round} (stream seed {seed})");
        let mut child = regulars(&db, &["dev", "stream", "--seed", &seed]).spawn().expect("start regulars dev stream");
        let (lines, reader) = collect_lines(&mut child);
        // Kill at a random moment once the stream is writing, however slow
        // the machine is to start it.
        let started = Instant::now();
        while lines.lock().unwrap().is_empty() && child.try_wait().unwrap().is_none() {
            assert!(started.elapsed() < Duration::from_secs(60), "{name}: the stream never committed");
            thread::sleep(Duration::from_millis(2));
        }
        thread::sleep(Duration::from_millis(rng.below(281)));
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
            panic!("{name}: the stream stopped by itself ({status}): {err}");
        }
        kill(&mut child);
        reader.join().unwrap();
        committed.extend(committed_lines(&lines.lock().unwrap(), &name));
        check_after_kill(&db, &committed, &name);
    }
    assert!(
        committed.len() >= ROUNDS as usize,
        "the stream committed only {} receipts in {ROUNDS} runs",
        committed.len()
    );
}
