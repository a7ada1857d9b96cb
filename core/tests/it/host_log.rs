//! What a host needs of a stored log (issue 19): a head that finds truncation, a keyed chain that
//! finds a rewritten and rechained log, compare-and-swap and idempotent appends.

use cunwu_core::RuleSet;
use cunwu_core::log::{self, AppendOptions, ChainKey, Entry, Head, ReadOptions};
use cunwu_core::procedure::{CaseEvent, DisclosureCase};

use crate::repo_root;

fn rules() -> RuleSet {
    RuleSet::bundled().unwrap_or_else(|e| panic!("{e:?}"))
}

fn example() -> Vec<Entry<CaseEvent>> {
    let text =
        std::fs::read_to_string(repo_root().join("examples/procedure/village-2026-q1.jsonl")).unwrap_or_default();
    log::from_jsonl(&text).unwrap_or_else(|e| panic!("{e}"))
}

fn key() -> ChainKey {
    ChainKey::new(b"the host's secret, kept outside the table".to_vec()).unwrap_or_else(|e| panic!("{e}"))
}

/// The example's events made again as a keyed chain.
fn keyed_example(rules: &RuleSet) -> DisclosureCase {
    let entries = example();
    let first = &entries[0];
    let mut case =
        DisclosureCase::begin_with(rules, first.date, first.actor.clone(), first.event.clone(), None, Some(key()))
            .unwrap_or_else(|e| panic!("{e:?}"));
    for e in &entries[1..] {
        case.apply(rules, e.date, e.actor.clone(), e.event.clone()).unwrap_or_else(|e| panic!("{e:?}"));
    }
    case
}

fn code(e: &log::LogError) -> &'static str {
    e.code()
}

#[test]
fn truncation_by_any_number_of_entries_is_found_with_the_head() {
    let rules = rules();
    let entries = example();
    let head = log::head_of(&entries);
    let options = ReadOptions { expected_head: Some(head.clone()), key: None };
    assert!(DisclosureCase::replay_with(&rules, entries.clone(), &options).is_ok());
    for k in 1..entries.len() {
        let cut = entries[..entries.len() - k].to_vec();
        // Without the head, a cut log is a valid, shorter log: the head is what finds it.
        assert!(DisclosureCase::replay(&rules, cut.clone()).is_ok(), "cut by {k}");
        let e = DisclosureCase::replay_with(&rules, cut, &options).unwrap_err();
        assert_eq!(code(&e), "LOG_TRUNCATED", "cut by {k}: {e}");
        assert!(e.to_string().contains(&format!("{} entries", entries.len() - k)), "{e}");
    }
}

#[test]
fn a_longer_or_rewritten_log_is_refused_against_its_head() {
    let rules = rules();
    let entries = example();
    let shorter_head = log::head_of(&entries[..entries.len() - 1]);
    let options = ReadOptions { expected_head: Some(shorter_head), key: None };
    let e = DisclosureCase::replay_with(&rules, entries.clone(), &options).unwrap_err();
    assert_eq!(code(&e), "LOG_UNEXPECTED_ENTRIES");
    let wrong = Head { entries: u64::try_from(entries.len()).unwrap_or(0), hash: "ab".repeat(32) };
    let e = DisclosureCase::replay_with(&rules, entries, &ReadOptions { expected_head: Some(wrong), key: None })
        .unwrap_err();
    assert_eq!(code(&e), "LOG_REWRITTEN");
}

/// Entries 7-9 (the rectification order, re-publication and re-filing) removed and the rest
/// rechained, as someone with write access to the table could: a plain chain accepts it; a keyed
/// chain does not, however the forger marks the entries.
#[test]
fn a_rechained_log_is_found_only_when_keyed() {
    let rules = rules();
    let rechain = |entries: &[Entry<CaseEvent>], keyed: bool| {
        let mut out: Vec<Entry<CaseEvent>> = Vec::new();
        for e in entries.iter().enumerate().filter(|(i, _)| !(7..=9).contains(i)).map(|(_, e)| e) {
            let mut next =
                log::next_entry(&out, e.date, e.actor.clone(), e.event.clone(), &e.rules_version, &e.calendar_version);
            if keyed {
                // The forger cannot compute the HMAC; the best they can do is a plain hash marked keyed.
                next.keyed = true;
                next.hash = log::entry_hash(&next);
            }
            out.push(next);
        }
        out
    };
    let plain = example();
    let forged = rechain(&plain, false);
    assert!(DisclosureCase::replay(&rules, forged.clone()).is_ok(), "a plain chain cannot tell");
    let keyed: Vec<Entry<CaseEvent>> = keyed_example(&rules).entries().to_vec();
    let with_key = ReadOptions { expected_head: None, key: Some(key()) };
    assert!(DisclosureCase::replay_with(&rules, keyed.clone(), &with_key).is_ok());
    let e = DisclosureCase::replay_with(&rules, forged, &with_key).unwrap_err();
    assert_eq!(code(&e), "LOG_NOT_KEYED");
    let e = DisclosureCase::replay_with(&rules, rechain(&keyed, true), &with_key).unwrap_err();
    assert_eq!(code(&e), "LOG_HASH");
    // A keyed log read without the key, or with another key.
    assert_eq!(code(&DisclosureCase::replay(&rules, keyed.clone()).unwrap_err()), "LOG_KEY_REQUIRED");
    let other = ReadOptions { expected_head: None, key: ChainKey::new(vec![7; 32]).ok() };
    assert_eq!(code(&DisclosureCase::replay_with(&rules, keyed.clone(), &other).unwrap_err()), "LOG_HASH");
    // The key is not in the log.
    let text = log::to_jsonl(&keyed);
    assert!(!text.contains("the host's secret") && text.contains("\"keyed\":true"));
}

#[test]
fn two_writers_from_one_head_never_both_append() {
    let rules = rules();
    let entries = example();
    let last = entries[entries.len() - 1].clone();
    let stored: Vec<Entry<CaseEvent>> = entries[..entries.len() - 1].to_vec();
    let stored_head = log::head_of(&stored);
    // Two workers read the same stored log and head, and each applies an event.
    let mut a = DisclosureCase::replay(&rules, stored.clone()).unwrap_or_else(|e| panic!("{e}"));
    let mut b = DisclosureCase::replay(&rules, stored).unwrap_or_else(|e| panic!("{e}"));
    let cas = AppendOptions { expected_head: Some(stored_head.clone()), idempotency_key: None };
    let won =
        a.append(&rules, last.date, last.actor.clone(), last.event.clone(), &cas).unwrap_or_else(|e| panic!("{e:?}"));
    // The host stores A's entry and head; B's copy is stale, and B re-reads before writing.
    let mut b_reread = DisclosureCase::replay_with(
        &rules,
        a.entries().to_vec(),
        &ReadOptions { expected_head: Some(won.head.clone()), key: None },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let e = b_reread.append(&rules, last.date, last.actor.clone(), last.event.clone(), &cas).unwrap_err();
    assert_eq!(e.code(), "LOG_CONFLICT");
    assert_eq!(b_reread.head(), won.head, "nothing appended");
    // B's own stale copy would append, but the host's compare-and-swap on the stored head refuses
    // to store it: its head does not follow the stored one.
    let stale = b.append(&rules, last.date, last.actor, last.event, &cas).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(stale.head.entries, won.head.entries);
    assert_ne!(stored_head, won.head);
}

#[test]
fn a_repeated_delivery_returns_the_entry_made_and_another_event_under_its_key_is_refused() {
    let rules = rules();
    let entries = example();
    let (last, before) = (entries[entries.len() - 1].clone(), entries[entries.len() - 2].clone());
    let mut case =
        DisclosureCase::replay(&rules, entries[..entries.len() - 1].to_vec()).unwrap_or_else(|e| panic!("{e}"));
    let once = AppendOptions { expected_head: None, idempotency_key: Some("delivery-42".into()) };
    let first = case
        .append(&rules, last.date, last.actor.clone(), last.event.clone(), &once)
        .unwrap_or_else(|e| panic!("{e:?}"));
    let again = case
        .append(&rules, last.date, last.actor.clone(), last.event.clone(), &once)
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(first.appended && !again.appended);
    assert_eq!((first.entry, first.line), (again.entry, again.line));
    let e = case.append(&rules, before.date, before.actor, before.event, &once).unwrap_err();
    assert_eq!(e.code(), "LOG_IDEMPOTENCY_CONFLICT");
    // The key is part of the entry's hash: the replayed log keeps it.
    let replayed = DisclosureCase::from_jsonl(&rules, &case.to_jsonl()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(replayed.entries().last().and_then(|e| e.idempotency_key.as_deref()), Some("delivery-42"));
}

#[test]
fn the_line_returned_is_the_line_stored() {
    let rules = rules();
    let entries = example();
    let last = entries[entries.len() - 1].clone();
    let mut case =
        DisclosureCase::replay(&rules, entries[..entries.len() - 1].to_vec()).unwrap_or_else(|e| panic!("{e}"));
    let applied = case
        .append(&rules, last.date, last.actor, last.event, &AppendOptions::default())
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(case.to_jsonl().lines().last(), Some(applied.line.as_str()));
    assert_eq!(applied.head, case.head());
}

/// The corpus's key for keyed chains (`tests/cases/host.json`), as hex.
const CORPUS_KEY_HEX: &str = "746865207365637265742074686520686f737420686f6c6473206f75747369646520746865207461626c65";

fn corpus_key() -> ChainKey {
    let bytes =
        (0..CORPUS_KEY_HEX.len()).step_by(2).map(|i| u8::from_str_radix(&CORPUS_KEY_HEX[i..i + 2], 16).unwrap_or(0));
    ChainKey::new(bytes.collect()).unwrap_or_else(|e| panic!("{e}"))
}

fn rules_with(dir: &str) -> RuleSet {
    let extra = cunwu_core::fs::read_rules_dir_as(repo_root().join(dir), dir).unwrap_or_else(|e| panic!("{e:?}"));
    RuleSet::bundled_with(&extra).unwrap_or_else(|e| panic!("{e:?}"))
}

/// The example's events, for a unit of the upgrade fixture's district, made under `rules`.
fn district_case(rules: &RuleSet) -> Result<DisclosureCase, cunwu_core::Error> {
    let entries = example();
    let first = &entries[0];
    let CaseEvent::Opened { mut unit, period, pipeline } = first.event.clone() else { panic!("not opened") };
    unit.district = Some("500199".into());
    let mut case =
        DisclosureCase::begin(rules, first.date, first.actor.clone(), CaseEvent::Opened { unit, period, pipeline })?;
    for e in &entries[1..] {
        case.apply(rules, e.date, e.actor.clone(), e.event.clone())?;
    }
    Ok(case)
}

/// Stored logs the corpus replays on every surface (`op: replay_log`): made here, checked stale.
#[test]
fn fixture_logs_are_current() {
    let before = rules_with("tests/fixtures/upgrade/before");
    let upgrade = district_case(&before).unwrap_or_else(|e| panic!("{e:?}"));
    let plain = example();
    let keyed = {
        let first = &plain[0];
        let mut case = DisclosureCase::begin_with(
            &rules(),
            first.date,
            first.actor.clone(),
            first.event.clone(),
            None,
            Some(corpus_key()),
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        for e in &plain[1..] {
            case.apply(&rules(), e.date, e.actor.clone(), e.event.clone()).unwrap_or_else(|e| panic!("{e:?}"));
        }
        case.entries().to_vec()
    };
    // Entries 7-9 removed and the rest rechained by someone without the key: every entry made
    // again with plain hashes and the `keyed` marks dropped; or entries 0-6 kept as they are and
    // the last made again, marked keyed but with a plain hash (the forger cannot compute the HMAC).
    let rechain = |keep_mark: bool| {
        let mut out: Vec<Entry<CaseEvent>> = if keep_mark { keyed[..7].to_vec() } else { Vec::new() };
        let from = if keep_mark { 10 } else { 0 };
        for e in keyed.iter().enumerate().filter(|(i, _)| *i >= from && !(7..=9).contains(i)).map(|(_, e)| e) {
            let mut next =
                log::next_entry(&out, e.date, e.actor.clone(), e.event.clone(), &e.rules_version, &e.calendar_version);
            if keep_mark {
                next.keyed = true;
                next.hash = log::entry_hash(&next);
            }
            out.push(next);
        }
        out
    };
    for (name, entries) in [
        ("upgrade-before.jsonl", upgrade.entries().to_vec()),
        ("keyed.jsonl", keyed.clone()),
        ("keyed-rechained.jsonl", rechain(false)),
        ("keyed-rechained-marked.jsonl", rechain(true)),
    ] {
        crate::generated::check(&format!("tests/fixtures/logs/{name}"), &log::to_jsonl(&entries));
    }
}

/// A district catalogue republished with a retroactive item and another deciding body: a log
/// made before stays readable, with a warning naming each entry today's rules would refuse and
/// both versions; a new case under the new rules must follow them.
#[test]
fn an_upgrade_never_strands_a_stored_log() {
    let before = rules_with("tests/fixtures/upgrade/before");
    let after = rules_with("tests/fixtures/upgrade/after");
    assert_ne!(before.version(), after.version());
    let stored = district_case(&before).unwrap_or_else(|e| panic!("{e:?}"));
    let replayed = DisclosureCase::from_jsonl(&after, &stored.to_jsonl()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(replayed.state(), stored.state());
    let warned: Vec<(&str, Option<&str>)> =
        replayed.warnings().iter().map(|w| (w.code.as_str(), w.location.pointer.as_deref())).collect();
    assert_eq!(warned, [("LOG_RULES_CHANGED", Some("/1")), ("LOG_RULES_CHANGED", Some("/4"))]);
    for w in replayed.warnings() {
        assert!(w.message_en.contains(before.version()) && w.message_en.contains(after.version()), "{}", w.message_en);
        assert_eq!(w.severity, cunwu_core::Severity::Warning);
    }
    assert!(replayed.warnings()[0].message_en.contains("PROCEDURE_PLAN_INCOMPLETE"));
    // Under the rules it was made with: no warning.
    assert!(
        DisclosureCase::from_jsonl(&before, &stored.to_jsonl()).unwrap_or_else(|e| panic!("{e}")).warnings().is_empty()
    );
    // The status says which rules it was derived with.
    let today = chrono::NaiveDate::from_ymd_opt(2026, 5, 21).unwrap_or_default();
    assert_eq!(replayed.status(&after, today).unwrap_or_else(|e| panic!("{e:?}")).rules_version, after.version());
    // New events follow today's rules.
    let e = district_case(&after).unwrap_err();
    assert_eq!(e.code(), "PROCEDURE_PLAN_INCOMPLETE");
    // An entry that claims the rules in force is held to them: a forged version buys nothing
    // when the log is keyed or its head stored, and a log claiming today's rules is checked.
    let mut forged = stored.entries().to_vec();
    let mut out: Vec<Entry<CaseEvent>> = Vec::new();
    for e in forged.drain(..) {
        out.push(log::next_entry(&out, e.date, e.actor, e.event, after.version(), &e.calendar_version));
    }
    let e = DisclosureCase::replay(&after, out).unwrap_err();
    assert_eq!((code(&e), e.index()), ("LOG_INVALID_EVENT", Some(1)));
}

/// The very-overdue day is a wake-up: a nightly job that sleeps until `next_wake_up` sees it.
#[test]
fn every_change_of_state_is_a_wake_up() {
    let rules = rules();
    let entries = example();
    // Published on 04-15 and not filed: the filing deadline passes, then it turns very overdue.
    let case = DisclosureCase::replay(&rules, entries[..6].to_vec()).unwrap_or_else(|e| panic!("{e}"));
    let mut day = chrono::NaiveDate::from_ymd_opt(2026, 4, 15).unwrap_or_default();
    let end = chrono::NaiveDate::from_ymd_opt(2026, 8, 1).unwrap_or_default();
    let state = |d| {
        let s = case.status(&rules, d).unwrap_or_else(|e| panic!("{e:?}"));
        let o: Vec<(u8, bool)> = s.overdue.iter().map(|o| (o.rule as u8, o.very_overdue)).collect();
        (o, s.next_wake_up)
    };
    let (mut seen, mut wake) = state(day);
    while day < end {
        day = day.succ_opt().unwrap_or(day);
        let (now, next) = state(day);
        if now != seen {
            assert_eq!(wake, Some(day), "the overdue list changed on {day} but the wake-up said {wake:?}");
        }
        (seen, wake) = (now, next.or(wake.filter(|w| *w > day)));
    }
    assert!(seen.iter().any(|(_, very)| *very), "the filing turned very overdue by {end}");
}

/// Outside test of issue 19: a Q4 case's deadline lies past the published calendar. "No wake-up"
/// would tell a nightly job that nothing will change; it wakes the day after the calendar's last
/// day instead, and every day after that until the calendar is updated.
#[test]
fn a_deadline_past_the_calendar_still_wakes_the_job() {
    let rules = rules();
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
    let first = &example()[0];
    let CaseEvent::Opened { unit, pipeline, .. } = first.event.clone() else { panic!("not an opening") };
    let event = CaseEvent::Opened { unit, period: "2026-Q4".into(), pipeline };
    let case =
        DisclosureCase::begin(&rules, d("2026-12-20"), first.actor.clone(), event).unwrap_or_else(|e| panic!("{e:?}"));
    let status = case.status(&rules, d("2026-12-21")).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(
        status.next_actions.iter().any(|a| a.deadline.as_ref().is_some_and(|x| x.date.is_none() && x.error.is_some()))
    );
    let end = rules.calendar().map(|c| c.covered_until()).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(status.next_wake_up, end.succ_opt());
    let later = case.status(&rules, d("2027-01-05")).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(later.next_wake_up, Some(d("2027-01-06")));
    // Estimated, the deadline has a date and the wake-up is the day after it.
    let estimated = case
        .status_with(&rules, d("2026-12-21"), cunwu_core::procedure::StatusOptions { estimate: true })
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(estimated.next_wake_up > end.succ_opt());
}

/// A host that runs its cases through the library feeds the 考评 with the rows the cases give:
/// every row is taken (no record problem), and each planned item's period is the one the
/// schedule names.
#[test]
fn a_case_gives_exactly_the_rows_the_assessment_takes() {
    let rules = rules();
    let case = DisclosureCase::replay(&rules, example()).unwrap_or_else(|e| panic!("{e}"));
    let mut rows = case.record_rows(&rules);
    assert!(!rows.postings.is_empty());
    let unit = case.state().unit.id.clone();
    rows.units.push(
        serde_json::from_value(serde_json::json!({
            "id": unit, "name": "示例村", "kind": "village", "township": "示例镇", "district": "示例区"
        }))
        .unwrap_or_else(|e| panic!("{e}")),
    );
    let data = cunwu_core::compliance::Dataset::from_rows(&rows);
    assert!(data.problems.is_empty(), "{:#?}", data.problems);
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default();
    let report = cunwu_core::compliance::assess(&rules, &data, 2026, as_of).unwrap_or_else(|e| panic!("{e:?}"));
    let assessed = &report.units[0];
    // The obligations the case covers are not missing or unfiled: the case posted and filed them
    // (what is found of them is what the case did: late, short, re-published).
    let covered = |f: &&cunwu_core::compliance::Finding| {
        rows.postings.iter().any(|p| Some(p.item.as_str()) == f.item.as_deref() && Some(&p.period) == f.period.as_ref())
    };
    use cunwu_core::compliance::FindingKind;
    let wrong: Vec<_> = assessed
        .findings
        .iter()
        .filter(covered)
        .filter(|f| matches!(f.kind, FindingKind::Missing | FindingKind::NotFiled | FindingKind::ReviewOverdue))
        .map(|f| (f.kind, f.item.clone(), f.period.clone()))
        .collect();
    assert!(wrong.is_empty(), "{wrong:?}");
    // The periods are the schedule's labels: the plan's monthly item covers March.
    let d = chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap_or_default();
    let required = cunwu_core::procedure::plan_requirements(
        &rules,
        cunwu_core::UnitKind::Village,
        None,
        "2026-Q1",
        cunwu_core::procedure::Pipeline::General,
        d,
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    for r in &required {
        assert!(rows.postings.iter().any(|p| p.item == r.id && p.period == r.period), "{} {}", r.id, r.period);
    }
}

/// What a worker does: read the case's head now, or append the case's next event with the head it
/// read last (possibly stale), or the same with the delivery's idempotency key.
#[derive(Debug, Clone)]
enum Step {
    Read(usize),
    Append { worker: usize, keyed: bool },
}

fn step() -> impl proptest::strategy::Strategy<Value = Step> {
    use proptest::prelude::*;
    prop_oneof![
        (0usize..3).prop_map(Step::Read),
        (0usize..3, any::<bool>()).prop_map(|(worker, keyed)| Step::Append { worker, keyed }),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, ..Default::default() })]

    /// However three workers interleave, an append succeeds exactly when the head it names is the
    /// case's head; a refused append changes nothing; two appends from one head never both land;
    /// and the log replays to exactly the appends that landed, each once.
    #[test]
    fn concurrent_appliers_never_both_succeed_on_the_same_head(steps in proptest::collection::vec(step(), 1..40)) {
        let rules = rules();
        let entries = example();
        let mut case = DisclosureCase::replay(&rules, entries[..1].to_vec()).unwrap_or_else(|e| panic!("{e}"));
        let mut read: [Option<Head>; 3] = [None, None, None];
        let mut landed_from: Vec<Head> = Vec::new();
        let mut deliveries = 0usize;
        for s in steps {
            let n = case.entries().len();
            let Some(next) = entries.get(n) else { break };
            match s {
                Step::Read(w) => read[w] = Some(case.head()),
                Step::Append { worker, keyed } => {
                    let before = case.head();
                    let expected = read[worker].clone();
                    deliveries += 1;
                    let key = keyed.then(|| format!("delivery-{n}-{deliveries}"));
                    let options = AppendOptions { expected_head: expected.clone(), idempotency_key: key };
                    let answer = case.append(&rules, next.date, next.actor.clone(), next.event.clone(), &options);
                    match (&expected, answer) {
                        (Some(h), Ok(a)) => {
                            proptest::prop_assert_eq!(h, &before, "appended on a head that was not the case's");
                            proptest::prop_assert!(a.appended);
                            proptest::prop_assert!(!landed_from.contains(h), "two appends landed from one head");
                            landed_from.push(h.clone());
                            proptest::prop_assert_eq!(&a.head, &case.head());
                        }
                        (Some(h), Err(e)) => {
                            proptest::prop_assert_ne!(h, &before, "refused on the case's own head: {:?}", e);
                            proptest::prop_assert_eq!(e.code(), "LOG_CONFLICT");
                            proptest::prop_assert_eq!(case.head(), before, "a refused append changed the log");
                        }
                        (None, Ok(a)) => {
                            proptest::prop_assert!(a.appended);
                            proptest::prop_assert!(!landed_from.contains(&before));
                            landed_from.push(before);
                        }
                        (None, Err(e)) => proptest::prop_assert!(false, "an unconditional append was refused: {:?}", e),
                    }
                }
            }
        }
        // The log holds the first entry and one entry per landed append, in order, and replays.
        proptest::prop_assert_eq!(case.entries().len(), 1 + landed_from.len());
        let replayed = DisclosureCase::from_jsonl(&rules, &case.to_jsonl()).unwrap_or_else(|e| panic!("{e}"));
        proptest::prop_assert_eq!(replayed.head(), case.head());
        for (e, want) in replayed.entries().iter().zip(&entries) {
            proptest::prop_assert_eq!(&e.event, &want.event);
        }
    }
}

/// Outside test of issue 19: one head has one spelling; a blank idempotency key names no
/// delivery; a line a host splits with a line splitter that knows U+2028 stays one line.
#[test]
fn heads_keys_and_lines_have_one_spelling() {
    let rules = rules();
    let entries = example();
    let case = DisclosureCase::replay(&rules, entries.clone()).unwrap_or_else(|e| panic!("{e}"));
    let head = case.head().to_string();
    let (n, hash) = head.split_once(':').unwrap_or_default();
    assert!(head.parse::<Head>().is_ok());
    assert!(format!(" {head}\n").parse::<Head>().is_ok(), "surrounding blanks are not part of it");
    assert_eq!(format!("{n}:{}", hash.to_uppercase()).parse::<Head>().ok(), head.parse::<Head>().ok());
    for bad in
        [format!("+{head}"), format!("0{head}"), format!("{n}:{}", &hash[1..]), format!("-{head}"), format!(":{hash}")]
    {
        assert_eq!(bad.parse::<Head>().map_err(|e| e.code()).err(), Some("LOG_BAD_HEAD"), "{bad}");
    }
    let last = entries[entries.len() - 1].clone();
    let mut shorter =
        DisclosureCase::replay(&rules, entries[..entries.len() - 1].to_vec()).unwrap_or_else(|e| panic!("{e}"));
    for key in ["", "  ", "\u{200b}", "\u{feff}\u{2060}", &"k".repeat(201)] {
        let options = AppendOptions { expected_head: None, idempotency_key: Some(key.to_string()) };
        let e = shorter.append(&rules, last.date, last.actor.clone(), last.event.clone(), &options).unwrap_err();
        assert_eq!(e.diagnostics()[0].code, "INPUT_INVALID_REQUEST", "{key:?}");
    }
    assert_eq!(shorter.entries().len(), entries.len() - 1, "nothing appended");
    // A reason with a line separator: the line and the log escape it; it reads back the same.
    let CaseEvent::RectificationOrdered { .. } = &entries[7].event else { panic!("entry 7 is the order") };
    let mut with_separator = DisclosureCase::replay(&rules, entries[..7].to_vec()).unwrap_or_else(|e| panic!("{e}"));
    let mut event = entries[7].event.clone();
    if let CaseEvent::RectificationOrdered { reasons } = &mut event {
        reasons.push("第一行\u{2028}第二行\u{2029}第三行\u{85}第四行".into());
    }
    let applied = with_separator
        .append(&rules, entries[7].date, entries[7].actor.clone(), event.clone(), &AppendOptions::default())
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(!applied.line.contains(['\u{2028}', '\u{2029}', '\u{85}']) && applied.line.contains("\\u2028"));
    let text = with_separator.to_jsonl();
    assert_eq!(text.lines().count(), 8);
    assert!(!text.contains(['\u{2028}', '\u{2029}', '\u{85}']), "every splitter sees 8 lines");
    let back = DisclosureCase::from_jsonl(&rules, &text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.entries()[7].event, event);
    assert_eq!(back.head(), with_separator.head());
}
