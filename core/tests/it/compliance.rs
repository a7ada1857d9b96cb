//! Compliance: the evaluator finds exactly the violations the generator injected; bad rows are
//! reported with file and line; scoring, ranking and roll-ups are consistent.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use cunwu_core::RuleSet;
use cunwu_core::compliance::synth::{self, SynthConfig, Violation};
use cunwu_core::compliance::{Dataset, FindingKind, assess, render};
use cunwu_core::rules::SourceFile;

fn found(report: &cunwu_core::compliance::ComplianceReport) -> Vec<Violation> {
    let mut out: Vec<Violation> =
        report.units.iter().flat_map(|u| u.findings.iter().map(|f| Violation::of_finding(&u.unit.id, f))).collect();
    out.sort();
    out
}

fn diff(expected: &[Violation], got: &[Violation]) -> String {
    fn count(v: &[Violation]) -> BTreeMap<&Violation, i32> {
        let mut m: BTreeMap<&Violation, i32> = BTreeMap::new();
        for x in v {
            *m.entry(x).or_default() += 1;
        }
        m
    }
    let (e, g) = (count(expected), count(got));
    let mut out = String::new();
    for (k, n) in &e {
        if g.get(k).copied().unwrap_or(0) < *n {
            out.push_str(&format!("missed: {k:?}\n"));
        }
    }
    for (k, n) in &g {
        if e.get(k).copied().unwrap_or(0) < *n {
            out.push_str(&format!("spurious: {k:?}\n"));
        }
    }
    out
}

#[test]
fn evaluator_finds_exactly_the_injected_violations() {
    let rules = RuleSet::bundled().unwrap();
    for seed in [1, 2, 3] {
        let mut config = SynthConfig::small(seed);
        config.villages = 150;
        config.communities = 60;
        let city = synth::generate(&rules, &config).unwrap();
        let report = assess(&rules, &city.dataset, config.year, city.as_of).unwrap();
        let got = found(&report);
        assert!(city.truth.len() > 100, "seed {seed}: only {} violations injected", city.truth.len());
        for kind in FindingKind::ALL {
            assert!(city.truth.iter().any(|v| v.kind == kind), "seed {seed}: no {kind} injected");
        }
        assert_eq!(got, city.truth, "seed {seed}:\n{}", diff(&city.truth, &got));
    }
}

#[test]
fn files_written_from_rows_read_back_to_the_same_findings() {
    let rules = RuleSet::bundled().unwrap();
    let city = synth::generate(&rules, &SynthConfig::small(5)).unwrap();
    let rows = city.rows.as_ref().unwrap();
    for ext in ["csv", "jsonl"] {
        let files: Vec<SourceFile> = cunwu_core::compliance::records::write_rows(rows, ext)
            .into_iter()
            .map(|(name, text)| SourceFile::new(name, text))
            .collect();
        let data = Dataset::from_sources(&files);
        assert!(data.problems.is_empty(), "{ext}: {:?}", data.problems);
        let report = assess(&rules, &data, 2026, city.as_of).unwrap();
        assert_eq!(found(&report), city.truth, "{ext}");
    }
}

#[test]
fn bad_rows_are_reported_with_file_and_line_and_the_rest_is_evaluated() {
    let rules = RuleSet::bundled().unwrap();
    let units = SourceFile::new(
        "units.csv",
        "id,name,kind,township,district\nv1,石桥村,village,石桥镇,南岸区\nv2,青山村,hamlet,石桥镇,南岸区\nv1,重复村,village,石桥镇,南岸区\n",
    );
    let postings = SourceFile::new(
        "postings.jsonl",
        concat!(
            "{\"unit\":\"v1\",\"item\":\"finance.income-expenditure\",\"period\":\"2026-01\",\"posted\":\"2026-02-10\"}\n",
            "{\"unit\":\"v1\",\"item\":\"finance.income-expenditure\",\"period\":\"2026-02\",\"posted\":\"2026-02-30\"}\n",
            "\n",
            "{\"unit\":\"v9\",\"item\":\"finance.income-expenditure\",\"period\":\"2026-02\",\"posted\":\"2026-03-10\"}\n",
            "{\"unit\":\"v1\",\"item\":\"finance.income-expenditure\",\"period\":\"2026-Q9\",\"posted\":\"2026-03-10\"}\n",
        ),
    );
    let notes = SourceFile::new("notes.txt", "x");
    let data = Dataset::from_sources(&[postings, units, notes]);
    let at: Vec<(String, String)> = data.problems.iter().map(|p| (p.code.clone(), p.location.to_string())).collect();
    let expected = [
        ("COMPLIANCE_UNKNOWN_FILE", "notes.txt"),
        // A registry without `areas`: area boards are not judged, and the report says so.
        ("COMPLIANCE_MISSING_COLUMN", "units.csv:1:1"),
        ("COMPLIANCE_BAD_ROW", "units.csv:3:1"),
        ("COMPLIANCE_DUPLICATE_UNIT", "units.csv:4:1"),
        ("COMPLIANCE_BAD_ROW", "postings.jsonl:2:89"),
        ("COMPLIANCE_UNKNOWN_UNIT", "postings.jsonl:4:1"),
        ("COMPLIANCE_BAD_ROW", "postings.jsonl:5:1"),
    ];
    assert_eq!(at, expected.map(|(c, l)| (c.to_string(), l.to_string())));
    assert!(data.problems.iter().any(|p| p.message_zh.contains("字段 `kind`")));
    let report = assess(&rules, &data, 2026, NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()).unwrap();
    assert_eq!(report.units.len(), 1);
    assert!(report.has_errors());
    // The January statement was posted on time but never filed; February's is missing.
    let f = &report.units[0].findings;
    let january: Vec<FindingKind> = f
        .iter()
        .filter(|f| f.period.as_deref() == Some("2026-01") && f.item.as_deref() == Some("finance.income-expenditure"))
        .map(|f| f.kind)
        .collect();
    assert_eq!(january, vec![FindingKind::NotFiled]);
    assert!(f.iter().any(|f| f.kind == FindingKind::Missing && f.period.as_deref() == Some("2026-02")));
}

#[test]
fn ranking_is_deterministic_and_roll_ups_add_up() {
    let rules = RuleSet::bundled().unwrap();
    let city = synth::generate(&rules, &SynthConfig::small(11)).unwrap();
    let report = assess(&rules, &city.dataset, 2026, city.as_of).unwrap();
    for pair in report.units.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert!(
            (a.score.points, std::cmp::Reverse(a.score.charged), std::cmp::Reverse(a.findings.len()))
                >= (b.score.points, std::cmp::Reverse(b.score.charged), std::cmp::Reverse(b.findings.len()))
        );
    }
    let units: u32 = report.districts.iter().map(|d| d.units).sum();
    assert_eq!(units, report.city.units);
    let townships: u32 = report.townships.iter().map(|t| t.units).sum();
    assert_eq!(townships, report.city.units);
    let findings: usize = report.units.iter().map(|u| u.findings.len()).sum();
    assert_eq!(report.city.findings.iter().map(|k| k.count as usize).sum::<usize>(), findings);
    assert_eq!(report.city.histogram.iter().sum::<u32>(), report.city.units);
    let again = assess(&rules, &city.dataset, 2026, city.as_of).unwrap();
    assert_eq!(report, again);
    let html = render::html(&report, 10);
    assert_eq!(html.matches("id=\"u-").count(), report.units.len(), "one anchor per unit");
}

#[test]
fn an_assessment_ignores_records_dated_after_it() {
    let rules = RuleSet::bundled().unwrap();
    let city = synth::generate(&rules, &SynthConfig::small(2)).unwrap();
    let early = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    let report = assess(&rules, &city.dataset, 2026, early).unwrap();
    for u in &report.units {
        for f in &u.findings {
            for c in &f.explanation.compared {
                if let Some(d) = c.date {
                    assert!(
                        c.what.ends_with("deadline") || c.what == "due" || c.what == "earliest_removal" || d <= early,
                        "{f:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn boards_may_come_as_numeric_strings_from_spreadsheet_rows() {
    // Regression: rows read with Python's csv.DictReader carry "1", which was a bad row.
    let rows = serde_json::json!({
        "units": [{"id": "v1", "name": "石桥村", "kind": "village", "township": "石桥镇", "district": "南岸区"}],
        "postings": [
            {"unit": "v1", "item": "finance.income-expenditure", "period": "2026-01", "posted": "2026-02-10", "boards": "2"},
            {"unit": "v1", "item": "finance.income-expenditure", "period": "2026-02", "posted": "2026-03-10", "boards": "two"}
        ]
    });
    let data = Dataset::from_json(&rows);
    assert_eq!(data.disclosures.len(), 1);
    assert_eq!(data.disclosures[0].boards, 2);
    assert_eq!(data.problems.len(), 1);
    assert!(data.problems[0].message_en.contains("expected a whole number from 0 to 65535, found `two`"));
}

mod scoring_laws {
    use std::borrow::Cow;
    use std::sync::Arc;

    use cunwu_core::RuleSet;
    use cunwu_core::compliance::evaluate::{Explanation, Finding, score};
    use cunwu_core::compliance::{FindingKind, Responsible};
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    fn finding(kind: FindingKind, responsible: Responsible, days: i64) -> Finding {
        Finding {
            kind,
            responsible,
            item: None,
            item_name: None,
            period: None,
            objection: None,
            level: None,
            days: Some(days),
            record: None,
            explanation: Explanation {
                obligation_zh: String::new(),
                obligation_en: String::new(),
                parameter: Some(Cow::Borrowed("x")),
                basis: Arc::from(Vec::new()),
                force: cunwu_core::Force::Binding,
                jurisdiction: Arc::from(Vec::new()),
                parameter_basis: Arc::from(Vec::new()),
                local_default: false,
                compared: Vec::new(),
                text_zh: String::new(),
                text_en: String::new(),
            },
        }
    }

    fn findings() -> impl Strategy<Value = Vec<Finding>> {
        let one = (0..FindingKind::ALL.len(), 0..3usize, 0..400i64).prop_map(|(k, r, d)| {
            let responsible = [Responsible::Committee, Responsible::Township, Responsible::District][r];
            finding(FindingKind::ALL[k], responsible, d)
        });
        proptest::collection::vec(one, 0..60)
    }

    proptest! {
        /// The score stays within [0, full marks]; each type's deduction within its cap; only
        /// findings charged to a party the scheme names count; and one more finding never raises
        /// the score (monotone), whatever the findings.
        #[test]
        fn score_is_bounded_capped_charged_and_monotone(fs in findings(), extra in findings()) {
            static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
            let rules = RULES.get_or_init(|| RuleSet::bundled().unwrap());
            let scheme = rules.scoring_scheme(chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(), None).unwrap();
            let s = score(scheme, &fs);
            prop_assert!(s.points >= Decimal::ZERO && s.points <= scheme.full_marks.0);
            for d in &s.deductions {
                let rule = scheme.deductions.iter().find(|r| r.finding == d.finding).unwrap();
                if let Some(cap) = rule.cap { prop_assert!(d.points <= cap.0); }
            }
            let charged = fs.iter().filter(|f| scheme.charged.contains(&f.responsible)).count();
            prop_assert_eq!(s.charged as usize, charged);
            let mut more = fs.clone();
            more.extend(extra);
            prop_assert!(score(scheme, &more).points <= s.points);
            let grade = scheme.grades.iter().find(|g| g.id == s.grade).unwrap();
            prop_assert!(s.points >= grade.min.0);
        }
    }
}

#[test]
fn one_evaluator_over_two_datasets_with_different_item_indices() {
    // Regression: plans map items by the dataset's interned index; a second dataset that
    // interned the same number of items in another order must not reuse the first one's plans.
    use cunwu_core::compliance::Evaluator;
    let rules = RuleSet::bundled().unwrap();
    let rows = |first: &str, second: &str| {
        serde_json::json!({
            "units": [{"id": "v1", "name": "石桥村", "kind": "village", "township": "石桥镇", "district": "南岸区"}],
            "postings": [
                {"unit": "v1", "item": first, "period": "2026-Q1", "posted": "2026-04-10"},
                {"unit": "v1", "item": second, "period": "2026-Q1", "posted": "2026-04-10"}
            ]
        })
    };
    let a = Dataset::from_json(&rows("government.family-planning", "government.disaster-relief"));
    let b = Dataset::from_json(&rows("government.disaster-relief", "government.family-planning"));
    let as_of = NaiveDate::from_ymd_opt(2026, 4, 30).unwrap();
    let mut eval = Evaluator::new(&rules, 2026, as_of);
    let first = eval.evaluate_unit(&a, 0).unwrap();
    let second = eval.evaluate_unit(&b, 0).unwrap();
    let fresh = Evaluator::new(&rules, 2026, as_of).evaluate_unit(&b, 0).unwrap();
    assert_eq!(second, fresh);
    // The same facts in both datasets (only the rows' order differs): the same findings.
    let key = |a: &cunwu_core::compliance::UnitAssessment| {
        a.findings.iter().map(|f| (f.kind, f.item.clone(), f.period.clone(), f.days)).collect::<Vec<_>>()
    };
    assert_eq!(key(&first), key(&fresh));
}

#[test]
fn a_standing_display_taken_down_is_neither_short_nor_undetermined() {
    // Regression: a standing display (长期公开) has no end date, which was counted as an
    // undetermined check when the posting came down.
    let rules = RuleSet::bundled().unwrap();
    let rows = serde_json::json!({
        "units": [{"id": "v1", "name": "石桥村", "kind": "village", "township": "石桥镇", "district": "南岸区"}],
        "events": [{"unit": "v1", "item": "government.dibao-approved-list", "date": "2026-05-06"}],
        "postings": [{"unit": "v1", "item": "government.dibao-approved-list", "period": "2026-05-06",
                      "posted": "2026-05-08", "removed": "2026-05-20"}]
    });
    let data = Dataset::from_json(&rows);
    let mut eval = cunwu_core::compliance::Evaluator::new(&rules, 2026, NaiveDate::from_ymd_opt(2026, 6, 30).unwrap());
    let unit = eval.evaluate_unit(&data, 0).unwrap();
    assert_eq!(unit.undetermined, 0);
    assert!(!unit.findings.iter().any(|f| f.item.as_deref() == Some("government.dibao-approved-list")
        && f.kind == FindingKind::DisplayShort));
}

/// The bundled rules as compiled JSON (so every build reads them), with every advisory item
/// removed when `strip` is set.
fn compiled_rules(strip: bool) -> RuleSet {
    let texts = cunwu_core::rules::bundled::toml_sources().into_iter().filter(|f| f.path.starts_with("rules/sources/"));
    let files: Vec<SourceFile> = cunwu_core::rules::bundled::json_sources()
        .into_iter()
        .map(|f| {
            let mut json: serde_json::Value = serde_json::from_str(&f.text).unwrap();
            if let Some(items) = json.get_mut("items").and_then(|i| i.as_array_mut()).filter(|_| strip) {
                items.retain(|i| i.get("advisory") != Some(&serde_json::Value::Bool(true)));
            }
            SourceFile::new(f.path, json.to_string())
        })
        .chain(texts)
        .collect();
    RuleSet::load(&files).unwrap_or_else(|e| panic!("{e:#?}"))
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 4, ..Default::default() })]

    /// No finding rests on an advisory item: removing every one from the rules changes no finding
    /// of any unit of a synthetic city (villages, communities, groups; any seed; any date).
    #[test]
    fn removing_every_advisory_item_changes_no_finding(seed in 0u64..10_000, day in 0u32..365) {
        static RULES: std::sync::OnceLock<(RuleSet, RuleSet)> = std::sync::OnceLock::new();
        let (rules, stripped) = RULES.get_or_init(|| (compiled_rules(false), compiled_rules(true)));
        proptest::prop_assert!(!rules.resolve(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), None).unwrap().advisory.is_empty());
        proptest::prop_assert!(stripped.resolve(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), None).unwrap().advisory.is_empty());
        let mut config = SynthConfig::small(seed);
        config.villages = 40;
        config.communities = 20;
        let city = synth::generate(rules, &config).unwrap();
        let as_of = NaiveDate::from_ymd_opt(config.year, 1, 1).unwrap() + chrono::Days::new(u64::from(day));
        // Before anything falls due the assessment is refused, with and without advisory items.
        let (with, without) = match (assess(rules, &city.dataset, config.year, as_of), assess(stripped, &city.dataset, config.year, as_of)) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(a), Err(b)) => {
                proptest::prop_assert_eq!(a.diagnostics()[0].code.clone(), b.diagnostics()[0].code.clone());
                proptest::prop_assert!(day < 31, "refused as of {as_of}: {:?}", a.diagnostics());
                return Ok(());
            }
            (a, b) => {
                proptest::prop_assert!(false, "one refused, one not: {:?} / {:?}", a.err(), b.err());
                unreachable!()
            }
        };
        proptest::prop_assert_eq!(with.units.len(), without.units.len());
        let findings: usize = with.units.iter().map(|u| u.findings.len()).sum();
        proptest::prop_assert!(findings > 0 || day < 14, "nothing was judged as of {as_of}");
        for (a, b) in with.units.iter().zip(&without.units) {
            proptest::prop_assert_eq!(&a.findings, &b.findings, "unit {}", a.unit.id);
            proptest::prop_assert_eq!(a.obligations, b.obligations, "unit {}", a.unit.id);
        }
    }
}

/// Every finding type is counted in the roll-ups, in findings and in units (a type added to
/// `FindingKind::ALL` once fell outside a fixed-size table and its units were never counted).
#[test]
fn roll_ups_count_every_finding_type_and_the_units_that_have_it() {
    let rules = RuleSet::bundled().unwrap();
    let mut config = SynthConfig::small(7);
    config.villages = 120;
    config.communities = 40;
    let city = synth::generate(&rules, &config).unwrap();
    let report = assess(&rules, &city.dataset, config.year, city.as_of).unwrap();
    for kind in FindingKind::ALL {
        let count = report.units.iter().flat_map(|u| &u.findings).filter(|f| f.kind == kind).count();
        let units = report.units.iter().filter(|u| u.findings.iter().any(|f| f.kind == kind)).count();
        let rolled = report.city.findings.iter().find(|k| k.kind == kind).unwrap();
        assert_eq!((rolled.count as usize, rolled.units as usize), (count, units), "{kind}");
        assert!(count > 0, "{kind}: none in the synthetic city");
    }
}

/// Scoring values are bounded, so no scheme can make the arithmetic overflow.
#[test]
fn scoring_points_above_the_maximum_are_refused_by_the_lint() {
    let mut files = cunwu_core::rules::bundled::sources();
    let scoring = files.iter_mut().find(|f| f.path.ends_with("scoring/cq-default.toml")).unwrap();
    scoring.text = scoring.text.replacen("full_marks = 100", "full_marks = \"79228162514264337593543950335\"", 1);
    let problems = RuleSet::lint(&files);
    assert!(
        problems.iter().any(|d| d.location.file.as_deref().is_some_and(|f| f.ends_with("cq-default.toml"))
            && d.message_en.contains("may not exceed 10000")),
        "{problems:?}"
    );
    let scoring = files.iter_mut().find(|f| f.path.ends_with("scoring/cq-default.toml")).unwrap();
    scoring.text = scoring
        .text
        .replacen("full_marks = \"79228162514264337593543950335\"", "full_marks = 100", 1)
        .replacen("points = 5", "points = \"0.005\"", 1);
    assert!(RuleSet::lint(&files).iter().any(|d| d.message_en.contains("at most two decimals")));
}

/// Issue 18: the HTML report names no folder (a folder may be named after a person) and gives
/// every unit its own anchor, whatever its id is written in.
#[test]
fn the_html_report_names_no_folder_and_every_unit_has_its_own_anchor() {
    let rules = RuleSet::bundled().unwrap();
    let units = SourceFile::new(
        "/home/张三-500101199001011234/records/units.csv",
        "id,name,kind,township,district,areas\n石桥,石桥村 139 1234 5678,village,石桥镇,南岸区,\n11010519491231002X,石门村,village,石桥镇,南岸区,\nx1,x1村,village,石桥镇,南岸区,\n",
    );
    let postings = SourceFile::new(
        "/home/张三-500101199001011234/records/postings.csv",
        "unit,item,period,posted,removed,boards\n石桥,finance.income-expenditure,2026-01,0001-01-01,,1\n",
    );
    let data = Dataset::from_sources(&[units, postings]);
    let report = assess(&rules, &data, 2026, NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()).unwrap();
    let html = render::html(&report, 10);
    assert!(!html.contains("张三") && !html.contains("/home/"), "a folder leaks");
    // A unit's name or id holding a personal number is masked, the anchor shows nothing of it.
    assert!(!html.contains("11010519491231002X") && !html.contains("139 1234 5678"), "a personal number leaks");
    assert!(html.contains("postings.csv"), "the file is still named");
    let anchors: Vec<&str> =
        html.split("id=\"u-").skip(1).map(|rest| rest.split('"').next().unwrap_or_default()).collect();
    let mut unique = anchors.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(anchors.len(), 3);
    assert_eq!(unique.len(), 3, "{anchors:?}");
    // The anchor is the unit's place among the ids, not a hash of the id: a hash beside a masked
    // number leaves few numbers to try (outside test of issue 18).
    assert_eq!(unique, ["1", "2", "3"], "{anchors:?}");
}
