//! A coupon slip (優惠券) on the receipt printer's paper: the shop, the
//! offer in words, the member it belongs to, the days it is good for, and
//! its code twice: large and spaced for reading aloud or typing, and as a
//! QR code the checkout's scanner types into the code field.
//!
//! The QR code holds the bare code (`K7QM3XPA9`): a keyboard-wedge scanner
//! types what it reads, and the code field reads it as it reads a typed
//! code (`coupon::parse_code`). It is drawn as filled squares, one per run
//! of dark modules, with a quiet zone of four light modules around it that
//! nothing else on the slip enters, at least 20 mm across its modules on a
//! 58 mm roll, so a scanner reads it off thermal paper.

use super::{labels as receipt_labels, paper, Layout, Mark, ReceiptLanguage, RenderedReceipt};
use crate::coupon::{Benefit, CouponSlip};
use crate::money::Currency;
use crate::settings::{PaperSize, ShopSettings};

#[derive(Debug)]
pub(super) struct Labels {
    title: &'static str,
    /// `{amount}`: money off.
    amount_off: &'static str,
    /// `{percent}`, `{cap}`: a percent off, up to a cap.
    percent_off_capped: &'static str,
    /// `{item}`: the product given.
    free_item: &'static str,
    /// `{stamps}`, `{program}`: stamps added to a stamp card.
    extra_stamps: &'static str,
    /// `{amount}`: the items' total a sale needs.
    min_spend: &'static str,
    valid: &'static str,
    /// `{from}`, `{until}`: the first and last day, both included.
    valid_range: &'static str,
    /// Under the code: how the coupon is used.
    how_to_use: &'static str,
}

// The offer's words follow the counter's (ui/src/i18n `coupons.*`), with
// the product's or the program's name the paper needs.
const ZH_TW: Labels = Labels {
    title: "優惠券",
    amount_off: "折 {amount}",
    percent_off_capped: "折扣 {percent}%，最多折 {cap}",
    free_item: "送 {item} 一份",
    extra_stamps: "{program} 加送 {stamps} 個章",
    min_spend: "消費滿 {amount} 可用",
    valid: "有效期間",
    valid_range: "{from} 至 {until}",
    how_to_use: "結帳時出示本券，限會員本人使用一次",
};

const ZH_CN: Labels = Labels {
    title: "优惠券",
    amount_off: "减 {amount}",
    percent_off_capped: "折扣 {percent}%，最多减 {cap}",
    free_item: "送 {item} 一份",
    extra_stamps: "{program} 加送 {stamps} 个印章",
    min_spend: "消费满 {amount} 可用",
    valid: "有效期",
    valid_range: "{from} 至 {until}",
    how_to_use: "结账时出示本券，限会员本人使用一次",
};

const EN: Labels = Labels {
    title: "Coupon",
    amount_off: "{amount} off",
    percent_off_capped: "{percent}% off, up to {cap}",
    free_item: "A free {item}",
    extra_stamps: "+{stamps} stamps on {program}",
    min_spend: "On a spend of {amount} or more",
    valid: "Valid",
    valid_range: "{from} to {until}",
    how_to_use: "Show it at checkout. For this member, once.",
};

pub(super) fn labels(lang: ReceiptLanguage) -> &'static Labels {
    match lang {
        ReceiptLanguage::ZhTw => &ZH_TW,
        ReceiptLanguage::ZhCn => &ZH_CN,
        ReceiptLanguage::En => &EN,
    }
}

/// An offer's benefit in words, in `lang`, money in the shop's currency:
/// `折 NT$50`, `折扣 10%，最多折 NT$100`, `送 招牌奶茶 一份`, `+2 stamps on 飲料卡`.
/// `subject` is the free product's or the stamp program's name.
pub fn offer_words(benefit: Benefit, subject: &str, currency: &Currency, lang: ReceiptLanguage) -> String {
    let l = labels(lang);
    match benefit {
        Benefit::AmountOff { amount_minor } => l.amount_off.replace("{amount}", &currency.format(amount_minor)),
        Benefit::PercentOff { percent, cap_minor } => l
            .percent_off_capped
            .replace("{percent}", &percent.to_string())
            .replace("{cap}", &currency.format(cap_minor)),
        Benefit::FreeItem { .. } => l.free_item.replace("{item}", subject),
        Benefit::ExtraStamps { stamps, .. } => {
            l.extra_stamps.replace("{stamps}", &stamps.to_string()).replace("{program}", subject)
        }
    }
}

/// Light modules on each side of a QR code (the standard's quiet zone).
pub const QR_QUIET_MODULES: usize = 4;

/// The QR code's side on `paper`, quiet zone included, in mm: on a 58 mm
/// roll its modules span more than 20 mm.
fn qr_side(layout: &Layout<'_>) -> f32 {
    (layout.content_width() * 0.55).min(40.0)
}

/// The slip laid out, before it becomes a PDF (the tests read its marks).
fn lay_out<'f>(
    slip: &CouponSlip,
    settings: &ShopSettings,
    paper_size: PaperSize,
    lang: ReceiptLanguage,
    font: &'f super::ReceiptFont,
) -> Layout<'f> {
    let l = labels(lang);
    let r = receipt_labels(lang);
    let mut layout = Layout::new(font, paper(paper_size));
    let base = layout.paper.size;
    let small = base * 0.85;

    layout.paragraph(&settings.name, base * 1.5, true, 2);
    if !settings.phone.is_empty() {
        layout.paragraph(&settings.phone, small, true, 1);
    }
    layout.space(1.0);
    layout.paragraph(l.title, base * 1.3, true, 1);
    layout.rule();

    layout.paragraph(&slip.offer_name, base * 1.2, true, 2);
    let words = offer_words(slip.benefit, &slip.subject, &settings.currency, lang);
    layout.paragraph(&words, base * 1.7, true, 3);
    if slip.min_spend_minor > 0 {
        layout.paragraph(
            &l.min_spend.replace("{amount}", &settings.currency.format(slip.min_spend_minor)),
            base,
            true,
            2,
        );
    }
    layout.rule();

    layout.columns(&format!("{} {}", r.member, slip.member_name), &slip.member_no, base);
    let range =
        l.valid_range.replace("{from}", &slip.valid_from.to_string()).replace("{until}", &slip.valid_until.to_string());
    layout.columns(l.valid, &range, base);
    layout.rule();

    layout.space(1.0);
    let side = qr_side(&layout);
    layout.quiet_qr(&slip.code, side);
    layout.spaced(&slip.code, base * 2.2);
    layout.space(1.0);
    layout.paragraph(l.how_to_use, small, true, 3);
    layout
}

/// Renders a coupon's slip as a PDF for `paper`, in `lang`, with the shop's
/// name and currency from `settings`.
pub fn render_coupon_slip(
    slip: &CouponSlip,
    settings: &ShopSettings,
    paper_size: PaperSize,
    lang: ReceiptLanguage,
    font: &super::ReceiptFont,
) -> RenderedReceipt {
    let layout = lay_out(slip, settings, paper_size, lang, font);
    layout.into_pdf(&format!("{} {}", labels(lang).title, slip.code))
}

impl Layout<'_> {
    /// A QR code of `data` centered, `side` mm wide with its quiet zone of
    /// [`QR_QUIET_MODULES`] light modules on each side (the space it takes
    /// on the slip). Error correction Q: a quarter of a code smudged on
    /// thermal paper still reads.
    fn quiet_qr(&mut self, data: &str, side: f32) {
        let Ok(code) = qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::Q) else {
            return;
        };
        let n = code.width();
        let module = side / (n + 2 * QR_QUIET_MODULES) as f32;
        if let Some(page_h) = self.paper.height {
            if self.y + side > page_h - self.paper.margin_y {
                self.pages.push(Vec::new());
                self.y = self.paper.margin_y;
            }
        }
        let x0 = self.paper.margin_x + (self.content_width() - side) / 2.0 + QR_QUIET_MODULES as f32 * module;
        let y0 = self.y + QR_QUIET_MODULES as f32 * module;
        let colors = code.to_colors();
        for row in 0..n {
            // One block per run of dark modules keeps the file small.
            let mut col = 0;
            while col < n {
                if colors[row * n + col] != qrcode::Color::Dark {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < n && colors[row * n + col] == qrcode::Color::Dark {
                    col += 1;
                }
                let (x, y) = (x0 + start as f32 * module, y0 + row as f32 * module);
                self.push(Mark::Block { x, y, w: (col - start) as f32 * module, h: module });
            }
        }
        self.y += side;
    }

    /// `text` centered, one character at a time with a gap between them so
    /// each is read alone (as the counter shows a code, letter-spaced),
    /// made smaller when it would not fit the paper's width.
    fn spaced(&mut self, text: &str, size: f32) {
        let width = self.content_width();
        let gap_of = |size: f32| size * 0.12;
        let count = text.chars().count().max(1) as f32;
        let total = |this: &Self, size: f32| this.text_width(text, size) + gap_of(size) * (count - 1.0);
        let mut size = size;
        let natural = total(self, size);
        if natural > width {
            size *= width / natural;
        }
        let y = self.advance(size);
        let mut x = self.paper.margin_x + (width - total(self, size)).max(0.0) / 2.0;
        for ch in text.chars() {
            let glyph = ch.to_string();
            let w = self.text_width(&glyph, size);
            self.push(Mark::Text { x, y, size, text: glyph });
            x += w + gap_of(size);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::PT_TO_MM;
    use chrono::NaiveDate;

    fn slip(benefit: Benefit, subject: &str) -> CouponSlip {
        CouponSlip {
            code: "K7QM3XPA9".into(),
            member_no: "M000001".into(),
            member_name: "陳怡君".into(),
            offer_name: "開幕折50".into(),
            benefit,
            subject: subject.into(),
            min_spend_minor: 200,
            valid_from: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            valid_until: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        }
    }

    fn shop() -> ShopSettings {
        ShopSettings {
            name: "阿明茶飲".into(),
            phone: "02-2700-1234".into(),
            currency: Currency::from_code("TWD").unwrap(),
            time_zone: "Asia/Taipei".into(),
            address: String::new(),
            receipt_footer: String::new(),
            receipt_paper: PaperSize::Mm58,
            auto_print: false,
            printer_name: String::new(),
            receipt_font_path: String::new(),
        }
    }

    /// The page's QR modules painted black on white at `px_per_mm` (width,
    /// height, grey pixels), as a scanner's camera would see the paper, and
    /// the QR's square (quiet zone included) in mm: left, top, side.
    fn raster(layout: &Layout<'_>, px_per_mm: f32) -> ((usize, usize, Vec<u8>), f32, f32, f32) {
        let blocks: Vec<(f32, f32, f32, f32)> = layout.pages[0]
            .iter()
            .filter_map(|m| match m {
                Mark::Block { x, y, w, h } => Some((*x, *y, *w, *h)),
                _ => None,
            })
            .collect();
        let height = layout.y + layout.paper.margin_y;
        let (w, h) = ((layout.paper.width * px_per_mm) as usize, (height * px_per_mm) as usize);
        let mut pixels = vec![255u8; w * h];
        for (x, y, bw, bh) in &blocks {
            let (x0, y0) = ((x * px_per_mm).round() as usize, (y * px_per_mm).round() as usize);
            let (x1, y1) = (((x + bw) * px_per_mm).round() as usize, ((y + bh) * px_per_mm).round() as usize);
            for row in y0..y1.min(h) {
                pixels[row * w + x0..row * w + x1.min(w)].fill(0);
            }
        }
        let top = blocks.iter().map(|b| b.1).fold(f32::MAX, f32::min);
        let left = blocks.iter().map(|b| b.0).fold(f32::MAX, f32::min);
        let right = blocks.iter().map(|b| b.0 + b.2).fold(0.0, f32::max);
        let module = (right - left) / CODE_MODULES as f32;
        let quiet = QR_QUIET_MODULES as f32 * module;
        ((w, h, pixels), left - quiet, top - quiet, right - left + 2.0 * quiet)
    }

    /// Modules across a coupon code's QR code (version 1).
    const CODE_MODULES: usize = 21;

    /// What a QR decoder reads on the slip: each code found, decoded.
    fn decoded(layout: &Layout<'_>) -> Vec<String> {
        let ((w, h, pixels), ..) = raster(layout, 8.0);
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
        image.detect_grids().iter().map(|g| g.decode().expect("a readable QR code").1).collect()
    }

    #[test]
    fn the_slips_qr_code_reads_back_as_the_coupons_code_on_each_paper() {
        let Ok(font) = super::super::receipt_font("") else {
            panic!("a CJK font is needed (fonts-noto-cjk)");
        };
        let s = slip(Benefit::AmountOff { amount_minor: 50 }, "");
        for paper_size in [PaperSize::Mm58, PaperSize::Mm80, PaperSize::A4] {
            for lang in [ReceiptLanguage::ZhTw, ReceiptLanguage::En] {
                let layout = lay_out(&s, &shop(), paper_size, lang, &font);
                assert_eq!(decoded(&layout), vec!["K7QM3XPA9".to_string()], "{paper_size:?} {lang:?}");
            }
        }
    }

    #[test]
    fn the_qr_code_is_big_enough_for_a_thermal_roll_and_nothing_enters_its_quiet_zone() {
        let font = super::super::receipt_font("").expect("a CJK font is needed (fonts-noto-cjk)");
        let s = slip(Benefit::PercentOff { percent: 10, cap_minor: 100 }, "");
        for paper_size in [PaperSize::Mm58, PaperSize::Mm80] {
            let layout = lay_out(&s, &shop(), paper_size, ReceiptLanguage::ZhTw, &font);
            let (_, left, top, side) = raster(&layout, 8.0);
            let quiet = side * QR_QUIET_MODULES as f32 / (CODE_MODULES + 2 * QR_QUIET_MODULES) as f32;
            assert!(side - 2.0 * quiet >= 20.0, "{paper_size:?}: modules span {} mm", side - 2.0 * quiet);
            assert!(left >= 0.0 && left + side <= layout.paper.width, "{paper_size:?}: the QR leaves the paper");
            for mark in &layout.pages[0] {
                let Mark::Text { x, y, size, text } = mark else { continue };
                // A line's ink: from its ascent above the baseline to its descent below.
                let (ink_top, ink_bottom) = (y - size * PT_TO_MM * 0.9, y + size * PT_TO_MM * 0.25);
                let beside = *x > left + side || x + layout.text_width(text, *size) < left;
                let apart = ink_bottom <= top || ink_top >= top + side;
                assert!(beside || apart, "{paper_size:?}: {text:?} enters the QR's quiet zone");
            }
        }
    }

    #[test]
    fn text_on_the_slip_stays_on_the_paper() {
        let font = super::super::receipt_font("").expect("a CJK font is needed (fonts-noto-cjk)");
        let long = slip(Benefit::FreeItem { product_id: 1 }, "招牌珍珠鮮奶茶大杯去冰半糖加椰果");
        for paper_size in [PaperSize::Mm58, PaperSize::Mm80] {
            for lang in [ReceiptLanguage::ZhTw, ReceiptLanguage::ZhCn, ReceiptLanguage::En] {
                let layout = lay_out(&long, &shop(), paper_size, lang, &font);
                for mark in &layout.pages[0] {
                    let Mark::Text { x, size, text, .. } = mark else { continue };
                    let right = x + layout.text_width(text, *size);
                    assert!(
                        *x >= layout.paper.margin_x - 0.01
                            && right <= layout.paper.width - layout.paper.margin_x + 0.01,
                        "{paper_size:?} {lang:?}: {text:?} runs off the paper ({x}–{right} mm)"
                    );
                }
            }
        }
    }

    #[test]
    fn an_offer_reads_in_each_language_with_its_product_or_program() {
        let twd = Currency::from_code("TWD").unwrap();
        let cases = [
            (Benefit::AmountOff { amount_minor: 50 }, "", ReceiptLanguage::ZhTw, "折 NT$50"),
            (Benefit::AmountOff { amount_minor: 50 }, "", ReceiptLanguage::ZhCn, "减 NT$50"),
            (Benefit::PercentOff { percent: 10, cap_minor: 100 }, "", ReceiptLanguage::ZhTw, "折扣 10%，最多折 NT$100"),
            (Benefit::PercentOff { percent: 10, cap_minor: 100 }, "", ReceiptLanguage::En, "10% off, up to NT$100"),
            (Benefit::FreeItem { product_id: 3 }, "招牌奶茶", ReceiptLanguage::ZhTw, "送 招牌奶茶 一份"),
            (Benefit::ExtraStamps { program_id: 1, stamps: 2 }, "飲料卡", ReceiptLanguage::ZhTw, "飲料卡 加送 2 個章"),
            (
                Benefit::ExtraStamps { program_id: 1, stamps: 2 },
                "饮料卡",
                ReceiptLanguage::ZhCn,
                "饮料卡 加送 2 个印章",
            ),
            (Benefit::ExtraStamps { program_id: 1, stamps: 2 }, "Drinks", ReceiptLanguage::En, "+2 stamps on Drinks"),
        ];
        for (benefit, subject, lang, words) in cases {
            assert_eq!(offer_words(benefit, subject, &twd, lang), words);
        }
    }

    /// The slip's words follow the glossary the receipts follow: 收據 and 券 in
    /// Taiwan's script, the mainland's words in simplified characters.
    #[test]
    fn printed_words_use_each_languages_script() {
        let (tw, cn) = (format!("{:?}", labels(ReceiptLanguage::ZhTw)), format!("{:?}", labels(ReceiptLanguage::ZhCn)));
        for word in ["優", "結帳", "會員", "個"] {
            assert!(!cn.contains(word), "zh-CN slip uses {word}: {cn}");
        }
        for word in ["优", "结账", "会员", "个"] {
            assert!(!tw.contains(word), "zh-TW slip uses {word}: {tw}");
        }
    }
}
