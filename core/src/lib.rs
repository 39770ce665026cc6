//! Regulars core: members, stamp cards, stored value and e-receipts for small
//! shops, kept in SQLite.
//!
//! Layers (see ARCHITECTURE.md): pure domain rules (`money`, `phone`,
//! `member`, `program`, `wallet`) take `now` as an argument and never touch
//! the database; [`Store`] is the only place with SQL and offers one
//! transactional method per business operation; the CLI in `src/bin` and the
//! Tauri commands are thin interfaces over it.

pub mod analytics;
pub mod error;
pub mod input;
pub mod member;
pub mod money;
pub mod paths;
pub mod pdf;
pub mod phone;
pub mod printing;
pub mod program;
pub mod receipt;
pub mod request;
pub mod settings;
pub mod store;
pub mod wallet;

pub use error::{Error, Reason, Result};
pub use member::{Birthday, Member, MemberPatch, NewMember};
pub use money::{Currency, Money};
pub use paths::default_db_path;
pub use pdf::ReceiptLanguage;
pub use program::{EarnRule, NewStampProgram, ProgramEdit, StampProgram};
pub use receipt::{Receipt, ReceiptKind, ReceiptLine, ReceiptPayment, ReceiptStamp, ReceiptSummary};
pub use settings::{PaperSize, PaymentMethodInput, SettingsPatch, ShopPaymentMethod, ShopSettings};
pub use store::catalogue::{Product, ProductInput};
pub use store::{
    lookup::{MatchKind, MemberHit, MemberLookup},
    ops::{
        AdjustRequest, LineInput, PaymentInput, PaymentMethod, RedeemRequest, RefundRequest, SaleRequest, TopUpRequest,
        VoidRequest,
    },
    reports::{DrawerCount, DrawerCountRequest, FloatReport},
    views::{MemberCard, StampCardView, Wallet},
    Store,
};
pub use wallet::BonusRule;
