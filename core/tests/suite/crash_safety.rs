//! Power cuts and force-quits: the `regulars dev stream` process is killed
//! (SIGKILL) at random moments while writing; every receipt it reported as
//! committed must survive, and the file must stay sound and balanced.

use crate::common::check_invariants;
use regulars::Store;
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// A small deterministic generator for the kill delays.
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn receipts_reported_as_committed_survive_a_kill_at_any_moment() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    let mut rng = XorShift(0xC0FF_EE12_3456_789B);
    let mut committed: Vec<(i64, String)> = Vec::new();
    const ROUNDS: u64 = 20;
    for round in 0..ROUNDS {
        let mut child = Command::new(env!("CARGO_BIN_EXE_regulars"))
            .arg("--db")
            .arg(&db)
            .args(["dev", "stream", "--seed", &(1000 + round).to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start regulars dev stream");
        let lines = Arc::new(Mutex::new(Vec::<String>::new()));
        let reader = {
            let lines = lines.clone();
            let mut out = BufReader::new(child.stdout.take().unwrap());
            thread::spawn(move || {
                let mut line = String::new();
                // Only whole lines count: a line cut by the kill was never fully reported.
                while out.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
                    if line.ends_with('\n') {
                        lines.lock().unwrap().push(line.trim_end().to_string());
                    }
                    line.clear();
                }
            })
        };
        // Kill at a random moment once the stream is writing, however slow
        // the machine is to start it.
        let started = std::time::Instant::now();
        while lines.lock().unwrap().is_empty() && child.try_wait().unwrap().is_none() {
            assert!(started.elapsed() < Duration::from_secs(60), "round {round}: the stream never committed");
            thread::sleep(Duration::from_millis(2));
        }
        thread::sleep(Duration::from_millis(rng.below(281)));
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
            panic!("round {round}: the stream stopped by itself ({status}): {err}");
        }
        child.kill().expect("SIGKILL the stream");
        child.wait().unwrap();
        reader.join().unwrap();

        for line in lines.lock().unwrap().iter() {
            let parts: Vec<&str> = line.split(' ').collect();
            match parts.as_slice() {
                ["committed", number, request_id] => {
                    committed.push((number.parse().expect("receipt number"), (*request_id).to_string()))
                }
                _ => panic!("round {round}: unexpected output line {line:?}"),
            }
        }

        let store = Store::open(&db).unwrap_or_else(|e| panic!("round {round}: reopening after the kill failed: {e}"));
        assert_eq!(store.integrity_check().unwrap(), "ok", "round {round}");
        for (number, request_id) in &committed {
            let receipt = store
                .receipt(*number)
                .unwrap_or_else(|e| panic!("round {round}: committed receipt {number} is gone: {e}"));
            assert_eq!(&receipt.request_id, request_id, "round {round}: receipt {number}");
        }
        check_invariants(&store);
    }
    assert!(
        committed.len() >= ROUNDS as usize,
        "the stream committed only {} receipts in {ROUNDS} runs",
        committed.len()
    );
}
