//! Receipts as PDF: thermal rolls 58 and 80 mm wide (the page exactly as
//! long as the receipt) and A4 / A5 sheets (several pages when long), with
//! Chinese text in an embedded, subset CJK font.
//!
//! One function, [`render_receipt`], turns a stored receipt and the shop's
//! settings into PDF bytes. Layout is measured with the font's own glyph
//! advances, so columns stay aligned with full-width characters.
#![allow(clippy::float_arithmetic)] // page geometry in millimetres and points, never money

pub mod coupon_slip;
pub mod day_close;
pub mod fonts;

use crate::phone::mask_phone;
use crate::receipt::{PaymentMethod, Receipt, ReceiptKind};
use crate::settings::{PaperSize, ShopSettings};
use chrono::{DateTime, Utc};
pub use fonts::{receipt_font, ReceiptFont};
// Also re-exported here for the files that still name it `pdf::ReceiptLanguage`
// (store/owner_export.rs); new code takes it from `crate::language`.
pub use crate::language::ReceiptLanguage;
use printpdf::{
    Color, Line, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Polygon,
    PolygonRing, Pt, Rgb, TextItem, WindingOrder,
};

#[derive(Debug)]
struct Labels {
    sale: &'static str,
    top_up: &'static str,
    redeem: &'static str,
    /// A referral reward's receipt.
    reward: &'static str,
    /// The opening balance a member brought from the shop's old system.
    opening: &'static str,
    /// A coupon given on this receipt (`{code}`, usable until `{day}`).
    coupon_given: &'static str,
    refund: &'static str,
    adjust: &'static str,
    void: &'static str,
    /// A void's heading, naming the receipt it reverses (`{n}`).
    void_of: &'static str,
    /// Rewards a void gives back to the card.
    redeem_returned: &'static str,
    void_banner: &'static str,
    voided_banner: &'static str,
    reverses: &'static str,
    voided_by: &'static str,
    number: &'static str,
    cashier: &'static str,
    approved_by: &'static str,
    member: &'static str,
    total: &'static str,
    cash: &'static str,
    card: &'static str,
    e_wallet: &'static str,
    transfer: &'static str,
    stored_value: &'static str,
    other: &'static str,
    tendered: &'static str,
    change: &'static str,
    balance: &'static str,
    bonus: &'static str,
    /// The bonus a full refund takes with it.
    bonus_forfeited: &'static str,
    /// The line a customer signs for money paid back.
    received_by: &'static str,
    /// The label of a correction's or a void's reason (a note elsewhere).
    reason: &'static str,
    paid_part: &'static str,
    stamps: &'static str,
    earned: &'static str,
    redeemed: &'static str,
    expired: &'static str,
    reward_ready: &'static str,
    note: &'static str,
    /// A coupon's discount line.
    coupon: &'static str,
    /// Stamps an extra-stamps coupon added (`{n}`).
    coupon_stamps: &'static str,
    /// The discount line of points redeemed (`{n}` points).
    points_redeemed: &'static str,
    /// The member's points after the receipt, and what it earned.
    points: &'static str,
    /// Points that lapsed on this receipt (`{n}`).
    points_lapsed: &'static str,
    /// The points that lapse next (`{n}` of them, after `{day}`).
    points_next_expiry: &'static str,
}

const ZH_TW: Labels = Labels {
    sale: "消費明細",
    top_up: "儲值收據",
    redeem: "兌換收據",
    reward: "推薦獎勵",
    opening: "開帳餘額（轉入）",
    coupon_given: "送您優惠券 {code}（用到 {day}）",
    refund: "退款收據",
    adjust: "儲值調整",
    void: "作廢收據",
    void_of: "作廢 #{n} 的收據",
    redeem_returned: "取消兌換",
    void_banner: "*** 作廢 VOID ***",
    voided_banner: "*** 已作廢 VOIDED ***",
    reverses: "沖銷收據",
    voided_by: "本收據已作廢，見",
    number: "單號",
    cashier: "收銀",
    approved_by: "核准",
    member: "會員",
    total: "合計",
    cash: "現金",
    card: "刷卡",
    e_wallet: "電子支付",
    transfer: "轉帳",
    stored_value: "儲值金",
    tendered: "收現",
    change: "找零",
    other: "其他",
    balance: "儲值餘額",
    bonus: "贈送",
    bonus_forfeited: "贈送失效",
    received_by: "顧客簽收",
    reason: "原因",
    paid_part: "實付",
    stamps: "集點",
    earned: "本次",
    redeemed: "兌換",
    expired: "到期",
    reward_ready: "可兌換",
    note: "備註",
    coupon: "優惠券",
    coupon_stamps: "加贈 {n} 點",
    points_redeemed: "積分折抵 {n} 點",
    points: "積分",
    points_lapsed: "已到期 {n} 點",
    points_next_expiry: "其中 {n} 點將於 {day} 到期",
};

const ZH_CN: Labels = Labels {
    sale: "消费明细",
    top_up: "储值小票",
    redeem: "兑换小票",
    reward: "推荐奖励",
    opening: "期初余额（转入）",
    coupon_given: "送您优惠券 {code}（用到 {day}）",
    refund: "退款小票",
    adjust: "储值调整",
    void: "作废小票",
    void_of: "作废 #{n} 的小票",
    redeem_returned: "取消兑换",
    void_banner: "*** 作废 VOID ***",
    voided_banner: "*** 已作废 VOIDED ***",
    reverses: "冲销小票",
    voided_by: "本小票已作废，见",
    number: "单号",
    cashier: "收银",
    approved_by: "批准",
    member: "会员",
    total: "合计",
    cash: "现金",
    card: "刷卡",
    e_wallet: "电子支付",
    transfer: "转账",
    stored_value: "储值金",
    tendered: "收现",
    change: "找零",
    other: "其他",
    balance: "储值余额",
    bonus: "赠送",
    bonus_forfeited: "赠送失效",
    received_by: "顾客签收",
    reason: "原因",
    paid_part: "实付",
    stamps: "集点",
    earned: "本次",
    redeemed: "兑换",
    expired: "到期",
    reward_ready: "可兑换",
    note: "备注",
    coupon: "优惠券",
    coupon_stamps: "加赠 {n} 点",
    points_redeemed: "积分抵扣 {n} 分",
    points: "积分",
    points_lapsed: "已过期 {n} 分",
    points_next_expiry: "其中 {n} 分将于 {day} 到期",
};

const EN: Labels = Labels {
    sale: "Sale",
    top_up: "Top-up",
    redeem: "Reward redeemed",
    reward: "Referral reward",
    opening: "Opening balance (brought in)",
    coupon_given: "Your coupon {code} (until {day})",
    refund: "Refund",
    adjust: "Balance adjustment",
    void: "Void",
    void_of: "Void of receipt #{n}",
    redeem_returned: "reward returned",
    void_banner: "*** VOID ***",
    voided_banner: "*** VOIDED ***",
    reverses: "Reverses receipt",
    voided_by: "Voided by receipt",
    number: "No.",
    cashier: "Cashier",
    approved_by: "Approved by",
    member: "Member",
    total: "Total",
    cash: "Cash",
    card: "Card",
    e_wallet: "E-wallet",
    transfer: "Transfer",
    stored_value: "Stored value",
    tendered: "Cash given",
    change: "Change",
    other: "Other",
    balance: "Stored value",
    bonus: "bonus",
    bonus_forfeited: "bonus forfeited",
    received_by: "Received by",
    reason: "Reason",
    paid_part: "paid",
    stamps: "Stamps",
    earned: "earned",
    redeemed: "redeemed",
    expired: "expired",
    reward_ready: "reward ready",
    note: "Note",
    coupon: "Coupon",
    coupon_stamps: "+{n} stamps",
    points_redeemed: "{n} points redeemed",
    points: "Points",
    points_lapsed: "{n} points lapsed",
    points_next_expiry: "{n} of them lapse after {day}",
};

fn labels(lang: ReceiptLanguage) -> &'static Labels {
    match lang {
        ReceiptLanguage::ZhTw => &ZH_TW,
        ReceiptLanguage::ZhCn => &ZH_CN,
        ReceiptLanguage::En => &EN,
    }
}

const PT_TO_MM: f32 = 25.4 / 72.0;

/// Page geometry of one paper size, in millimetres.
struct Paper {
    width: f32,
    /// `None` for a roll: the page is as long as the receipt.
    height: Option<f32>,
    margin_x: f32,
    margin_y: f32,
    /// Base font size in points.
    size: f32,
}

fn paper(p: PaperSize) -> Paper {
    match p {
        PaperSize::Mm58 => Paper { width: 58.0, height: None, margin_x: 3.0, margin_y: 4.0, size: 7.5 },
        PaperSize::Mm80 => Paper { width: 80.0, height: None, margin_x: 4.0, margin_y: 5.0, size: 8.5 },
        PaperSize::A5 => Paper { width: 148.0, height: Some(210.0), margin_x: 15.0, margin_y: 15.0, size: 10.0 },
        PaperSize::A4 => Paper { width: 210.0, height: Some(297.0), margin_x: 25.0, margin_y: 20.0, size: 11.0 },
    }
}

enum Mark {
    /// Text with its left edge at `x` and baseline at `y` (mm from the top).
    Text { x: f32, y: f32, size: f32, text: String },
    /// A dashed rule across the content width.
    Rule { y: f32 },
    /// A filled black rectangle (QR modules).
    Block { x: f32, y: f32, w: f32, h: f32 },
}

/// Lays marks out top-down, starting new pages on sheets.
struct Layout<'f> {
    font: &'f ReceiptFont,
    paper: Paper,
    pages: Vec<Vec<Mark>>,
    y: f32,
}

impl<'f> Layout<'f> {
    fn new(font: &'f ReceiptFont, paper: Paper) -> Self {
        let y = paper.margin_y;
        Layout { font, paper, pages: vec![Vec::new()], y }
    }

    fn content_width(&self) -> f32 {
        self.paper.width - 2.0 * self.paper.margin_x
    }

    fn text_width(&self, text: &str, size: f32) -> f32 {
        let f = &self.font.font;
        let upem = f32::from(f.font_metrics.units_per_em.max(1));
        let units: u32 = text
            .chars()
            .map(|c| u32::from(f.lookup_glyph_index(c as u32).map(|g| f.get_horizontal_advance(g)).unwrap_or(0)))
            .sum();
        units as f32 / upem * size * PT_TO_MM
    }

    fn line_height(size: f32) -> f32 {
        size * 1.45 * PT_TO_MM
    }

    /// Makes room for a line of `size`; on sheets, moves to a new page when full.
    fn advance(&mut self, size: f32) -> f32 {
        let h = Self::line_height(size);
        if let Some(page_h) = self.paper.height {
            if self.y + h > page_h - self.paper.margin_y {
                self.pages.push(Vec::new());
                self.y = self.paper.margin_y;
            }
        }
        self.y += h;
        self.y - h * 0.28
    }

    fn push(&mut self, mark: Mark) {
        self.pages.last_mut().expect("a page").push(mark);
    }

    /// Splits text into lines no wider than `max`, breaking between CJK
    /// characters anywhere and Latin text at spaces when it can. Returns
    /// byte ranges of `text` (spaces at a break belong to no line).
    fn wrap(&self, text: &str, size: f32, max: f32) -> Vec<(usize, usize)> {
        let mut lines = Vec::new();
        let mut start = 0;
        let mut last_space: Option<usize> = None;
        let mut iter = text.char_indices().peekable();
        while let Some((i, ch)) = iter.next() {
            let end = i + ch.len_utf8();
            if ch == ' ' && i > start {
                last_space = Some(i);
            }
            if i == start || self.text_width(&text[start..end], size) <= max {
                continue;
            }
            // Too wide with `ch`: break at the last space, else before `ch`.
            match last_space.filter(|sp| *sp > start) {
                Some(sp) => {
                    lines.push((start, sp));
                    start = sp + 1;
                }
                None => {
                    lines.push((start, i));
                    start = i;
                }
            }
            last_space = None;
            while text[start..].starts_with(' ') {
                start += 1;
            }
            let _ = iter.peek();
        }
        if start < text.len() {
            lines.push((start, text.len()));
        }
        lines
    }

    /// Wraps text into at most `max_lines` lines of width `max`; the last
    /// line holds the rest of the text, cut with an ellipsis.
    fn wrap_limited(&self, text: &str, size: f32, max: f32, max_lines: usize) -> Vec<String> {
        let ranges = self.wrap(text, size, max);
        let mut lines: Vec<String> = ranges.iter().take(max_lines).map(|(a, b)| text[*a..*b].to_string()).collect();
        if ranges.len() > max_lines {
            let rest = &text[ranges[max_lines - 1].0..];
            lines[max_lines - 1] = self.ellipsize(rest, size, max);
        }
        lines
    }

    /// Cuts text to fit `max`, ending with an ellipsis when cut.
    fn ellipsize(&self, text: &str, size: f32, max: f32) -> String {
        if self.text_width(text, size) <= max {
            return text.to_string();
        }
        let mut out = String::new();
        for ch in text.chars() {
            let mut candidate = out.clone();
            candidate.push(ch);
            candidate.push('…');
            if self.text_width(&candidate, size) > max {
                break;
            }
            out.push(ch);
        }
        format!("{}…", out.trim_end())
    }

    /// Wrapped text, at most `max_lines` lines (the last one cut with an ellipsis).
    fn paragraph(&mut self, text: &str, size: f32, centered: bool, max_lines: usize) {
        let width = self.content_width();
        for line in self.wrap_limited(text, size, width, max_lines) {
            let y = self.advance(size);
            let x = if centered {
                self.paper.margin_x + (width - self.text_width(&line, size)).max(0.0) / 2.0
            } else {
                self.paper.margin_x
            };
            self.push(Mark::Text { x, y, size, text: line });
        }
    }

    /// A left text and a right-aligned text on one line; the left one wraps
    /// (up to two lines) or is cut so the right column always stays clear.
    fn columns(&mut self, left: &str, right: &str, size: f32) {
        let width = self.content_width();
        let right_w = self.text_width(right, size);
        let left_max = (width - right_w - 2.0).max(width * 0.3);
        let mut lines = self.wrap_limited(left, size, left_max, 2);
        if lines.is_empty() {
            lines.push(String::new());
        }
        let last = lines.len() - 1;
        for (i, line) in lines.into_iter().enumerate() {
            let y = self.advance(size);
            let x = self.paper.margin_x;
            self.push(Mark::Text { x, y, size, text: line });
            if i == last && !right.is_empty() {
                let x = self.paper.margin_x + width - right_w;
                self.push(Mark::Text { x, y, size, text: right.to_string() });
            }
        }
    }

    fn rule(&mut self) {
        let gap = Self::line_height(self.paper.size) * 0.5;
        self.y += gap * 0.5;
        let y = self.y;
        self.push(Mark::Rule { y });
        self.y += gap * 0.5;
    }

    fn space(&mut self, mm: f32) {
        self.y += mm;
    }

    /// A QR code of `data`, centered, `size` mm wide.
    fn qr(&mut self, data: &str, size: f32) {
        let Ok(code) = qrcode::QrCode::new(data.as_bytes()) else { return };
        let n = code.width();
        let module = size / n as f32;
        if let Some(page_h) = self.paper.height {
            if self.y + size > page_h - self.paper.margin_y {
                self.pages.push(Vec::new());
                self.y = self.paper.margin_y;
            }
        }
        let x0 = self.paper.margin_x + (self.content_width() - size) / 2.0;
        let y0 = self.y;
        let colors = code.to_colors();
        for row in 0..n {
            // One block per run of dark modules keeps the file small.
            let mut col = 0;
            while col < n {
                if colors[row * n + col] == qrcode::Color::Dark {
                    let start = col;
                    while col < n && colors[row * n + col] == qrcode::Color::Dark {
                        col += 1;
                    }
                    let (x, y) = (x0 + start as f32 * module, y0 + row as f32 * module);
                    self.push(Mark::Block { x, y, w: (col - start) as f32 * module, h: module });
                } else {
                    col += 1;
                }
            }
        }
        self.y += size;
    }

    fn into_pdf(self, title: &str) -> RenderedReceipt {
        let mut doc = PdfDocument::new(title);
        let font_id = doc.add_font(&self.font.font);
        let page_h = self.paper.height.unwrap_or(self.y + self.paper.margin_y);
        let width = self.paper.width;
        let (mx, content) = (self.paper.margin_x, width - 2.0 * self.paper.margin_x);
        let black = Color::Rgb(Rgb { r: 0.0, g: 0.0, b: 0.0, icc_profile: None });
        let point = |x: f32, y_from_top: f32| Point { x: Mm(x).into(), y: Mm(page_h - y_from_top).into() };
        let pages: Vec<PdfPage> = self
            .pages
            .into_iter()
            .map(|marks| {
                let mut ops = vec![Op::SetFillColor { col: black.clone() }, Op::SetOutlineColor { col: black.clone() }];
                for mark in marks {
                    match mark {
                        Mark::Text { x, y, size, text } => ops.extend([
                            Op::StartTextSection,
                            Op::SetFont { font: PdfFontHandle::External(font_id.clone()), size: Pt(size) },
                            Op::SetTextCursor { pos: point(x, y) },
                            Op::ShowText { items: vec![TextItem::Text(text)] },
                            Op::EndTextSection,
                        ]),
                        Mark::Rule { y } => {
                            ops.push(Op::SetOutlineThickness { pt: Pt(0.5) });
                            let dash = 1.2;
                            let mut x = mx;
                            while x < mx + content {
                                let end = (x + dash).min(mx + content);
                                ops.push(Op::DrawLine {
                                    line: Line {
                                        points: vec![
                                            LinePoint { p: point(x, y), bezier: false },
                                            LinePoint { p: point(end, y), bezier: false },
                                        ],
                                        is_closed: false,
                                    },
                                });
                                x += dash * 2.0;
                            }
                        }
                        Mark::Block { x, y, w, h } => ops.push(Op::DrawPolygon {
                            polygon: Polygon {
                                rings: vec![PolygonRing {
                                    points: [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
                                        .into_iter()
                                        .map(|(px, py)| LinePoint { p: point(px, py), bezier: false })
                                        .collect(),
                                }],
                                mode: PaintMode::Fill,
                                winding_order: WindingOrder::NonZero,
                            },
                        }),
                    }
                }
                PdfPage::new(Mm(width), Mm(page_h), ops)
            })
            .collect();
        let options = PdfSaveOptions { subset_fonts: true, ..Default::default() };
        let page_count = pages.len();
        let bytes = doc.with_pages(pages).save(&options, &mut Vec::new());
        RenderedReceipt { bytes, width_mm: width, height_mm: page_h, pages: page_count }
    }
}

fn method_label(l: &Labels, m: PaymentMethod) -> &'static str {
    match m {
        PaymentMethod::Cash => l.cash,
        PaymentMethod::Card => l.card,
        PaymentMethod::EWallet => l.e_wallet,
        PaymentMethod::Transfer => l.transfer,
        PaymentMethod::StoredValue => l.stored_value,
        PaymentMethod::Other => l.other,
    }
}

/// A payment method as a receipt names it: the shop's name for it, or the
/// kind's own word when it has none.
fn payment_label(l: &Labels, kind: PaymentMethod, name: &str) -> String {
    if name.is_empty() {
        method_label(l, kind).to_string()
    } else {
        name.to_string()
    }
}

/// A rendered receipt: the PDF and its page geometry (a roll's length is
/// what the printer needs to cut it).
#[derive(Debug, Clone)]
pub struct RenderedReceipt {
    pub bytes: Vec<u8>,
    pub width_mm: f32,
    pub height_mm: f32,
    pub pages: usize,
}

/// Renders a stored receipt as a PDF for `paper`, in `lang`, with the
/// shop's details and time zone from `settings`.
pub fn render_receipt(
    receipt: &Receipt,
    settings: &ShopSettings,
    paper_size: PaperSize,
    lang: ReceiptLanguage,
    font: &ReceiptFont,
) -> RenderedReceipt {
    let l = labels(lang);
    let mut layout = Layout::new(font, paper(paper_size));
    let base = layout.paper.size;
    let small = base * 0.85;
    let cur = &receipt.currency;
    let money = |minor: i64| cur.format(minor);

    layout.paragraph(&settings.name, base * 1.5, true, 2);
    if !settings.address.is_empty() {
        layout.paragraph(&settings.address, small, true, 3);
    }
    if !settings.phone.is_empty() {
        layout.paragraph(&settings.phone, small, true, 1);
    }
    layout.space(1.0);
    let title = match receipt.kind {
        ReceiptKind::Sale => l.sale.to_string(),
        ReceiptKind::TopUp => l.top_up.to_string(),
        ReceiptKind::Redeem => l.redeem.to_string(),
        ReceiptKind::Refund => l.refund.to_string(),
        ReceiptKind::Adjust => l.adjust.to_string(),
        ReceiptKind::Reward => l.reward.to_string(),
        ReceiptKind::Opening => l.opening.to_string(),
        ReceiptKind::Void => match receipt.voids_number {
            Some(n) => l.void_of.replace("{n}", &n.to_string()),
            None => l.void.to_string(),
        },
    };
    if receipt.kind == ReceiptKind::Void {
        layout.paragraph(l.void_banner, base * 1.4, true, 1);
    }
    if receipt.voided_by_number.is_some() {
        layout.paragraph(l.voided_banner, base * 1.4, true, 1);
    }
    layout.paragraph(&title, base * 1.2, true, 1);
    layout.rule();

    let when = DateTime::<Utc>::from_timestamp_millis(receipt.created_at)
        .map(|t| t.with_timezone(&settings.tz()).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default();
    layout.columns(&format!("{} {:06}", l.number, receipt.number), &when, base);
    layout.columns(&format!("{} {}", l.cashier, receipt.cashier), "", base);
    if let Some(approver) = &receipt.approved_by {
        layout.columns(&format!("{} {approver}", l.approved_by), "", base);
    }
    if let Some(n) = receipt.voids_number {
        layout.columns(&format!("{} {} {:06}", l.reverses, l.number, n), "", base);
    }
    if let Some(n) = receipt.voided_by_number {
        layout.columns(&format!("{} {} {:06}", l.voided_by, l.number, n), "", base);
    }
    let phone =
        receipt.member_phone.as_deref().and_then(|p| crate::phone::normalize_phone(p).ok()).map(|d| mask_phone(&d));
    layout.columns(&format!("{} {}", l.member, receipt.member_name), &receipt.member_no, base);
    if let Some(phone) = phone {
        layout.columns(&phone, "", small);
    }
    layout.rule();

    for line in &receipt.lines {
        layout.columns(&line.description, &money(line.amount_minor), base);
        if line.quantity.abs() != 1 {
            layout.columns(&format!("  {} × {}", line.quantity.abs(), money(line.unit_price_minor)), "", small);
        }
    }
    for d in &receipt.discounts {
        if d.code.is_empty() {
            // Points redeemed: their own line.
            let text = l.points_redeemed.replace("{n}", &d.points.abs().to_string());
            layout.columns(&text, &money(-d.amount_minor), base);
            continue;
        }
        // Each coupon its own line: the lines less these are the total.
        layout.columns(&format!("{} {}", l.coupon, d.description), &money(-d.amount_minor), base);
        let stamps = if d.extra_stamps != 0 {
            format!("  {}", l.coupon_stamps.replace("{n}", &d.extra_stamps.abs().to_string()))
        } else {
            String::new()
        };
        layout.columns(&format!("  {}{stamps}", d.code), "", small);
    }
    if !receipt.lines.is_empty() || !receipt.discounts.is_empty() {
        layout.rule();
    }
    if receipt.kind == ReceiptKind::Adjust {
        // A correction moves each part by its own amount: the net, then each part.
        let net = receipt.total_minor + receipt.bonus_minor;
        let signed = if net > 0 { format!("+{}", money(net)) } else { money(net) };
        layout.columns(l.total, &signed, base * 1.25);
        for (label, part) in [(l.paid_part, receipt.total_minor), (l.bonus, receipt.bonus_minor)] {
            if part != 0 {
                layout.columns(&format!("  {label}"), &money(part), base);
            }
        }
    } else if receipt.kind != ReceiptKind::Redeem {
        layout.columns(l.total, &money(receipt.total_minor), base * 1.25);
        for p in &receipt.payments {
            layout.columns(&format!("  {}", payment_label(l, p.method, &p.method_name)), &money(p.amount_minor), base);
            if let (Some(tendered), Some(change)) = (p.tendered_minor, p.change_minor) {
                layout.columns(&format!("    {}", l.tendered), &money(tendered), base);
                layout.columns(&format!("    {}", l.change), &money(change), base);
            }
        }
    }
    let moved = receipt.wallet_before() != receipt.wallet_after();
    if moved || receipt.kind == ReceiptKind::TopUp || receipt.bonus_minor != 0 {
        layout.rule();
        layout.columns(
            l.balance,
            &format!("{} → {}", money(receipt.wallet_before()), money(receipt.wallet_after())),
            base,
        );
        if receipt.bonus_minor != 0 && receipt.kind != ReceiptKind::Adjust {
            let label = if receipt.kind == ReceiptKind::Refund { l.bonus_forfeited } else { l.bonus };
            layout.columns(&format!("  {label}"), &money(receipt.bonus_minor), base);
        }
        layout.columns(
            &format!(
                "  {} {} + {} {}",
                l.paid_part,
                money(receipt.wallet_paid_after),
                l.bonus,
                money(receipt.wallet_bonus_after)
            ),
            "",
            small,
        );
    }
    if let Some(p) = &receipt.points {
        layout.rule();
        let n = crate::money::group_count;
        let earned = if p.earned > 0 { format!(" (+{})", n(p.earned)) } else { String::new() };
        layout.columns(l.points, &format!("{} → {}{earned}", n(p.before), n(p.after)), base);
        if p.expired > 0 {
            layout.columns(&format!("  {}", l.points_lapsed.replace("{n}", &n(p.expired))), "", small);
        }
        if let Some(next) = p.next_expiry {
            let text =
                l.points_next_expiry.replace("{n}", &n(next.points)).replace("{day}", &next.last_day.to_string());
            layout.columns(&format!("  {text}"), "", small);
        }
    }
    if !receipt.coupons_given.is_empty() {
        layout.rule();
        for c in &receipt.coupons_given {
            let text = l.coupon_given.replace("{code}", &c.code).replace("{day}", &c.valid_until.to_string());
            layout.paragraph(&text, base, false, 3);
            layout.paragraph(&format!("  {}", c.offer_name), small, false, 2);
        }
    }
    if !receipt.stamps.is_empty() {
        layout.rule();
        for s in &receipt.stamps {
            layout.columns(
                &format!("{} {}", l.stamps, s.program_name),
                &format!("{} → {}/{}", s.stamps_before, s.stamps_after, s.stamps_needed),
                base,
            );
            let mut detail = Vec::new();
            if s.earned != 0 {
                detail.push(format!("{} {:+}", l.earned, s.earned));
            }
            if s.redeemed > 0 {
                detail.push(format!("{} {} × {}", l.redeemed, s.redeemed, s.reward_text));
            } else if s.redeemed < 0 {
                // A void gives the rewards' stamps back to the card.
                detail.push(format!("{} {} × {}", l.redeem_returned, -s.redeemed, s.reward_text));
            }
            if s.expired != 0 {
                detail.push(format!("{} {}", l.expired, s.expired));
            }
            if s.stamps_after >= s.stamps_needed {
                detail.push(format!("{}：{}", l.reward_ready, s.reward_text));
            }
            if !detail.is_empty() {
                layout.paragraph(&format!("  {}", detail.join("  ")), small, false, 3);
            }
        }
    }
    if !receipt.note.is_empty() {
        layout.rule();
        let label = if matches!(receipt.kind, ReceiptKind::Adjust | ReceiptKind::Void) { l.reason } else { l.note };
        layout.paragraph(&format!("{label}：{}", receipt.note), small, false, 4);
    }
    if receipt.kind == ReceiptKind::Refund {
        // The shop keeps a signed slip for cash paid back.
        layout.rule();
        layout.space(6.0);
        layout.columns(&format!("{}：", l.received_by), "", base);
        layout.space(2.0);
    }
    layout.rule();
    if !settings.receipt_footer.is_empty() {
        layout.paragraph(&settings.receipt_footer, small, true, 4);
    }
    layout.space(1.5);
    let qr_size = (layout.content_width() * 0.38).min(28.0);
    layout.qr(&format!("REGULARS-R{:06}", receipt.number), qr_size);
    layout.paragraph(&format!("R{:06}", receipt.number), small, true, 1);
    layout.into_pdf(&format!("{} {:06}", title, receipt.number))
}

#[cfg(test)]
mod glossary_tests {
    use super::*;

    /// The printed words follow the same glossary as the screens: 收據 in
    /// Taiwan, 储值 and 小票 on the mainland, each in its own script.
    #[test]
    fn printed_labels_use_each_languages_words() {
        // The receipt's labels and the day close slip's.
        let printed = |lang| format!("{:?} {:?}", labels(lang), day_close::labels(lang));
        let (tw, cn) = (printed(ReceiptLanguage::ZhTw), printed(ReceiptLanguage::ZhCn));
        for word in ["單據", "小票", "充值", "单据", "收据"] {
            assert!(!tw.contains(word), "zh-TW labels use {word}: {tw}");
        }
        for word in ["充值", "收据", "单据", "收據", "單據"] {
            assert!(!cn.contains(word), "zh-CN labels use {word}: {cn}");
        }
    }
}
