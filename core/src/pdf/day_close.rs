//! The day close (日結單) on the receipt printer's paper: the money per
//! payment method, the day's receipts and the stored value held, laid out
//! like a receipt so it can be printed, signed and kept with the cash.

use super::{labels as receipt_labels, paper, payment_label, Layout, ReceiptLanguage, RenderedReceipt};
use crate::day_close::{DayClose, FloatParts, KindTotal};
use crate::settings::{PaperSize, ShopSettings};
use chrono::{DateTime, Utc};

#[derive(Debug)]
pub(super) struct Labels {
    title: &'static str,
    date: &'static str,
    printed: &'static str,
    money: &'static str,
    sales: &'static str,
    top_ups: &'static str,
    refunds: &'static str,
    voids: &'static str,
    drawer: &'static str,
    receipts: &'static str,
    voided_sales: &'static str,
    voided_top_ups: &'static str,
    adjustments: &'static str,
    /// Opening balances an import brought in (not money taken).
    brought_in: &'static str,
    bonus: &'static str,
    stamps: &'static str,
    rewards: &'static str,
    new_members: &'static str,
    float: &'static str,
    opening: &'static str,
    spends: &'static str,
    forfeits: &'static str,
    closing: &'static str,
    balanced: &'static str,
    not_balanced: &'static str,
    nothing: &'static str,
    signature: &'static str,
    /// How a count of receipts reads beside their amount, `{n}` for the count.
    count: &'static str,
    drawer_count: &'static str,
    opening_float: &'static str,
    expected: &'static str,
    counted: &'static str,
    over: &'static str,
    short: &'static str,
    even: &'static str,
    not_counted: &'static str,
    /// `{n}`: how many counts the day had.
    recounted: &'static str,
    outdated: &'static str,
    by_staff: &'static str,
}

const ZH_TW: Labels = Labels {
    title: "日結單",
    date: "營業日",
    printed: "列印",
    money: "收款",
    sales: "消費",
    top_ups: "儲值",
    refunds: "退款",
    voids: "作廢",
    drawer: "現金抽屜應多",
    receipts: "收據",
    voided_sales: "作廢的消費",
    voided_top_ups: "作廢的儲值",
    adjustments: "手動調整",
    brought_in: "匯入開帳餘額（非收款）",
    bonus: "另贈",
    stamps: "送出點數",
    rewards: "兌換次數",
    new_members: "新會員",
    float: "儲值餘額（代客保管）",
    opening: "開始",
    spends: "消費扣款",
    forfeits: "沒收的贈送",
    closing: "結束",
    balanced: "帳平",
    not_balanced: "帳不平，請檢查",
    nothing: "今日無會員收付",
    signature: "點收簽名",
    count: "{n} 筆",
    drawer_count: "點鈔",
    opening_float: "零用金",
    expected: "應有現金",
    counted: "實點現金",
    over: "多",
    short: "短",
    even: "帳平（不多不短）",
    not_counted: "尚未點鈔",
    recounted: "第 {n} 次點鈔",
    outdated: "點鈔後又有現金收付，請重點",
    by_staff: "經手人",
};

const ZH_CN: Labels = Labels {
    title: "日结单",
    date: "营业日",
    printed: "打印",
    money: "收款",
    sales: "消费",
    top_ups: "储值",
    refunds: "退款",
    voids: "作废",
    drawer: "现金抽屉应多",
    receipts: "小票",
    voided_sales: "作废的消费",
    voided_top_ups: "作废的储值",
    adjustments: "手动调整",
    brought_in: "导入期初余额（非收款）",
    bonus: "另赠",
    stamps: "送出点数",
    rewards: "兑换次数",
    new_members: "新会员",
    float: "储值余额（代客保管）",
    opening: "开始",
    spends: "消费扣款",
    forfeits: "没收的赠送",
    closing: "结束",
    balanced: "账平",
    not_balanced: "账不平，请检查",
    nothing: "今日无会员收付",
    signature: "点收签名",
    count: "{n} 笔",
    drawer_count: "点钞",
    opening_float: "备用金",
    expected: "应有现金",
    counted: "实点现金",
    over: "多",
    short: "短",
    even: "账平（不多不短）",
    not_counted: "尚未点钞",
    recounted: "第 {n} 次点钞",
    outdated: "点钞后又有现金收付，请重点",
    by_staff: "经手人",
};

const EN: Labels = Labels {
    title: "Day close",
    date: "Shop day",
    printed: "Printed",
    money: "Money taken",
    sales: "Sales",
    top_ups: "Top-ups",
    refunds: "Refunds",
    voids: "Voids",
    drawer: "Cash drawer: more by",
    receipts: "Receipts",
    voided_sales: "Sales voided",
    voided_top_ups: "Top-ups voided",
    adjustments: "Adjustments",
    brought_in: "Opening balances brought in (not money taken)",
    bonus: "bonus",
    stamps: "Stamps given",
    rewards: "Rewards redeemed",
    new_members: "New members",
    float: "Stored value held",
    opening: "Opening",
    spends: "Spent",
    forfeits: "Bonus forfeited",
    closing: "Closing",
    balanced: "Balanced",
    not_balanced: "NOT BALANCED: check",
    nothing: "No member took or paid money",
    signature: "Counted by",
    count: "({n})",
    drawer_count: "Drawer count",
    opening_float: "Opening float",
    expected: "Cash expected",
    counted: "Cash counted",
    over: "Over",
    short: "Short",
    even: "Even (neither over nor short)",
    not_counted: "Drawer not counted yet",
    recounted: "count {n}",
    outdated: "Cash moved after the count: count again",
    by_staff: "By staff member",
};

pub(super) fn labels(lang: ReceiptLanguage) -> &'static Labels {
    match lang {
        ReceiptLanguage::ZhTw => &ZH_TW,
        ReceiptLanguage::ZhCn => &ZH_CN,
        ReceiptLanguage::En => &EN,
    }
}

/// Renders `day` for `paper_size` in `lang`; `printed_at` is shown on the
/// shop's clock so a reprint can be told from the first.
pub fn render_day_close(
    day: &DayClose,
    settings: &ShopSettings,
    paper_size: PaperSize,
    lang: ReceiptLanguage,
    font: &super::ReceiptFont,
    printed_at: DateTime<Utc>,
) -> RenderedReceipt {
    let l = labels(lang);
    let methods = receipt_labels(lang);
    let mut layout = Layout::new(font, paper(paper_size));
    let base = layout.paper.size;
    let small = base * 0.85;
    let money = |minor: i64| day.currency.format(minor);
    let count = |k: &KindTotal| format!("{}  {}", l.count.replace("{n}", &k.count.to_string()), money(k.amount_minor));

    layout.paragraph(&settings.name, base * 1.5, true, 2);
    layout.paragraph(l.title, base * 1.3, true, 1);
    layout.rule();
    layout.columns(l.date, &day.date.to_string(), base);
    let printed = printed_at.with_timezone(&settings.tz()).format("%Y-%m-%d %H:%M").to_string();
    layout.columns(l.printed, &printed, small);
    layout.rule();

    layout.paragraph(l.money, base * 1.1, false, 1);
    if day.methods.is_empty() {
        layout.paragraph(l.nothing, small, false, 2);
    }
    for m in &day.methods {
        layout.columns(&payment_label(methods, m.method, &m.name), &money(m.net_minor), base);
        let parts = [
            (l.sales, m.sales_minor),
            (l.top_ups, m.top_ups_minor),
            (l.refunds, -m.refunds_minor),
            (l.voids, -m.voids_minor),
        ];
        for (label, amount) in parts.into_iter().filter(|(_, a)| *a != 0) {
            layout.columns(&format!("  {label}"), &money(amount), small);
        }
    }
    if day.methods.iter().any(|m| m.method == crate::receipt::PaymentMethod::Cash) {
        layout.space(0.5);
        layout.columns(l.drawer, &money(day.cash_minor), base * 1.15);
    }
    layout.rule();
    // Who took the money, when more than one person did.
    if day.by_staff.len() > 1 {
        layout.paragraph(l.by_staff, base * 1.1, false, 1);
        for person in &day.by_staff {
            layout.columns(&person.staff, &money(person.net_minor), base);
            for m in &person.methods {
                layout.columns(&format!("  {}", payment_label(methods, m.method, &m.name)), &money(m.net_minor), small);
            }
        }
        layout.rule();
    }

    layout.paragraph(l.drawer_count, base * 1.1, false, 1);
    match &day.drawer {
        None => layout.paragraph(l.not_counted, small, false, 2),
        Some(d) => {
            layout.columns(l.opening_float, &money(d.float_minor), base);
            layout.columns(l.expected, &money(d.expected_minor), base);
            layout.columns(l.counted, &money(d.counted_minor), base);
            let (label, amount) = match d.over_short_minor {
                0 => (l.even, String::new()),
                n if n > 0 => (l.over, format!("+{}", money(n))),
                n => (l.short, money(n)),
            };
            layout.columns(label, &amount, base * 1.15);
            let when = DateTime::<Utc>::from_timestamp_millis(d.counted_at)
                .map(|t| t.with_timezone(&settings.tz()).format("%H:%M").to_string())
                .unwrap_or_default();
            let mut who = format!("{} {when}", d.cashier);
            if day.drawer_counts > 1 {
                who = format!("{who}  {}", l.recounted.replace("{n}", &day.drawer_counts.to_string()));
            }
            layout.paragraph(&who, small, false, 1);
            if day.drawer_outdated {
                layout.paragraph(l.outdated, small, true, 1);
            }
        }
    }
    layout.rule();

    layout.paragraph(l.receipts, base * 1.1, false, 1);
    layout.columns(l.sales, &count(&day.sales), base);
    layout.columns(l.top_ups, &count(&day.top_ups), base);
    if day.bonus_given_minor != 0 {
        layout.columns(&format!("  {}", l.bonus), &money(day.bonus_given_minor), small);
    }
    layout.columns(l.refunds, &count(&day.refunds), base);
    layout.columns(l.voided_sales, &count(&day.voided_sales), base);
    if day.voided_top_ups.count != 0 {
        layout.columns(l.voided_top_ups, &count(&day.voided_top_ups), base);
    }
    if day.adjustments.count != 0 {
        layout.columns(l.adjustments, &count(&day.adjustments), base);
    }
    if day.opening_balances.count != 0 {
        layout.columns(l.brought_in, &count(&day.opening_balances), base);
    }
    layout.columns(l.stamps, &day.stamps_given.to_string(), base);
    layout.columns(l.rewards, &day.rewards_redeemed.to_string(), base);
    layout.columns(l.new_members, &day.new_members.to_string(), base);
    layout.rule();

    let f = &day.float;
    layout.paragraph(l.float, base * 1.1, false, 1);
    let total = |p: &FloatParts| money(p.total());
    layout.columns(l.opening, &total(&f.opening), base);
    let moves = [
        (l.top_ups, &f.top_ups),
        (l.spends, &f.spends),
        (l.refunds, &f.refunds),
        (l.forfeits, &f.forfeits),
        (l.adjustments, &f.adjustments),
        (l.voids, &f.voids),
        (l.brought_in, &f.brought_in),
    ];
    for (label, parts) in moves.into_iter().filter(|(_, p)| p.paid_minor != 0 || p.bonus_minor != 0) {
        layout.columns(&format!("  {label}"), &total(parts), small);
    }
    layout.columns(l.closing, &total(&f.closing), base * 1.15);
    layout.paragraph(if f.balances() { l.balanced } else { l.not_balanced }, small, false, 1);
    layout.rule();
    layout.space(6.0);
    layout.columns(&format!("{}：", l.signature), "", base);
    layout.space(2.0);
    layout.rule();
    layout.into_pdf(&format!("{} {}", l.title, day.date))
}
