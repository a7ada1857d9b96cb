//! Property tests of legal time: laws that must hold for every trigger and length.

use chrono::{Datelike, NaiveDate};
use cunwu_core::RuleSet;
use cunwu_core::calendar::CalendarError;
use cunwu_core::period::{CountingRules, Length, display_end, period_end};
use proptest::prelude::*;
use std::sync::OnceLock;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::bundled().unwrap())
}

fn counting(extension: bool) -> CountingRules {
    let cat = rules().resolve(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), None).unwrap();
    CountingRules::from_catalogue(&cat, None).with_extension(extension)
}

fn day(offset: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2018, 1, 1).unwrap() + chrono::Days::new(u64::from(offset))
}

/// A trigger inside the holiday data, far enough from its end for the longest lengths tested.
fn trigger() -> impl Strategy<Value = NaiveDate> {
    (0u32..2800).prop_map(day)
}

fn end(start: NaiveDate, length: Length, extension: bool) -> Result<cunwu_core::period::Deadline, CalendarError> {
    period_end(rules().calendar().unwrap(), start, length, &counting(extension))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn a_later_trigger_never_gives_an_earlier_deadline(a in trigger(), gap in 0u32..40, n in 0u32..40) {
        let b = a + chrono::Days::new(u64::from(gap));
        for length in [Length::Days(n), Length::Months(n % 13), Length::WorkingDays(n)] {
            let (ea, eb) = (end(a, length, true).unwrap(), end(b, length, true).unwrap());
            prop_assert!(ea.date <= eb.date, "{a} {length} -> {} but {b} -> {}", ea.date, eb.date);
        }
    }

    #[test]
    fn with_extension_a_deadline_never_falls_on_a_rest_day(start in trigger(), n in 0u32..60, months in 0u32..13) {
        let cal = rules().calendar().unwrap();
        for length in [Length::Days(n), Length::Months(months), Length::WorkingDays(n.max(1))] {
            let e = end(start, length, true).unwrap();
            prop_assert!(!cal.is_rest(e.date, false).unwrap(), "{start} {length} ends on rest day {}", e.date);
        }
    }

    #[test]
    fn a_deadline_is_never_before_trigger_plus_n(start in trigger(), n in 0u32..60, extension: bool) {
        let e = end(start, Length::Days(n), extension).unwrap();
        prop_assert_eq!(e.nominal, start + chrono::Days::new(u64::from(n)));
        prop_assert!(e.date >= e.nominal);
        prop_assert_eq!(e.extended, e.date != e.nominal);
        if !extension { prop_assert_eq!(e.date, e.nominal); }
    }

    #[test]
    fn working_days_count_exactly_n_working_days(start in trigger(), n in 1u32..40) {
        let cal = rules().calendar().unwrap();
        let e = end(start, Length::WorkingDays(n), true).unwrap();
        let working = start.iter_days().skip(1).take_while(|d| *d <= e.date).filter(|d| !cal.is_rest(*d, false).unwrap()).count();
        prop_assert_eq!(working, n as usize);
        prop_assert_eq!(e.explanation.skipped.len() + n as usize, (e.date - start).num_days() as usize);
    }

    #[test]
    fn month_periods_end_on_the_corresponding_or_last_day(start in trigger(), m in 1u32..13) {
        let e = end(start, Length::Months(m), false).unwrap();
        let target_month0 = start.month0() + m;
        prop_assert_eq!(e.date.month0(), target_month0 % 12);
        prop_assert!(e.date.day() == start.day() || e.date.succ_opt().unwrap().day() == 1);
    }

    #[test]
    fn display_runs_its_full_length_and_removal_is_the_next_day(posted in trigger(), n in 1u32..60, counted: bool) {
        let d = display_end(posted, cunwu_core::DisplayPeriod::Days(n), counted, &[], &[]).unwrap();
        let on_board = (d.last_day - posted).num_days() + i64::from(counted);
        prop_assert_eq!(on_board, i64::from(n));
        prop_assert_eq!(d.earliest_removal, d.last_day.succ_opt().unwrap());
    }

    #[test]
    fn beyond_the_horizon_is_an_error_never_a_guess(offset in 0u32..2000, n in 0u32..30) {
        let start = NaiveDate::from_ymd_opt(2026, 12, 25).unwrap() + chrono::Days::new(u64::from(offset));
        let err = end(start, Length::Days(n), true).unwrap_err();
        prop_assert_eq!(err.code(), "CALENDAR_HORIZON");
        let estimated = period_end(rules().calendar().unwrap(), start, Length::Days(n), &counting(true).with_estimate(true)).unwrap();
        prop_assert!(estimated.explanation.estimated);
    }
}

mod calendar_laws {
    //! Laws of the official calendar that hold on every day of the data and beyond it.
    use super::*;
    use chrono::{Datelike, Weekday};
    use cunwu_core::calendar::DayKind;

    fn weekend(d: NaiveDate) -> bool {
        matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

        #[test]
        fn each_day_has_one_kind_consistent_with_its_weekday(offset in 0u32..3300) {
            let cal = rules().calendar().unwrap();
            let date = NaiveDate::from_ymd_opt(2018, 1, 1).unwrap() + chrono::Days::new(u64::from(offset));
            prop_assume!(cal.is_covered(date));
            let info = cal.day(date, false).unwrap();
            prop_assert_eq!(info.date, date);
            match info.kind {
                DayKind::Workday | DayKind::InLieuRest => prop_assert!(!weekend(date), "{:?} on a weekend: {}", info.kind, date),
                DayKind::Weekend | DayKind::MakeUpWorkday => prop_assert!(weekend(date), "{:?} on a weekday: {}", info.kind, date),
                DayKind::StatutoryHoliday => prop_assert!(info.holiday.is_some()),
            }
            prop_assert_eq!(info.is_rest(), cal.is_rest(date, false).unwrap());
            prop_assert_eq!(info.is_rest(), !matches!(info.kind, DayKind::Workday | DayKind::MakeUpWorkday));
        }

        #[test]
        fn a_range_of_days_is_every_day_once_in_order(offset in 0u32..3000, len in 0u32..400) {
            let cal = rules().calendar().unwrap();
            let from = NaiveDate::from_ymd_opt(2018, 1, 1).unwrap() + chrono::Days::new(u64::from(offset));
            let until = from + chrono::Days::new(u64::from(len));
            let days = cal.days(from, until, true).unwrap();
            prop_assert_eq!(days.len() as u32, len + 1);
            for (i, info) in days.iter().enumerate() {
                prop_assert_eq!(info.date, from + chrono::Days::new(i as u64));
                prop_assert_eq!(info, &cal.day(info.date, true).unwrap());
                prop_assert_eq!(info.estimated, !cal.is_covered(info.date));
            }
        }

        #[test]
        fn an_estimate_beyond_the_data_is_the_weekday_rule(offset in 1u32..4000) {
            let cal = rules().calendar().unwrap();
            let date = cal.covered_until() + chrono::Days::new(u64::from(offset));
            prop_assert!(cal.day(date, false).is_err(), "beyond the data needs an explicit estimate");
            let info = cal.day(date, true).unwrap();
            prop_assert!(info.estimated);
            prop_assert_eq!(info.is_rest(), weekend(date));
        }
    }
}

/// Dates as cunwu reads record rows, log entries and events (`model::parse_date_leniently`) are
/// read exactly as chrono reads them (`NaiveDate::from_str`, used by its serde support), errors
/// included: the reading was written out to keep chrono's format parser out of the browser
/// package, and must not drift from it.
mod lenient_dates {
    use super::*;

    /// Text built from the pieces dates are made of, so most inputs come near a date.
    fn date_like() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => "[0-9]{1,6}",
            3 => Just("-".to_string()),
            1 => Just("+".to_string()),
            1 => Just(" ".to_string()),
            1 => Just("\u{3000}".to_string()),
            1 => Just("\t".to_string()),
            1 => "[/T:.a０-９]",
            1 => Just("99999999999999999999".to_string()),
        ];
        proptest::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat())
    }

    fn chrono_reads(text: &str) -> Result<NaiveDate, String> {
        text.parse::<NaiveDate>().map_err(|e| e.to_string())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn equal_to_chrono(text in date_like()) {
            let ours = cunwu_core::model::parse_date_leniently(&text).map_err(str::to_string);
            prop_assert_eq!(ours, chrono_reads(&text), "{:?}", text);
        }

        #[test]
        fn equal_to_chrono_near_dates(y in -10i32..10_100, m in 0u32..14, d in 0u32..33, pad in 0usize..3, sep in "[ -]{0,3}") {
            let text = format!("{y:0pad$}{sep}{m}{sep}{d:02}", pad = pad + 1);
            let ours = cunwu_core::model::parse_date_leniently(&text).map_err(str::to_string);
            prop_assert_eq!(ours, chrono_reads(&text), "{:?}", text);
        }
    }

    #[test]
    fn known_inputs() {
        for text in [
            "2026-03-05",
            "2026-3-5",
            " 2026 - 3 -5\t",
            "+2026-03-05",
            "-0001-01-01",
            "0-1-1",
            "2026-02-29",
            "2024-02-29",
            "20260-01-01",
            "2026-001-01",
            "2026--01-01",
            "",
            "-",
            "2026-",
            "2026-03-",
            "2026-03-05x",
            "2026-13-01",
            "2026-00-10",
            "2026-01-32",
            "+99999999999999999999-01-01",
            "２０２６-01-01",
            "2026-03-05 ",
        ] {
            let ours = cunwu_core::model::parse_date_leniently(text).map_err(str::to_string);
            assert_eq!(ours, chrono_reads(text), "{text:?}");
        }
    }
}
