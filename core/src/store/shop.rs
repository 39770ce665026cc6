//! The shop's settings: read, changed, and whether the shop is set up.

use super::*;
use crate::staff::Act;

impl Store {
    pub fn settings(&self) -> Result<ShopSettings> {
        load_settings(&self.conn)
    }

    /// Whether the shop has been set up: the first start's welcome is shown
    /// only while this is false (a new database).
    pub fn is_set_up(&self) -> Result<bool> {
        Ok(self.set_up_at()?.is_some())
    }

    /// When the shop was set up (UTC ms), if it has been.
    pub fn set_up_at(&self) -> Result<Option<i64>> {
        Ok(self.conn.query_row("SELECT set_up_at FROM shop_settings WHERE id = 1", [], |r| r.get(0))?)
    }

    /// Records that the shop is set up (the welcome finished, by demo data
    /// or by the setup steps, done or skipped). The first time counts;
    /// marking again changes nothing.
    pub fn mark_set_up(&mut self, now: DateTime<Utc>) -> Result<()> {
        self.write(Act::SetUp, now, |tx, _| mark_set_up(tx, now))
    }

    pub fn update_settings(&mut self, patch: &SettingsPatch, now: DateTime<Utc>) -> Result<ShopSettings> {
        self.write(Act::Settings, now, |tx, guard| {
            let current = load_settings(tx)?;
            guard.set("before", &current);
            let next = patch.apply(&current)?;
            if next.currency != current.currency {
                let has_money: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM receipts)", [], |r| r.get(0))?;
                if has_money {
                    return Err(Error::CurrencyLocked);
                }
            }
            tx.execute(
                "UPDATE shop_settings SET name = ?1, address = ?2, phone = ?3, currency = ?4,
                 currency_minor_digits = ?5, time_zone = ?6, receipt_footer = ?7, updated_at = ?8,
                 receipt_paper = ?9, auto_print = ?10, printer_name = ?11, receipt_font_path = ?12
                 WHERE id = 1",
                params![
                    next.name,
                    next.address,
                    next.phone,
                    next.currency.code,
                    next.currency.minor_digits,
                    next.time_zone,
                    next.receipt_footer,
                    now.timestamp_millis(),
                    next.receipt_paper.as_db(),
                    next.auto_print,
                    next.printer_name,
                    next.receipt_font_path,
                ],
            )?;
            if next.time_zone != current.time_zone {
                // Visit days are shop days: a new zone moves them, in this same transaction.
                super::owner::aggregates::refresh_aggregates(tx)?;
            }
            Ok(next)
        })
    }
}
