//! Personal data in text that will be posted (个人信息保护法 art. 25; 政府信息公开条例 art. 15;
//! 重庆市城乡居民最低生活保障条例 art. 18(5)): identity card numbers, mobile numbers and bank card
//! numbers are found, in the forms people type them, and masked.
//!
//! # What is recognised
//!
//! A *number* is a run of digits — ASCII `0-9`, full-width `０-９`, mathematical digits
//! (U+1D7CE–1D7FF), the segmented digits U+1FBF0–1FBF9, and the circled, parenthesized, stopped
//! and dingbat digits (`①`, `⑴`, `⒈`, `⓵`, `❶`, `➀`, `➊`, `⓪`, `🄁`…), mixed — in which separators may stand between
//! groups of digits: whitespace of any length (Unicode's space separators: ASCII space, tab,
//! no-break U+00A0, U+1680, U+2000–U+200A, U+202F, U+205F, ideographic U+3000, and the blank
//! braille cell U+2800) with at most one line break (LF, CR, NEL, U+2028, U+2029) — a web page
//! shows a run of spaces or a line break as one space, so `139\n1234\n5678` is read as a reader
//! sees it — and at most three other separators: hyphens and dashes (`-`, U+2010–U+2015, U+2043,
//! U+2212, U+FE58, U+FE63, U+FF0D, `ー`), dots (`.`, U+00B7, U+2022, U+2024, U+2027, U+2219,
//! U+22C5, U+30FB, U+FF0E, U+FF65, U+0387, U+FE52, U+FF61, `。`), `_`, `~`, `〜`, `─`, `/`,
//! `⁄`, `∕` and their full-width forms. A blank line
//! ends a number. Characters a reader does not see are ignored anywhere inside a number and do
//! not count as separators: every Default_Ignorable_Code_Point of Unicode (zero-width spaces and
//! joiners, bidirectional controls, the word joiner and invisible operators, the BOM, the soft
//! hyphen, variation selectors, the Hangul fillers, U+1BCA0–1BCA3, U+1D173–1D17A, the whole block
//! U+E0000–E0FFF), the other format characters (category Cf), the C0 and C1 control characters
//! and DEL (not tab and the line breaks, which are gaps), and the combining marks of these
//! ranges (`1̲3̲9̲`): U+0300–036F, U+0483–0489, U+0591–05C7, U+0610–061A, U+064B–065F, U+0670,
//! U+06D6–06ED, the Thai marks U+0E31, U+0E34–0E3A, U+0E47–0E4E, U+1AB0–1AFF, U+1DC0–1DFF,
//! U+20D0–20FF, U+302A–302F, U+3099–309A, U+FE20–FE2F (other scripts' marks on a digit are not
//! listed and break the number). An `X` check character (also
//! `x`, full-width, the Cyrillic look-alike `Х`, `×`) may follow an 18-character ID directly or
//! after a separator. A star (`*`, `＊`, `∗`, `﹡`) typed over a digit — inside a group, at its
//! start, or one or two ending an ID or a card — counts as a digit not shown (see below). A number is one of these when its digits and the lengths of its groups fit:
//!
//! | kind | digits | groups (when separated) | check |
//! |---|---|---|---|
//! | 居民身份证号码 (GB 11643) | 17 + check (`0-9` or `X`) | any (up to five groups) | check digit, birth date |
//! | the body of one, its check character left out (`…123（X）`) | 17 | 17; 6-8-3; 6-4-4-3 | first digit 1–8, birth date |
//! | 15-digit identity card number (before 1999) | 15 | 15; 6-6-3 | birth date 19YYMMDD, first digit 1–8 |
//! | mobile number | 11, `1[3-9]…` | 11; 3-4-4; 3-8 | — |
//! | mobile with country code | `+86`, `86`, `0086` then 11 | the code as its own group, or joined | — |
//! | bank card | 16–19, a network's prefix (4, 35, 51–55, 60, 62, 65, 81, 94, 95; 22–27 only joined) | 16–19; groups of 4 (the last 1–4); 6 then the rest | Luhn |
//!
//! **Digits typed over.** The check character of an ID and the check digit of a card are
//! computed from the others, so one digit hidden gives nothing away, and two leave few to try:
//! a number with one or two stars in place of digits (`5001011990*101123X`, `…123*`,
//! `6222 0212 3*56 7894`, `139*234*678`) is read as the ID, card or mobile its length and
//! grouping make it (the groupings of the table, the checks skipped). Three stars or more are a
//! number masked already (`139****5678`, this module's own output) and left alone.
//!
//! **Readings side by side.** Every reading of a run is collected. When two overlap
//! (`135 6222 0212 3456 7894` reads as a mobile `135 6222 0212` and as a card `6222 … 7894`), the
//! reading that covers the others is kept; when none does, the union is one finding, hidden
//! whole (`[个人信息已隐去]`). A reading whose neighbouring groups in the run would make, with it,
//! as many digits as a personal number (15–19: a 19-digit card written 8-11 read as a mobile) is
//! widened over them and hidden whole. No reading leaves digits of another visible.
//!
//! # What is deliberately not
//!
//! To keep false positives on what notices carry — voucher numbers (`2026-03-001`), amounts
//! (`152,300.50`, `12000.00`), dates and date ranges (`2026-01-01 2026-03-31`), account codes of
//! collective bookkeeping, household counts — a mobile, a card or an old ID is only personal data
//! when its grouping is one of those above: a date range is 4-2-2 groups and never matches. Not
//! recognised: numbers split by letters, commas or other characters than the separators above,
//! digits written in Chinese (`一三九…`) or in other scripts (Arabic-Indic), a star before the
//! first digit (`*3912345678`), numbers inside a
//! longer run of digits (a 20-digit reference holding a card number; a mobile written with a
//! leading `0`), landline numbers, numbers split across a blank line (the public renderers —
//! the HTML report, the ICS calendar, the objection's public record ([`mask_public`]) — write a
//! blank line as one break or space before they mask, so there they are caught) or across two
//! texts, an ID in more than five groups, mobiles, cards and old IDs in groupings not in the
//! table (a mobile in 4-3-4, a card in 8-11 standing alone), numbers with three or more digits
//! typed over, and bank cards that fail the Luhn check or carry no listed network's prefix (some
//! domestic cards do not).
//!
//! Known false positives, the price of the separated forms: three groups of 3, 4 and 4 digits
//! starting with 13–19 (`165 3200 4800` in a table row, an archive number `139-2026-0012`) are
//! taken for a mobile number; rows of four-digit amounts whose first starts with a network's prefix
//! (the 4000s, 3500s, 5100s–5500s, 6000s, 6200s, 6500s, 8100s, 9400s, 9500s) for a card when they
//! pass Luhn — an outside test measured 3–6% of rows of random four-digit amounts and 10–19% of
//! rows of amounts in the 4000s (the 2000s are not taken, Mastercard's 2-series counting only
//! joined); 18 digits in any grouping with a valid check digit and birth date (about one in
//! 10,000 random 18-digit stretches) for an ID; an area-date-serial code that happens to carry a
//! valid check digit (one in eleven) for an ID; a 17-digit number whose digits 7–14 read as a birth
//! date for the body of an ID; a 15-digit registration number whose digits 7–12 read as a date for
//! an old ID; and, next to a reading, an amount that with it makes 15–19 digits
//! (`13912345678 5000`) is hidden with it, as is a longer run of four-digit groups around a card
//! reading (a 20-digit collective account). An outside test measured, on generated rows of one
//! template each: 2.2% of rows of four 4-digit amounts, 3.8% of rows of amounts in the 5000s and
//! 6000s, 5–6% of lists of 4-digit account codes, 3–5% of 4-4-4-4 project codes and 16-digit
//! serial numbers, 6.5% of archive numbers `NNN-2026-NNNN`, 8% of 3-4-4 rows; 0% on invoices,
//! landlines, credit codes, land certificates and dates. The false-positive rate on a corpus of realistic
//! notice text is measured by `core/tests/it/privacy.rs` and stated in the README.
//!
//! # Masking
//!
//! The whole number, separators included, is replaced: an identity card number keeps only its
//! first and last character (`5****************4`; the body of one only its first), a mobile
//! number its first three and last four digits (`139****5678`, the country code dropped), a bank
//! card nothing (`[银行卡号已隐去]`), overlapping readings nothing (`[个人信息已隐去]`).

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
        // Mathematical digits (bold, double-struck, sans-serif, monospace): five sets of ten.
        '\u{1d7ce}'..='\u{1d7ff}' => Some((u32::from(c) - 0x1d7ce) % 10),
        // Circled, parenthesized and stopped digits, their dingbat forms, and the segmented digits
        // of legacy computing: read as the digits they show.
        '\u{2460}'..='\u{2468}' => Some(u32::from(c) - 0x2460 + 1),
        '\u{2474}'..='\u{247c}' => Some(u32::from(c) - 0x2474 + 1),
        '\u{2488}'..='\u{2490}' => Some(u32::from(c) - 0x2488 + 1),
        '\u{24f5}'..='\u{24fd}' => Some(u32::from(c) - 0x24f5 + 1),
        '\u{2776}'..='\u{277e}' => Some(u32::from(c) - 0x2776 + 1),
        '\u{2780}'..='\u{2788}' => Some(u32::from(c) - 0x2780 + 1),
        '\u{278a}'..='\u{2792}' => Some(u32::from(c) - 0x278a + 1),
        '\u{24ea}' | '\u{24ff}' | '\u{1f100}' => Some(0),
        '\u{1f101}'..='\u{1f10a}' => Some(u32::from(c) - 0x1f101),
        '\u{1fbf0}'..='\u{1fbf9}' => Some(u32::from(c) - 0x1fbf0),
        _ => None,
    }
}

/// A separator people type between groups of digits.
fn separator(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'
            ..='\u{2015}'
                | '\u{2043}'
                | '\u{2212}'
                | '\u{fe58}'
                | '\u{fe63}'
                | '\u{ff0d}'
                | 'ー'
                | '.'
                | '\u{b7}'
                | '\u{2022}'
                | '\u{2024}'
                | '\u{2027}'
                | '\u{2219}'
                | '\u{22c5}'
                | '\u{30fb}'
                | '\u{ff0e}'
                | '\u{ff65}'
                | '。'
                | '_'
                | '\u{ff3f}'
                | '~'
                | '\u{ff5e}'
                | '/'
                | '\u{ff0f}'
                | '\u{2044}'
                | '\u{2215}'
                | '\u{2500}'
                | '\u{301c}'
                | '\u{0387}'
                | '\u{fe52}'
                | '\u{ff61}'
    ) || gap(c)
}

/// Whitespace between groups: any amount of it reads as one gap (HTML shows a run of spaces or a
/// line break as one space), so it is not counted; one line break at most (a blank line ends a
/// number).
fn gap(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{b}' | '\u{c}' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{2800}' | '\u{3000}'
    ) || line_break(c)
}

/// A line break: LF, CR, NEL and the Unicode line and paragraph separators.
fn line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// The length of the separator run at `j`, if a digit (or, after 17 digits, an `X`) follows it:
/// whitespace of any length with one line break at most, and at most three other separators
/// (`139 - 1234`, `139--1234`); invisible characters are not counted.
fn separator_run(chars: &[char], j: usize, then_x: bool) -> Option<usize> {
    let mut k = j;
    let (mut marks, mut breaks, mut seen) = (0, 0, false);
    while let Some(&c) = chars.get(k) {
        if line_break(c) {
            // `\r\n` is one line break.
            if c != '\r' || chars.get(k + 1) != Some(&'\n') {
                breaks += 1;
            }
            if breaks > 1 {
                return None;
            }
        } else if gap(c) {
        } else if separator(c) {
            marks += 1;
            if marks > 3 {
                return None;
            }
        } else if !invisible(c) {
            break;
        }
        seen |= !invisible(c);
        k += 1;
    }
    let next = chars.get(k).copied()?;
    let starred =
        is_star(next) && typed_over(chars, k, 0).is_some_and(|n| chars.get(k + n).and_then(|c| digit(*c)).is_some());
    (seen && (digit(next).is_some() || starred || (then_x && is_x(next)))).then_some(k - j)
}

/// A character that adds nothing a reader sees between two digits: the format characters
/// (Unicode category Cf: zero-width spaces and joiners, bidirectional controls including U+061C,
/// the word joiner and invisible operators, the BOM, the soft hyphen, tag characters), variation
/// selectors (U+FE00–FE0F, U+E0100–E01EF, the Mongolian U+180B–180F), the combining marks a
/// digit can carry (U+0300–036F, U+1AB0–1AFF, U+1DC0–1DFF, U+20D0–20FF, U+FE20–FE2F; `1̲3̲9̲` reads
/// as 139) and the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0).
pub(crate) fn invisible(c: char) -> bool {
    matches!(
        c,
        // Default_Ignorable_Code_Point (Unicode DerivedCoreProperties), complete.
        '\u{00ad}'
            | '\u{034f}'
            | '\u{061c}'
            | '\u{115f}'
            | '\u{1160}'
            | '\u{17b4}'
            | '\u{17b5}'
            | '\u{180b}'..='\u{180f}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{3164}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{feff}'
            | '\u{ffa0}'
            | '\u{fff0}'..='\u{fff8}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0000}'..='\u{e0fff}'
            // Control characters (C0 and C1, DEL; not the line breaks and tabs, which are gaps):
            // a printed board and most screens show nothing for them.
            | '\u{0}'..='\u{8}'
            | '\u{e}'..='\u{1f}'
            | '\u{7f}'..='\u{84}'
            | '\u{86}'..='\u{9f}'
            // The other format characters (category Cf).
            | '\u{0600}'..='\u{0605}'
            | '\u{06dd}'
            | '\u{070f}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08e2}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{110bd}'
            | '\u{110cd}'
            | '\u{13430}'..='\u{1343f}'
            // Combining marks: the blocks of combining diacritics, the enclosing marks, and the
            // marks of the scripts an outside test put on digits (Hebrew, Arabic, Thai, the kana
            // voicing marks, the ideographic tone marks).
            | '\u{0300}'..='\u{036f}'
            | '\u{0483}'..='\u{0489}'
            | '\u{0591}'..='\u{05bd}'
            | '\u{05bf}'..='\u{05c7}'
            | '\u{0610}'..='\u{061a}'
            | '\u{064b}'..='\u{065f}'
            | '\u{0670}'
            | '\u{06d6}'..='\u{06ed}'
            | '\u{0e31}'
            | '\u{0e34}'..='\u{0e3a}'
            | '\u{0e47}'..='\u{0e4e}'
            | '\u{1ab0}'..='\u{1aff}'
            | '\u{1dc0}'..='\u{1dff}'
            | '\u{20d0}'..='\u{20ff}'
            | '\u{302a}'..='\u{302f}'
            | '\u{3099}'..='\u{309a}'
            | '\u{fe20}'..='\u{fe2f}'
    )
}

/// The check character `X`, in the forms typed for it (full-width, lower case, the Cyrillic look-
/// alike, the multiplication sign).
fn is_x(c: char) -> bool {
    matches!(c, 'X' | 'x' | 'Ｘ' | 'ｘ' | 'Х' | 'х' | '×')
}

/// A character typed over a digit to hide it (`5001011990010112 3*`).
fn is_star(c: char) -> bool {
    matches!(c, '*' | '＊' | '∗' | '﹡')
}

/// A digit not shown: a star typed over it.
const STAR: u32 = 10;

/// How many stars at `j` stand for digits of the number being read (`total` digits so far): a
/// run of stars followed by a digit, or one or two ending the number at the length of an ID or a
/// card (`…123*`). Stars after a whole mobile (`13912345678**`) are not its digits.
fn typed_over(chars: &[char], j: usize, total: usize) -> Option<usize> {
    let k = chars.get(j..)?.iter().take_while(|c| is_star(**c)).count();
    let then_digit = chars.get(j + k).and_then(|c| digit(*c)).is_some();
    (k > 0 && (then_digit || (k <= 2 && (16..=19).contains(&(total + k))))).then_some(k)
}

/// A digit as a character, a star for one not shown.
fn shown(d: u32) -> char {
    char::from_digit(d, 10).unwrap_or('*')
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
        } else if let Some(k) = (is_star(c) && (!digits.is_empty() || !run.groups.is_empty()))
            .then(|| typed_over(chars, j, total))
            .flatten()
        {
            // Stars typed over digits (`5001011990*101123X`, `19**0101`, `…123*`): digits not
            // shown.
            digits.extend(std::iter::repeat_n(STAR, k));
            total += k;
            j += k;
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

/// Whether 17 digits are the body of an 18-character ID (first digit 1–8, a birth date in
/// digits 7–14), in a grouping people use for one: the check character is computed from them, so
/// showing them shows the whole number.
fn id_body(n: &Number) -> bool {
    let g = n.groups.as_slice();
    n.digits.len() == 17
        && (g.len() == 1 || g == [6, 8, 3] || g == [6, 4, 4, 3])
        && n.digits.first().is_some_and(|d| (1..=8).contains(d))
        && birth_date(n.digits.get(6..14)).is_some()
}

/// Whether digits with a network's prefix are grouped as a card is written: joined, in fours
/// (the last group of one to four), or six then the rest.
fn card_groups(g: &[usize]) -> bool {
    let joined = g.len() == 1;
    let fours = g.len() > 1
        && g.split_last().is_some_and(|(last, rest)| (1..=4).contains(last) && rest.iter().all(|x| *x == 4));
    let six = g.len() == 2 && g.first() == Some(&6);
    joined || fours || six
}

fn masked_id(n: &Number) -> String {
    let first = n.digits.first().map_or('*', |d| char::from_digit(*d, 10).unwrap_or('*'));
    let last = if n.x { 'X' } else { n.digits.last().map_or('*', |d| char::from_digit(*d, 10).unwrap_or('*')) };
    let hidden = if n.digits.len() + usize::from(n.x) == 15 { 13 } else { 16 };
    format!("{first}{}{last}", "*".repeat(hidden))
}

fn masked_mobile(d: &[u32]) -> String {
    let s: String = d.iter().map(|d| shown(*d)).collect();
    format!("{}****{}", s.get(..3).unwrap_or(""), s.get(7..).unwrap_or(""))
}

/// What a number is, if it is personal data.
fn classify(n: &Number) -> Option<(PersonalData, String)> {
    let g = n.groups.as_slice();
    let len = n.digits.len();
    let joined = g.len() == 1;
    let network = |d: &[u32], separated: bool| {
        let prefix = d.first().zip(d.get(1)).map(|(a, b)| a * 10 + b);
        // Mastercard's 2-series (22–27) is not issued in China; written in groups it is mostly a
        // list of amounts in the 2000s, so it counts only joined.
        prefix.is_some_and(|p| {
            matches!(p, 35 | 40..=49 | 51..=55 | 60 | 62 | 65 | 81 | 94 | 95) || (!separated && (22..=27).contains(&p))
        })
    };
    let stars = n.digits.iter().filter(|d| **d == STAR).count();
    if stars > 2 {
        // Masked by someone already (`139****5678`): more than two digits unknown.
        return None;
    }
    if stars > 0 {
        // One or two digits typed over: the check digit (ID, Luhn) gives back one, and two
        // leave few to try. Read as the number it is written as, without the checks.
        let known = |r: std::ops::Range<usize>| n.digits.get(r).is_some_and(|d| d.iter().all(|x| *x != STAR));
        let id_len = len + usize::from(n.x) == 18;
        let id_groups = joined || matches!(g, [6, 8, 4] | [6, 4, 4, 4] | [6, 8, 3] | [6, 4, 4, 3]);
        let date_ok = !known(6..14) || birth_date(n.digits.get(6..14)).is_some();
        if id_len && id_groups && date_ok && n.digits.first().is_some_and(|d| (1..=8).contains(d) || *d == STAR) {
            return Some((PersonalData::IdNumber, masked_id(n)));
        }
        let card_prefix = !known(0..2) || network(&n.digits, !joined);
        if !n.x && (16..=19).contains(&len) && !n.plus && card_prefix && card_groups(g) {
            return Some((PersonalData::BankCard, "[银行卡号已隐去]".to_string()));
        }
        let mobile_groups = joined || g == [3, 4, 4] || g == [3, 8];
        if !n.x && len == 11 && n.digits.first() == Some(&1) && mobile_groups {
            return Some((PersonalData::Mobile, masked_mobile(&n.digits)));
        }
        return None;
    }
    if n.x {
        // 17 digits then X, in any grouping: the check character and the birth date make a
        // chance match rare, and a stray space must not hide an ID.
        return (len == 17 && id18_valid(&n.digits, 'X')).then(|| (PersonalData::IdNumber, masked_id(n)));
    }
    // The body of an ID with its check character left out (`…123（X）`).
    if id_body(n) {
        let first = n.digits.first().map_or('*', |d| shown(*d));
        return Some((PersonalData::IdNumber, format!("{first}{}", "*".repeat(16))));
    }
    if len == 18 {
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
    if (16..=19).contains(&len) && !n.plus && network(&n.digits, !joined) && card_groups(g) && luhn(&n.digits) {
        return Some((PersonalData::BankCard, "[银行卡号已隐去]".to_string()));
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
    if text.chars().filter(|c| digit(*c).is_some() || is_star(*c)).take(11).count() < 11 {
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
        // Every stretch of groups that is personal data, from each group on (a number followed by
        // an amount, `13912345678 500`, is still found). No pattern has more than five groups (a
        // 19-digit card in fours), so the search stays linear in the length of the text.
        let count = run.groups.len();
        let mut candidates: Vec<Finding> = Vec::new();
        for from in 0..count {
            for to in (from..count.min(from + 5)).rev() {
                let Some(n) = run.number(from, to) else { continue };
                // A trailing X that makes no ID is a letter after the number (`13912345678X先生`).
                let class = classify(&n).map(|c| (n.start, n.end, c)).or_else(|| {
                    n.x.then(|| {
                        let mut m = n.clone();
                        m.x = false;
                        m.end = run.groups.get(to).map_or(m.end, |g| g.1);
                        classify(&m).map(|c| (m.start, m.end, c))
                    })
                    .flatten()
                });
                if let Some((start, end, (kind, masked))) = class {
                    candidates.push(widened(&run, from, to, Finding { kind, start, end, masked }));
                }
            }
        }
        out.extend(merge(candidates));
        i = run.end().max(i + 1);
    }
    out
}

/// A reading of groups `from..=to` widened over the groups beside it in its run when together
/// they have as many digits as a personal number (15–19): a reader would take them for one, and
/// the reading's own masked form would show the others' digits (`60336784 16704297104` is a
/// 19-digit card in 8-11 read as a mobile `167****7104`). The widened span is hidden whole.
fn widened(run: &Run, from: usize, to: usize, f: Finding) -> Finding {
    let digits = |a: usize, b: usize| -> usize {
        run.groups.get(a..=b).map_or(0, |gs| gs.iter().map(|g| g.2.len()).sum::<usize>())
            + usize::from(b + 1 == run.groups.len() && run.x.is_some())
    };
    let (mut start, mut end) = (f.start, f.end);
    for a in to.saturating_sub(4)..=from {
        for b in to..run.groups.len().min(a + 5) {
            if (a < from || b > to) && (15..=19).contains(&digits(a, b)) {
                start = start.min(run.groups.get(a).map_or(start, |g| g.0));
                let last = if b + 1 == run.groups.len() { run.x.map(|p| p + 1) } else { None };
                end = end.max(last.or_else(|| run.groups.get(b).map(|g| g.1)).unwrap_or(end));
            }
        }
    }
    // A card in fours inside a longer run of fours (a 20-digit account `3865 8193 4773 2095
    // 2146`): the run is hidden whole, not one group left beside the card.
    if f.kind == PersonalData::BankCard {
        let four = |i: usize| run.groups.get(i).is_some_and(|g| g.2.len() == 4);
        // At most four groups each way (a 32-digit run), so the search stays linear however long
        // a run of four-digit groups is.
        let (mut a, mut b) = (from, to);
        while a > 0 && from - a < 4 && four(a - 1) {
            a -= 1;
        }
        while b - to < 4 && four(b + 1) {
            b += 1;
        }
        start = start.min(run.groups.get(a).map_or(start, |g| g.0));
        end = end.max(run.groups.get(b).map_or(end, |g| g.1));
    }
    if (start, end) == (f.start, f.end) {
        return f;
    }
    Finding { kind: f.kind, start, end, masked: "[个人信息已隐去]".to_string() }
}

/// Overlapping readings of one run as one finding each, so no reading leaves digits of another
/// visible (`135 6222 0212 3456 7894` is a mobile `135 6222 0212` and a card `6222 … 7894`; the
/// mobile's masked form would show 12 of the card's digits). A reading that covers the others is
/// kept; otherwise the union is hidden whole.
fn merge(mut candidates: Vec<Finding>) -> Vec<Finding> {
    crate::sort::sort_by_key(&mut candidates, |f| (f.start, std::cmp::Reverse(f.end)));
    let mut out: Vec<Finding> = Vec::new();
    for f in candidates {
        match out.last_mut() {
            Some(last) if f.start < last.end => {
                if f.end > last.end {
                    last.end = f.end;
                    last.masked = "[个人信息已隐去]".to_string();
                }
            }
            _ => out.push(f),
        }
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

/// A message that may quote a value (`invalid type: string "139\u{200b}1234…"`), masked as a
/// reader would read it: escapes (`\u{200b}`, `\t`, `\n`, `\"`) written by a debug format are
/// read as the characters they stand for before the number is looked for.
///
/// ```
/// let m = cunwu_core::privacy::mask_message(r#"invalid type: string "139\u{200b}1234\u{200b}5678""#);
/// assert_eq!(m, r#"invalid type: string "139****5678""#);
/// ```
pub fn mask_message(text: &str) -> String {
    if !text.contains('\\') {
        return if find(text).is_empty() { text.to_string() } else { mask(text) };
    }
    let mut read = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('\\') {
        read.push_str(rest.get(..i).unwrap_or(""));
        let tail = rest.get(i + 1..).unwrap_or("");
        let (c, used) = match tail.chars().next() {
            Some('t') => (Some('\t'), 1),
            Some('n') => (Some('\n'), 1),
            Some('r') => (Some('\r'), 1),
            Some('"') => (Some('"'), 1),
            Some('u') if tail.starts_with("u{") => match tail.find('}') {
                Some(end) => {
                    (tail.get(2..end).and_then(|h| u32::from_str_radix(h, 16).ok()).and_then(char::from_u32), end + 1)
                }
                None => (None, 0),
            },
            _ => (None, 0),
        };
        match c {
            Some(c) => {
                read.push(c);
                rest = tail.get(used..).unwrap_or("");
            }
            None => {
                read.push('\\');
                rest = tail;
            }
        }
    }
    read.push_str(rest);
    if find(&read).is_empty() { text.to_string() } else { mask(&read) }
}

/// Every message and hint of `diagnostics` through [`mask_message`], for answers others may see.
///
/// A pointer holding personal data (a key that is a mobile number) is masked too: it no longer
/// resolves, but it says which field it was and shows nothing of the number.
pub fn mask_diagnostics(diagnostics: &mut [crate::Diagnostic]) {
    for d in diagnostics {
        if let Some(pointer) = d.location.pointer.as_mut() {
            *pointer = mask_message(pointer);
        }
        for text in
            [&mut d.message_zh, &mut d.message_en].into_iter().chain(d.hint_zh.as_mut()).chain(d.hint_en.as_mut())
        {
            *text = mask_message(text);
        }
    }
}

/// `text` for a page or board others read, masked: a blank line is written as one line break
/// first (a web page shows any run of whitespace as one space), so a number split by blank lines
/// is read as a reader sees it.
///
/// ```
/// assert_eq!(cunwu_core::privacy::mask_public("电话 139\n\n1234\n\n5678"), "电话 139****5678");
/// ```
pub fn mask_public(text: &str) -> String {
    let mut joined = String::with_capacity(text.len());
    let mut gap = String::new();
    for c in text.chars() {
        if c.is_whitespace() {
            gap.push(c);
            continue;
        }
        if !gap.is_empty() {
            let breaks = gap.chars().filter(|c| matches!(c, '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')).count();
            if breaks > 1 {
                joined.push('\n')
            } else {
                joined.push_str(&gap)
            }
            gap.clear();
        }
        joined.push(c);
    }
    joined.push_str(&gap);
    mask(&joined)
}
