//! Staff, roles and what each role may do: the permission matrix the store
//! enforces on every write, the limits an owner can tighten, and the PIN
//! rules. Pure: no database, no clock (times come in as arguments).

use crate::error::{Error, Reason, Result};
use crate::input::fold_width;
use serde::{Deserialize, Serialize};

/// A staff member's role. Ordered: a manager may do all a cashier may, an
/// owner all a manager may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Role {
    Cashier,
    Manager,
    Owner,
}

impl Role {
    pub fn as_db(self) -> &'static str {
        match self {
            Role::Cashier => "cashier",
            Role::Manager => "manager",
            Role::Owner => "owner",
        }
    }

    pub fn parse(s: &str) -> Result<Role> {
        match s.trim().to_ascii_lowercase().as_str() {
            "cashier" => Ok(Role::Cashier),
            "manager" => Ok(Role::Manager),
            "owner" => Ok(Role::Owner),
            other => Err(Error::InvalidInput { field: "role", reason: format!("unknown role {other:?}").into() }),
        }
    }
}

/// Every kind of change the store makes, and every security event: one
/// audit row's kind each. A write names its act before it touches anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Act {
    RegisterMember,
    ImportMembers,
    EditMember,
    ArchiveMember,
    EraseMember,
    Sale,
    /// Issuing one coupon to one member.
    IssueCoupon,
    /// Issuing coupons to a list of members in one action.
    CouponCampaign,
    /// Adding, editing and pausing coupon offers.
    CouponOffers,
    /// The shop's points rules.
    PointsSettings,
    /// The coupons the shop issues by itself: the owner's rules, and the
    /// app's runs that issue them (by "system").
    AutoCoupons,
    /// The shop's referral reward.
    Referrals,
    TopUp,
    Redeem,
    Void,
    Refund,
    Adjust,
    CountDrawer,
    Products,
    PaymentMethods,
    Programs,
    BonusRules,
    Settings,
    OwnerSettings,
    Tiers,
    TierReview,
    Templates,
    Contact,
    RebuildAggregates,
    Staff,
    StaffPolicy,
    Demo,
    SetUp,
    Backup,
    Restore,
    /// Reading or exporting the owner's lists, the day close, the audit log.
    OwnerLists,
    Export,
    SignIn,
    SignOut,
    PinFailed,
    PinLocked,
    Refused,
}

impl Act {
    /// Every act, for tests that must cover each and for the UI's filter.
    pub const ALL: &'static [Act] = &[
        Act::RegisterMember,
        Act::ImportMembers,
        Act::EditMember,
        Act::ArchiveMember,
        Act::EraseMember,
        Act::Sale,
        Act::IssueCoupon,
        Act::CouponCampaign,
        Act::CouponOffers,
        Act::PointsSettings,
        Act::AutoCoupons,
        Act::Referrals,
        Act::TopUp,
        Act::Redeem,
        Act::Void,
        Act::Refund,
        Act::Adjust,
        Act::CountDrawer,
        Act::Products,
        Act::PaymentMethods,
        Act::Programs,
        Act::BonusRules,
        Act::Settings,
        Act::OwnerSettings,
        Act::Tiers,
        Act::TierReview,
        Act::Templates,
        Act::Contact,
        Act::RebuildAggregates,
        Act::Staff,
        Act::StaffPolicy,
        Act::Demo,
        Act::SetUp,
        Act::Backup,
        Act::Restore,
        Act::OwnerLists,
        Act::Export,
        Act::SignIn,
        Act::SignOut,
        Act::PinFailed,
        Act::PinLocked,
        Act::Refused,
    ];

    /// The name stored in the audit log and used by the CLI's `--kind`.
    pub fn as_db(self) -> &'static str {
        match self {
            Act::RegisterMember => "registerMember",
            Act::ImportMembers => "importMembers",
            Act::EditMember => "editMember",
            Act::ArchiveMember => "archiveMember",
            Act::EraseMember => "eraseMember",
            Act::Sale => "sale",
            Act::IssueCoupon => "issueCoupon",
            Act::CouponCampaign => "couponCampaign",
            Act::CouponOffers => "couponOffers",
            Act::PointsSettings => "pointsSettings",
            Act::AutoCoupons => "autoCoupons",
            Act::Referrals => "referrals",
            Act::TopUp => "topUp",
            Act::Redeem => "redeem",
            Act::Void => "void",
            Act::Refund => "refund",
            Act::Adjust => "adjust",
            Act::CountDrawer => "countDrawer",
            Act::Products => "products",
            Act::PaymentMethods => "paymentMethods",
            Act::Programs => "programs",
            Act::BonusRules => "bonusRules",
            Act::Settings => "settings",
            Act::OwnerSettings => "ownerSettings",
            Act::Tiers => "tiers",
            Act::TierReview => "tierReview",
            Act::Templates => "templates",
            Act::Contact => "contact",
            Act::RebuildAggregates => "rebuildAggregates",
            Act::Staff => "staff",
            Act::StaffPolicy => "staffPolicy",
            Act::Demo => "demo",
            Act::SetUp => "setUp",
            Act::Backup => "backup",
            Act::Restore => "restore",
            Act::OwnerLists => "ownerLists",
            Act::Export => "export",
            Act::SignIn => "signIn",
            Act::SignOut => "signOut",
            Act::PinFailed => "pinFailed",
            Act::PinLocked => "pinLocked",
            Act::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Result<Act> {
        Act::ALL
            .iter()
            .copied()
            .find(|a| a.as_db().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| Error::InvalidInput { field: "kind", reason: format!("unknown kind {s:?}").into() })
    }

    /// The least role that may do this act with no limit in play, by the
    /// default matrix. Security events need no role (anyone may try a PIN).
    pub fn least_role(self) -> Option<Role> {
        use Act::*;
        Some(match self {
            RegisterMember | EditMember | Sale | TopUp | Redeem | Void | IssueCoupon => Role::Cashier,
            ImportMembers | ArchiveMember | Refund | Adjust | CountDrawer | Contact | OwnerLists | Export
            | CouponCampaign => Role::Manager,
            EraseMember | Products | PaymentMethods | Programs | BonusRules | Settings | OwnerSettings | Tiers
            | TierReview | Templates | RebuildAggregates | Staff | StaffPolicy | Demo | SetUp | Backup | Restore
            | CouponOffers | PointsSettings | AutoCoupons | Referrals => Role::Owner,
            SignIn | SignOut | PinFailed | PinLocked | Refused => return None,
        })
    }

    /// Whether the owner may take this act away from managers or cashiers
    /// (tightening the matrix); the owner's own rights cannot be removed.
    pub fn can_be_denied(self) -> bool {
        self.least_role().is_some_and(|r| r < Role::Owner)
    }
}

/// A signed-in staff member. Only the store makes one (`Store::sign_in`,
/// after checking a PIN); the interfaces hold it and hand it back
/// (`Store::resume`), and every write checks the account is still active.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Session {
    staff_id: i64,
    name: String,
    role: Role,
    /// UTC milliseconds.
    signed_in_at: i64,
}

impl Session {
    pub(crate) fn new(staff_id: i64, name: String, role: Role, signed_in_at: i64) -> Session {
        Session { staff_id, name, role, signed_in_at }
    }

    pub fn staff_id(&self) -> i64 {
        self.staff_id
    }
    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn role(&self) -> Role {
        self.role
    }
}

/// The limits and the rights an owner has tightened, on top of the default
/// matrix. Amounts are minor units of the shop's currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StaffPolicy {
    /// A cashier may void their own receipt for this long after it was written.
    pub cashier_void_minutes: i64,
    /// …and only when its total is at most this much.
    pub cashier_void_max_minor: i64,
    /// A manager's correction of stored value may move at most this much.
    pub manager_adjust_max_minor: i64,
    /// The till locks after this many minutes without input (0: never).
    pub idle_lock_minutes: i64,
    /// Rights taken away from a role, beyond the default matrix.
    pub denied: Vec<Denied>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Denied {
    pub role: Role,
    pub act: Act,
}

/// Wrong PINs in a row that lock the PIN pad, and for how long.
pub const PIN_FAILURES_BEFORE_LOCK: i64 = 5;
pub const PIN_LOCK_MINUTES: i64 = 5;

impl StaffPolicy {
    /// The defaults for a shop whose currency has `minor_digits` digits
    /// after the point: a cashier voids their own receipt of up to 1,000
    /// within 30 minutes; a manager corrects up to 5,000.
    pub fn defaults(minor_digits: u32) -> StaffPolicy {
        let unit = 10i64.pow(minor_digits.min(4));
        StaffPolicy {
            cashier_void_minutes: 30,
            cashier_void_max_minor: 1_000 * unit,
            manager_adjust_max_minor: 5_000 * unit,
            idle_lock_minutes: 5,
            denied: Vec::new(),
        }
    }

    /// Checks a policy before it is stored: limits in range; only rights
    /// below the owner can be taken away.
    pub fn validate(&self) -> Result<()> {
        let range = |field: &'static str, v: i64, max: i64| {
            if (0..=max).contains(&v) {
                Ok(())
            } else {
                Err(Error::InvalidInput { field, reason: Reason::Range { min: 0, max } })
            }
        };
        range("cashier void minutes", self.cashier_void_minutes, 24 * 60)?;
        range("cashier void limit", self.cashier_void_max_minor, crate::money::MAX_AMOUNT_MINOR)?;
        range("manager correction limit", self.manager_adjust_max_minor, crate::money::MAX_AMOUNT_MINOR)?;
        range("idle lock minutes", self.idle_lock_minutes, 24 * 60)?;
        for d in &self.denied {
            if d.role == Role::Owner || !d.act.can_be_denied() {
                return Err(Error::InvalidInput {
                    field: "denied rights",
                    reason: format!("the owner's right to {} cannot be taken away", d.act.as_db()).into(),
                });
            }
            if d.act.least_role().is_some_and(|least| least > d.role) {
                return Err(Error::InvalidInput {
                    field: "denied rights",
                    reason: format!("a {} may not {} anyway: nothing to take away", d.role.as_db(), d.act.as_db())
                        .into(),
                });
            }
            // A manager may do all a cashier may: a right a manager lost is a cashier's loss too.
            if d.role == Role::Manager
                && d.act.least_role() == Some(Role::Cashier)
                && !self.is_denied(Role::Cashier, d.act)
            {
                return Err(Error::InvalidInput {
                    field: "denied rights",
                    reason: format!("{} is taken from managers but left to cashiers", d.act.as_db()).into(),
                });
            }
        }
        Ok(())
    }

    /// Whether `act` was taken away from `role`.
    pub fn is_denied(&self, role: Role, act: Act) -> bool {
        self.denied.iter().any(|d| d.role == role && d.act == act)
    }

    /// Takes `act` away from `role` and from the roles below it that have
    /// it (a manager keeps every right a cashier has). Refused for the
    /// owner, for the owner's own acts, and for a right the role never had.
    pub fn deny(&mut self, role: Role, act: Act) -> Result<()> {
        let least = act.least_role().filter(|_| act.can_be_denied() && role < Role::Owner).ok_or_else(|| {
            Error::InvalidInput {
                field: "denied rights",
                reason: format!("the owner's right to {} cannot be taken away", act.as_db()).into(),
            }
        })?;
        if least > role {
            return Err(Error::InvalidInput {
                field: "denied rights",
                reason: format!("a {} may not {} anyway: nothing to take away", role.as_db(), act.as_db()).into(),
            });
        }
        for r in [Role::Cashier, Role::Manager] {
            if least <= r && r <= role && !self.is_denied(r, act) {
                self.denied.push(Denied { role: r, act });
            }
        }
        Ok(())
    }

    /// Gives `act` back to `role` and to the roles above it (a cashier's
    /// right given back is a manager's too).
    pub fn allow(&mut self, role: Role, act: Act) {
        self.denied.retain(|d| !(d.act == act && d.role >= role));
    }

    /// The least role that may `act` under this policy, with no limit in play.
    pub fn least_role_now(&self, act: Act) -> Option<Role> {
        act.least_role().map(|_| needed_role(self, Attempt::Plain(act)))
    }
}

/// What is being attempted, with what the limits need to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// An act with no limit in play.
    Plain(Act),
    /// Voiding a receipt: whose it is, how old (minutes) and how large
    /// (the absolute total, minor units).
    Void { own: bool, age_minutes: i64, amount_minor: i64 },
    /// A correction of stored value moving `amount_minor` (absolute sum).
    Adjust { amount_minor: i64 },
}

impl Attempt {
    pub fn act(self) -> Act {
        match self {
            Attempt::Plain(a) => a,
            Attempt::Void { .. } => Act::Void,
            Attempt::Adjust { .. } => Act::Adjust,
        }
    }
}

/// The least role that may make `attempt` under `policy`, or `None` when
/// no role may (never: the owner may do everything).
pub fn needed_role(policy: &StaffPolicy, attempt: Attempt) -> Role {
    let base = match attempt {
        Attempt::Plain(act) => act.least_role().unwrap_or(Role::Cashier),
        Attempt::Void { own, age_minutes, amount_minor } => {
            if own && age_minutes <= policy.cashier_void_minutes && amount_minor <= policy.cashier_void_max_minor {
                Role::Cashier
            } else {
                Role::Manager
            }
        }
        Attempt::Adjust { amount_minor } => {
            if amount_minor <= policy.manager_adjust_max_minor {
                Role::Manager
            } else {
                Role::Owner
            }
        }
    };
    // A right taken from a role lifts the need to the next role up that keeps it.
    let act = attempt.act();
    let mut role = base;
    while role < Role::Owner && policy.denied.iter().any(|d| d.role == role && d.act == act) {
        role = if role == Role::Cashier { Role::Manager } else { Role::Owner };
    }
    role
}

/// Whether `role` may make `attempt`; refused with the role that may.
pub fn check(policy: &StaffPolicy, role: Role, attempt: Attempt) -> Result<()> {
    let needed = needed_role(policy, attempt);
    if role >= needed {
        Ok(())
    } else {
        Err(Error::PermissionDenied { act: attempt.act().as_db(), needed: needed.as_db(), role: role.as_db() })
    }
}

/// A PIN as typed (full-width digits folded): 4 to 8 digits.
pub fn clean_pin(pin: &str) -> Result<String> {
    let pin = fold_width(pin.trim());
    if !(4..=8).contains(&pin.chars().count()) || !pin.chars().all(|c| c.is_ascii_digit()) {
        return Err(Error::InvalidPin);
    }
    Ok(pin)
}

/// A staff member's name: trimmed, 1 to 40 characters.
pub fn clean_staff_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::EmptyField { field: "staff name" });
    }
    crate::error::check_len("staff name", name, 40)?;
    if name.chars().any(char::is_control) {
        return Err(Error::InvalidInput { field: "staff name", reason: Reason::ControlCharacters });
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> StaffPolicy {
        StaffPolicy::defaults(0)
    }

    #[test]
    fn a_cashier_voids_only_their_own_recent_small_receipt() {
        let p = policy();
        let void = |own, age_minutes, amount_minor| Attempt::Void { own, age_minutes, amount_minor };
        assert!(check(&p, Role::Cashier, void(true, 30, 1_000)).is_ok());
        assert_eq!(needed_role(&p, void(true, 31, 1_000)), Role::Manager);
        assert_eq!(needed_role(&p, void(true, 5, 1_001)), Role::Manager);
        assert_eq!(needed_role(&p, void(false, 1, 10)), Role::Manager);
        let refused = check(&p, Role::Cashier, void(false, 1, 10)).unwrap_err();
        assert_eq!(refused.code(), "PermissionDenied");
        assert!(check(&p, Role::Manager, void(false, 600, 99_999)).is_ok());
    }

    #[test]
    fn a_managers_correction_over_the_limit_needs_the_owner() {
        let p = policy();
        assert_eq!(needed_role(&p, Attempt::Adjust { amount_minor: 5_000 }), Role::Manager);
        assert_eq!(needed_role(&p, Attempt::Adjust { amount_minor: 5_001 }), Role::Owner);
        assert!(check(&p, Role::Cashier, Attempt::Adjust { amount_minor: 1 }).is_err());
    }

    #[test]
    fn the_owner_can_take_a_right_away_but_not_their_own() {
        let mut p = policy();
        p.denied.push(Denied { role: Role::Cashier, act: Act::TopUp });
        assert_eq!(needed_role(&p, Attempt::Plain(Act::TopUp)), Role::Manager);
        p.denied.push(Denied { role: Role::Manager, act: Act::TopUp });
        assert_eq!(needed_role(&p, Attempt::Plain(Act::TopUp)), Role::Owner);
        assert!(p.validate().is_ok());
        p.denied.push(Denied { role: Role::Owner, act: Act::Sale });
        assert!(p.validate().is_err());
        let mut q = policy();
        q.denied.push(Denied { role: Role::Manager, act: Act::Staff });
        assert!(q.validate().is_err(), "staff is the owner's alone: nothing to take away");
    }

    #[test]
    fn taking_a_right_from_managers_takes_it_from_cashiers_and_giving_it_back_to_cashiers_gives_it_to_managers() {
        let mut p = policy();
        p.deny(Role::Manager, Act::TopUp).unwrap();
        assert!(p.is_denied(Role::Cashier, Act::TopUp) && p.is_denied(Role::Manager, Act::TopUp));
        assert_eq!(p.least_role_now(Act::TopUp), Some(Role::Owner));
        assert!(p.validate().is_ok());
        p.allow(Role::Manager, Act::TopUp);
        assert_eq!(p.least_role_now(Act::TopUp), Some(Role::Manager), "cashiers stay without it");
        p.deny(Role::Manager, Act::TopUp).unwrap();
        p.allow(Role::Cashier, Act::TopUp);
        assert!(p.denied.is_empty());
        p.deny(Role::Manager, Act::Refund).unwrap();
        assert_eq!(p.denied, vec![Denied { role: Role::Manager, act: Act::Refund }]);
        p.deny(Role::Manager, Act::Refund).unwrap();
        assert_eq!(p.denied.len(), 1, "taken once");
    }

    #[test]
    fn a_right_a_role_never_had_or_the_owners_own_cannot_be_taken() {
        let mut p = policy();
        assert_eq!(p.deny(Role::Cashier, Act::Refund).unwrap_err().code(), "InvalidInput");
        assert_eq!(p.deny(Role::Manager, Act::Settings).unwrap_err().code(), "InvalidInput");
        assert_eq!(p.deny(Role::Owner, Act::Sale).unwrap_err().code(), "InvalidInput");
        assert!(p.denied.is_empty());
        p.denied.push(Denied { role: Role::Cashier, act: Act::Refund });
        assert!(p.validate().is_err(), "nothing to take away");
        let mut q = policy();
        q.denied.push(Denied { role: Role::Manager, act: Act::Sale });
        assert!(q.validate().is_err(), "a manager without a right a cashier keeps");
    }

    #[test]
    fn pins_are_four_to_eight_digits_full_width_read_as_ascii() {
        assert_eq!(clean_pin("１２３４").unwrap(), "1234");
        assert_eq!(clean_pin(" 12345678 ").unwrap(), "12345678");
        for bad in ["123", "123456789", "12a4", "", "12 34"] {
            assert_eq!(clean_pin(bad).unwrap_err().code(), "InvalidPin", "{bad:?}");
        }
    }

    #[test]
    fn every_act_has_a_name_that_reads_back() {
        for act in Act::ALL {
            assert_eq!(Act::parse(act.as_db()).unwrap(), *act);
        }
        assert_eq!(Act::ALL.len(), 42);
    }
}
