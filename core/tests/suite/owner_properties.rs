//! Random sequences of sales (some with catalogue products, some back-dated,
//! some across the shop's midnight) and voids: the owner's aggregates kept at
//! checkout always equal a recomputation from the receipts, and a rebuild
//! from scratch changes no list.

use crate::common::*;
use chrono::Duration;
use proptest::prelude::*;
use proptest::sample::Index;
use regulars::analytics::tiers::TierInput;
use regulars::store::catalogue::ProductInput;
use regulars::store::owner::ListFilter;
use regulars::{LineInput, PaymentMethod, VoidRequest};

#[derive(Debug, Clone)]
enum Op {
    Sale { member: usize, amount: i64, hours: i64, product: Option<usize> },
    Void { pick: Index },
    TopUp { member: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0usize..3, 1i64..900, -60i64..400, prop::option::of(0usize..2))
            .prop_map(|(member, amount, hours, product)| Op::Sale { member, amount, hours, product }),
        2 => any::<Index>().prop_map(|pick| Op::Void { pick }),
        1 => (0usize..3).prop_map(|member| Op::TopUp { member }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: property_cases(), ..ProptestConfig::default() })]

    #[test]
    fn kept_aggregates_equal_a_recomputation_from_the_receipts(ops in prop::collection::vec(op(), 1..30)) {
        let mut shop = new_quick_shop();
        let s = &mut shop.store;
        let mut now = at("2026-01-01T15:00:00Z"); // 23:00 in Taipei: sales straddle midnight
        let members: Vec<i64> =
            (0..3).map(|i| register(s, &format!("客{i}"), Some(&format!("091200000{i}")), now).id).collect();
        let products: Vec<i64> = (0..2)
            .map(|i| {
                let input = ProductInput {
                    name: format!("品{i}"),
                    price_minor: 100,
                    earns_stamps: false,
                    category: String::new(),
                    sort_order: 0,
                };
                s.add_product(&input, now).unwrap().id
            })
            .collect();
        let tier = |name: &str, min: i64| TierInput { name: name.into(), min_spend_minor: min, points_multiplier_pct: 100 };
        s.set_tiers(&[tier("會員", 0), tier("銀卡", 1500), tier("金卡", 4000)], noon()).unwrap();
        let mut sales: Vec<i64> = Vec::new();
        for (i, op) in ops.iter().enumerate() {
            match op {
                Op::Sale { member, amount, hours, product } => {
                    // Mostly forward in time; a negative step is a back-dated (late-synced) sale.
                    let when = now + Duration::hours(*hours);
                    now = now.max(when);
                    let mut req = sale_req(&format!("s{i}"), members[*member], &[(PaymentMethod::Cash, *amount)]);
                    if let Some(p) = product {
                        req.lines = vec![LineInput {
                            product_id: Some(products[*p]),
                            description: "品".into(),
                            quantity: 1,
                            unit_price_minor: *amount,
                            earns_stamps: false,
                        }];
                    }
                    sales.push(s.record_sale(&req, when).unwrap().number);
                }
                Op::Void { pick } => {
                    if !sales.is_empty() {
                        let number = sales.remove(pick.index(sales.len()));
                        let req = VoidRequest {
                            request_id: format!("v{i}"),
                            receipt_number: number,
                            reason: "test".into(),
                            cashier: "x".into(),
                        };
                        s.void_receipt(&req, now).unwrap();
                    }
                }
                Op::TopUp { member } => {
                    s.top_up(&top_up_req(&format!("t{i}"), members[*member], 300), now).unwrap();
                }
            }
            let mismatches = s.owner_aggregate_mismatches().unwrap();
            prop_assert!(mismatches.is_empty(), "after {op:?}: {mismatches:?}");
        }
        check_invariants(s);
        // Rebuilding from scratch changes none of the lists.
        let later = now + Duration::days(20);
        let before = (s.nes_report(&ListFilter::default(), later).unwrap(), s.vip(&ListFilter::default(), later).unwrap());
        s.rebuild_owner_aggregates(noon()).unwrap();
        let after = (s.nes_report(&ListFilter::default(), later).unwrap(), s.vip(&ListFilter::default(), later).unwrap());
        prop_assert_eq!(before, after);
        prop_assert!(s.owner_aggregate_mismatches().unwrap().is_empty());
    }
}
