//! The qualification form: the rulebook's questions for one audience, the
//! live qualification, submission and the outcome.

use crate::config::Config;
use crate::outcome::{default_outcome, OutcomeView};
use accord_web::field::{self, focus_by_id, focused_field, FieldInput};
use accord_web::form_state::{FormAction, FormState, Phase};
use accord_web::main_thread::{wait_ms, yield_to_browser};

use accord_core::{Channel, LeadRecord, Outcome, Rulebook, Strings};
use accord_web::{bridge, enrich, events, i18n, outbox, page};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Properties of [`QualifyForm`].
#[derive(Properties, PartialEq, Clone)]
pub struct QualifyFormProps {
    /// The rulebook, as published.
    pub rulebook: Rc<Rulebook>,
    /// The embed's configuration.
    pub config: Rc<Config>,
    /// The visitor's language.
    pub strings: Rc<Strings>,
    /// The challenger run in the shadow of `rulebook`, once loaded.
    #[prop_or_default]
    pub shadow: Option<Rc<Rulebook>>,
    /// Answers typed before the widget ran (into a prerendered form).
    #[prop_or_default]
    pub typed: Rc<serde_json::Map<String, serde_json::Value>>,
    /// When the form appeared, if before this component (a prerendered
    /// form); else it appears now.
    #[prop_or_default]
    pub shown_at_ms: Option<f64>,
    /// Draw the first page a few questions per task ([`FIELDS_PER_TASK`]),
    /// out of sight until it is whole, as a widget starting in a browser
    /// does; without it (a prerender), the form is drawn whole at once.
    #[prop_or_default]
    pub in_steps: bool,
    /// Called once a form drawn in steps is whole and shown and, over a
    /// prerendered form, holds what was typed there until now.
    #[prop_or_default]
    pub on_drawn: Callback<()>,
}

/// How many questions the first drawing of a form adds per task. Drawing a
/// whole form at once is one task of about 200 ms on a slow phone (CPU
/// slowed 4×, most of it Yew creating the fields); a visitor typing into a
/// prerendered form, or the host page, would wait that long. A few
/// questions per task keep each task near 50 ms (`scripts/start-trace.mjs`
/// shows them; BENCHMARKS.md, "Prerendered form").
pub const FIELDS_PER_TASK: usize = 2;

/// The form a visitor fills in.
#[function_component(QualifyForm)]
pub fn qualify_form(props: &QualifyFormProps) -> Html {
    let config = props.config.clone();
    let strings = props.strings.clone();
    let state = {
        let rulebook = props.rulebook.clone();
        let audience = config.audience;
        let typed = props.typed.clone();
        use_reducer(move || {
            let mut answers = page::hidden_answers(rulebook.doc());
            answers.extend(typed.iter().map(|(k, v)| (k.clone(), v.clone())));
            FormState::new(rulebook, page::context(), audience, answers)
        })
    };
    let started = use_memo(props.shown_at_ms, |shown| {
        shown.unwrap_or_else(page::now_ms)
    });
    // How many of the first page's questions are drawn so far, and whether
    // the form is shown: drawn whole, after which any page is drawn at once.
    let drawn = use_state(|| FIELDS_PER_TASK);
    let shown = use_state(|| !props.in_steps);
    let limit = if *shown { usize::MAX } else { *drawn };
    let whole = limit >= state.pages[state.page].fields.len();
    let status = use_state(String::new);
    // What the visitor sees after submitting, from the lead's record (its
    // pool owner and links filled with its values).
    let outcome = use_state(|| None::<Outcome>);
    let root = use_node_ref();
    let honeypot = use_node_ref();

    // Tell the host page whenever the qualification changes.
    {
        let host = config.host.clone();
        use_effect_with(state.qualification.clone(), move |q| {
            let detail = serde_json::to_value(&**q)
                .map(|v| bridge::to_js(&v))
                .unwrap_or_default();
            events::emit(host.as_ref(), "accord:change", &detail);
            if let Some(host) = &host {
                let _ = host.set_attribute("data-accord-grade", &q.grade);
            }
        });
    }
    // Move focus where the last transition asked.
    {
        let root = root.clone();
        use_effect_with(state.focus.clone(), move |focus| {
            if let Some((id, _)) = focus {
                focus_by_id(&root, id);
            }
        });
    }

    // Draw the rest of the first page in the tasks that follow.
    {
        let drawn = drawn.clone();
        use_effect_with((*drawn, whole), move |(count, whole)| {
            if !*whole {
                let count = *count;
                wasm_bindgen_futures::spawn_local(async move {
                    yield_to_browser().await;
                    drawn.set(count + FIELDS_PER_TASK);
                });
            }
        });
    }
    // Whole: over a prerendered form, first take what was typed into it
    // while this one was drawn (then render again, in the same task); then
    // show it, and say so. Showing it and the widget's taking its place
    // (`on_drawn`) are rendered together, so no frame shows both.
    {
        let (state, config, on_drawn) = (state.clone(), config.clone(), props.on_drawn.clone());
        let shown = shown.clone();
        use_effect(move || {
            if !whole || *shown {
                return;
            }
            if let Some(prerendered) = &config.prerendered {
                let typed = field::typed_answers(prerendered, &state.rulebook.doc().fields);
                if !state.holds(&typed) {
                    state.dispatch(FormAction::Typed(typed));
                    return;
                }
            }
            shown.set(true);
            on_drawn.emit(());
        });
    }

    // Look the lead up once its email address or phone number has stood
    // still for a moment; a later change makes an earlier lookup's result
    // moot. Nothing waits on it: the form is usable all along.
    // `data-accord-enrich="after-consent"` waits for the consent boxes.
    let allowed = config.lookups.allowed(state.consent_given());
    let lookups = use_mut_ref(|| 0u32);
    {
        let inputs = enrich::inputs(&state.rulebook, &state.answers);
        let (state, config, root) = (state.clone(), config.clone(), root.clone());
        use_effect_with((inputs, allowed), move |(inputs, allowed)| {
            let allowed = *allowed;
            if inputs
                .as_ref()
                .is_some_and(|(email, phone)| email.is_some() || phone.is_some())
            {
                *lookups.borrow_mut() += 1;
                let this = *lookups.borrow();
                wasm_bindgen_futures::spawn_local(async move {
                    wait_ms(enrich::DEBOUNCE_MS).await;
                    if *lookups.borrow() != this {
                        return;
                    }
                    let (rulebook, answers) = (state.rulebook.clone(), state.answers.clone());
                    enrich::look_up(&rulebook, &answers, &config.asset_base, allowed).await;
                    if *lookups.borrow() != this {
                        return;
                    }
                    if let Some(snapshot) = enrich::snapshot(&rulebook, &answers, allowed) {
                        state.dispatch(FormAction::Enriched(snapshot, focused_field(&root)));
                    }
                });
            }
        });
    }

    let on_answer = {
        let state = state.clone();
        Callback::from(move |(id, value)| state.dispatch(FormAction::Answer(id, value)))
    };
    let on_back = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(FormAction::Back))
    };
    let onsubmit = {
        let state = state.clone();
        let status = status.clone();
        let config = config.clone();
        let honeypot = honeypot.clone();
        let outcome = outcome.clone();
        let strings = strings.clone();
        let root = root.clone();
        let started = *started;
        let shadow = props.shadow.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if !state.on_last_page() {
                state.dispatch(FormAction::Next);
                return;
            }
            if !state.can_submit() {
                let n = state.qualification.missing.len() + state.qualification.invalid.len();
                status.set(if n == 1 {
                    strings.get("check_one").to_owned()
                } else {
                    strings.fill("check_many", &[("n", &i18n::number(&strings, n))])
                });
                state.dispatch(FormAction::ShowAllProblems);
                return;
            }
            let trap = honeypot
                .cast::<HtmlInputElement>()
                .is_some_and(|i| !i.value().is_empty());
            let too_fast = page::now_ms() - started < config.min_fill_ms;
            let rulebook = &state.rulebook;
            let channel = Channel::from(state.audience);
            // What enrichment has found by now; a lookup still out counts
            // as timed out: the visitor never waits for one.
            let submission = accord_core::Submission {
                enrichment: enrich::snapshot(rulebook, &state.answers, allowed),
                ..page::new_submission()
            };
            let mut record = rulebook.record(&state.answers, &state.context, channel, submission);
            // The challenger's verdict rides along; the visitor's outcome
            // and the delivery are the live rulebook's alone.
            record.shadow = shadow.as_ref().map(|s| s.shadow_of(&record));
            outcome.set(rulebook.outcome_for(&record));
            keep_height(&root);
            if trap || too_fast {
                // A bot: show the same success, send nothing.
                web_sys::console::warn_1(&"accord: submission looked automated; not sent".into());
                status.set(strings.get("sent").into());
            } else {
                submit(&record, rulebook, &config, &status, &strings);
            }
            state.dispatch(FormAction::Finish);
        })
    };

    let doc = state.rulebook.doc();
    let body = if state.phase == Phase::Done {
        let outcome = (*outcome)
            .clone()
            .unwrap_or_else(|| default_outcome(&strings));
        html! { <OutcomeView {outcome} status={AttrValue::from((*status).clone())} strings={strings.clone()} /> }
    } else {
        let page_count = state.pages.len();
        let current = &state.pages[state.page];
        // Every field of the page is rendered, the ones whose `show_if`
        // does not hold hidden: showing one never moves the others in the
        // DOM, so the control in use keeps focus.
        let fields = current.fields.iter().take(limit).map(|i| {
            let field = state.field(*i);
            let hidden = !state.visible.get(*i).copied().unwrap_or(true);
            html! {
                <FieldInput key={field.id.clone()} field={Rc::new(field.clone())}
                    value={state.answers.get(&field.id).cloned()}
                    error={state.message(field, &strings)}
                    on_answer={on_answer.clone()} {hidden} strings={strings.clone()} />
            }
        });
        html! {
            // `action` and `method`: with scripts blocked, a prerendered form
            // is posted to the endpoint as it is, with the rulebook it
            // belongs to (the inbox qualifies it; docs/embedding.md). Never
            // a `GET`, which would put the answers in a URL.
            <form class="accord-form" novalidate=true {onsubmit} action={config.endpoint.clone()}
                  method="post">
                <input type="hidden" name="accord_rulebook" value={doc.id.clone()} />
                <input type="hidden" name="accord_version" value={doc.version.clone()} />
                // Filled by the loader before a send it held goes as a form
                // post, so posting twice is one lead; empty without scripts.
                <input type="hidden" name="accord_submission_id" value="" />
                if page_count > 1 {
                    <p class="progress">{ strings.fill("step", &[
                        ("n", &i18n::number(&strings, state.page + 1)),
                        ("total", &i18n::number(&strings, page_count)),
                    ]) }</p>
                    <h3 id="accord-page" tabindex="-1">{ &current.title }</h3>
                }
                { for fields }
                <div class="trap">
                    <label for="accord-website">{ strings.get("honeypot") }</label>
                    <input id="accord-website" name="accord_website" type="text" tabindex="-1"
                           autocomplete="off" ref={honeypot} />
                </div>
                <div class="actions">
                    if state.page > 0 {
                        <button type="button" class="secondary" onclick={on_back}>{ strings.get("back") }</button>
                    }
                    <button type="submit" id="accord-submit">{ strings.get(if state.on_last_page() { "send" } else { "continue" }) }</button>
                </div>
            </form>
        }
    };
    html! {
        // Out of sight while drawn in steps, unless its whole root is.
        <section class="accord" ref={root} data-theme={config.theme.clone()} aria-labelledby="accord-title"
                 hidden={!*shown && config.prerendered.is_none()}>
            <h2 id="accord-title">{ &doc.title }</h2>
            if let Some(text) = &doc.description {
                <p class="intro">{ text }</p>
            }
            { body }
            if state.phase == Phase::Filling {
                <p class="status" role="status" aria-live="polite">{ (*status).clone() }</p>
            }
            if config.preview {
                { preview(&state) }
            }
        </section>
    }
}

/// Keeps the card as tall as the form was: the outcome is shorter, and the
/// page below must not jump up when it replaces the form. Set through the
/// CSSOM, which a strict Content-Security-Policy allows (a `style`
/// attribute it would block).
fn keep_height(root: &NodeRef) {
    if let Some(card) = root.cast::<web_sys::HtmlElement>() {
        let height = format!("{}px", card.offset_height());
        let _ = card.style().set_property("min-height", &height);
    }
}

/// Puts the record in the outbox and starts delivery.
fn submit(
    record: &LeadRecord,
    rulebook: &Rulebook,
    config: &Config,
    status: &UseStateHandle<String>,
    strings: &Rc<Strings>,
) {
    let id = record.submission_id.clone();
    let Ok(value) = serde_json::to_value(record) else {
        return;
    };
    let requests = config.requests(&rulebook.doc().destinations, &value);
    let detail = bridge::to_js(&value);
    events::emit(config.host.as_ref(), "accord:qualified", &detail);
    // Tag managers see the lead's fate, not its answers unless opted in.
    let analytics = record.analytics(config.data_layer_answers);
    events::push_data_layer("accord_qualified", &bridge::to_js(&analytics));
    if requests.is_empty() {
        web_sys::console::warn_1(
            &"accord: no destination is configured; the record was not sent".into(),
        );
        return;
    }
    status.set(strings.get("sending").into());
    let (status, strings) = (status.clone(), strings.clone());
    let report_to = config.report_to(rulebook.doc().report_endpoint.as_deref(), &id, &value);
    outbox::send_record(
        &id,
        requests,
        report_to,
        config.host.clone(),
        move |progress| status.set(outbox::status_text(progress, &strings)),
    );
}

/// The live qualification, for authors previewing a rulebook.
fn preview(state: &FormState) -> Html {
    let q = &state.qualification;
    let status = match q.status {
        accord_core::Status::Qualified => "qualified",
        accord_core::Status::KnockedOut => "knocked out",
        accord_core::Status::Incomplete => "incomplete",
    };
    html! {
        <aside class="preview" aria-label="Live qualification">
            <p>{ "Grade: " }<strong class="grade">{ &q.grade }</strong>{ format!(" ({status})") }</p>
            <ul>
                { for q.scores.iter().map(|(id, points)| html! { <li>{ format!("{id}: {points}") }</li> }) }
            </ul>
            <ul class="contributions">
                { for q.contributions.iter().map(|c| html! {
                    <li>{ format!("{:+} {} ({})", c.points, c.label, c.score) }</li>
                }) }
                { for q.knocked_out_by.iter().map(|k| html! { <li>{ format!("Knocked out: {}", k.label) }</li> }) }
            </ul>
        </aside>
    }
}
