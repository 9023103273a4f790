//! Broken rulebooks: every error is found at once, with its path, id and cause.

use accord_core::{Rulebook, RulebookErrorKind as Kind};
use serde_json::{json, Value};

fn base() -> Value {
    json!({
        "accord": 1, "id": "t", "version": "1", "title": "T",
        "fields": [
            {"id": "email", "label": "Email", "type": "email", "required": true},
            {"id": "size", "label": "Size", "type": "choice", "options": [{"value": "small"}, {"value": "large"}]},
            {"id": "budget", "label": "Budget?", "type": "yes_no"},
            {"id": "seats", "label": "Seats", "type": "number"},
            {"id": "tools", "label": "Tools", "type": "multi_choice", "options": [{"value": "a"}, {"value": "b"}]}
        ],
        "scores": [{"id": "fit", "label": "Fit", "criteria": [
            {"id": "big", "label": "Big", "when": {"==": [{"var": "size"}, "large"]}, "points": 10}
        ]}],
        "knockouts": [],
        "grades": [
            {"id": "mql", "label": "MQL", "when": {">=": [{"var": "score.total"}, 10]}},
            {"id": "nurture", "label": "Nurture"}
        ],
        "routes": [{"to": {"team": "sales"}}]
    })
}

/// Applies `change` to the base rulebook and returns `(path, id, message)`
/// of every error.
fn errors(change: impl FnOnce(&mut Value)) -> Vec<(String, Option<String>, String)> {
    let mut doc = base();
    change(&mut doc);
    match Rulebook::from_value(&doc) {
        Ok(_) => Vec::new(),
        Err(e) => {
            e.0.into_iter()
                .map(|e| (e.path, e.id, e.kind.to_string()))
                .collect()
        }
    }
}

fn one(change: impl FnOnce(&mut Value)) -> (String, Option<String>, String) {
    let mut all = errors(change);
    assert_eq!(all.len(), 1, "expected exactly one error, got {all:#?}");
    all.remove(0)
}

fn when(doc: &mut Value, rule: Value) {
    doc["scores"][0]["criteria"][0]["when"] = rule;
}

#[test]
fn the_base_rulebook_is_valid() {
    assert!(errors(|_| {}).is_empty());
}

#[test]
fn unknown_field_in_var() {
    let (path, id, msg) = one(|d| when(d, json!({"==": [{"var": "sise"}, "large"]})));
    assert_eq!(path, "scores[0].criteria[0].when");
    assert_eq!(id.as_deref(), Some("big"));
    assert_eq!(msg, "`var` refers to unknown `sise`");
}

#[test]
fn unknown_operator_and_bad_arity_name_the_place_in_the_rule() {
    let (_, _, msg) = one(|d| when(d, json!({"and": [true, {"equals": [1, 1]}]})));
    assert_eq!(msg, "at and[1]: unknown operator `equals`");
    let (_, _, msg) = one(|d| when(d, json!({"==": [{"var": "size"}]})));
    assert_eq!(msg, "`==` takes 2 argument(s), found 1");
}

#[test]
fn duplicate_ids() {
    // `tools` is referenced nowhere, so only the duplicate is reported.
    let (path, id, msg) = one(|d| d["fields"][4]["id"] = json!("email"));
    assert_eq!(path, "fields[4].id");
    assert_eq!(id.as_deref(), Some("email"));
    assert_eq!(msg, "duplicate id `email`, first used at fields[0].id");
}

#[test]
fn choice_values_must_be_options() {
    let (_, _, msg) = one(|d| when(d, json!({"==": [{"var": "size"}, "huge"]})));
    assert_eq!(msg, "`huge` is not an option of field `size`");
    let (_, _, msg) = one(|d| when(d, json!({"in": [{"var": "size"}, ["small", "xl"]]})));
    assert_eq!(msg, "`xl` is not an option of field `size`");
    let (_, _, msg) = one(|d| when(d, json!({"in": ["c", {"var": "tools"}]})));
    assert_eq!(msg, "`c` is not an option of field `tools`");
}

#[test]
fn type_mismatches() {
    let (_, _, msg) = one(|d| when(d, json!({"==": [{"var": "budget"}, 1]})));
    assert_eq!(
        msg,
        "type mismatch: `==` compares yes_no field `budget` with 1 (a number); use true or false"
    );
    let (_, _, msg) = one(|d| when(d, json!({">": [{"var": "size"}, 3]})));
    assert_eq!(
        msg,
        "type mismatch: `>` orders numbers, but `size` is a choice field"
    );
    let (_, _, msg) = one(|d| when(d, json!({"==": [{"var": "seats"}, "10"]})));
    assert!(
        msg.starts_with("type mismatch: `==` compares number field `seats`"),
        "{msg}"
    );
    let (_, _, msg) = one(|d| when(d, json!({"==": [{"var": "tools"}, "a"]})));
    assert!(msg.contains("use `in`"), "{msg}");
    // Comparing with null tests for "unanswered" and is fine.
    assert!(errors(|d| when(d, json!({"==": [{"var": "budget"}, null]}))).is_empty());
}

#[test]
fn grades_need_a_fallback_and_no_unreachable_grade() {
    let (path, _, msg) =
        one(|d| d["grades"][1]["when"] = json!({"<": [{"var": "score.total"}, 10]}));
    assert_eq!(path, "grades[1].when");
    assert_eq!(
        msg,
        "the last grade must have no `when`, so that every lead gets a grade"
    );
    let all = errors(|d| {
        d["grades"] = json!([{"id": "all", "label": "All", "when": true}, {"id": "mql", "label": "M", "when": true}, {"id": "n", "label": "N"}]);
    });
    assert_eq!(all.len(), 2, "both grades after the catch-all: {all:#?}");
    assert_eq!(
        (all[0].0.as_str(), all[0].1.as_deref()),
        ("grades[1]", Some("mql"))
    );
    assert_eq!(
        all[0].2,
        "grade `mql` can never be reached: `all` before it matches every lead"
    );
    assert_eq!(all[1].0, "grades[2]");
    assert_eq!(
        errors(|d| d["grades"][0]["id"] = json!("disqualified")).len(),
        1
    );
}

#[test]
fn unreachable_route() {
    let (path, _, msg) = one(|d| {
        d["routes"] = json!([{"to": {"team": "sales"}}, {"when": {"==": [{"var": "grade"}, "mql"]}, "to": {"team": "x"}}]);
    });
    assert_eq!(path, "routes[1]");
    assert_eq!(
        msg,
        "route can never be reached: routes[0] before it matches every lead"
    );
}

#[test]
fn values_are_only_readable_where_they_are_known() {
    let (_, _, msg) = one(|d| when(d, json!({">": [{"var": "score.total"}, 1]})));
    assert_eq!(msg, "`score.total` is not known here: scores are known only after scoring, in grades and routes");
    let (_, _, msg) = one(|d| d["grades"][0]["when"] = json!({"==": [{"var": "grade"}, "mql"]}));
    assert!(
        msg.contains("the grade is known only after grading"),
        "{msg}"
    );
    let (path, id, msg) =
        one(|d| d["fields"][0]["show_if"] = json!({"==": [{"var": "size"}, "large"]}));
    assert_eq!(
        (path.as_str(), id.as_deref()),
        ("fields[0].show_if", Some("email"))
    );
    assert!(
        msg.contains("show_if may read only fields declared before"),
        "{msg}"
    );
    let (_, _, msg) = one(|d| when(d, json!({"==": [{"var": "context.utm_sauce"}, "x"]})));
    assert!(
        msg.starts_with("`var` refers to unknown `context.utm_sauce` (known: page_url"),
        "{msg}"
    );
    let (_, _, msg) = one(|d| d["grades"][0]["when"] = json!({">": [{"var": "score.fitt"}, 1]}));
    assert_eq!(
        msg,
        "`var` refers to unknown `score.fitt` (known: total, fit)"
    );
    let (_, _, msg) = one(|d| d["routes"][0]["when"] = json!({"==": [{"var": "grade"}, "sqll"]}));
    assert_eq!(msg, "unknown grade `sqll`");
}

#[test]
fn shape_errors_name_the_key_and_keep_indices_true() {
    let all = errors(|d| {
        d["fields"][1]["requried"] = json!(true);
        d["fields"][3]["type"] = json!("dropdown");
        d["fields"][4].as_object_mut().unwrap().remove("label");
    });
    assert_eq!(all.len(), 3, "{all:#?}");
    assert_eq!(all[0].0, "fields[1].requried");
    assert!(
        all[0].2.starts_with("unknown field `requried`"),
        "{}",
        all[0].2
    );
    assert_eq!(all[1].0, "fields[3].type");
    assert!(
        all[1].2.starts_with("unknown variant `dropdown`"),
        "{}",
        all[1].2
    );
    assert_eq!(all[2].0, "fields[4]");
    assert_eq!(all[2].2, "missing field `label`");
}

#[test]
fn several_shape_errors_in_one_item_are_all_reported() {
    let all = errors(|d| {
        d["fields"][2] =
            json!({"id": 7, "type": "yes_no", "required": "yes", "colour": "red", "ask": ["web"]});
    });
    let found: Vec<(&str, &str)> = all.iter().map(|e| (e.0.as_str(), e.2.as_str())).collect();
    assert!(found.contains(&("fields[2].colour", "unknown field `colour`, expected one of `id`, `label`, `type`, `required`, `options`, `show_if`, `ask`, `help`, `placeholder`, `autocomplete`, `min`, `max`, `max_length`, `multiline`, `param`, `value`, `skip_when_enriched`")), "{found:#?}");
    assert!(
        found.contains(&("fields[2].id", "expected a string, found a number")),
        "{found:#?}"
    );
    assert!(
        found.contains(&("fields[2]", "missing field `label`")),
        "{found:#?}"
    );
    assert!(
        found.contains(&("fields[2].required", "expected a boolean, found a string")),
        "{found:#?}"
    );
    assert!(
        found.contains(&(
            "fields[2].ask[0]",
            "unknown variant `web`, expected one of `form`, `call`"
        )),
        "{found:#?}"
    );
    // The field did not decode, but its conditions elsewhere are not
    // reported as reading an unknown field.
    assert_eq!(all.len(), 5, "{found:#?}");
}

#[test]
fn every_error_is_reported_at_once() {
    let all = errors(|d| {
        d["fields"][0]["id"] = json!("has space");
        d["scores"][0]["criteria"][0]["when"] = json!({"nope": []});
        d["grades"][1]["when"] = json!(false);
        d["fixtures"] =
            json!([{"name": "x", "answers": {"colour": "red"}, "expect": {"grade": "vip"}}]);
    });
    let messages: Vec<&str> = all.iter().map(|e| e.2.as_str()).collect();
    assert_eq!(all.len(), 5, "{messages:#?}");
    assert!(messages.contains(&"`has space` is not a valid id: use letters, digits, `-` and `_`"));
    assert!(messages.contains(&"unknown operator `nope`"));
    assert!(messages.contains(&"unknown field `colour`"));
    assert!(messages.contains(&"unknown grade `vip`"));
}

#[test]
fn secrets_in_destination_headers_are_refused() {
    let (path, _, msg) = one(|d| {
        d["destinations"] = json!([{"kind": "webhook", "url": "https://hooks.example.com/x", "headers": {"Authorization": "Bearer s3cr3t"}}]);
    });
    assert_eq!(path, "destinations[0].headers.Authorization");
    assert!(msg.contains("looks like a secret"), "{msg}");
    let (path, _, _) =
        one(|d| d["destinations"] = json!([{"kind": "webhook", "url": "javascript:alert(1)"}]));
    assert_eq!(path, "destinations[0].url");
}

#[test]
fn versions_and_json_errors_are_clear() {
    let e = Rulebook::from_json("{\"accord\": 2}").unwrap_err();
    assert_eq!(e.0[0].kind, Kind::Version { found: "2".into() });
    let e = Rulebook::from_json("{\"accord\": 1,,}").unwrap_err();
    assert!(
        e.to_string()
            .contains("not valid JSON: key must be a string at line 1 column 14"),
        "{e}"
    );
    let e = Rulebook::from_json("[]").unwrap_err();
    assert_eq!(e.0[0].kind.to_string(), "a rulebook is a JSON object");
}

#[test]
fn multiline_applies_to_text_fields_only() {
    let (path, id, message) = one(|doc| doc["fields"][2]["multiline"] = json!(true));
    assert_eq!(path, "fields[2].multiline");
    assert_eq!(id.as_deref(), Some("budget"));
    assert!(
        message.contains("multiline applies to text fields, not a yes_no field"),
        "{message}"
    );
}

#[test]
fn min_above_max_shows_numbers_as_javascript_would() {
    let (path, id, msg) = one(|d| {
        d["fields"][3]["min"] = json!(1e22);
        d["fields"][3]["max"] = json!(1e21);
    });
    assert_eq!(path, "fields[3].min");
    assert_eq!(id.as_deref(), Some("seats"));
    assert!(msg.ends_with("min 1e+22 is above max 1e+21"), "{msg}");
    let (_, _, msg) = one(|d| {
        d["fields"][3]["min"] = json!(2.5);
        d["fields"][3]["max"] = json!(-0.125);
    });
    assert!(msg.ends_with("min 2.5 is above max -0.125"), "{msg}");
}

#[test]
fn ids_that_are_special_in_javascript_objects_are_refused() {
    for id in ["__proto__", "constructor", "prototype"] {
        let doc = json!({
            "accord": 1, "id": "js-keys", "version": "1", "title": "t",
            "fields": [{"id": id, "label": "x", "type": "text"}],
            "scores": [{"id": "fit", "label": "Fit", "criteria": [
                {"id": id, "label": "c", "when": true, "points": 1}]}],
            "grades": [{"id": "all", "label": "All"}]
        });
        let errors = Rulebook::from_value(&doc).unwrap_err();
        let reserved: Vec<&str> = errors
            .errors()
            .iter()
            .filter(|e| matches!(e.kind, Kind::ReservedId { .. }))
            .map(|e| e.path.as_str())
            .collect();
        assert_eq!(
            reserved,
            ["fields[0].id", "scores[0].criteria[0].id"],
            "{id}: {errors}"
        );
    }
}

#[test]
fn field_ids_the_forms_own_inputs_carry_are_refused() {
    let (path, id, msg) = one(|d| d["fields"][0]["id"] = json!("accord_website"));
    assert_eq!(path, "fields[0].id");
    assert_eq!(id.as_deref(), Some("accord_website"));
    assert!(msg.contains("the form's own inputs"), "{msg}");
    // Other field ids with `accord` in them are fine.
    let mut doc = base();
    doc["fields"][3]["id"] = json!("accordance");
    assert!(
        Rulebook::from_value(&doc).is_ok(),
        "{:?}",
        Rulebook::from_value(&doc).err()
    );
}

/// A criterion `n` negations deep, in an otherwise valid rulebook.
fn nested_rulebook(n: usize) -> Value {
    let mut rule = json!({"==": [{"var": "size"}, "large"]});
    for _ in 0..n {
        rule = json!({"!": [rule]});
    }
    json!({
        "accord": 1, "id": "deep", "version": "1", "title": "t",
        "fields": [{"id": "size", "label": "Size", "type": "choice",
                    "options": [{"value": "large"}, {"value": "small"}]}],
        "scores": [{"id": "fit", "label": "Fit", "criteria": [
            {"id": "deep", "label": "deep", "when": rule, "points": 1}]}],
        "grades": [{"id": "all", "label": "All"}]
    })
}

#[test]
fn one_nesting_limit_for_the_whole_document() {
    // scores[0].criteria[0].when is at level 5; each `!` adds two levels
    // (its object and its argument list), the innermost comparison three.
    let fits = (accord_core::MAX_NESTING - 5 - 3) / 2;
    assert!(Rulebook::from_value(&nested_rulebook(fits)).is_ok());
    let errors = Rulebook::from_value(&nested_rulebook(fits + 1)).unwrap_err();
    assert_eq!(errors.errors().len(), 1, "{errors}");
    let e = &errors.errors()[0];
    assert_eq!(e.kind.code(), "too_deep");
    assert!(
        e.path.starts_with("scores[0].criteria[0].when.!"),
        "{}",
        e.path
    );
    // A document far deeper than any reader allows is refused, not a crash.
    let errors = Rulebook::from_value(&nested_rulebook(500)).unwrap_err();
    assert_eq!(errors.errors()[0].kind.code(), "too_deep");
}

/// A rulebook whose one criterion is `when`, with a multiple-choice field.
fn with_criterion(when: Value) -> Value {
    json!({
        "accord": 1, "id": "costly", "version": "1", "title": "t",
        "fields": [{"id": "needs", "label": "Needs", "type": "multi_choice",
                    "options": [{"value": "a"}, {"value": "b"}, {"value": "c"}, {"value": "d"},
                                {"value": "e"}, {"value": "f"}, {"value": "g"}, {"value": "h"}]}],
        "scores": [{"id": "fit", "label": "Fit", "criteria": [
            {"id": "c", "label": "c", "when": when, "points": 1}]}],
        "grades": [{"id": "all", "label": "All"}]
    })
}

#[test]
fn conditions_whose_work_can_explode_are_refused_before_they_run() {
    // A reduce that doubles a text each step: 2^30 characters.
    let doubling = json!({"<": [0, {"reduce": [
        [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30],
        {"cat": [{"var": "accumulator"}, {"var": "accumulator"}]}, "x"]}]});
    // Twelve nested passes over an answer of up to 8 options: 8^12 steps.
    let mut nested = json!({"==": [{"var": ""}, "a"]});
    for _ in 0..12 {
        nested = json!({"some": [{"var": "needs"}, nested]});
    }
    for rule in [doubling, nested] {
        let errors = Rulebook::from_value(&with_criterion(rule)).unwrap_err();
        let e = &errors.errors()[0];
        assert_eq!(e.kind.code(), "too_costly", "{errors}");
        assert_eq!(e.path, "scores[0].criteria[0].when");
    }
    // A pass over the answer, and two nested ones, are fine.
    let one = json!({"some": [{"var": "needs"}, {"==": [{"var": ""}, "a"]}]});
    assert!(Rulebook::from_value(&with_criterion(one)).is_ok());
    let two = json!({"some": [{"var": "needs"}, {"some": [{"var": "needs"}, {"==": [{"var": ""}, "a"]}]}]});
    assert!(Rulebook::from_value(&with_criterion(two)).is_ok());
}

#[test]
fn a_grade_may_declare_its_speed_to_lead_sla() {
    let doc = |sla: Value| {
        json!({
            "accord": 1, "id": "sla", "version": "1", "title": "t",
            "fields": [{"id": "email", "label": "Email", "type": "email"}],
            "grades": [{"id": "hot", "label": "Hot", "when": {"!!": [{"var": "email"}]}, "sla_minutes": sla},
                       {"id": "cold", "label": "Cold"}]
        })
    };
    let rb = Rulebook::from_value(&doc(json!(15))).unwrap();
    assert_eq!(rb.grade("hot").unwrap().sla_minutes, Some(15));
    for bad in [json!(0), json!(525_601), json!(-5)] {
        let errors = Rulebook::from_value(&doc(bad.clone())).unwrap_err();
        assert_eq!(
            errors.errors()[0].path,
            "grades[0].sla_minutes",
            "{bad}: {errors}"
        );
    }
    let errors = Rulebook::from_value(&doc(json!("soon"))).unwrap_err();
    assert!(
        errors.to_string().contains("expected a whole number"),
        "{errors}"
    );
}

#[test]
fn secrets_are_refused_by_value_and_in_urls_not_only_by_header_name() {
    let doc = |destination: Value| {
        json!({
            "accord": 1, "id": "secrets", "version": "1", "title": "t",
            "fields": [{"id": "email", "label": "Email", "type": "email"}],
            "grades": [{"id": "all", "label": "All"}],
            "destinations": [destination]
        })
    };
    let refused = [
        json!({"kind": "webhook", "url": "https://hooks.example.com/lead", "headers": {"X-Client": "Bearer abc123"}}),
        json!({"kind": "webhook", "url": "https://hooks.example.com/lead", "headers": {"X-Client": "sk_live_51Habc"}}),
        json!({"kind": "webhook", "url": "https://user:pw@hooks.example.com/lead"}),
        json!({"kind": "webhook", "url": "https://hooks.example.com/lead?api_key=abc"}),
        json!({"kind": "form_post", "url": "https://forms.example.com/", "field_map": {"answers.email": "email"},
               "extra": {"oid": "pat-na1-0a1b2c3d"}}),
        json!({"kind": "form_post", "url": "https://forms.example.com/", "field_map": {"answers.email": "email"},
               "extra": {"access_token": "x"}}),
    ];
    for destination in refused {
        let errors = Rulebook::from_value(&doc(destination.clone())).unwrap_err();
        assert!(
            errors.to_string().contains("secret"),
            "{destination}: {errors}"
        );
    }
    let fine = [
        json!({"kind": "webhook", "url": "https://hooks.example.com/lead?source=web", "headers": {"X-Client": "accord"}}),
        json!({"kind": "form_post", "url": "https://webto.salesforce.com/servlet/servlet.WebToLead?encoding=UTF-8",
               "field_map": {"answers.email": "email"}, "extra": {"oid": "00D5g000004abcd", "lead_source": "Web"}}),
    ];
    for destination in fine {
        assert!(
            Rulebook::from_value(&doc(destination.clone())).is_ok(),
            "{destination}"
        );
    }
}

#[test]
fn a_report_endpoint_is_a_url_without_secrets() {
    let doc = |url: &str| {
        json!({
            "accord": 1, "id": "report", "version": "1", "title": "t",
            "fields": [{"id": "email", "label": "Email", "type": "email"}],
            "grades": [{"id": "all", "label": "All"}],
            "report_endpoint": url
        })
    };
    for url in ["https://leads.example.com/api/failures", "/api/failures"] {
        let rulebook = Rulebook::from_value(&doc(url)).expect(url);
        assert_eq!(rulebook.doc().report_endpoint.as_deref(), Some(url));
    }
    for (url, says) in [
        ("leads.example.com", "is not"),
        ("https://user:pw@leads.example.com/api/failures", "secret"),
        ("https://leads.example.com/api/failures?token=abc", "secret"),
    ] {
        let errors = Rulebook::from_value(&doc(url)).unwrap_err().to_string();
        assert!(
            errors.contains("report_endpoint") && errors.contains(says),
            "{url}: {errors}"
        );
    }
}

#[test]
fn link_placeholders_name_known_values() {
    let doc = |link: &str, booking: &str| {
        json!({
            "accord": 1, "id": "links", "version": "1", "title": "t",
            "fields": [{"id": "email", "label": "Email", "type": "email"}],
            "grades": [{"id": "all", "label": "All", "outcome": {"message": "Thanks", "link": {"label": "Book", "url": link}}}],
            "routes": [{"to": {"team": "sales", "booking_url": booking}}]
        })
    };
    let fine = Rulebook::from_value(&doc(
        "{route.booking_url}&utm_content={grade}",
        "https://calendly.com/acme/intro?email={answers.email}&a1={submission_id}&owner={route.owner}",
    ));
    assert!(fine.is_ok(), "{fine:?}");
    for (link, booking, path, says) in [
        (
            "https://x.example/?e={answers.mail}",
            "https://c.example",
            "grades[0].outcome.link.url",
            "unknown placeholder `{answers.mail}`",
        ),
        (
            "https://x.example/?p={password}",
            "https://c.example",
            "grades[0].outcome.link.url",
            "unknown placeholder `{password}`",
        ),
        (
            "https://x.example",
            "{route.booking_url}",
            "routes[0].to.booking_url",
            "unknown placeholder `{route.booking_url}`",
        ),
        (
            "{route.booking_url}&api_key=abc",
            "https://c.example",
            "grades[0].outcome.link.url",
            "secret",
        ),
    ] {
        let errors = Rulebook::from_value(&doc(link, booking))
            .unwrap_err()
            .to_string();
        assert!(
            errors.contains(path) && errors.contains(says),
            "{link} {booking}: {errors}"
        );
    }
}

#[test]
fn a_rulebook_s_language_and_strings_are_checked() {
    let doc = |locale: &str, strings: Value| {
        json!({
            "accord": 1, "id": "lang", "version": "1", "title": "t", "locale": locale,
            "fields": [{"id": "email", "label": "Email", "type": "email"}],
            "grades": [{"id": "all", "label": "All"}],
            "strings": strings
        })
    };
    let fine = Rulebook::from_value(&doc(
        "ar-EG",
        json!({"send": "إرسال", "step": "الخطوة {n} من {total}"}),
    ))
    .expect("valid");
    assert_eq!(fine.doc().locale.as_deref(), Some("ar-EG"));
    assert_eq!(fine.doc().strings["send"], "إرسال");
    for (locale, strings, path, says) in [
        ("german", json!({}), "locale", "is not a language tag"),
        (
            "de",
            json!({"sned": "Senden"}),
            "strings.sned",
            "is not a string id",
        ),
        ("de", json!({"send": ""}), "strings.send", "empty"),
        (
            "de",
            json!({"step": "Schritt {n} von {alle}"}),
            "strings.step",
            "`{alle}` is not a value of `step`",
        ),
        (
            "de",
            json!({"send": 3}),
            "strings.send",
            "expected a string",
        ),
    ] {
        let errors = Rulebook::from_value(&doc(locale, strings.clone()))
            .unwrap_err()
            .to_string();
        assert!(
            errors.contains(path) && errors.contains(says),
            "{locale} {strings}: {errors}"
        );
    }
}

#[test]
fn a_placeholder_cannot_choose_the_host() {
    let doc = json!({
        "accord": 1, "id": "host", "version": "1", "title": "t",
        "fields": [{"id": "company", "label": "Company", "type": "text"}],
        "grades": [{"id": "all", "label": "All", "outcome": {"message": "Thanks",
            "link": {"label": "Book", "url": "https://{answers.company}/book"}}}]
    });
    let errors = Rulebook::from_value(&doc).unwrap_err().to_string();
    assert!(errors.contains("only come after the host name"), "{errors}");
}

#[test]
fn value_tables_translate_only_sent_paths_into_text() {
    let doc = |values: Value| {
        json!({
            "accord": 1, "id": "values", "version": "1", "title": "t",
            "fields": [{"id": "email", "label": "Email", "type": "email"}],
            "grades": [{"id": "sql", "label": "SQL"}],
            "destinations": [{"kind": "hubspot", "portal_id": "123456",
                "form_guid": "0f0e0d0c-0b0a-4909-8807-060504030201",
                "field_map": {"answers.email": "email", "qualification.grade": "lifecyclestage"},
                "values": values}]
        })
    };
    let fine = doc(json!({"qualification.grade": {"sql": "salesqualifiedlead"}}));
    let rulebook = Rulebook::from_value(&fine).unwrap();
    assert_eq!(
        serde_json::to_value(rulebook.doc()).unwrap()["destinations"][0]["values"],
        json!({"qualification.grade": {"sql": "salesqualifiedlead"}}),
        "the table is kept as written"
    );
    for (values, path, says) in [
        (
            json!({"qualification.route.team": {"smb": "52414"}}),
            "destinations[0].values.qualification.route.team",
            "field_map",
        ),
        (
            json!({"qualification.grade": {"sql": 7}}),
            "destinations[0].values.qualification.grade.sql",
            "string",
        ),
        (
            json!({"qualification.grade": "salesqualifiedlead"}),
            "destinations[0].values.qualification.grade",
            "object",
        ),
        (
            json!({"qualification.grade": {"sql": "pat-na1-0a1b2c3d"}}),
            "destinations[0].values.qualification.grade.sql",
            "secret",
        ),
        (
            json!({"qualification.grade": {"SQL": "salesqualifiedlead"}}),
            "destinations[0].values.qualification.grade.SQL",
            "never a value of `qualification.grade`, so this line never applies; expected one of `sql`, `disqualified`",
        ),
        (
            json!({"qualification.grade": {}}),
            "destinations[0].values.qualification.grade",
            "an empty table",
        ),
    ] {
        let errors = Rulebook::from_value(&doc(values.clone())).unwrap_err();
        let text = errors.to_string();
        assert!(
            text.contains(path) && text.contains(says),
            "{values}: {text}"
        );
    }
}
