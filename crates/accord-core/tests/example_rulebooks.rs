//! The example rulebooks in static/rulebooks/ validate and their fixtures pass.

use accord_core::{explain, Audience, Context, Rulebook, Status};
use serde_json::json;
use std::path::Path;

fn load(name: &str) -> Rulebook {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../static/rulebooks")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Rulebook::from_json(&text).unwrap_or_else(|e| panic!("{name} is invalid:\n{e}"))
}

#[test]
fn every_example_rulebook_passes_its_fixtures() {
    for name in ["inbound.json", "meddpicc-call.json", "minimal.json"] {
        let rulebook = load(name);
        let results = rulebook.run_fixtures();
        assert!(results.len() >= 2, "{name} has fixtures");
        for r in &results {
            assert!(
                r.passed(),
                "{name}: fixture `{}` failed: {:?}",
                r.name,
                r.mismatches
            );
        }
    }
}

#[test]
fn a_changed_expectation_is_reported_as_a_mismatch() {
    let rulebook = load("inbound.json");
    let mut fixture = rulebook.doc().fixtures[0].clone();
    fixture.expect.grade = Some("mql".into());
    let result = rulebook.run_fixture(&fixture);
    assert!(!result.passed());
    assert_eq!(result.mismatches[0].what, "grade");
    assert_eq!(result.mismatches[0].expected, "\"mql\"");
    assert_eq!(result.mismatches[0].actual, "\"sql\"");
}

#[test]
fn qualification_explains_every_point() {
    let rulebook = load("inbound.json");
    let answers = json!({"name": "Ada", "email": "ada@bigcorp.com", "company": "BigCorp",
        "role": "executive", "employees": "1000+", "crm": "salesforce", "budget": true,
        "timeline": "now", "use_cases": ["forecasting", "coaching"], "consent": true});
    let q = rulebook.qualify(
        answers.as_object().unwrap(),
        &Context::default(),
        Audience::Form,
    );
    assert_eq!(q.status, Status::Qualified);
    // 30 + 15 + 15 = 60 fit, exactly the cap: not capped.
    assert_eq!(q.scores["fit"], 60);
    assert!(q.capped.is_empty());
    let points: i64 = q
        .contributions
        .iter()
        .filter(|c| c.score == "fit")
        .map(|c| c.points)
        .sum();
    assert_eq!(points, 60);
    let lines = explain(&rulebook, &q);
    assert!(
        lines.contains(&"+30 Fit: 1,000+ employees (size-1000)".to_string()),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&"grade: Sales-ready (sql)".to_string()),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&"route: enterprise".to_string()),
        "{lines:#?}"
    );
}

#[test]
fn caps_limit_a_score_and_are_reported() {
    let rulebook = load("meddpicc-call.json");
    let fixture = &rulebook.doc().fixtures[0];
    let q = rulebook.qualify(&fixture.answers, &Context::default(), Audience::Call);
    assert_eq!(q.scores["meddpicc"], 100);
    assert_eq!(q.capped, vec!["meddpicc".to_string()]);
    let raw: i64 = q
        .contributions
        .iter()
        .filter(|c| c.score == "meddpicc")
        .map(|c| c.points)
        .sum();
    assert_eq!(raw, 110);
}

#[test]
fn required_fields_count_only_for_the_audience_asked() {
    let rulebook = load("inbound.json");
    // `consent` is asked of the form only: a rep on a call does not need it.
    let answers = json!({"name": "Ada", "email": "ada@bigcorp.com", "company": "BigCorp",
        "role": "executive", "employees": "1000+"});
    let form = rulebook.qualify(
        answers.as_object().unwrap(),
        &Context::default(),
        Audience::Form,
    );
    assert_eq!(form.missing, vec!["consent"]);
    let call = rulebook.qualify(
        answers.as_object().unwrap(),
        &Context::default(),
        Audience::Call,
    );
    assert!(call.missing.is_empty());
    assert_eq!(call.status, Status::Qualified);
}

#[test]
fn invalid_answers_make_a_lead_incomplete_and_say_why() {
    let rulebook = load("inbound.json");
    let answers = json!({"name": "Ada", "email": "not an email", "company": "BigCorp",
        "role": "astronaut", "employees": "1000+", "consent": true});
    let q = rulebook.qualify(
        answers.as_object().unwrap(),
        &Context::default(),
        Audience::Form,
    );
    assert_eq!(q.status, Status::Incomplete);
    let problems: Vec<String> = q
        .invalid
        .iter()
        .map(|i| format!("{}: {}", i.field, i.problem))
        .collect();
    assert_eq!(
        problems,
        vec![
            "email: is not an email address",
            "role: `astronaut` is not one of the options"
        ]
    );
    // An invalid answer is reported once, as invalid, not also as missing.
    assert!(q.missing.is_empty());
}

#[test]
fn the_hash_identifies_the_agreement_not_its_formatting() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../static/rulebooks/minimal.json");
    let text = std::fs::read_to_string(path).unwrap();
    let a = Rulebook::from_json(&text).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let b = Rulebook::from_json(&serde_json::to_string_pretty(&value).unwrap()).unwrap();
    assert_eq!(a.reference(), b.reference());
    let changed = Rulebook::from_json(&text.replace("\"points\": 10", "\"points\": 11")).unwrap();
    assert_ne!(a.reference().sha256, changed.reference().sha256);
}

#[test]
fn context_and_channel_are_visible_to_conditions() {
    let rulebook = load("inbound.json");
    let fixture = &rulebook.doc().fixtures[2];
    let with = rulebook.qualify(
        &fixture.answers,
        fixture.context.as_ref().unwrap(),
        Audience::Form,
    );
    let without = rulebook.qualify(&fixture.answers, &Context::default(), Audience::Form);
    assert_eq!(with.scores["intent"] - without.scores["intent"], 5);
    let lead = rulebook.lead_data(&fixture.answers, &Context::default(), Audience::Call);
    assert_eq!(lead.data().to_value()["context"]["channel"], json!("call"));
}

#[test]
fn qualify_visible_reports_show_if_per_field() {
    let rulebook = load("inbound.json");
    let timeline = rulebook
        .doc()
        .fields
        .iter()
        .position(|f| f.id == "timeline")
        .expect("the inbound rulebook asks for a timeline");
    let visible = |budget: bool| {
        let answers = json!({ "budget": budget })
            .as_object()
            .cloned()
            .unwrap_or_default();
        let (q, visible) = rulebook.qualify_visible(&answers, &Context::default(), Audience::Form);
        assert_eq!(
            q,
            rulebook.qualify(&answers, &Context::default(), Audience::Form)
        );
        assert_eq!(visible.len(), rulebook.doc().fields.len());
        visible[timeline]
    };
    assert!(visible(true), "timeline shows once budget is approved");
    assert!(!visible(false), "and hides otherwise");
}

/// static/rulebooks.json (the console's catalogue, used to find a lead's
/// rulebook for its reject reasons) lists every example rulebook by its id.
#[test]
fn the_catalogue_lists_every_example_rulebook_by_id() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../static");
    let catalogue: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("rulebooks.json")).unwrap())
            .unwrap();
    let mut listed: Vec<(String, String)> = catalogue
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["id"].as_str().unwrap().to_owned(),
                e["url"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    listed.sort();
    let mut files: Vec<(String, String)> = std::fs::read_dir(root.join("rulebooks"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".json"))
        .map(|n| (load(&n).reference().id.clone(), format!("rulebooks/{n}")))
        .collect();
    files.sort();
    assert_eq!(listed, files);
}
