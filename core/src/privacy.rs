//! Personal data in text that will be posted (个人信息保护法 art. 25; 政府信息公开条例 art. 15;
//! 重庆市城乡居民最低生活保障条例 art. 18(5)): 18-digit ID numbers with a valid GB 11643 check
//! digit, mobile numbers and bank card numbers (Luhn) are found and masked.
//!
//! The default policy is conservative: an ID number keeps its first and last character, a mobile
//! number its first 3 and last 4 digits, a bank card number is withheld entirely.

use serde::{Deserialize, Serialize};

/// A kind of personal data found in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonalData {
    /// 公民身份号码 (GB 11643, 18 characters, valid check digit).
    IdNumber,
    /// A mainland mobile number (11 digits, 1[3-9]…).
    Mobile,
    /// A bank card number (16–19 digits, valid Luhn check).
    BankCard,
}

/// One finding: what, where (character offsets) and its masked form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// What was found.
    pub kind: PersonalData,
    /// Character offset where it starts.
    pub start: usize,
    /// Character offset where it ends (exclusive).
    pub end: usize,
    /// The masked text to post instead.
    pub masked: String,
}

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Whether `s` is an 18-character ID number with a valid check digit and birth date.
///
/// ```
/// use cunwu_core::privacy::is_id_number;
/// assert!(is_id_number("11010519491231002X"));
/// assert!(is_id_number("440524188001010014"));
/// assert!(!is_id_number("440524188001010015"));
/// ```
pub fn is_id_number(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() != 18 || !chars.iter().take(17).all(char::is_ascii_digit) {
        return false;
    }
    let sum: u32 = chars.iter().zip(ID_WEIGHTS).map(|(c, w)| c.to_digit(10).unwrap_or(0) * w).sum();
    let expected = ID_CHECK.get((sum % 11) as usize).copied().unwrap_or('?');
    let last = chars.get(17).map(|c| c.to_ascii_uppercase());
    // The birth date, digits 7–14 (YYYYMMDD), must be a calendar day.
    let number = |from: usize, to: usize| {
        chars.get(from..to).map(|d| d.iter().fold(0, |n, c| n * 10 + c.to_digit(10).unwrap_or(0)))
    };
    let birth = match (number(6, 10), number(10, 12), number(12, 14)) {
        (Some(y), Some(m), Some(d)) => i32::try_from(y).ok().and_then(|y| chrono::NaiveDate::from_ymd_opt(y, m, d)),
        _ => None,
    };
    last == Some(expected) && birth.is_some()
}

fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d })
        .sum();
    sum % 10 == 0
}

/// Every piece of personal data in `text`, in order.
pub fn find(text: &str) -> Vec<Finding> {
    // Nothing to find without a run of at least 11 digits; most posted text has none.
    let mut run = 0;
    let mut longest = 0;
    for b in text.bytes() {
        run = if b.is_ascii_digit() { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    if longest < 11 {
        return Vec::new();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let is_digit = |c: Option<&char>| c.is_some_and(char::is_ascii_digit);
        if !is_digit(chars.get(i)) || (i > 0 && is_digit(chars.get(i - 1))) {
            i += 1;
            continue;
        }
        let mut j = i;
        while is_digit(chars.get(j)) {
            j += 1;
        }
        let mut run: String = chars.get(i..j).map(|r| r.iter().collect()).unwrap_or_default();
        if run.len() == 17 && chars.get(j).is_some_and(|c| *c == 'X' || *c == 'x') {
            run.push('X');
            j += 1;
        }
        let digits: Vec<u32> = run.chars().filter_map(|c| c.to_digit(10)).collect();
        let finding = if run.len() == 18 && is_id_number(&run) {
            let first: String = run.chars().take(1).collect();
            let last: String = run.chars().skip(17).collect();
            Some((PersonalData::IdNumber, format!("{first}{}{last}", "*".repeat(16))))
        } else if run.len() == 11
            && run.starts_with('1')
            && run.chars().nth(1).is_some_and(|c| ('3'..='9').contains(&c))
        {
            Some((PersonalData::Mobile, format!("{}****{}", run.get(..3).unwrap_or(""), run.get(7..).unwrap_or(""))))
        } else if (16..=19).contains(&run.len()) && digits.len() == run.len() && luhn(&digits) {
            Some((PersonalData::BankCard, "[银行卡号已隐去]".to_string()))
        } else {
            None
        };
        if let Some((kind, masked)) = finding {
            out.push(Finding { kind, start: i, end: j, masked });
        }
        i = j;
    }
    out
}

/// `text` with every piece of personal data replaced by its masked form.
///
/// ```
/// let masked = cunwu_core::privacy::mask("张三 11010519491231002X 13912345678");
/// assert_eq!(masked, "张三 1****************X 139****5678");
/// ```
pub fn mask(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for f in find(text) {
        out.extend(chars.get(pos..f.start).into_iter().flatten());
        out.push_str(&f.masked);
        pos = f.end;
    }
    out.extend(chars.get(pos..).into_iter().flatten());
    out
}
