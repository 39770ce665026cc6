//! The shop's payment methods: named and ordered by the owner, each of a
//! kind. Receipts keep the method they were paid with, so a method that
//! receipts use is turned off, never removed.

use super::Store;
use crate::error::{Error, Reason, Result};
use crate::receipt::PaymentMethod;
use crate::settings::{PaymentMethodInput, ShopPaymentMethod, MAX_PAYMENT_METHODS};
use crate::staff::Act;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

/// Every payment method in the owner's order, the ones turned off too.
pub(crate) fn load_payment_methods(conn: &Connection) -> Result<Vec<ShopPaymentMethod>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.id, m.kind, m.name, m.sort_order, m.active,
                EXISTS (SELECT 1 FROM receipt_payments p WHERE p.method_id = m.id)
         FROM payment_methods m ORDER BY m.sort_order, m.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, bool>(4)?,
            r.get::<_, bool>(5)?,
        ))
    })?;
    rows.map(|row| {
        let (id, kind, name, sort_order, active, used) = row?;
        Ok(ShopPaymentMethod { id, kind: PaymentMethod::parse(&kind)?, name, sort_order, active, used })
    })
    .collect()
}

/// How a payment is written: its kind, the shop's method (none for stored
/// value) and the method's name at the time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ResolvedMethod {
    pub kind: PaymentMethod,
    pub id: Option<i64>,
    pub name: String,
}

/// The method a payment names: by id (it must be on and of `kind`), or
/// else the first method of `kind` that is on. Stored value is the
/// member's balance and names no method.
pub(crate) fn resolve_payment_method(
    conn: &Connection,
    kind: PaymentMethod,
    id: Option<i64>,
) -> Result<ResolvedMethod> {
    if kind == PaymentMethod::StoredValue {
        if let Some(id) = id {
            return Err(Error::UnknownPaymentMethod(id.to_string()));
        }
        return Ok(ResolvedMethod { kind, id: None, name: String::new() });
    }
    let row = match id {
        Some(id) => conn
            .query_row("SELECT id, kind, name, active FROM payment_methods WHERE id = ?1", [id], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, bool>(3)?))
            })
            .optional()?
            .filter(|(_, k, _, _)| k == kind.as_db())
            .ok_or_else(|| Error::UnknownPaymentMethod(id.to_string()))?,
        None => conn
            .query_row(
                "SELECT id, kind, name, active FROM payment_methods WHERE kind = ?1 ORDER BY active DESC, sort_order, id LIMIT 1",
                [kind.as_db()],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, bool>(3)?)),
            )
            .optional()?
            .ok_or_else(|| Error::UnknownPaymentMethod(kind.as_db().to_string()))?,
    };
    let (id, _, name, active) = row;
    if !active {
        return Err(Error::PaymentMethodOff(if name.is_empty() { kind.as_db().to_string() } else { name }));
    }
    Ok(ResolvedMethod { kind, id: Some(id), name })
}

fn display_name(m: &ShopPaymentMethod) -> String {
    if m.name.is_empty() {
        m.kind.as_db().to_string()
    } else {
        m.name.clone()
    }
}

/// An active method's name must differ from every other active one's; an
/// empty name (the kind's word) from every other empty one of its kind.
fn check_name_free(methods: &[ShopPaymentMethod], id: Option<i64>, kind: PaymentMethod, name: &str) -> Result<()> {
    let clash = methods.iter().filter(|m| m.active && Some(m.id) != id).any(|m| {
        if name.is_empty() {
            m.name.is_empty() && m.kind == kind
        } else {
            m.name == name
        }
    });
    if clash {
        let value = if name.is_empty() { kind.as_db().to_string() } else { name.to_string() };
        return Err(Error::InvalidInput { field: "payment method name", reason: Reason::Taken { value } });
    }
    Ok(())
}

impl Store {
    /// The shop's payment methods in the owner's order, the ones turned off too.
    pub fn payment_methods(&self) -> Result<Vec<ShopPaymentMethod>> {
        load_payment_methods(self.conn())
    }

    /// Methods common for the shop's currency that it does not have yet.
    pub fn suggested_payment_methods(&self) -> Result<Vec<crate::settings::SuggestedPaymentMethod>> {
        let settings = super::load_settings(self.conn())?;
        Ok(crate::settings::suggestions_for(&settings.currency.code, &self.payment_methods()?))
    }

    /// Adds a payment method (at the end of the row) or changes one: its
    /// name, whether it is on, and its kind while no receipt uses it.
    /// Returns every method, in order.
    pub fn save_payment_method(
        &mut self,
        input: &PaymentMethodInput,
        now: DateTime<Utc>,
    ) -> Result<Vec<ShopPaymentMethod>> {
        let (kind, name) = input.validate()?;
        let now_ms = now.timestamp_millis();
        self.write(Act::PaymentMethods, now, |tx, guard| {
            let methods = load_payment_methods(tx)?;
            guard.set("before", &methods);
            if input.active {
                check_name_free(&methods, input.id, kind, &name)?;
            }
            match input.id {
                None => {
                    if methods.len() >= MAX_PAYMENT_METHODS {
                        return Err(Error::InvalidInput {
                            field: "payment methods",
                            reason: Reason::TooMany { max: MAX_PAYMENT_METHODS as i64 },
                        });
                    }
                    if name.is_empty() {
                        return Err(Error::EmptyField { field: "payment method name" });
                    }
                    let next = methods.iter().map(|m| m.sort_order).max().unwrap_or(0) + 1;
                    tx.execute(
                        "INSERT INTO payment_methods (kind, name, sort_order, active, created_at, updated_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                        params![kind.as_db(), name, next, input.active, now_ms],
                    )?;
                }
                Some(id) => {
                    let current = methods
                        .iter()
                        .find(|m| m.id == id)
                        .ok_or_else(|| Error::UnknownPaymentMethod(id.to_string()))?;
                    if current.used && current.kind != kind {
                        return Err(Error::PaymentMethodInUse(display_name(current)));
                    }
                    if !input.active && !methods.iter().any(|m| m.active && m.id != id) {
                        return Err(Error::LastPaymentMethod);
                    }
                    tx.execute(
                        "UPDATE payment_methods SET kind = ?2, name = ?3, active = ?4, updated_at = ?5 WHERE id = ?1",
                        params![id, kind.as_db(), name, input.active, now_ms],
                    )?;
                }
            }
            load_payment_methods(tx)
        })
    }

    /// Puts the methods in the order of `ids`, which names each method once.
    pub fn reorder_payment_methods(&mut self, ids: &[i64], now: DateTime<Utc>) -> Result<Vec<ShopPaymentMethod>> {
        let now_ms = now.timestamp_millis();
        self.write(Act::PaymentMethods, now, |tx, guard| {
            let methods = load_payment_methods(tx)?;
            guard.set("before", &methods);
            let mut given: Vec<i64> = ids.to_vec();
            given.sort_unstable();
            let mut known: Vec<i64> = methods.iter().map(|m| m.id).collect();
            known.sort_unstable();
            if given != known {
                let stray = ids.iter().find(|id| !known.contains(id)).copied();
                return Err(match stray {
                    Some(id) => Error::UnknownPaymentMethod(id.to_string()),
                    None => Error::InvalidInput {
                        field: "payment methods",
                        reason: "name every payment method once".into(),
                    },
                });
            }
            for (at, id) in ids.iter().enumerate() {
                tx.execute(
                    "UPDATE payment_methods SET sort_order = ?2, updated_at = ?3 WHERE id = ?1",
                    params![id, at as i64 + 1, now_ms],
                )?;
            }
            load_payment_methods(tx)
        })
    }

    /// Removes a method no receipt uses (a slip when adding it); a method
    /// on receipts is turned off instead.
    pub fn remove_payment_method(&mut self, id: i64, now: DateTime<Utc>) -> Result<Vec<ShopPaymentMethod>> {
        self.write(Act::PaymentMethods, now, |tx, guard| {
            let methods = load_payment_methods(tx)?;
            guard.set("before", &methods);
            let current =
                methods.iter().find(|m| m.id == id).ok_or_else(|| Error::UnknownPaymentMethod(id.to_string()))?;
            if current.used {
                return Err(Error::PaymentMethodInUse(display_name(current)));
            }
            if current.active && !methods.iter().any(|m| m.active && m.id != id) {
                return Err(Error::LastPaymentMethod);
            }
            tx.execute("DELETE FROM payment_methods WHERE id = ?1", [id])?;
            load_payment_methods(tx)
        })
    }
}
