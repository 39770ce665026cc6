//! What the benchmark binaries share: names to make members from, a small
//! deterministic random source, percentiles and the process's peak memory.
//! (A folder, not `benches/*.rs`, so Cargo does not take it for a benchmark.)

#![allow(dead_code)] // each benchmark uses its own part

pub const SURNAMES: &[&str] =
    &["陳", "林", "黃", "張", "李", "王", "吳", "劉", "蔡", "楊", "許", "鄭", "謝", "郭", "洪"];
pub const GIVEN: &[&str] = &[
    "怡君", "志明", "小明", "雅婷", "建宏", "淑芬", "佳穎", "家豪", "宗翰", "雅琪", "美玲", "宜庭", "俊傑", "詩涵",
    "柏翰",
];
pub const LATIN: &[&str] = &["Alice", "Brian", "Chloe", "David", "Emily", "Frank", "Grace", "Henry", "Ivy", "Jason"];

/// xorshift64: the same members and visits on every run.
pub struct Rng(pub u64);

impl Rng {
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        self.below(1 << 53) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// A field of /proc/self/status in KiB (Linux; None elsewhere).
pub fn status_kib(field: &str) -> Option<f64> {
    std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()))
}

pub fn peak_rss_mib() -> String {
    status_kib("VmHWM").map(|kb| format!("{:.0} MiB", kb / 1024.0)).unwrap_or_else(|| "n/a".into())
}
