//! A PIN check's cost: Argon2id (19 MiB, 2 passes) under the shop's salt,
//! as `Store::sign_in` runs it, plus the lookup and the audit row. The
//! brief's target: one check well under ~200 ms on a small shop PC.
//! `cargo bench -p regulars --bench pin`; figures in docs/benchmarks.md.
#![allow(clippy::disallowed_methods)] // A benchmark reads the clock to time itself.

use chrono::Utc;
use regulars::{NewStaff, Role, Store};
use std::time::Instant;

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("pin.db")).expect("open");
    let now = Utc::now();
    store.create_first_owner("老闆", "1111", now).expect("owner");
    for (i, pin) in ["2222", "3333", "4444", "5555"].iter().enumerate() {
        let new = NewStaff { name: format!("員工{i}"), role: Role::Cashier, pin: (*pin).into() };
        store.add_staff(&new, now).expect("staff");
    }
    let mut times = Vec::new();
    for i in 0..25 {
        let pin = ["1111", "2222", "3333", "4444", "5555"][i % 5];
        let t = Instant::now();
        let session = store.sign_in(pin, now).expect("sign in");
        times.push(t.elapsed().as_micros());
        // The right person, not only quickly.
        assert_eq!(session.name(), if i % 5 == 0 { "老闆".to_string() } else { format!("員工{}", i % 5 - 1) });
    }
    times.sort();
    let ms = |us: u128| format!("{}.{} ms", us / 1000, us % 1000 / 100);
    println!("sign_in with a PIN (5 staff, 25 checks): median {}, max {}", ms(times[12]), ms(times[24]));
}
