//! Message templates and the personal messages made from them for a list.

use super::aggregates::*;
use super::scan::*;
use super::*;
use crate::language::ReceiptLanguage;
use crate::store::Store;

/// The values a template may use for one member. `{stamps}` is written in
/// `language`, the one the message is asked in: Chinese lists take 、,
/// English a comma.
pub(super) fn template_values(
    conn: &Connection,
    ctx: &Ctx,
    m: &MemberRow,
    language: ReceiptLanguage,
    now: DateTime<Utc>,
) -> Result<TemplateValues> {
    let chinese = language != ReceiptLanguage::En;
    let now_ms = now.timestamp_millis();
    let mut stamps = Vec::new();
    for program in crate::store::programs::load_programs(conn, true)? {
        let stored: i64 = conn
            .query_row(
                "SELECT stamps FROM stamp_cards WHERE member_id = ?1 AND program_id = ?2",
                [m.member_id, program.id],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0);
        let usable = stored - crate::store::stamps::expired_stamps(conn, m.member_id, &program, stored, now_ms)?;
        // Named, and only the cards the member has started: "飲品集點卡 7/10";
        // a full card says what it is good for.
        if usable >= program.stamps_needed {
            stamps.push(match language {
                ReceiptLanguage::ZhTw => format!("{}已集滿（可兌換{}）", program.name, program.reward_text),
                ReceiptLanguage::ZhCn => format!("{}已集满（可兑换{}）", program.name, program.reward_text),
                ReceiptLanguage::En => format!("{} full, reward waiting: {}", program.name, program.reward_text),
            });
        } else if usable > 0 {
            stamps.push(format!("{} {usable}/{}", program.name, program.stamps_needed));
        }
    }
    let stamps_are_zero = stamps.is_empty();
    if stamps_are_zero {
        stamps.push("0".into());
    }
    let points = crate::store::points::usable_points(conn, m.member_id, ctx.today(now))?.unwrap_or(0);
    let coupon = crate::store::coupons::soonest_usable_coupon(conn, m.member_id, ctx.today(now))?;
    Ok(TemplateValues {
        name: m.name.clone(),
        balance: ctx.currency.format(m.stored_value_minor),
        balance_is_zero: m.stored_value_minor == 0,
        stamps: stamps.join(if chinese { "、" } else { ", " }),
        stamps_are_zero,
        member_no: m.member_no.clone(),
        last_visit: m.last_visit_date.map(|d| d.to_string()).unwrap_or_default(),
        tier: m.tier.clone().unwrap_or_default(),
        shop: ctx.shop_name.clone(),
        points: points.to_string(),
        points_are_zero: points == 0,
        coupon: coupon.as_ref().map(|c| c.code.clone()).unwrap_or_default(),
        coupon_expiry: coupon.map(|c| c.valid_until.to_string()).unwrap_or_default(),
    })
}

impl Store {
    // --- outreach ---

    pub fn message_templates(&self) -> Result<Vec<MessageTemplate>> {
        let mut stmt = self.conn().prepare("SELECT name, body FROM message_templates ORDER BY name")?;
        let rows = stmt
            .query_map([], |r| Ok(MessageTemplate { name: r.get(0)?, body: r.get(1)? }))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Saves (or replaces) a named template; unknown placeholders are refused.
    pub fn set_message_template(&mut self, t: &MessageTemplate, now: DateTime<Utc>) -> Result<MessageTemplate> {
        let name = t.name.trim().to_string();
        if name.is_empty() {
            return Err(Error::EmptyField { field: "template name" });
        }
        check_len("template name", &name, 40)?;
        check_len("template", &t.body, 1000)?;
        check_template(&t.body)?;
        self.write(Act::Templates, now, |tx, guard| {
            let before: Option<String> =
                tx.query_row("SELECT body FROM message_templates WHERE name = ?1", [&name], |r| r.get(0)).optional()?;
            guard.set("name", &name);
            guard.set("before", before);
            tx.execute(
                "INSERT INTO message_templates (name, body, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (name) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
                params![name, t.body, now.timestamp_millis()],
            )?;
            Ok(MessageTemplate { name: name.clone(), body: t.body.clone() })
        })
    }

    pub fn remove_message_template(&mut self, name: &str, now: DateTime<Utc>) -> Result<()> {
        self.write(Act::Templates, now, |tx, guard| {
            let before: Option<String> = tx
                .query_row("SELECT body FROM message_templates WHERE name = ?1", [name.trim()], |r| r.get(0))
                .optional()?;
            guard.set("name", name.trim());
            guard.set("before", before);
            tx.execute("DELETE FROM message_templates WHERE name = ?1", [name.trim()])?;
            Ok(())
        })
    }

    /// The personalised text of `template` for each member, in the order given.
    pub fn outreach_messages(
        &self,
        member_ids: &[i64],
        template: &str,
        language: ReceiptLanguage,
        now: DateTime<Utc>,
    ) -> Result<Vec<OutreachMessage>> {
        check_template(template)?;
        self.with_aggregates(|conn, ctx| {
            let today = ctx.today(now);
            let mut out = Vec::with_capacity(member_ids.len());
            for chunk in member_ids.chunks(500) {
                let extra =
                    format!(" AND m.id IN ({})", chunk.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
                let by_id: HashMap<i64, MemberRow> =
                    scan(conn, ctx, &ListFilter::default(), today, &extra, EVERYTHING)?
                        .into_iter()
                        .map(|s| (s.row.member_id, s.row))
                        .collect();
                for id in chunk {
                    let m = by_id.get(id).ok_or_else(|| Error::MemberNotFound(id.to_string()))?;
                    out.push(OutreachMessage {
                        member_id: m.member_id,
                        member_no: m.member_no.clone(),
                        name: m.name.clone(),
                        phone: m.phone.clone(),
                        text: render(template, &template_values(conn, ctx, m, language, now)?),
                    });
                }
            }
            Ok(out)
        })
    }
}
