//! 80/20: how much of the revenue the best customers bring.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Pareto {
    /// Members who have spent anything.
    pub customers: i64,
    pub revenue_minor: i64,
    /// The top 20 % of those customers (rounded up) by spend.
    pub top_customers: i64,
    pub top_revenue_minor: i64,
    /// Their share of the revenue, in basis points (8000 = 80 %).
    pub top_share_bp: i64,
    /// The cumulative curve: after the best `customers_bp` of customers
    /// (0, 1 %, … 100 %), `revenue_bp` of the revenue. 101 points.
    pub points: Vec<ParetoPoint>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ParetoPoint {
    pub customers_bp: i64,
    pub revenue_bp: i64,
}

/// The Pareto figures of per-customer spends (zero and negative spends are left out).
pub fn pareto(spends: &[i64]) -> Pareto {
    let mut s: Vec<i64> = spends.iter().copied().filter(|x| *x > 0).collect();
    s.sort_unstable_by(|a, b| b.cmp(a));
    let n = s.len() as i64;
    let mut prefix = Vec::with_capacity(s.len() + 1);
    prefix.push(0i64);
    for x in &s {
        prefix.push(prefix.last().copied().unwrap_or(0) + x);
    }
    let total = prefix[s.len()];
    let top = (n * 20 + 99) / 100;
    let points = (0..=100)
        .map(|pct: i64| {
            let k = ((n * pct + 99) / 100) as usize;
            ParetoPoint { customers_bp: pct * 100, revenue_bp: super::share_bp(prefix[k], total) }
        })
        .collect();
    Pareto {
        customers: n,
        revenue_minor: total,
        top_customers: top,
        top_revenue_minor: prefix[top as usize],
        top_share_bp: super::share_bp(prefix[top as usize], total),
        points,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_big_spender_in_five_brings_most_of_the_revenue() {
        let p = pareto(&[800, 50, 50, 50, 50, 0]);
        assert_eq!((p.customers, p.top_customers, p.revenue_minor, p.top_revenue_minor), (5, 1, 1000, 800));
        assert_eq!(p.top_share_bp, 8000);
        assert_eq!(p.points.len(), 101);
        assert_eq!(p.points[0], ParetoPoint { customers_bp: 0, revenue_bp: 0 });
        assert_eq!(p.points[20].revenue_bp, 8000);
        assert_eq!(p.points[100].revenue_bp, 10_000);
    }

    #[test]
    fn no_customers_gives_an_empty_curve_of_zeros() {
        let p = pareto(&[]);
        assert_eq!((p.customers, p.top_share_bp), (0, 0));
        assert!(p.points.iter().all(|pt| pt.revenue_bp == 0));
    }
}
