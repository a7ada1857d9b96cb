//! "No silent pass" for validation: a submission that `validate` calls `ok` is one that every
//! check could read. The oracle is independent of the validator's own shape check: serde reading
//! the submission into the typed envelope and its family's payload type
//! ([`read_typed`](cunwu_core::validation::read_typed), `deny_unknown_fields` everywhere).
//!
//! Every value of three valid submissions (one per family that has domain checks, plus a
//! notice) is replaced in turn by a value of each other JSON type, every object key is removed in
//! turn, and an unknown key is added to every object: whenever the typed reading fails, `ok` must
//! be false; and `ok` never holds with a `VALIDATION_CHECK_SKIPPED` finding.

use cunwu_core::RuleSet;
use cunwu_core::validation::{Family, read_typed, validate};
use serde_json::{Value, json};

fn submissions() -> Vec<(Family, Value)> {
    let read = |p: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(crate::repo_root().join(p)).unwrap()).unwrap()
    };
    let mut beneficiaries = read("examples/submissions/beneficiaries-cadre-relative.json");
    // Made valid: the cadre's child marked, the cousin outside the circle.
    beneficiaries["payload"]["entries"][0]["relation_to_cadre"] = json!({"cadre": "张建国", "relation": "child"});
    let notice = json!({
        "unit": {"id": "cq-demo-001", "kind": "village", "name": "示例村"},
        "item": "government.family-planning",
        "period": "2026-Q1",
        "posting": {"date": "2026-04-15", "boards": ["公开栏"]},
        "channels": ["board", "representatives_meeting", "printed_copies"],
        "payload": {"title": "计划生育情况", "body": "本季度无变化。"}
    });
    vec![
        (Family::FinanceStatement, read("examples/submissions/finance-good.json")),
        (Family::BeneficiaryList, beneficiaries),
        (Family::Notice, notice),
    ]
}

/// Every JSON pointer of `v` (the root excluded).
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(x, p, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(x, p, out);
            }
        }
        _ => {}
    }
}

fn replacements() -> Vec<Value> {
    vec![
        json!(null),
        json!(true),
        json!(7),
        json!(1.5),
        json!("文字"),
        json!([]),
        json!({}),
        json!([1]),
        json!({"x": 1}),
    ]
}

fn check(rules: &RuleSet, family: Family, v: &Value, what: &str) {
    let answer = validate(rules, v);
    let skipped = answer.findings.iter().any(|f| f.code == "VALIDATION_CHECK_SKIPPED");
    assert!(!(answer.ok && skipped), "{what}: ok with a check skipped: {:?}", answer.findings);
    if let Err(e) = read_typed(family, v) {
        assert!(!answer.ok, "{what}: the typed reading fails ({e}) but validate says ok");
    }
}

#[test]
fn every_type_change_removal_and_unknown_key_is_never_ok_when_the_typed_reading_fails() {
    let rules = RuleSet::bundled().unwrap();
    let mut tried = 0;
    for (family, good) in submissions() {
        let answer = validate(&rules, &good);
        assert!(answer.ok, "{family}: the base submission is valid: {:?}", answer.findings);
        assert!(read_typed(family, &good).is_ok());
        let mut all = Vec::new();
        pointers(&good, String::new(), &mut all);
        for p in &all {
            for r in replacements() {
                let mut v = good.clone();
                *v.pointer_mut(p).unwrap() = r.clone();
                check(&rules, family, &v, &format!("{family} {p} := {r}"));
                tried += 1;
            }
            // Remove the key (or array element).
            let (parent, last) = p.rsplit_once('/').unwrap();
            let mut v = good.clone();
            let container = if parent.is_empty() { Some(&mut v) } else { v.pointer_mut(parent) };
            match container {
                Some(Value::Object(o)) => {
                    o.remove(last);
                }
                Some(Value::Array(a)) => {
                    a.remove(last.parse::<usize>().unwrap());
                }
                _ => {}
            }
            check(&rules, family, &v, &format!("{family} without {p}"));
            tried += 1;
        }
        // An unknown key in every object.
        for p in std::iter::once(String::new()).chain(all.iter().cloned()) {
            let mut v = good.clone();
            let target = if p.is_empty() { Some(&mut v) } else { v.pointer_mut(&p) };
            if let Some(Value::Object(o)) = target {
                o.insert("unexpected".into(), json!("x"));
                check(&rules, family, &v, &format!("{family} {p}/unexpected"));
                tried += 1;
            }
        }
    }
    assert!(tried > 500, "only {tried} mutations");
}

/// The shape check reads only the keywords it knows: a schema using another (a `maximum`, a
/// `minItems`) would be ignored without a word, so it fails here first.
#[test]
fn the_submission_schemas_use_only_keywords_the_shape_check_reads() {
    fn walk(v: &Value, at: &str, out: &mut Vec<String>) {
        if let Value::Object(o) = v {
            for (k, x) in o {
                if !cunwu_core::validation::SCHEMA_KEYWORDS.contains(&k.as_str()) {
                    out.push(format!("{at}/{k}"));
                }
                match k.as_str() {
                    "properties" | "$defs" => {
                        for (name, s) in x.as_object().into_iter().flatten() {
                            walk(s, &format!("{at}/{k}/{name}"), out);
                        }
                    }
                    "anyOf" | "oneOf" => {
                        for (i, s) in x.as_array().into_iter().flatten().enumerate() {
                            walk(s, &format!("{at}/{k}/{i}"), out);
                        }
                    }
                    "items" => walk(x, &format!("{at}/items"), out),
                    _ => {}
                }
            }
        }
    }
    for family in Family::ALL {
        let schema: Value = serde_json::from_str(cunwu_core::rules::schema::submission_schema(family)).unwrap();
        let mut unknown = Vec::new();
        walk(&schema, "", &mut unknown);
        assert!(unknown.is_empty(), "{family}: keywords the shape check does not read: {unknown:?}");
    }
}
