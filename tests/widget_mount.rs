//! Component tests in headless Chromium (wasm-bindgen-test): mount the widget
//! into an element of its own, use it through the DOM, and read what it
//! rendered and the events it sent.
#![cfg(target_arch = "wasm32")]

use accord_widget::mount;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

const MINIMAL: &str = include_str!("../static/rulebooks/minimal.json");
/// Two steps: two questions, then four (more than the widget draws per task).
const TWO_STEPS: &str = include_str!("rulebooks/two-steps.json");

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("timer");
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("timer fires");
}

/// Waits (up to two seconds) until `check` finds what it looks for.
async fn until<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    for _ in 0..100 {
        if let Some(found) = check() {
            return found;
        }
        sleep(20).await;
    }
    panic!("timed out waiting for {what}");
}

/// Mounts a widget with `options` into a fresh element of the page.
fn mount_with(options: &[(&str, &str)]) -> Element {
    let document = web_sys::window()
        .expect("window")
        .document()
        .expect("document");
    let host = document.create_element("div").expect("div");
    document
        .body()
        .expect("body")
        .append_child(&host)
        .expect("append");
    let object = js_sys::Object::new();
    for (key, value) in options {
        js_sys::Reflect::set(&object, &(*key).into(), &(*value).into()).expect("set");
    }
    mount(host.clone(), object.into()).expect("mounts");
    host
}

fn shadow(host: &Element) -> ShadowRoot {
    host.shadow_root().expect("an open shadow root")
}

/// The control a `<label>` with this text points at, once a person can see
/// it: the widget draws its form out of sight a few questions per task, and
/// shows it whole.
fn by_label(root: &ShadowRoot, text: &str) -> Option<Element> {
    let labels = root.query_selector_all("label").ok()?;
    (0..labels.length())
        .filter_map(|i| labels.item(i)?.dyn_into::<Element>().ok())
        .filter(|l| l.closest("[hidden]").ok().flatten().is_none())
        .find(|l| l.text_content().unwrap_or_default().trim_end_matches(" *") == text)
        .and_then(|l| root.get_element_by_id(&l.get_attribute("for")?))
}

/// The form's submit button (Continue or Send).
fn submit_button(root: &ShadowRoot) -> HtmlElement {
    root.query_selector("button[type=submit]")
        .expect("query")
        .expect("a submit button")
        .dyn_into()
        .expect("html")
}

fn type_into(input: &HtmlInputElement, text: &str) {
    input.set_value(text);
    let event = web_sys::InputEvent::new("input").expect("event");
    input.dispatch_event(&event).expect("dispatch");
}

#[wasm_bindgen_test]
async fn renders_the_rulebooks_fields_with_labels_in_a_shadow_root() {
    let host = mount_with(&[("rulebookJson", MINIMAL)]);
    let root = shadow(&host);
    let email = until("the email field", || by_label(&root, "Email")).await;
    assert_eq!(email.get_attribute("type").as_deref(), Some("email"));
    assert_eq!(
        email.get_attribute("autocomplete").as_deref(),
        Some("email")
    );
    assert_eq!(
        email.get_attribute("aria-required").as_deref(),
        Some("true")
    );
    let size = by_label(&root, "Company size").expect("the choice field");
    assert_eq!(size.tag_name(), "SELECT");
    // Shown whole, the form replaced the loading card.
    assert!(root.query_selector(".loading").unwrap().is_none());
    // Nothing leaks into the light DOM.
    assert_eq!(host.child_element_count(), 0);
    host.remove();
}

#[wasm_bindgen_test]
async fn a_later_step_is_drawn_whole_at_once_with_the_focus_on_its_title() {
    let host = mount_with(&[("rulebookJson", TWO_STEPS)]);
    let root = shadow(&host);
    let email: HtmlInputElement = until("the first step", || by_label(&root, "Email"))
        .await
        .dyn_into()
        .expect("an input");
    type_into(&email, "ada@example.com");
    let next = submit_button(&root);
    next.click();
    let title = until("the focus on the second step's title", || {
        root.active_element().filter(|e| e.id() == "accord-page")
    })
    .await;
    assert_eq!(title.text_content().as_deref(), Some("Your company"));
    // All four questions, shown together with the title.
    for label in ["Company size", "Company", "City", "Notes"] {
        assert!(by_label(&root, label).is_some(), "{label} is shown");
    }
    host.remove();
}

#[wasm_bindgen_test]
async fn the_qualification_updates_live_and_is_announced_to_the_host() {
    let host = mount_with(&[("rulebookJson", MINIMAL)]);
    let grades = Rc::new(RefCell::new(Vec::<String>::new()));
    let seen = grades.clone();
    let listener = Closure::<dyn Fn(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
        let grade = js_sys::Reflect::get(&e.detail(), &"grade".into())
            .ok()
            .and_then(|g| g.as_string());
        seen.borrow_mut().push(grade.unwrap_or_default());
    });
    host.add_event_listener_with_callback("accord:change", listener.as_ref().unchecked_ref())
        .expect("listen");
    let root = shadow(&host);
    let size: HtmlSelectElement = until("the size field", || by_label(&root, "Company size"))
        .await
        .dyn_into()
        .expect("a select");
    // The first announcement comes from an effect after the first render:
    // wait for it rather than read it before it was sent.
    until("the first accord:change", || {
        (grades.borrow().last().map(String::as_str) == Some("nurture")).then_some(())
    })
    .await;
    size.set_value("large");
    size.dispatch_event(&web_sys::Event::new("change").expect("event"))
        .expect("dispatch");
    until("the mql grade", || {
        (grades.borrow().last().map(String::as_str) == Some("mql")).then_some(())
    })
    .await;
    assert_eq!(
        host.get_attribute("data-accord-grade").as_deref(),
        Some("mql")
    );
    host.remove();
}

#[wasm_bindgen_test]
async fn a_missing_answer_is_reported_next_to_its_field() {
    let host = mount_with(&[("rulebookJson", MINIMAL), ("minFillMs", "0")]);
    let root = shadow(&host);
    let email: HtmlInputElement = until("the email field", || by_label(&root, "Email"))
        .await
        .dyn_into()
        .expect("an input");
    type_into(&email, "nope");
    let send = submit_button(&root);
    let form_before = root.query_selector("form").unwrap().unwrap();
    let field_before = root.query_selector(".field").unwrap().unwrap();
    send.click();
    // The problem is shown once the submit has been handled and rendered.
    until("the email marked invalid", || {
        (email.get_attribute("aria-invalid").as_deref() == Some("true")).then_some(())
    })
    .await;
    // Typing and showing the problem re-rendered the form without replacing
    // its elements (focus would be lost).
    let again = by_label(&root, "Email").expect("still there");
    assert!(again.is_same_node(Some(&email)), "typing keeps the input");
    let form_after = root.query_selector("form").unwrap().unwrap();
    let field_after = root.query_selector(".field").unwrap().unwrap();
    assert!(
        form_before.is_same_node(Some(&form_after)),
        "form re-created"
    );
    assert!(
        field_before.is_same_node(Some(&field_after)),
        "field re-created"
    );
    let message_id = email
        .get_attribute("aria-describedby")
        .expect("described by its message");
    let message = root
        .get_element_by_id(&message_id)
        .expect("the message element");
    assert_eq!(
        message.text_content().as_deref(),
        Some("Enter an email address, like name@company.com.")
    );
    host.remove();
}

/// A valid rulebook nobody published (no stamp), or one changed after it
/// was: the widget does not run rules nobody checked.
#[wasm_bindgen_test]
async fn an_unpublished_or_edited_rulebook_shows_the_capture_form() {
    let mut doc: serde_json::Value = serde_json::from_str(MINIMAL).expect("JSON");
    doc["title"] = "Edited after publishing".into();
    let mut draft = doc.clone();
    draft
        .as_object_mut()
        .expect("an object")
        .remove(accord_core::CHECKED_KEY);
    for text in [doc.to_string(), draft.to_string()] {
        assert!(accord_core::Rulebook::from_json(&text).is_ok(), "valid");
        let host = mount_with(&[("rulebookJson", &text)]);
        let root = shadow(&host);
        until("the capture form", || by_label(&root, "Message")).await;
        assert!(by_label(&root, "Company size").is_none());
        host.remove();
    }
}

#[wasm_bindgen_test]
async fn an_unusable_rulebook_shows_the_capture_form() {
    let host = mount_with(&[("rulebookJson", "{\"accord\": 1, \"fields\": [")]);
    let root = shadow(&host);
    until("the capture form", || by_label(&root, "Message")).await;
    assert!(by_label(&root, "Email").is_some());
    assert!(by_label(&root, "Name").is_some());
    host.remove();
}

#[wasm_bindgen_test]
fn the_minimum_fill_time_is_read_as_javascript_reads_a_number() {
    use accord_widget::config::{Config, DEFAULT_MIN_FILL_MS};
    let min_fill = |value: JsValue| {
        let options = js_sys::Object::new();
        js_sys::Reflect::set(&options, &"minFillMs".into(), &value).expect("set");
        Config::from_js(&options.into(), None).min_fill_ms
    };
    assert_eq!(min_fill(" 1500 ".into()), 1500.0);
    assert_eq!(min_fill("2.5e3".into()), 2500.0);
    assert_eq!(min_fill(JsValue::from_f64(800.0)), 800.0);
    // Malformed, blank or negative: the default, never "no minimum".
    for text in ["3s", "", "  ", "-5", "Infinity"] {
        assert_eq!(min_fill(text.into()), DEFAULT_MIN_FILL_MS, "{text:?}");
    }
}

/// A rulebook whose one criterion is `n` negations deep, stamped with its
/// hash as `accord publish` would (a stamp is only a hash: the too-deep
/// one carries one too, and the widget must still refuse it).
fn nested_rulebook(n: usize) -> String {
    let mut rule = serde_json::json!({"==": [{"var": "size"}, "large"]});
    for _ in 0..n {
        rule = serde_json::json!({"!": [rule]});
    }
    let mut doc = serde_json::json!({
        "accord": 1, "id": "deep", "version": "1", "title": "Deep",
        "fields": [{"id": "size", "label": "Company size", "type": "choice",
                    "options": [{"value": "large"}, {"value": "small"}]}],
        "scores": [{"id": "fit", "label": "Fit", "criteria": [
            {"id": "deep", "label": "deep", "when": rule, "points": 1}]}],
        "grades": [{"id": "all", "label": "All"}]
    });
    let sha256 = accord_core::rulebook_sha256(&doc);
    doc[accord_core::CHECKED_KEY] = sha256.into();
    doc.to_string()
}

/// The browser reads no deeper than the native validator accepts: the
/// deepest valid rulebook shows its form, one level more the capture form,
/// though its stamp is its hash.
#[wasm_bindgen_test]
async fn the_widget_accepts_exactly_the_rulebooks_the_engine_accepts() {
    let fits = (accord_core::MAX_NESTING - 5 - 3) / 2;
    for (n, valid) in [(fits, true), (fits + 1, false)] {
        let text = nested_rulebook(n);
        assert_eq!(
            accord_core::Rulebook::from_json(&text).is_ok(),
            valid,
            "native, {n} deep"
        );
        let host = mount_with(&[("rulebookJson", &text)]);
        let root = shadow(&host);
        if valid {
            until("the rulebook's form", || by_label(&root, "Company size")).await;
        } else {
            until("the capture form", || by_label(&root, "Message")).await;
        }
        host.remove();
    }
}

/// Whatever is pasted, the capture form's record stays small enough to be
/// accepted.
#[wasm_bindgen_test]
async fn the_capture_form_keeps_its_record_small_enough_to_be_accepted() {
    let host = mount_with(&[
        ("rulebookJson", "{\"accord\": 1, \"fields\": ["),
        ("endpoint", "http://127.0.0.1:9/unreachable"),
        ("minFillMs", "0"),
    ]);
    let root = shadow(&host);
    let message = until("the capture form", || by_label(&root, "Message")).await;
    assert_eq!(message.get_attribute("maxlength").as_deref(), Some("5000"));
    let message: web_sys::HtmlTextAreaElement = message.dyn_into().expect("a text area");
    message.set_value(&"é".repeat(20_000));
    let email: HtmlInputElement = by_label(&root, "Email")
        .expect("email")
        .dyn_into()
        .expect("input");
    email.set_value("long@writer.example");
    let send = submit_button(&root);
    send.click();
    let stored = until("the record in the outbox", || {
        let outbox = accord_widget::outbox();
        let text = js_sys::JSON::stringify(&outbox).ok()?.as_string()?;
        let value: serde_json::Value = serde_json::from_str(&text).ok()?;
        value["deliveries"]
            .as_array()?
            .iter()
            .find(|d| {
                d["request"]["body"]
                    .as_str()
                    .is_some_and(|b| b.contains("long@writer.example"))
            })
            .cloned()
    })
    .await;
    let record: serde_json::Value =
        serde_json::from_str(stored["request"]["body"].as_str().expect("a body")).expect("JSON");
    assert_eq!(
        record["answers"]["message"]
            .as_str()
            .expect("text")
            .chars()
            .count(),
        5_000
    );
    host.remove();
}

/// A stored outbox with one unreadable delivery: the others are kept (and
/// would be sent), the broken one is set aside under its own key.
#[wasm_bindgen_test]
fn one_unreadable_stored_delivery_never_costs_the_others() {
    let storage = web_sys::window()
        .expect("window")
        .local_storage()
        .expect("storage")
        .expect("local storage");
    let mut stored: serde_json::Value = serde_json::from_str(include_str!(
        "../crates/accord-core/tests/data/outbox-v1.json"
    ))
    .expect("the sample");
    stored["deliveries"][1]["request"]["url"] = serde_json::json!(42);
    storage
        .set_item("accord:outbox", &stored.to_string())
        .expect("stored");
    let outbox = js_sys::JSON::stringify(&accord_widget::outbox())
        .expect("JSON")
        .as_string()
        .expect("text");
    let outbox: serde_json::Value = serde_json::from_str(&outbox).expect("JSON");
    assert_eq!(outbox["deliveries"].as_array().expect("a list").len(), 2);
    let aside = (0..storage.length().expect("length"))
        .filter_map(|i| storage.key(i).ok().flatten())
        .find(|k| k.starts_with("accord:outbox:unreadable:"))
        .expect("the unreadable delivery is kept aside");
    let kept: serde_json::Value =
        serde_json::from_str(&storage.get_item(&aside).unwrap().unwrap()).unwrap();
    assert_eq!(kept, serde_json::json!([stored["deliveries"][1]]));
    storage.remove_item(&aside).unwrap();
    storage.remove_item("accord:outbox").unwrap();
}
