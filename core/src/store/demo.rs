//! Demo data for a first start: a tea shop with a few dozen members and
//! half a year of history, written through the real operations so every
//! balance, stamp and receipt is as real as a shop's.

use super::Store;
use crate::analytics::tiers::TierInput;
use crate::error::{Error, Result};
use crate::language::ReceiptLanguage;
use crate::member::NewMember;
use crate::program::{EarnRule, NewStampProgram};
use crate::settings::SettingsPatch;
use crate::staff::{Role, Session};
use crate::store::catalogue::ProductInput;
use crate::store::ops::{
    LineInput, PaymentInput, PaymentMethod, RedeemRequest, SaleRequest, TopUpRequest, VoidRequest,
};
use crate::store::staff::NewStaff;
use chrono::{DateTime, Datelike, Duration, Utc};

const NAMES: &[&str] = &[
    "陳怡君",
    "林志明",
    "王小明",
    "張雅婷",
    "李建宏",
    "黃淑芬",
    "吳佳穎",
    "劉家豪",
    "蔡宗翰",
    "楊雅琪",
    "許志豪",
    "鄭美玲",
    "謝宜庭",
    "郭俊傑",
    "洪詩涵",
    "曾柏翰",
    "周欣怡",
    "賴冠宇",
    "徐子涵",
    "蘇怡萱",
    "葉承恩",
    "簡佩珊",
    "莊凱文",
    "呂芷瑄",
    "江宥辰",
    "Alice Chen",
    "Brian Lee",
    "Chloe Wang",
    "David Lin",
    "Emily Huang",
    "Frank Wu",
    "Grace Liu",
    "Henry Tsai",
    "Ivy Yang",
    "Jason Hsu",
    "Karen Cheng",
];

/// The demo shop's staff, created first, in this order, with these PINs
/// (the welcome screen shows them): the owner, the manager, two cashiers.
/// Names in [`DemoText`].
pub const DEMO_STAFF_PINS: [&str; 4] = ["1111", "2222", "3333", "4444"];

/// The menu: price and whether an item earns drink stamps; names in [`DemoText::menu`].
const MENU: &[(i64, bool)] = &[(60, true), (35, true), (65, true), (50, true), (70, true), (90, false)];

/// The demo shop's words in the language chosen at first start. Member
/// names stay as they are: a shop's customers do not change with its UI.
struct DemoText {
    shop: &'static str,
    address: &'static str,
    footer: &'static str,
    /// Name and reward of the drink card and of the cake card.
    drinks: (&'static str, &'static str),
    cakes: (&'static str, &'static str),
    tiers: [&'static str; 4],
    menu: [&'static str; 6],
    categories: (&'static str, &'static str),
    /// The tags of regulars and of office workers.
    tags: (&'static str, &'static str),
    note: &'static str,
    owner: &'static str,
    manager: &'static str,
    cashiers: [&'static str; 2],
    void_reason: &'static str,
}

const ZH_TW: DemoText = DemoText {
    shop: "熟客茶飲 示範店",
    address: "台北市大安區復興南路一段 100 號",
    footer: "謝謝光臨，歡迎再來！ Thank you!",
    drinks: ("飲品集點卡", "任選飲品一杯"),
    cakes: ("甜點卡", "招牌蛋糕一片"),
    tiers: ["一般會員", "銀卡", "金卡", "VIP"],
    menu: ["珍珠奶茶", "四季春青茶", "鮮奶茶", "檸檬綠茶", "黑糖鮮奶", "招牌蛋糕"],
    categories: ("飲品", "甜點"),
    tags: ("常客", "上班族"),
    note: "少冰半糖",
    owner: "老闆",
    manager: "店長",
    cashiers: ["小美", "阿哲"],
    void_reason: "輸入錯誤 / keyed in by mistake",
};

const ZH_CN: DemoText = DemoText {
    shop: "熟客茶饮 示范店",
    address: "台北市大安区复兴南路一段 100 号",
    footer: "谢谢光临，欢迎再来！ Thank you!",
    drinks: ("饮品集点卡", "任选饮品一杯"),
    cakes: ("甜点卡", "招牌蛋糕一片"),
    tiers: ["普通会员", "银卡", "金卡", "VIP"],
    menu: ["珍珠奶茶", "四季春青茶", "鲜奶茶", "柠檬绿茶", "黑糖鲜奶", "招牌蛋糕"],
    categories: ("饮品", "甜点"),
    tags: ("常客", "上班族"),
    note: "少冰半糖",
    owner: "老板",
    manager: "店长",
    cashiers: ["小美", "阿哲"],
    void_reason: "输入错误 / keyed in by mistake",
};

const EN: DemoText = DemoText {
    shop: "Regulars Tea (demo)",
    address: "100 Fuxing S. Rd. Sec. 1, Da'an, Taipei",
    footer: "Thank you, see you again!",
    drinks: ("Drinks card", "Any drink on the house"),
    cakes: ("Cake card", "A slice of house cake"),
    tiers: ["Member", "Silver", "Gold", "VIP"],
    menu: [
        "Pearl milk tea",
        "Four Seasons oolong",
        "Fresh milk tea",
        "Lemon green tea",
        "Brown sugar milk",
        "House cake",
    ],
    categories: ("Drinks", "Cakes"),
    tags: ("regular", "office worker"),
    note: "Less ice, half sugar",
    owner: "Owner",
    manager: "Manager",
    cashiers: ["Mei", "Jay"],
    void_reason: "keyed in by mistake",
};

fn demo_text(language: ReceiptLanguage) -> &'static DemoText {
    match language {
        ReceiptLanguage::ZhTw => &ZH_TW,
        ReceiptLanguage::ZhCn => &ZH_CN,
        ReceiptLanguage::En => &EN,
    }
}

/// A small deterministic generator, so the demo is the same every time.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Who does what in the demo: the owner sets the shop up, the manager tops
/// up, voids and hands out rewards, the cashiers register and sell.
struct Crew {
    owner: Session,
    manager: Session,
    cashiers: [Session; 2],
}

enum Event {
    Sale,
    TopUp(i64),
}

impl Store {
    /// Fills an empty database with a demo shop, its names (shop, cards,
    /// menu, tiers, tags) in `language`. Refuses a database that already
    /// has members (`ShopNotEmpty`), and marks the shop set up. Returns the
    /// number of members created. A shop with no staff yet gets the demo's
    /// owner, manager and two cashiers ([`DEMO_STAFF_PINS`]), and each
    /// operation is done as the one of them who would; nobody is signed in
    /// afterwards. In a shop that has staff, the signed-in owner does it all.
    pub fn seed_demo_data(&mut self, language: ReceiptLanguage, now: DateTime<Utc>) -> Result<usize> {
        let signed_in = self.session.clone();
        // All of it or nothing: one transaction, each operation a savepoint in it.
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let seeded = self.seed_demo_shop(language, now);
        self.session = signed_in;
        match seeded {
            Ok(members) => {
                self.conn.execute_batch("COMMIT")?;
                Ok(members)
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// The demo's staff, when the shop has none yet (created by the first,
    /// unsigned, as a new shop's first owner is).
    fn demo_crew(&mut self, text: &DemoText, at: DateTime<Utc>) -> Result<Option<Crew>> {
        if super::staff::any_staff(self.conn())? {
            return Ok(None);
        }
        let [owner, manager, first, second] = DEMO_STAFF_PINS;
        let owner = self.demo_staff(text.owner, Role::Owner, owner, at)?;
        // The owner adds the others.
        self.session = Some(owner.clone());
        let manager = self.demo_staff(text.manager, Role::Manager, manager, at)?;
        let first = self.demo_staff(text.cashiers[0], Role::Cashier, first, at)?;
        let second = self.demo_staff(text.cashiers[1], Role::Cashier, second, at)?;
        Ok(Some(Crew { owner, manager, cashiers: [first, second] }))
    }

    fn demo_staff(&mut self, name: &str, role: Role, pin: &str, at: DateTime<Utc>) -> Result<Session> {
        let added = self.add_staff(&NewStaff { name: name.into(), role, pin: pin.into() }, at)?;
        Ok(Session::new(added.id, added.name, added.role, at.timestamp_millis()))
    }

    /// Does what follows as `who` (the demo's staff member), when the demo has staff.
    fn demo_as(&mut self, crew: &Option<Crew>, who: impl Fn(&Crew) -> &Session) {
        if let Some(crew) = crew {
            self.session = Some(who(crew).clone());
        }
    }

    fn seed_demo_shop(&mut self, language: ReceiptLanguage, now: DateTime<Utc>) -> Result<usize> {
        let text = demo_text(language);
        // Only into a shop that has nothing yet: no members (archived or
        // not), no programs, no bonus rules. Checked before anything is written.
        let used: bool = self.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM members) OR EXISTS (SELECT 1 FROM stamp_programs)
                 OR EXISTS (SELECT 1 FROM top_up_bonus_rules) OR EXISTS (SELECT 1 FROM products)
                 OR EXISTS (SELECT 1 FROM tiers)",
            [],
            |r| r.get(0),
        )?;
        if used {
            return Err(Error::ShopNotEmpty);
        }
        let long_ago = now - Duration::days(400);
        let crew = self.demo_crew(text, long_ago)?;
        self.demo_as(&crew, |c| &c.owner);
        self.update_settings(
            &SettingsPatch {
                name: Some(text.shop.into()),
                address: Some(text.address.into()),
                phone: Some("02-2700-1234".into()),
                currency: Some("TWD".into()),
                time_zone: Some("Asia/Taipei".into()),
                receipt_footer: Some(text.footer.into()),
                ..Default::default()
            },
            long_ago,
        )?;
        let drinks = self.add_program(
            &NewStampProgram {
                name: text.drinks.0.into(),
                stamps_needed: 10,
                reward_text: text.drinks.1.into(),
                earn_rule: EarnRule::PerItem,
                expiry_days: Some(365),
            },
            long_ago,
        )?;
        self.add_program(
            &NewStampProgram {
                name: text.cakes.0.into(),
                stamps_needed: 8,
                reward_text: text.cakes.1.into(),
                earn_rule: EarnRule::PerAmount { amount_minor: 100 },
                expiry_days: None,
            },
            long_ago,
        )?;
        for (min, bonus) in [(500, 30), (1000, 100), (2000, 300)] {
            self.set_bonus_rule(min, bonus, 0, long_ago)?;
        }
        // Tiers earn points faster the higher they are: ×1, ×1, ×1.5, ×2.
        let thresholds = [(0, 100), (1500, 100), (4000, 150), (7000, 200)];
        let tiers = text.tiers.iter().zip(thresholds);
        self.set_tiers(
            &tiers
                .map(|(name, (min, points))| TierInput {
                    name: name.to_string(),
                    min_spend_minor: min,
                    points_multiplier_pct: points,
                })
                .collect::<Vec<_>>(),
            long_ago,
        )?;
        // Points: one per NT$50 paid, a point takes NT$1 off, at most half a
        // bill, lapsing at the end of the month a year on, double in the
        // birthday month.
        self.set_points_settings(
            &crate::points::PointsSettings {
                earn_per_minor: 50,
                point_value_minor: 1,
                expiry_months: Some(12),
                max_redeem_percent: 50,
                birthday_multiplier_pct: 200,
            },
            long_ago,
        )?;
        let mut product_ids = Vec::new();
        for (i, ((price, stamps), name)) in MENU.iter().zip(text.menu).enumerate() {
            let category = if *stamps { text.categories.0 } else { text.categories.1 };
            let input = ProductInput {
                name: name.to_string(),
                price_minor: *price,
                earns_stamps: *stamps,
                category: category.to_string(),
                sort_order: i as i64,
            };
            product_ids.push(self.add_product(&input, long_ago)?.id);
        }

        let mut rng = Rng(0x5EED_1234_ABCD_0001);
        let today = now.with_timezone(&chrono_tz::Asia::Taipei).date_naive();
        let mut events: Vec<(DateTime<Utc>, usize, Event)> = Vec::new();
        let mut ids = Vec::new();
        let mut member_nos: Vec<String> = Vec::new();
        for (i, name) in NAMES.iter().enumerate() {
            let phone = format!("09{:02}-{:03}-{:03}", 10 + rng.below(89), rng.below(1000), rng.below(1000));
            let birthday = match i {
                0 => Some(format!("{:02}-{:02}", today.month(), today.day())),
                3 => Some(format!("1990-{:02}-{:02}", today.month(), 1 + (today.day() % 27))),
                _ if i % 5 == 4 => None,
                _ => Some(format!("{}-{:02}-{:02}", 1960 + rng.below(45), 1 + rng.below(12), 1 + rng.below(28))),
            };
            // Kinds of customers: regulars, weekly, fading, sleeping, new.
            let profile = i % 6;
            let joined_days_ago = match profile {
                5 => 3 + rng.below(12) as i64,
                _ => 60 + rng.below(300) as i64,
            };
            let joined = now - Duration::days(joined_days_ago) - Duration::minutes(rng.below(600) as i64);
            self.demo_as(&crew, |c| &c.cashiers[i % 2]);
            let member = self.add_member(
                &NewMember {
                    name: (*name).to_string(),
                    phone: Some(phone),
                    birthday,
                    email: if name.is_ascii() {
                        Some(format!("{}@example.com", name.to_lowercase().replace(' ', ".")))
                    } else {
                        None
                    },
                    tags: match profile {
                        0 => vec![text.tags.0.into()],
                        1 if i % 2 == 0 => vec![text.tags.1.into()],
                        _ => Vec::new(),
                    },
                    notes: if i == 1 { text.note.into() } else { String::new() },
                    // A few were brought by regulars (the owner's referral list).
                    referred_by: match i {
                        8 | 14 | 20 => member_nos.first().cloned(),
                        27 => member_nos.get(1).cloned(),
                        _ => None,
                    },
                    ..Default::default()
                },
                &format!("demo-member-{i}"),
                joined,
            )?;
            ids.push(member.id);
            member_nos.push(member.member_no.clone());
            let (every_days, stop_days_ago) = match profile {
                0 => (3, 0),
                1 => (7, 1),
                2 => (12, 20),
                3 => (10, 95 + rng.below(60) as i64),
                4 => (20, 5),
                _ => (2, 0),
            };
            let mut t = joined + Duration::minutes(5);
            if profile != 5 && i % 3 == 0 {
                events.push((t, i, Event::TopUp([500, 1000, 2000][rng.below(3) as usize])));
            }
            let stop = now - Duration::days(stop_days_ago);
            while t < stop {
                events.push((t + Duration::minutes(1), i, Event::Sale));
                let jitter = rng.below(every_days as u64 * 2 + 1) as i64;
                t += Duration::days(every_days.max(1) / 2 + jitter) + Duration::minutes(rng.below(300) as i64);
            }
        }
        events.sort_by_key(|(t, i, _)| (*t, *i));
        let mut n = 0;
        for (t, i, event) in events {
            if t > now {
                continue;
            }
            n += 1;
            let member_id = ids[i];
            match event {
                Event::TopUp(amount) => {
                    self.demo_as(&crew, |c| &c.manager);
                    self.top_up(
                        &TopUpRequest {
                            request_id: format!("demo-{n}"),
                            member_id,
                            paid_minor: amount,
                            method: PaymentMethod::Cash,
                            method_id: None,
                            cashier: text.manager.into(),
                            note: String::new(),
                        },
                        t,
                    )?;
                }
                Event::Sale => {
                    self.demo_as(&crew, |c| &c.cashiers[n % 2]);
                    let card = self.member_card(member_id, t)?;
                    let count = 1 + rng.below(3) as usize;
                    let lines: Vec<LineInput> = (0..count)
                        .map(|_| {
                            let k = rng.below(MENU.len() as u64) as usize;
                            let (price, stamps) = MENU[k];
                            LineInput {
                                product_id: Some(product_ids[k]),
                                description: text.menu[k].into(),
                                quantity: 1,
                                unit_price_minor: price,
                                earns_stamps: stamps,
                            }
                        })
                        .collect();
                    let total: i64 = lines.iter().map(|l| l.unit_price_minor).sum();
                    let method = if card.wallet.total_minor >= total {
                        PaymentMethod::StoredValue
                    } else if rng.below(3) == 0 {
                        PaymentMethod::Card
                    } else {
                        PaymentMethod::Cash
                    };
                    // Most members take their reward soon after a card is full.
                    let redeem: Vec<i64> = card
                        .stamp_cards
                        .iter()
                        .filter(|c| c.reward_ready && rng.below(4) != 0)
                        .map(|c| c.program_id)
                        .collect();
                    let receipt = self.record_sale(
                        &SaleRequest {
                            request_id: format!("demo-{n}"),
                            member_id,
                            total_minor: total,
                            lines,
                            payments: vec![PaymentInput::new(method, total)],
                            stamp_items: None,
                            redeem_program_ids: redeem,
                            coupon_codes: Vec::new(),
                            redeem_points: 0,
                            cashier: text.cashiers[n % 2].into(),
                            note: String::new(),
                        },
                        t,
                    )?;
                    if receipt.wallet_after() < 100 && i % 3 == 0 {
                        n += 1;
                        self.demo_as(&crew, |c| &c.manager);
                        self.top_up(
                            &TopUpRequest {
                                request_id: format!("demo-{n}"),
                                member_id,
                                paid_minor: 1000,
                                method: PaymentMethod::Cash,
                                method_id: None,
                                cashier: text.manager.into(),
                                note: String::new(),
                            },
                            t + Duration::minutes(2),
                        )?;
                    } else if n % 97 == 0 {
                        // A cashier's mistake, corrected the way a shop does it.
                        n += 1;
                        self.demo_as(&crew, |c| &c.manager);
                        self.void_receipt(
                            &VoidRequest {
                                request_id: format!("demo-{n}"),
                                receipt_number: receipt.number,
                                reason: text.void_reason.into(),
                                cashier: text.manager.into(),
                            },
                            t + Duration::minutes(1),
                        )?;
                    }
                }
            }
        }
        // One member with a full drink card, ready to redeem at the counter.
        let lucky = ids[1];
        let card = self.member_card(lucky, now)?;
        if let Some(c) = card.stamp_cards.iter().find(|c| c.program_id == drinks.id) {
            if c.reward_ready {
                self.demo_as(&crew, |c| &c.manager);
                self.redeem_reward(
                    &RedeemRequest {
                        request_id: "demo-redeem".into(),
                        member_id: lucky,
                        program_id: drinks.id,
                        cashier: text.manager.into(),
                        note: String::new(),
                    },
                    now - Duration::hours(1),
                )?;
            }
        }
        // The demo shop is a set-up shop: the welcome does not come back.
        self.demo_as(&crew, |c| &c.owner);
        self.mark_set_up(now)?;
        Ok(ids.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_shop_has_an_owner_a_manager_and_two_cashiers_who_did_its_work() {
        let mut store = Store::open_in_memory().unwrap();
        let now = DateTime::parse_from_rfc3339("2026-11-26T04:00:00Z").unwrap().with_timezone(&Utc);
        store.seed_demo_data(ReceiptLanguage::ZhTw, now).unwrap();
        assert!(store.session().is_none(), "nobody is left signed in");
        let staff: Vec<(String, Role)> = store.staff().unwrap().into_iter().map(|s| (s.name, s.role)).collect();
        assert_eq!(staff.len(), 4, "{staff:?}");
        for pin_and_who in DEMO_STAFF_PINS.iter().zip([("老闆", Role::Owner), ("店長", Role::Manager)]) {
            let (pin, (name, role)) = pin_and_who;
            let session = store.sign_in(pin, now).unwrap();
            assert_eq!((session.name(), session.role()), (name, role));
        }
        assert_eq!(store.sign_in(DEMO_STAFF_PINS[3], now).unwrap().name(), "阿哲");
        // Sales by the cashiers, top-ups by the manager: each receipt names its staff member.
        let by_kind = |kind: &str| -> Vec<String> {
            let mut stmt = store
                .conn()
                .prepare(
                    "SELECT DISTINCT s.name FROM receipts r JOIN staff s ON s.id = r.staff_id
                     WHERE r.kind = ?1 ORDER BY s.name",
                )
                .unwrap();
            stmt.query_map([kind], |r| r.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap()
        };
        assert_eq!(by_kind("sale"), ["小美", "阿哲"]);
        assert_eq!(by_kind("top_up"), ["店長"]);
        let unsigned: i64 =
            store.conn().query_row("SELECT COUNT(*) FROM receipts WHERE staff_id IS NULL", [], |r| r.get(0)).unwrap();
        assert_eq!(unsigned, 0);
        assert_eq!(store.verify_audit().unwrap(), None);
    }
}
