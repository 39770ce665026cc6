//! The shop's catalogue: products with prices and whether they earn stamps.

use super::Store;
use crate::error::{check_len, Error, Reason, Result};
use crate::money::non_negative_amount;
use crate::staff::Act;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Product {
    pub id: i64,
    pub name: String,
    pub price_minor: i64,
    pub earns_stamps: bool,
    pub category: String,
    pub sort_order: i64,
    pub active: bool,
}

/// A product as the owner enters it (new, or replacing an existing one's details).
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProductInput {
    pub name: String,
    pub price_minor: i64,
    pub earns_stamps: bool,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub sort_order: i64,
}

impl ProductInput {
    fn validate(&self) -> Result<(String, String)> {
        let name = self.name.trim().to_string();
        if name.is_empty() {
            return Err(Error::EmptyField { field: "product name" });
        }
        check_len("product name", &name, 60)?;
        let category = self.category.trim().to_string();
        check_len("category", &category, 30)?;
        non_negative_amount("price", self.price_minor)?;
        Ok((name, category))
    }
}

pub(crate) fn load_product(conn: &Connection, id: i64) -> Result<Product> {
    conn.query_row(
        "SELECT id, name, price_minor, earns_stamps, category, sort_order, active FROM products WHERE id = ?1",
        [id],
        |r| {
            Ok(Product {
                id: r.get(0)?,
                name: r.get(1)?,
                price_minor: r.get(2)?,
                earns_stamps: r.get(3)?,
                category: r.get(4)?,
                sort_order: r.get(5)?,
                active: r.get(6)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| Error::InvalidInput { field: "product", reason: format!("no product {id}").into() })
}

fn name_taken(conn: &Connection, name: &str, except: Option<i64>) -> Result<bool> {
    let other: Option<i64> =
        conn.query_row("SELECT id FROM products WHERE name = ?1 AND active = 1", [name], |r| r.get(0)).optional()?;
    Ok(other.is_some_and(|id| Some(id) != except))
}

impl Store {
    /// Active products first by sort order, then name; with `include_inactive`
    /// the retired ones follow.
    pub fn products(&self, include_inactive: bool) -> Result<Vec<Product>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id FROM products WHERE active = 1 OR ?1 ORDER BY active DESC, sort_order, name, id",
        )?;
        let ids = stmt.query_map([include_inactive], |r| r.get::<_, i64>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        ids.into_iter().map(|id| load_product(self.conn(), id)).collect()
    }

    pub fn add_product(&mut self, input: &ProductInput, now: DateTime<Utc>) -> Result<Product> {
        let (name, category) = input.validate()?;
        self.write(Act::Products, now, |tx, _| {
            if name_taken(tx, &name, None)? {
                return Err(Error::InvalidInput {
                    field: "product name",
                    reason: Reason::Taken { value: name.to_string() },
                });
            }
            tx.execute(
                "INSERT INTO products (name, price_minor, earns_stamps, category, sort_order, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                params![
                    name,
                    input.price_minor,
                    input.earns_stamps,
                    category,
                    input.sort_order,
                    now.timestamp_millis()
                ],
            )?;
            load_product(tx, tx.last_insert_rowid())
        })
    }

    /// Changes a product's details. Past receipts keep the name and price
    /// they were sold at: they copy them.
    pub fn edit_product(&mut self, id: i64, input: &ProductInput, now: DateTime<Utc>) -> Result<Product> {
        let (name, category) = input.validate()?;
        self.write(Act::Products, now, |tx, guard| {
            guard.set("before", load_product(tx, id)?);
            if name_taken(tx, &name, Some(id))? {
                return Err(Error::InvalidInput {
                    field: "product name",
                    reason: Reason::Taken { value: name.to_string() },
                });
            }
            tx.execute(
                "UPDATE products SET name = ?2, price_minor = ?3, earns_stamps = ?4, category = ?5, sort_order = ?6,
                   updated_at = ?7 WHERE id = ?1",
                params![
                    id,
                    name,
                    input.price_minor,
                    input.earns_stamps,
                    category,
                    input.sort_order,
                    now.timestamp_millis()
                ],
            )?;
            load_product(tx, id)
        })
    }

    /// Retires (or brings back) a product; it leaves the cashier's buttons.
    pub fn set_product_active(&mut self, id: i64, active: bool, now: DateTime<Utc>) -> Result<Product> {
        self.write(Act::Products, now, |tx, guard| {
            let p = load_product(tx, id)?;
            guard.set("before", &p);
            if active && !p.active && name_taken(tx, &p.name, Some(id))? {
                return Err(Error::InvalidInput {
                    field: "product name",
                    reason: Reason::Taken { value: p.name.to_string() },
                });
            }
            tx.execute(
                "UPDATE products SET active = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, active, now.timestamp_millis()],
            )?;
            load_product(tx, id)
        })
    }
}
