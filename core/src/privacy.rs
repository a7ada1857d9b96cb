//! Personal data in text that will be posted (个人信息保护法 art. 25; 政府信息公开条例 art. 15;
//! 重庆市城乡居民最低生活保障条例 art. 18(5)): identity card numbers, mobile numbers and bank card
//! numbers are found, in the forms people type them, and masked.
//!
//! # What is recognised
//!
//! A *number* is a run of digits — ASCII `0-9` or full-width `０-９`, mixed — in which a run of
//! up to three separators may stand between groups of digits: spaces (ASCII, tab, no-break
//! U+00A0, the typographic spaces U+2002–U+200A, U+202F, U+205F, ideographic U+3000), hyphens and
//! dashes (`-`, U+2010–U+2015, U+2212, U+FE63, U+FF0D), dots (`.`, U+00B7, U+30FB, U+FF0E).
//! Invisible characters (zero-width spaces and joiners, bidirectional controls, U+2060–U+2064,
//! variation selectors, the BOM, the soft hyphen, U+034F, U+180E, U+3164) are ignored anywhere
//! inside a number. An `X` check character may follow an 18-character ID directly or after a
//! separator. A line break ends a number (rows of a table are not joined). A number is one of
//! these when its digits and the lengths of its groups fit:
//!
//! | kind | digits | groups (when separated) | check |
//! |---|---|---|---|
//! | 居民身份证号码 (GB 11643) | 17 + check (`0-9` or `X`) | 18; 6-8-4; 6-4-4-4; 6-8-3 then `X` | check digit, birth date |
//! | 15-digit identity card number (before 1999) | 15 | 15; 6-6-3 | birth date 19YYMMDD, first digit 1–8 |
//! | mobile number | 11, `1[3-9]…` | 11; 3-4-4; 3-8 | — |
//! | mobile with country code | `+86`, `86`, `0086` then 11 | the code as its own group, or joined | — |
//! | bank card | 16–19, a network's prefix (4, 22–27, 35, 51–55, 60, 62, 65, 81, 94, 95) | 16–19; groups of 4 (the last 1–4); 6 then the rest | Luhn |
//!
//! # What is deliberately not
//!
//! To keep false positives on what notices carry — voucher numbers (`2026-03-001`), amounts
//! (`152,300.50`, `12000.00`), dates and date ranges (`2026-01-01 2026-03-31`), account codes of
//! collective bookkeeping, household counts — a number is only personal data when its grouping
//! is one of those above: a date range is 4-2-2 groups and never matches. Not recognised: numbers
//! split by other characters (`139/1234/5678`, letters, commas), digits written in Chinese
//! (`一三九…`), numbers inside a longer run of digits (a 20-digit reference holding a card number),
//! landline numbers, numbers split across lines or across two texts, groupings not in the table
//! (an ID in 3-3-4-4-4, a mobile in 4-3-4), and bank cards that fail the Luhn check or carry no
//! network's prefix.
//!
//! Known false positives, the price of the separated forms: three groups of 3, 4 and 4 digits
//! starting with 13–19 (`165 3200 4800` in a table row, an archive number `139-2026-0012`) are
//! taken for a mobile number; 4-digit groups with a network's prefix that pass Luhn (one list in
//! ten) for a card; an area-date-serial code that happens to carry a valid check digit (one in
//! eleven) for an ID; a 15-digit registration number whose digits 7–12 read as a date for an old
//! ID. The false-positive rate on a corpus of realistic notice text is measured by
//! `core/tests/it/privacy.rs` and stated in the README.
//!
//! # Masking
//!
//! The whole number, separators included, is replaced: an identity card number keeps only its
//! first and last character (`5****************4`), a mobile number its first three and last four
//! digits (`139****5678`, the country code dropped), a bank card nothing (`[银行卡号已隐去]`).

use serde::{Deserialize, Serialize};

/// A kind of personal data found in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonalData {
    /// 公民身份号码 (GB 11643: 18 characters with a valid check digit, or the 15-digit form).
    IdNumber,
    /// A mainland mobile number (11 digits, 1[3-9]…), with or without +86.
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

/// A digit, ASCII or full-width.
fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        '０'..='９' => Some(u32::from(c) - u32::from('０')),
        _ => None,
    }
}

/// A separator people type between groups of digits.
fn separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t'
            | '\u{a0}'
            | '\u{2002}'..='\u{200a}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
            | '-'
            | '\u{2010}'..='\u{2015}'
            | '\u{2212}'
            | '\u{fe63}'
            | '\u{ff0d}'
            | '.'
            | '\u{b7}'
            | '\u{30fb}'
            | '\u{ff0e}'
    )
}

/// The length of the separator run at `j` (at most three characters: `139 - 1234`), if a digit
/// (or, after 17 digits, an `X`) follows it.
fn separator_run(chars: &[char], j: usize, then_x: bool) -> Option<usize> {
    let mut k = j;
    while k < j + 3 && chars.get(k).is_some_and(|c| separator(*c) || invisible(*c)) {
        k += 1;
    }
    let next = chars.get(k).copied()?;
    (k > j && (digit(next).is_some() || (then_x && is_x(next)))).then_some(k - j)
}

/// A character a reader does not see (zero-width spaces and joiners, the word joiner, the BOM,
/// the soft hyphen).
pub(crate) fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{034f}'
            | '\u{180e}'
            | '\u{3164}'
            | '\u{feff}'
            | '\u{00ad}'
    )
}

fn is_x(c: char) -> bool {
    matches!(c, 'X' | 'x' | 'Ｘ' | 'ｘ')
}

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
    let digits: Vec<u32> = chars.iter().take(17).filter_map(|c| digit(*c)).collect();
    let check = chars.get(17).copied().map(|c| if is_x(c) { 'X' } else { c });
    chars.len() == 18 && digits.len() == 17 && check.is_some_and(|c| id18_valid(&digits, c))
}

fn id18_valid(digits: &[u32], check: char) -> bool {
    let sum: u32 = digits.iter().zip(ID_WEIGHTS).map(|(d, w)| d * w).sum();
    let expected = ID_CHECK.get((sum % 11) as usize).copied().unwrap_or('?');
    let check = match digit(check) {
        Some(d) => char::from_digit(d, 10).unwrap_or('?'),
        None => check,
    };
    check == expected && birth_date(digits.get(6..14)).is_some()
}

/// A birth date from digits `YYYYMMDD` (or `YYMMDD`, read as 19YY).
fn birth_date(d: Option<&[u32]>) -> Option<chrono::NaiveDate> {
    let d = d?;
    let n = |r: std::ops::Range<usize>| d.get(r).map(|x| x.iter().fold(0u32, |n, v| n * 10 + v));
    let (y, m, day) = match d.len() {
        8 => (n(0..4)?, n(4..6)?, n(6..8)?),
        6 => (1900 + n(0..2)?, n(2..4)?, n(4..6)?),
        _ => return None,
    };
    (1880..=2100).contains(&y).then_some(())?;
    chrono::NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, day)
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

/// A candidate number: its digits, the lengths of its groups, a trailing `X`, a leading `+`, and
/// where it lies in the text (character offsets).
#[derive(Clone)]
struct Number {
    digits: Vec<u32>,
    groups: Vec<usize>,
    x: bool,
    plus: bool,
    start: usize,
    end: usize,
}

/// A run of digit groups as read: each group's character span and digits.
struct Run {
    plus: Option<usize>,
    groups: Vec<(usize, usize, Vec<u32>)>,
    x: Option<usize>,
}

/// Read the run starting at `i` (a digit, or a `+` before one).
fn read_run(chars: &[char], i: usize) -> Run {
    let mut run = Run { plus: None, groups: Vec::new(), x: None };
    let mut j = i;
    if chars.get(j).is_some_and(|c| matches!(c, '+' | '＋')) {
        run.plus = Some(j);
        j += 1;
    }
    let mut start = j;
    let mut digits = Vec::new();
    let mut total = 0;
    while let Some(&c) = chars.get(j) {
        if let Some(d) = digit(c) {
            digits.push(d);
            total += 1;
            j += 1;
        } else if invisible(c) && !digits.is_empty() {
            // Invisible characters inside a number hide nothing from a reader: skipped.
            j += 1;
        } else if is_x(c) && !digits.is_empty() {
            run.x = Some(j);
            break;
        } else if let Some(n) = (!digits.is_empty()).then(|| separator_run(chars, j, total == 17)).flatten() {
            if chars.get(j + n).is_some_and(|c| is_x(*c)) {
                // `…003 X`: the check character written apart.
                run.x = Some(j + n);
                break;
            }
            run.groups.push((start, j, std::mem::take(&mut digits)));
            j += n;
            start = j;
        } else {
            break;
        }
    }
    if !digits.is_empty() {
        run.groups.push((start, j, digits));
    }
    run
}

impl Run {
    /// The number made of groups `from..=to`.
    fn number(&self, from: usize, to: usize) -> Option<Number> {
        let groups = self.groups.get(from..=to)?;
        let last = to + 1 == self.groups.len();
        let (first, tail) = (groups.first()?, groups.last()?);
        let x = last && self.x.is_some();
        let plus = from == 0 && self.plus.is_some();
        Some(Number {
            digits: groups.iter().flat_map(|g| g.2.iter().copied()).collect(),
            groups: groups.iter().map(|g| g.2.len()).collect(),
            x,
            plus,
            start: if plus { self.plus.unwrap_or(first.0) } else { first.0 },
            end: if x { self.x.map_or(tail.1, |p| p + 1) } else { tail.1 },
        })
    }

    /// The end of the run (character offset).
    fn end(&self) -> usize {
        self.x.map(|p| p + 1).or_else(|| self.groups.last().map(|g| g.1)).unwrap_or(0)
    }
}

fn masked_id(n: &Number) -> String {
    let first = n.digits.first().map_or('*', |d| char::from_digit(*d, 10).unwrap_or('*'));
    let last = if n.x { 'X' } else { n.digits.last().map_or('*', |d| char::from_digit(*d, 10).unwrap_or('*')) };
    let hidden = if n.digits.len() + usize::from(n.x) == 15 { 13 } else { 16 };
    format!("{first}{}{last}", "*".repeat(hidden))
}

fn masked_mobile(d: &[u32]) -> String {
    let s: String = d.iter().filter_map(|d| char::from_digit(*d, 10)).collect();
    format!("{}****{}", s.get(..3).unwrap_or(""), s.get(7..).unwrap_or(""))
}

/// What a number is, if it is personal data.
fn classify(n: &Number) -> Option<(PersonalData, String)> {
    let g = n.groups.as_slice();
    let len = n.digits.len();
    let joined = g.len() == 1;
    if n.x {
        // 17 digits then X.
        let ok = len == 17 && (joined || g == [6, 8, 3] || g == [6, 4, 4, 3]);
        return (ok && id18_valid(&n.digits, 'X')).then(|| (PersonalData::IdNumber, masked_id(n)));
    }
    if len == 18 && (joined || g == [6, 8, 4] || g == [6, 4, 4, 4]) {
        let check = n.digits.last().and_then(|d| char::from_digit(*d, 10)).unwrap_or('?');
        if n.digits.get(..17).is_some_and(|d| id18_valid(d, check)) {
            return Some((PersonalData::IdNumber, masked_id(n)));
        }
    }
    if len == 15
        && (joined || g == [6, 6, 3])
        && n.digits.first().is_some_and(|d| (1..=8).contains(d))
        && birth_date(n.digits.get(6..12)).is_some()
    {
        return Some((PersonalData::IdNumber, masked_id(n)));
    }
    let mobile = |d: &[u32]| d.len() == 11 && d.first() == Some(&1) && d.get(1).is_some_and(|x| (3..=9).contains(x));
    let mobile_groups = |g: &[usize]| g.len() == 1 || g == [3, 4, 4] || g == [3, 8];
    if mobile(&n.digits) && mobile_groups(g) {
        return Some((PersonalData::Mobile, masked_mobile(&n.digits)));
    }
    // +86 / 86 / 0086 before a mobile number, as its own group or joined.
    for code in [&[8u32, 6][..], &[0, 0, 8, 6][..]] {
        if n.digits.starts_with(code) {
            let rest = n.digits.get(code.len()..).unwrap_or(&[]);
            let rest_groups: Option<Vec<usize>> = match g.split_first() {
                Some((first, tail)) if *first == code.len() => Some(tail.to_vec()),
                Some((first, tail)) if *first > code.len() => {
                    let mut v = vec![first - code.len()];
                    v.extend_from_slice(tail);
                    Some(v)
                }
                _ => None,
            };
            if mobile(rest)
                && rest_groups.is_some_and(|rg| mobile_groups(&rg))
                && (n.plus || code.len() == 4 || len == 13)
            {
                return Some((PersonalData::Mobile, masked_mobile(rest)));
            }
        }
    }
    // Card numbers begin with a network's prefix (4 Visa, 51–55 and 22–27 Mastercard, 35 JCB,
    // 62 and 81 UnionPay, 60/65 Discover, 94/95 the banks' own domestic cards); lists of page,
    // account or amount numbers (`0012 0013 …`, `3100 3100 …`) mostly do not.
    let prefix = n.digits.first().zip(n.digits.get(1)).map(|(a, b)| a * 10 + b);
    let network = prefix.is_some_and(|p| matches!(p, 22..=27 | 35 | 40..=49 | 51..=55 | 60 | 62 | 65 | 81 | 94 | 95));
    if (16..=19).contains(&len) && !n.plus && network {
        let fours = g.len() > 1
            && g.split_last().is_some_and(|(last, rest)| (1..=4).contains(last) && rest.iter().all(|x| *x == 4));
        let six = g.len() == 2 && g.first() == Some(&6);
        if (joined || fours || six) && luhn(&n.digits) {
            return Some((PersonalData::BankCard, "[银行卡号已隐去]".to_string()));
        }
    }
    None
}

/// Every piece of personal data in `text`, in order.
///
/// ```
/// use cunwu_core::privacy::{find, PersonalData};
/// let kinds = |t: &str| find(t).iter().map(|f| f.kind).collect::<Vec<_>>();
/// assert_eq!(kinds("电话 139-1234-5678"), [PersonalData::Mobile]);
/// assert_eq!(kinds("身份证 500101 19900101 123X"), [PersonalData::IdNumber]);
/// assert_eq!(kinds("身份证 500101 19900101 1234"), Vec::<PersonalData>::new()); // check digit wrong
/// assert_eq!(kinds("凭证 2026-03-001，金额 12000.00，期间 2026-01-01 2026-03-31"), Vec::<PersonalData>::new());
/// ```
pub fn find(text: &str) -> Vec<Finding> {
    // Nothing to find without at least 11 digits; most posted text has none.
    if text.chars().filter(|c| digit(*c).is_some()).take(11).count() < 11 {
        return Vec::new();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let here = chars.get(i).copied();
        let starts_number = here.and_then(digit).is_some()
            || (here.is_some_and(|c| matches!(c, '+' | '＋')) && chars.get(i + 1).and_then(|c| digit(*c)).is_some());
        let after_digit = i > 0 && chars.get(i - 1).and_then(|c| digit(*c)).is_some();
        if !starts_number || after_digit {
            i += 1;
            continue;
        }
        let run = read_run(&chars, i);
        // The longest stretch of groups that is personal data, from each group on: a number
        // followed by an amount (`13912345678 500`) is still found.
        let count = run.groups.len();
        let mut from = 0;
        while from < count {
            // No pattern has more than five groups (a 19-digit card in fours): the search stays
            // linear in the length of the text, however many groups a run has.
            let found = (from..count.min(from + 5)).rev().find_map(|to| {
                let n = run.number(from, to)?;
                // A trailing X that makes no ID is a letter after the number (`13912345678X先生`).
                let without_x = || {
                    let mut m = n.clone();
                    m.x = false;
                    m.end = run.groups.get(to).map_or(m.end, |g| g.1);
                    m
                };
                let (n, class) = match classify(&n) {
                    Some(c) => (n, Some(c)),
                    None if n.x => {
                        let m = without_x();
                        let c = classify(&m);
                        (m, c)
                    }
                    None => (n, None),
                };
                class.map(|(kind, masked)| (to, Finding { kind, start: n.start, end: n.end, masked }))
            });
            match found {
                Some((to, f)) => {
                    out.push(f);
                    from = to + 1;
                }
                None => from += 1,
            }
        }
        i = run.end().max(i + 1);
    }
    out
}

/// `text` with every piece of personal data replaced by its masked form.
///
/// ```
/// let masked = cunwu_core::privacy::mask("张三 11010519491231002X 13912345678");
/// assert_eq!(masked, "张三 1****************X 139****5678");
/// assert_eq!(cunwu_core::privacy::mask("电话 +86 139 1234 5678"), "电话 139****5678");
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
