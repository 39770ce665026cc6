//! `regulars member …`: register, show, find, edit and archive members (importing them is `regulars import members`).

use crate::{print, RequestArgs};
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use regulars::{Error, MemberPatch, NewMember, Store};

#[derive(Args)]
pub(crate) struct MemberArgs {
    #[arg(long)]
    name: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    /// MM-DD or YYYY-MM-DD.
    #[arg(long)]
    birthday: Option<String>,
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    notes: Option<String>,
    /// A tag (repeat for several).
    #[arg(long = "tag")]
    tags: Vec<String>,
    #[arg(long)]
    card_code: Option<String>,
}

#[derive(Subcommand)]
pub(crate) enum MemberCommand {
    Add {
        #[command(flatten)]
        details: MemberArgs,
        /// Member number, phone or card code of the member who referred them.
        #[arg(long)]
        referred_by: Option<String>,
        #[command(flatten)]
        req: RequestArgs,
    },
    Show {
        member: String,
    },
    Find {
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Members who look like one person twice: the same phone, the same name
    /// and birthday, or a name written differently (width, case, spaces).
    Duplicates,
    Edit {
        member: String,
        #[command(flatten)]
        details: MemberArgs,
    },
    Archive {
        member: String,
        /// Bring an archived member back.
        #[arg(long)]
        restore: bool,
    },
    /// Erase a member's personal details on their request (the owner's
    /// right); receipts and ledgers stay.
    Erase {
        member: String,
        /// Confirm that stored value the member still holds is forfeited.
        #[arg(long)]
        forfeit: bool,
        /// The language of the name an erased member shows (zh-TW, zh-CN, en).
        #[arg(long, default_value = "zh-TW")]
        lang: String,
        #[command(flatten)]
        req: RequestArgs,
    },
}

pub(crate) fn run(store: &mut Store, cmd: MemberCommand, json: bool, now: DateTime<Utc>) -> Result<(), Error> {
    let currency = store.settings()?.currency;
    match cmd {
        MemberCommand::Add { details, referred_by, req } => {
            let new = NewMember {
                name: details.name.clone().unwrap_or_default(),
                phone: details.phone,
                email: details.email,
                birthday: details.birthday,
                notes: details.notes.unwrap_or_default(),
                tags: details.tags,
                card_code: details.card_code,
                referred_by,
            };
            let m = store.add_member(&new, &req.id(), now)?;
            print(json, &m, |m| format!("registered {} {} (card {})", m.member_no, m.name, m.card_code));
        }
        MemberCommand::Show { member } => {
            let m = store.resolve_member(&member)?;
            let card = store.member_card(m.id, now)?;
            print(json, &card, member_card_text);
        }
        MemberCommand::Duplicates => {
            let groups = store.duplicate_members()?;
            print(json, &groups, |groups| {
                let mut out = vec![format!("{} groups", groups.len())];
                for g in groups {
                    let reason = match g.reason {
                        regulars::store::duplicates::DuplicateReason::SamePhone => "same phone",
                        regulars::store::duplicates::DuplicateReason::SameNameAndBirthday => "same name and birthday",
                        regulars::store::duplicates::DuplicateReason::SameNameWritten => "name written differently",
                    };
                    let who: Vec<String> = g.members.iter().map(|m| format!("{} {}", m.member_no, m.name)).collect();
                    out.push(format!("{reason}: {}", who.join(" · ")));
                }
                out.join("\n")
            });
        }
        MemberCommand::Find { query, limit } => {
            let found = store.find_members(&query, limit)?;
            print(json, &found, |found| {
                let hits = &found.hits;
                if hits.is_empty() {
                    return "no members found".to_string();
                }
                let mut lines: Vec<String> = hits
                    .iter()
                    .map(|h| {
                        format!(
                            "{}  {}  {}  {}{}",
                            h.member_no,
                            h.name,
                            h.phone.as_deref().unwrap_or("-"),
                            currency.format(h.wallet_total_minor),
                            if h.archived { "  (archived)" } else { "" }
                        )
                    })
                    .collect();
                if found.matched > hits.len() as i64 {
                    let at_least = if found.matched_at_least { "at least " } else { "" };
                    lines.push(format!(
                        "{at_least}{} members match; showing the {} most recent visitors",
                        found.matched,
                        hits.len()
                    ));
                }
                lines.join("\n")
            });
        }
        MemberCommand::Edit { member, details } => {
            let m = store.resolve_member(&member)?;
            let patch = MemberPatch {
                name: details.name,
                phone: details.phone,
                email: details.email,
                birthday: details.birthday,
                notes: details.notes,
                tags: if details.tags.is_empty() { None } else { Some(details.tags) },
                card_code: details.card_code,
            };
            let m = store.edit_member(m.id, &patch, now)?;
            print(json, &m, |m| format!("updated {} {}", m.member_no, m.name));
        }
        MemberCommand::Erase { member, forfeit, lang, req } => {
            let m = store.resolve_member(&member)?;
            let language = regulars::ReceiptLanguage::parse(&lang)?;
            let m = store.erase_member(m.id, forfeit, &req.id(), language, now)?;
            print(json, &m, |m| format!("{} erased", m.member_no));
        }
        MemberCommand::Archive { member, restore } => {
            let m = store.resolve_member(&member)?;
            let m = store.set_member_archived(m.id, !restore, now)?;
            print(json, &m, |m| {
                format!("{} {} {}", m.member_no, m.name, if m.archived { "archived" } else { "restored" })
            });
        }
    }
    Ok(())
}

fn member_card_text(c: &regulars::MemberCard) -> String {
    let cur = &c.currency;
    let m = &c.member;
    let mut out = vec![
        format!(
            "{}  {}{}{}",
            m.member_no,
            m.name,
            m.tier.as_deref().map(|t| format!("  [{t}]")).unwrap_or_default(),
            if m.archived { "  (archived)" } else { "" }
        ),
        format!("phone: {}   card: {}", m.phone.as_deref().unwrap_or("-"), m.card_code),
    ];
    if let Some(b) = m.birthday {
        out.push(format!("birthday: {}{}", b.to_text(), if c.birthday_today { "  🎂 today!" } else { "" }));
    }
    if !m.tags.is_empty() {
        out.push(format!("tags: {}", m.tags.join(", ")));
    }
    out.push(format!(
        "stored value: {} (paid {} + bonus {})",
        cur.format(c.wallet.total_minor),
        cur.format(c.wallet.paid_minor),
        cur.format(c.wallet.bonus_minor)
    ));
    for s in &c.stamp_cards {
        out.push(format!(
            "{}: {}/{} {}",
            s.program_name,
            s.stamps,
            s.stamps_needed,
            if s.reward_ready { format!("→ reward ready: {}", s.reward_text) } else { String::new() }
        ));
    }
    out.push(format!("visits: {}   spend: {}", c.visit_count, cur.format(c.spend_minor)));
    out.join("\n")
}
