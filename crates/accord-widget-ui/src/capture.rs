//! The capture-only form shown when the rulebook cannot be used.
//!
//! A broken or unreachable rulebook must never leave a dead page: the
//! visitor gets a plain form (name, email, message) that sends a record to
//! the embed's endpoint, and the site owner gets the error in the console.

use crate::config::Config;

use accord_core::{
    Answers, Strings, CAPTURE_EMAIL_MAX as EMAIL_MAX, CAPTURE_MESSAGE_MAX as MESSAGE_MAX,
    CAPTURE_NAME_MAX as NAME_MAX,
};
use accord_web::load::RulebookSource;
use accord_web::{bridge, events, outbox, page};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// The rulebook id capture-only records carry (defined in accord-core,
/// which builds the record).
pub use accord_core::CAPTURE_RULEBOOK_ID;

/// Properties of [`CaptureForm`].
#[derive(Properties, PartialEq, Clone)]
pub struct CaptureProps {
    /// The embed's configuration.
    pub config: Rc<Config>,
    /// Why the rulebook cannot be used (for the site owner's report).
    pub problem: AttrValue,
    /// The visitor's language.
    pub strings: Rc<Strings>,
}

/// Name, email and message; nothing else to go wrong.
#[function_component(CaptureForm)]
pub fn capture_form(props: &CaptureProps) -> Html {
    let strings = props.strings.clone();
    let name = use_node_ref();
    let email = use_node_ref();
    let message = use_node_ref();
    let error = use_state(|| None::<String>);
    let done = use_state(|| None::<String>);
    let onsubmit = {
        let (name, email, message) = (name.clone(), email.clone(), message.clone());
        let (error, done, config) = (error.clone(), done.clone(), props.config.clone());
        let problem = props.problem.clone();
        let strings = strings.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let read = |r: &NodeRef| {
                r.cast::<HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default()
            };
            let email_text = read(&email);
            if !email_text.contains('@') {
                error.set(Some(strings.get("bad_email").into()));
                return;
            }
            error.set(None);
            let message = message
                .cast::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default();
            let answers = accord_core::capture_answers(&read(&name), &email_text, &message);
            send(&config, &problem, answers, &done, &strings);
        })
    };
    if let Some(status) = &*done {
        return html! {
            <section class="accord" data-theme={props.config.theme.clone()}>
                <h2 id="accord-outcome" tabindex="-1">{ strings.get("thank_you") }</h2>
                <p>{ strings.get("received_message") }</p>
                <p class="delivery" role="status" aria-live="polite">{ status }</p>
            </section>
        };
    }
    let invalid = error.as_ref().map(|_| AttrValue::Static("true"));
    let described = error.as_ref().map(|_| AttrValue::Static("c-email-error"));
    html! {
        <section class="accord" data-theme={props.config.theme.clone()} aria-labelledby="accord-title">
            <h2 id="accord-title">{ strings.get("contact_us") }</h2>
            <form class="accord-form" novalidate=true {onsubmit}>
                <div class="field">
                    <label for="c-name">{ strings.get("name") }</label>
                    <input id="c-name" type="text" autocomplete="name" maxlength={NAME_MAX.to_string()} ref={name} />
                </div>
                <div class="field">
                    <label for="c-email">{ strings.get("email") }<span class="req" aria-hidden="true">{ " *" }</span></label>
                    <input id="c-email" type="email" autocomplete="email" aria-required="true" maxlength={EMAIL_MAX.to_string()}
                           aria-invalid={invalid} aria-describedby={described} ref={email} />
                    if let Some(text) = &*error {
                        <p class="error" id="c-email-error">{ text }</p>
                    }
                </div>
                <div class="field">
                    <label for="c-message">{ strings.get("message") }</label>
                    <textarea id="c-message" rows="3" maxlength={MESSAGE_MAX.to_string()} ref={message} />
                </div>
                <div class="actions"><button type="submit">{ strings.get("send") }</button></div>
            </form>
        </section>
    }
}

/// Sends a capture-only record to the embed's endpoint, else as a failure
/// report ("the rulebook could not be used: `problem`") to its report
/// endpoint, so the fallback works beside the rulebook's own destinations;
/// `done` receives the visitor's status line, and follows the delivery.
fn send(
    config: &Config,
    problem: &str,
    answers: Answers,
    done: &UseStateHandle<Option<String>>,
    strings: &Rc<Strings>,
) {
    if config.endpoint.is_none() && config.report_endpoint.is_none() {
        web_sys::console::error_1(
            &"accord: the rulebook could not be used and neither data-accord-endpoint nor data-accord-report-endpoint is set, so this message cannot be sent".into(),
        );
        done.set(Some(strings.get("cannot_send").into()));
        return;
    }
    let record = capture_record(answers);
    let Ok(value) = serde_json::to_value(&record) else {
        return;
    };
    events::emit(
        config.host.as_ref(),
        "accord:qualified",
        &bridge::to_js(&value),
    );
    let request = match (&config.endpoint, &config.report_endpoint) {
        (Some(url), _) => {
            accord_core::webhook_request(url, config.encoding, &config.headers, &value)
        }
        (None, Some(report)) => accord_core::failure_report_request(
            report,
            &record.submission_id,
            None,
            match &config.rulebook {
                RulebookSource::Url(url) => url,
                _ => "data-accord-rulebook-json",
            },
            0,
            problem,
            &accord_core::canonical_json(&value),
        ),
        (None, None) => return,
    };
    done.set(Some(strings.get("sending").into()));
    let (done, strings) = (done.clone(), strings.clone());
    outbox::send_record(
        &record.submission_id,
        vec![request],
        None,
        config.host.clone(),
        move |progress| done.set(Some(outbox::status_text(progress, &strings))),
    );
}

/// A capture-only record of this page (accord_core::capture_record).
fn capture_record(answers: Answers) -> accord_core::LeadRecord {
    accord_core::capture_record(
        answers,
        page::context(),
        accord_core::Submission {
            submission_id: page::new_submission_id(),
            submitted_at: page::now_rfc3339(),
            rep: None,
            notes: None,
            call: None,
            enrichment: None,
        },
    )
}
