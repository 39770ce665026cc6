//! A text file's encoding: found, or named by a person, and its text decoded.

use crate::error::{Error, Result};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// Finds a text file's encoding: a byte-order mark decides (UTF-8,
/// UTF-16 LE or BE); without one, `chardetng` guesses (UTF-8 allowed) among
/// the encodings of the web, which include Big5 (with the HKSCS
/// characters, as `encoding_rs` decodes it) and GBK/GB18030.
pub fn detect(bytes: &[u8]) -> &'static Encoding {
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        return encoding;
    }
    if looks_like_utf16(bytes) == Some(true) {
        return UTF_16LE;
    }
    if looks_like_utf16(bytes) == Some(false) {
        return UTF_16BE;
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    detector.guess(None, true)
}

/// UTF-16 without a mark: most ASCII characters leave a zero byte beside
/// them (Some(true) little-endian, Some(false) big-endian).
fn looks_like_utf16(bytes: &[u8]) -> Option<bool> {
    let sample = &bytes[..bytes.len().min(400) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let zero_odd = sample.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    let zero_even = sample.iter().step_by(2).filter(|b| **b == 0).count();
    if zero_odd * 3 > pairs * 2 && zero_even == 0 {
        Some(true)
    } else if zero_even * 3 > pairs * 2 && zero_odd == 0 {
        Some(false)
    } else {
        None
    }
}

/// An encoding by the name a person gives (`big5`, `cp950`, `gbk`,
/// `gb18030`, `utf-8`, `utf-16le` …: the WHATWG labels, and `cp950`/`cp936`).
pub fn by_name(name: &str) -> Result<&'static Encoding> {
    let label = match name.trim().to_ascii_lowercase().as_str() {
        "cp950" | "ms950" | "big5-hkscs" | "hkscs" => "big5".to_string(),
        "cp936" | "ms936" => "gbk".to_string(),
        "utf8" => "utf-8".to_string(),
        "utf16" | "utf16le" => "utf-16le".to_string(),
        "utf16be" => "utf-16be".to_string(),
        other => other.to_string(),
    };
    Encoding::for_label(label.as_bytes())
        .ok_or_else(|| Error::InvalidInput { field: "encoding", reason: format!("unknown encoding {name}").into() })
}

/// The file's text in `encoding` (a byte-order mark dropped). Bytes that do
/// not belong to the encoding are an error naming it, rather than text
/// with replacement characters in members' names.
pub fn decode(bytes: &[u8], encoding: &'static Encoding) -> Result<String> {
    let bom = Encoding::for_bom(bytes).filter(|(e, _)| *e == encoding).map_or(0, |(_, n)| n);
    let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
    if had_errors {
        return Err(Error::InvalidInput {
            field: "encoding",
            reason: format!("the file is not {} text: choose its encoding", encoding.name()).into(),
        });
    }
    Ok(text.into_owned())
}

/// The name an encoding is shown by (`UTF-8`, `Big5`, `GBK`, `UTF-16LE` …).
pub fn name_of(encoding: &'static Encoding) -> &'static str {
    if encoding == UTF_8 {
        "UTF-8"
    } else {
        encoding.name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big5_files_decode_hkscs_characters() {
        // encoding_rs decodes Hong Kong's characters in Big5 (the HKSCS
        // area) but, as the WHATWG encoder does, never writes them: find
        // their bytes by decoding every pair.
        let pair_of = |ch: char| {
            (0x81u8..=0xFE)
                .flat_map(|lead| (0x40u8..=0xFE).map(move |trail| [lead, trail]))
                .find(|p| encoding_rs::BIG5.decode_without_bom_handling(p).0 == ch.to_string())
                .unwrap()
        };
        let mut bytes = encoding_rs::BIG5.encode("姓名,電話\n陳").0.into_owned();
        bytes.extend(pair_of('𡃁'));
        bytes.extend(pair_of('㗎'));
        bytes.extend(b",0912345678\n");
        assert_eq!(decode(&bytes, encoding_rs::BIG5).unwrap(), "姓名,電話\n陳𡃁㗎,0912345678\n");
        assert_eq!(detect(&bytes).name(), "Big5");
    }

    #[test]
    fn a_byte_order_mark_decides() {
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "姓名".encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        assert_eq!(detect(&utf16), UTF_16LE);
        assert_eq!(decode(&utf16, UTF_16LE).unwrap(), "姓名");
        assert_eq!(decode(b"\xEF\xBB\xBFabc", UTF_8).unwrap(), "abc");
        let mut big_endian = vec![0xFE, 0xFF];
        for unit in "姓名".encode_utf16() {
            big_endian.extend(unit.to_be_bytes());
        }
        assert_eq!(detect(&big_endian), UTF_16BE);
        assert_eq!(decode(&big_endian, UTF_16BE).unwrap(), "姓名");
    }

    #[test]
    fn names_people_use_are_known() {
        assert_eq!(by_name("CP950").unwrap().name(), "Big5");
        assert_eq!(by_name("gb18030").unwrap().name(), "gb18030");
        assert!(by_name("klingon").is_err());
    }
}
