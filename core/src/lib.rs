//! Regulars core: members, stamp cards, stored value and e-receipts for small
//! shops, kept in SQLite.
//!
//! Layers (see ARCHITECTURE.md): pure domain rules (`money`, `phone`,
//! `member`, `program`, `wallet`) and read models (`receipt`, `day_close`)
//! take `now` as an argument and never touch the database; [`Store`] is the
//! only place with SQL and offers one transactional method per business
//! operation; `pdf` lays read models out; `documents`, above both, renders,
//! saves and prints what people take away; the CLI in `src/bin` and the
//! Tauri commands are thin interfaces over them.

pub mod analytics;
pub mod audit;
pub mod auto_coupon;
pub mod coupon;
pub mod day_close;
pub mod documents;
pub mod error;
pub mod exports;
pub mod import;
pub mod input;
pub mod language;
pub mod member;
pub mod money;
pub mod paths;
pub mod pdf;
pub mod phone;
pub mod points;
pub mod printing;
pub mod program;
pub mod receipt;
pub mod referral;
pub mod request;
pub mod settings;
pub mod staff;
pub mod store;
pub mod wallet;

pub use audit::{AuditBreak, AuditEntry};
pub use day_close::{DrawerCount, FloatReport};
pub use error::{Error, Reason, Result};
pub use language::ReceiptLanguage;
pub use member::{Birthday, Member, MemberPatch, NewMember};
pub use money::{Currency, Money};
pub use paths::default_db_path;
pub use program::{EarnRule, NewStampProgram, ProgramEdit, StampProgram};
pub use receipt::{Receipt, ReceiptKind, ReceiptLine, ReceiptPayment, ReceiptStamp, ReceiptSummary};
pub use settings::{PaperSize, PaymentMethodInput, SettingsPatch, ShopPaymentMethod, ShopSettings};
pub use staff::{Act, Role, Session, StaffPolicy};
pub use store::catalogue::{Product, ProductInput};
pub use store::{
    audit::AuditFilter,
    lookup::{MatchKind, MemberHit, MemberLookup},
    ops::{
        AdjustRequest, LineInput, PaymentInput, PaymentMethod, RedeemRequest, RefundRequest, SaleRequest, TopUpRequest,
        VoidRequest,
    },
    reports::DrawerCountRequest,
    staff::{NewStaff, PinPadState, StaffMember},
    views::{MemberCard, StampCardView, Wallet},
    Store,
};
pub use wallet::BonusRule;
