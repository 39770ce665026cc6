//! The core's integration tests, one binary with a module per subject (as
//! GitButler's crates do): CI links one test program instead of one per
//! file. `cargo test -p regulars --test suite lookup::` runs one subject.

mod common;

mod auto_coupons;
mod backup;
mod bad_input;
mod cli;
mod concurrency;
mod coupon_slips;
mod coupons;
mod crash_safety;
mod day_close;
mod duplicates;
mod export_all;
mod import;
mod journeys;
mod journeys_shop;
mod layers;
mod ledger_properties;
mod lookup;
mod member_card;
mod owner_cli;
mod owner_pages;
mod owner_properties;
mod owner_rules;
mod payment_methods;
mod points;
mod receipt_pdf;
mod referrals;
mod staff;
mod staff_records;
mod upgrade;
