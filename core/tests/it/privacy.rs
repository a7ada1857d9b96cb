//! The personal-data detector: every supported form is found and masked (property test), and
//! realistic notice text without personal data is left alone (a false-positive corpus whose rate
//! the README states).

use cunwu_core::RuleSet;
use cunwu_core::privacy::{PersonalData, find, mask};
use proptest::prelude::*;
use std::sync::OnceLock;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::bundled().unwrap())
}

/// The digits of `s`, ASCII and full-width, as ASCII.
fn digits_of(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '0'..='9' => Some(c),
            '０'..='９' => char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')),
            _ => None,
        })
        .collect()
}

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// A valid 18-character ID number from an area code, a birth date and a sequence number.
fn id_number(area: u32, year: u32, month: u32, day: u32, seq: u32) -> String {
    let body = format!("{area:06}{year:04}{month:02}{day:02}{seq:03}");
    let sum: u32 = body.chars().zip(ID_WEIGHTS).map(|(c, w)| c.to_digit(10).unwrap() * w).sum();
    format!("{body}{}", ID_CHECK[(sum % 11) as usize])
}

/// A Luhn-valid card number of `len` digits starting with `prefix`.
fn card_number(prefix: &str, body: u64, len: usize) -> String {
    let mut s = format!("{prefix}{body:015}");
    s.truncate(len - 1);
    let digits: Vec<u32> = s.chars().map(|c| c.to_digit(10).unwrap()).collect();
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| if i % 2 == 0 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d })
        .sum();
    s.push(char::from_digit((10 - sum % 10) % 10, 10).unwrap());
    s
}

/// `s` with its digits made full-width where `mask` has a bit set.
fn full_width(s: &str, mask: u64) -> String {
    s.chars()
        .enumerate()
        .map(|(i, c)| match c.to_digit(10) {
            Some(d) if mask >> (i % 64) & 1 == 1 => char::from_u32(u32::from('０') + d).unwrap(),
            _ => c,
        })
        .collect()
}

/// `s` split into groups of the given lengths, joined by `sep`.
fn grouped(s: &str, groups: &[usize], sep: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut at = 0;
    for g in groups {
        out.push(chars[at..at + g].iter().collect::<String>());
        at += g;
    }
    out.join(sep)
}

const SEPARATORS: [&str; 12] = [
    "",
    " ",
    "\u{a0}",
    "\u{3000}",
    "-",
    ".",
    "\u{ff0d}",
    // Issue 18, outside test: runs a web page shows as one space, invisible characters in a gap.
    "    ",
    "\n",
    "\t\t",
    " \u{200b}\u{200b}\u{200b}",
    " - ",
];

fn form() -> impl Strategy<Value = (String, PersonalData)> {
    let id = (110000u32..659999, 1930u32..2010, 1u32..13, 1u32..29, 0u32..1000, 0usize..3).prop_map(
        |(area, y, m, d, seq, shape)| {
            let n = id_number(area, y, m, d, seq);
            let groups: &[usize] = [&[18][..], &[6, 8, 4][..], &[6, 4, 4, 4][..]][shape];
            (n, groups.to_vec(), PersonalData::IdNumber)
        },
    );
    let mobile = (3u32..10, 0u64..1_000_000_000, 0usize..3, 0usize..4).prop_map(|(second, rest, shape, prefix)| {
        let n = format!("1{second}{rest:09}");
        let groups: &[usize] = [&[11][..], &[3, 4, 4][..], &[3, 8][..]][shape];
        let p = ["", "+86", "0086", "+86 "][prefix];
        (format!("{p}{n}"), groups.to_vec(), PersonalData::Mobile)
    });
    let card =
        (prop::sample::select(vec!["622202", "621700", "436742", "955880"]), 0u64..1_000_000_000_000, 16usize..20)
            .prop_map(|(prefix, body, len)| {
                let n = card_number(prefix, body, len);
                let mut groups = vec![4; len / 4];
                if len % 4 != 0 {
                    groups.push(len % 4);
                }
                (n, groups, PersonalData::BankCard)
            });
    (prop_oneof![id, mobile, card], 0usize..SEPARATORS.len(), any::<u64>(), any::<bool>()).prop_map(
        |((number, groups, kind), sep, wide, joined)| {
            let (prefix, digits) = match number.strip_prefix("+86 ") {
                Some(rest) => ("+86 ", rest.to_string()),
                None => match number.strip_prefix("+86").or_else(|| number.strip_prefix("0086")) {
                    Some(rest) => (&number[..number.len() - rest.len()], rest.to_string()),
                    None => ("", number.clone()),
                },
            };
            let body =
                if joined || SEPARATORS[sep].is_empty() { digits } else { grouped(&digits, &groups, SEPARATORS[sep]) };
            (full_width(&format!("{prefix}{body}"), wide), kind)
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]
    /// Every supported form, inside Chinese text, is found with its kind, and masking leaves at
    /// most the documented characters of it: the first and last of an ID (2), the first three and
    /// last four of a mobile (7), nothing of a card.
    #[test]
    fn every_form_is_found_and_masked(
        (number, kind) in form(),
        before in prop::sample::select(vec!["", "联系人张三，", "身份证号：", "电话", "卡号 ", "（"]),
        after in prop::sample::select(vec!["", "。", "，金额 500 元", " 备注", "）", "的说明", "号"]),
    ) {
        let text = format!("{before}{number}{after}");
        let found = find(&text);
        prop_assert_eq!(found.len(), 1, "{} → {:?}", text, found);
        prop_assert_eq!(found[0].kind, kind, "{}", text);
        let masked = mask(&text);
        let digits = |s: &str| s.chars().filter(|c| c.is_ascii_digit() || ('０'..='９').contains(c)).count();
        let visible = digits(&masked) - digits(&format!("{before}{after}"));
        let allowed = match kind { PersonalData::IdNumber => 2, PersonalData::Mobile => 7, PersonalData::BankCard => 0 };
        prop_assert!(visible <= allowed, "{} → {} ({} digits visible)", text, masked, visible);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]
    /// Two numbers side by side (a table row, a list): masking leaves no more of either than the
    /// documented digits, whichever way the detector reads the run (issue 18: a mobile read from
    /// `135` and the first groups of a card once left twelve of the card's digits visible).
    #[test]
    fn two_numbers_side_by_side_leave_nothing_of_either(
        (a, ka) in form(),
        (b, kb) in form(),
        between in prop::sample::select(vec![" ", "\t", "，", " 和 ", "\u{3000}"]),
        before in prop::sample::select(vec!["", "序号 135 ", "12 "]),
    ) {
        let text = format!("{before}{a}{between}{b}");
        let masked = mask(&text);
        let digits = |s: &str| s.chars().filter(|c| c.is_ascii_digit() || ('０'..='９').contains(c)).count();
        let allowed = |k| match k { PersonalData::IdNumber => 2, PersonalData::Mobile => 7, PersonalData::BankCard => 0 };
        let visible = digits(&masked).saturating_sub(digits(&format!("{before}{between}")));
        prop_assert!(visible <= allowed(ka) + allowed(kb), "{:?} → {:?} ({} digits visible)", text, masked, visible);
    }
}

/// Realistic notice text with no personal data: vouchers, amounts, dates, date ranges, account
/// codes, division codes, household counts. The detector must find nothing in it.
const CLEAN_CORPUS: &[&str] = &[
    "凭证号 2026-03-001 至 2026-03-118，合计 118 张。",
    "期初余额 152300.50 元，本月收入 42000.00 元，支出 19360.30 元，期末余额 174940.20 元。",
    "公开期间：2026-01-01 2026-03-31，公开时间不少于 10 日。",
    "公开期间 2026-04-15—2026-05-16；备案日期 2026-04-20。",
    "科目代码 1001 1002 1101 1201 1301 1501 5001 5101 5201 5301 5401。",
    "行政区划代码 500108001001，统计用区划代码 500108001001 111。",
    "户数 1,286 户，人口 4,530 人；低保 62 户 108 人，特困 9 人。",
    "资金 1,250,000.00 元（大写：壹佰贰拾伍万元整），拨付日期 2026.03.05。",
    "项目编号 CQ-NA-2026-0017，合同金额 3,860,000 元，工期 2026-05-01 至 2026-11-30。",
    "会议于 2026 年 4 月 15 日召开，应到 35 人，实到 31 人，表决 29 票同意、2 票反对。",
    "银行账户尾号 5678，开户行 中国农业银行重庆南岸支行。",
    "收入明细：租赁收入 12000.00 30000.00 8500.00 4200.00 1980.00 元。",
    "支出凭证 2026030012 2026030013 2026030014 2026030015 2026030016。",
    "电费 2026-01 2026-02 2026-03 分别为 1203.55、986.20、1120.00 元。",
    "土地面积 12.35 亩，补偿标准 38000 元/亩，合计 469300.00 元，涉及 23 户。",
    "第一季度 2026-Q1 公开，公开日 2026-04-15，报乡镇备案 2026-04-20，审查 2026-05-20。",
    "工程结算审计报告编号 渝审 2026 0312 号，审减金额 128,400.00 元。",
    "固定电话 023-6288 1234（办公室），投诉电话 12345。",
    "账簿页码 0012 0013 0014 0015 0016 0017 0018 0019。",
    "发票号码 04400210 0311 2026 0405，税额 1,560.00 元。",
    // From an outside test's corpus (issue 18).
    "全电发票号码 26502000000012345678",
    "村委会办公电话 (023)67891234；监督电话 023 6789 1234，12345 政务服务热线；服务热线 400-823-8888",
    "统一社会信用代码 54500101MF1234567X",
    "集体账户 3100 0212 0910 0123 456（农业银行）",
    "对公账号 5000 1083 6000 5020 1234",
    "土地承包合同编号 500101001001JC00001，档案号 WS·2026-D10-0012，邮编 404100",
    "时间 2026.04.15—2026.05.16，会议时间 2026-04-15 09:30，日期 20260415 至 20260516",
    "序号 1 2 3 4 5 6 7 8 9 10 11 12；科目 5010101 5010102 5020101",
    "批文 渝府发〔2026〕12号；版本 rules+8e503a2a8b876609",
    "租金（元）\n2540 2090 2370 2590\n2210 2480 2650 2300",
];

#[test]
fn realistic_notice_text_without_personal_data_is_left_alone() {
    let mut false_positives = Vec::new();
    for text in CLEAN_CORPUS {
        let found = find(text);
        if !found.is_empty() {
            false_positives.push((text, found));
        }
    }
    assert!(false_positives.is_empty(), "false positives: {false_positives:#?}");
}

/// Forms the issue reported, each found and masked.
#[test]
fn the_reported_forms_are_found() {
    let id = id_number(500101, 1990, 1, 1, 123);
    let spaced_id = format!("{} {} {}", &id[..6], &id[6..14], &id[14..]);
    let nbsp_id = format!("{}\u{a0}{}\u{a0}{}", &id[..6], &id[6..14], &id[14..]);
    for (text, kind) in [
        ("139-1234-5678".to_string(), PersonalData::Mobile),
        ("139 1234 5678".to_string(), PersonalData::Mobile),
        ("+8613912345678".to_string(), PersonalData::Mobile),
        ("8613912345678".to_string(), PersonalData::Mobile),
        ("１３９１２３４５６７８".to_string(), PersonalData::Mobile),
        (spaced_id, PersonalData::IdNumber),
        (nbsp_id.clone(), PersonalData::IdNumber),
        ("6222 0212 3456 7894".to_string(), PersonalData::BankCard),
        ("6217-0012-3400-5670".to_string(), PersonalData::BankCard),
    ] {
        let found = find(&text);
        assert_eq!(found.iter().map(|f| f.kind).collect::<Vec<_>>(), [kind], "{text}");
    }
    // The no-break-space ID keeps only its first and last character.
    let masked = mask(&format!("身份证 {nbsp_id}"));
    assert_eq!(masked.chars().filter(|c| c.is_ascii_digit() || *c == 'X').count(), 2, "{masked}");
}

mod public_outputs {
    use super::*;
    use cunwu_core::UnitKind;
    use cunwu_core::log::{Actor, Role};
    use cunwu_core::objection::{Aspect, Level, Objection, ObjectionEvent, Objector, ObjectorKind, Outcome, Subject};
    use cunwu_core::procedure::UnitRef;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// A personal number in any supported form, typed into any text an objection publishes —
        /// the unit's name and id, the item, the objection, the reply's reasons — is absent from
        /// the public record, in its text and in its JSON.
        #[test]
        fn the_public_record_carries_no_personal_number((number, _kind) in form()) {
            let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
            let actor = |role| Actor { id: "a1".into(), role, name: None };
            let filed = ObjectionEvent::Filed {
                unit: UnitRef { id: format!("v-{number}"), kind: UnitKind::Village, district: None, name: Some(format!("石桥村{number}")) },
                objector: Objector { kind: ObjectorKind::Resident, id: number.clone() },
                subject: Subject::Disclosure { aspect: Aspect::Content, case: None, item: Some(format!("item {number}")) },
                level: Level::Committee,
                text: format!("联系{number}"),
            };
            let mut o = Objection::file(rules(), day, actor(Role::Resident), filed).unwrap();
            o.apply(rules(), day, actor(Role::Committee), ObjectionEvent::Acknowledged {}).unwrap();
            o.apply(
                rules(),
                day,
                actor(Role::Committee),
                ObjectionEvent::Replied { outcome: Outcome::Dismissed, reasons: format!("经核实 {number}"), written: true },
            )
            .unwrap();
            let record = o.public_record();
            let digits = digits_of(&number);
            let tail = &digits[digits.len().saturating_sub(11)..];
            for out in [record.to_text(), serde_json::to_string(&record).unwrap()] {
                prop_assert!(find(&out).is_empty(), "{} leaks in {}", number, out);
                prop_assert!(!digits_of(&out).contains(tail), "{} leaks in {}", number, out);
            }
        }
    }
}

/// Issue 18: the compliance report's HTML page and a schedule's iCalendar file are read by the
/// whole village; a personal number typed into any record field they may echo is absent from
/// both, whatever its form.
mod public_renderers {
    use super::*;
    use chrono::NaiveDate;
    use cunwu_core::UnitKind;
    use cunwu_core::compliance::{Dataset, assess, render};
    use cunwu_core::rules::SourceFile;
    use cunwu_core::schedule::{ScheduleOptions, Scheduler};

    /// No trace of `number` in `out`: the detector finds nothing, and the number's last eleven
    /// digits appear nowhere in the text with its separators taken out.
    fn assert_absent(number: &str, out: &str, what: &str) -> Result<(), TestCaseError> {
        prop_assert!(find(out).is_empty(), "{} leaks in the {}: {:?}", number, what, find(out));
        let digits = digits_of(number);
        let tail = &digits[digits.len().saturating_sub(11)..];
        prop_assert!(!digits_of(out).contains(tail), "{} leaks in the {}", number, what);
        Ok(())
    }

    /// A CSV field holding `s`, quoted.
    fn field(s: &str) -> String {
        format!("\"{}\"", s.replace('"', "\"\""))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn the_html_report_and_the_calendar_carry_no_personal_number((number, _kind) in form()) {
            let n = field(&number);
            let folder = format!("/srv/{number}/records");
            let file = |name: &str, text: String| SourceFile::new(format!("{folder}/{name}"), text);
            let sources = [
                file("units.csv", format!(
                    "id,name,kind,township,district,areas\nu1,{},village,{},南岸区,\n{},石门村,village,石桥镇,{},\nu3,{},village,石桥镇,南岸区,\n",
                    field(&format!("石桥村{number}")), n, n, n,
                    // A blank line inside a name: the page shows it as one space.
                    field(&format!("石湾村{}", number.replace(' ', "\n\n")))
                )),
                file("postings.csv", format!(
                    "unit,item,period,posted,removed,boards\nu1,finance.income-expenditure,2026-01,2026-02-05,2026-02-20,{n}\nu1,{n},2026-01,2026-02-05,,1\nu1,finance.income-expenditure,{n},2026-02-05,,1\nu1,finance.income-expenditure,2026-02,{n},,1\n"
                )),
                file("benefits.csv", format!(
                    "unit,program,beneficiary,cadre,relation,granted,disclosed\nu1,低保,{n},{n},{n},2026-02-01,\n"
                )),
                file("objections.csv", format!(
                    "id,unit,level,received,objector,subject,item,period\n{n},u1,committee,2026-02-10,{n},disclosure,finance.income-expenditure,2026-01\n"
                )),
                file("replies.csv", format!("objection,level,replied,outcome\n{n},committee,2026-02-11,{n}\n")),
            ];
            let data = Dataset::from_sources(&sources);
            let report = assess(rules(), &data, 2026, NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()).unwrap();
            assert_absent(&number, &render::html(&report, 10), "HTML report")?;

            let schedule = Scheduler::new(rules())
                .schedule(UnitKind::Village, 2026, None, &ScheduleOptions::default())
                .unwrap();
            let ics = cunwu_core::render::schedule_ics(rules(), &schedule, &format!("石桥村{number}"));
            // Unfold the lines (RFC 5545 §3.1) before looking: a fold may split a masked number.
            assert_absent(&number, &ics.replace("\r\n ", ""), "calendar")?;
        }
    }
}
