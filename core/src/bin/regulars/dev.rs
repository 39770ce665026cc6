//! `regulars dev …` (hidden): developer tools for tests and benchmarks.

use clap::Subcommand;
use regulars::{
    EarnRule, Error, NewMember, NewStampProgram, PaymentInput, PaymentMethod, RedeemRequest, RefundRequest,
    SaleRequest, Store, TopUpRequest, VoidRequest,
};
use std::io::Write;

#[derive(Subcommand)]
pub(crate) enum DevCommand {
    /// Run random operations forever, printing `committed <number> <request id>`
    /// after each commit (for crash tests).
    Stream {
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Stop after this many operations (default: never).
        #[arg(long)]
        count: Option<u64>,
    },
}

pub(crate) fn run(store: &mut Store, cmd: DevCommand) -> Result<(), Error> {
    match cmd {
        DevCommand::Stream { seed, count } => stream(store, seed, count),
    }
}

/// A stream of random operations for crash tests: sets up a small shop on
/// first use, then runs sales, top-ups, redemptions, refunds and voids,
/// printing each committed receipt.
fn stream(store: &mut Store, seed: u64, count: Option<u64>) -> Result<(), Error> {
    let now = || crate::clock();
    if store.programs()?.is_empty() {
        store.add_program(
            &NewStampProgram {
                name: "drinks".into(),
                stamps_needed: 5,
                reward_text: "free drink".into(),
                earn_rule: EarnRule::PerItem,
                expiry_days: None,
            },
            now(),
        )?;
        store.set_bonus_rule(500, 50, 0, now())?;
    }
    while store.member_count()? < 4 {
        let n = store.member_count()?;
        store.add_member(
            &NewMember {
                name: format!("stream member {n}"),
                phone: Some(format!("0900000{n:03}")),
                ..Default::default()
            },
            &format!("stream-member-{n}"),
            now(),
        )?;
    }
    let program = store.programs()?[0].id;
    let members: Vec<i64> = (1..=4).collect();
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut rand = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let stdout = std::io::stdout();
    let mut i: u64 = 0;
    while count.is_none_or(|c| i < c) {
        i += 1;
        let member_id = members[rand(members.len() as u64) as usize];
        let request_id = format!("stream-{seed}-{i}");
        let cashier = "stream".to_string();
        let result = match rand(6) {
            0 => store.top_up(
                &TopUpRequest {
                    request_id: request_id.clone(),
                    member_id,
                    paid_minor: 100 * (1 + rand(10) as i64),
                    method: PaymentMethod::Cash,
                    method_id: None,
                    cashier,
                    note: String::new(),
                },
                now(),
            ),
            1 | 2 => {
                let total = 10 + rand(200) as i64;
                let method = if rand(2) == 0 { PaymentMethod::StoredValue } else { PaymentMethod::Cash };
                store.record_sale(
                    &SaleRequest {
                        request_id: request_id.clone(),
                        member_id,
                        total_minor: total,
                        lines: Vec::new(),
                        payments: vec![PaymentInput::new(method, total)],
                        stamp_items: Some(1 + rand(3) as i64),
                        redeem_program_ids: Vec::new(),
                        coupon_codes: Vec::new(),
                        redeem_points: 0,
                        cashier,
                        note: String::new(),
                    },
                    now(),
                )
            }
            3 => store.redeem_reward(
                &RedeemRequest {
                    request_id: request_id.clone(),
                    member_id,
                    program_id: program,
                    cashier,
                    note: String::new(),
                },
                now(),
            ),
            4 => store.refund_stored_value(
                &RefundRequest {
                    request_id: request_id.clone(),
                    member_id,
                    amount_minor: 1 + rand(100) as i64,
                    method: PaymentMethod::Cash,
                    method_id: None,
                    cashier,
                    note: String::new(),
                },
                now(),
            ),
            _ => {
                let last = store.history(None, 1, None)?.first().map(|r| r.number).unwrap_or(0);
                if last == 0 {
                    continue;
                }
                let number = 1 + rand(last as u64) as i64;
                store.void_receipt(
                    &VoidRequest {
                        request_id: request_id.clone(),
                        receipt_number: number,
                        reason: "stream".into(),
                        cashier,
                    },
                    now(),
                )
            }
        };
        match result {
            Ok(r) => {
                let mut out = stdout.lock();
                writeln!(out, "committed {} {}", r.number, r.request_id)?;
                out.flush()?;
            }
            Err(e) if e.code() == "Database" || e.code() == "Io" => return Err(e),
            Err(_) => {}
        }
    }
    Ok(())
}
