//! The embeddable widget: loads the rulebook, then shows the qualification
//! form, or the capture-only form when the rulebook cannot be used.
//!
//! The form is drawn out of sight a few questions per task
//! (`form::FIELDS_PER_TASK`), so no task blocks a slow phone for long;
//! meanwhile the loading card shows. Over a form `accord embed`
//! prerendered (`Config::prerendered`), that form stands in for the card,
//! and in the task that finishes drawing, the widget takes its place
//! (`take_over`): what was typed goes into the new form's answers, and the
//! focus and caret move to the same field at the same place, so a visitor
//! typing on notices nothing. A rulebook
//! that cannot be used leaves the prerendered form where it is: it still
//! posts itself.

use crate::capture::CaptureForm;
use crate::config::Config;
use crate::form::QualifyForm;
use accord_core::{Rulebook, Strings};
use accord_web::load::read_rulebook;
use accord_web::main_thread::yield_to_browser;
use accord_web::{events, field, i18n, outbox, page};
use serde_json::{Map, Value};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Properties of [`Widget`].
#[derive(Properties, PartialEq, Clone)]
pub struct WidgetProps {
    /// The embed's configuration.
    pub config: Rc<Config>,
    /// The rulebook and strings when they are already at hand, so the form
    /// is drawn at once (a prerender, `prerender.rs`).
    #[prop_or_default]
    pub prepared: Option<Prepared>,
}

/// What a widget needs to draw its form, once the rulebook is read.
#[derive(Clone, PartialEq)]
pub struct Prepared {
    /// The rulebook, already read and checked.
    pub rulebook: Rc<Rulebook>,
    /// The strings in the visitor's language.
    pub strings: Rc<Strings>,
    /// What the visitor typed into a prerendered form before the widget
    /// took it over, by field id.
    pub typed: Rc<Map<String, Value>>,
    /// When the form appeared (milliseconds since the epoch), if before the
    /// widget ran: for a prerendered one, when the page began loading, so
    /// a quick visitor is not taken for a bot.
    pub shown_at_ms: Option<f64>,
}

/// Where loading the rulebook stands.
#[derive(Clone, PartialEq)]
enum Load {
    Loading,
    /// The rulebook, the strings in its visitor's language, and what was
    /// typed before.
    Ready(Prepared),
    /// The rulebook cannot be used, and why; the strings of the embed's or
    /// the page's language.
    Broken(AttrValue, Rc<Strings>),
}

/// The widget.
#[function_component(Widget)]
pub fn widget(props: &WidgetProps) -> Html {
    let load = use_state(|| match &props.prepared {
        Some(p) => Load::Ready(p.clone()),
        None => Load::Loading,
    });
    let own = use_node_ref();
    // The challenger, once loaded: `None` until then, and for good when it
    // cannot be used (that changes nothing for the visitor).
    let shadow = use_state(|| None::<Rc<Rulebook>>);
    {
        let (shadow, config) = (shadow.clone(), props.config.clone());
        use_effect_with((), move |_| {
            if let Some(url) = config.shadow.clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    // The host says where the challenger stands
                    // (`data-accord-shadow-status`: `ready` or `unused`).
                    let status = |s: &str| {
                        if let Some(host) = &config.host {
                            let _ = host.set_attribute("data-accord-shadow-status", s);
                        }
                    };
                    match read_rulebook(&accord_web::load::RulebookSource::Url(url)).await {
                        Ok(rulebook) => {
                            shadow.set(Some(Rc::new(rulebook)));
                            status("ready");
                        }
                        Err(e) => {
                            web_sys::console::warn_1(
                                &format!("accord: the shadow rulebook is not used: {e}").into(),
                            );
                            status("unused");
                        }
                    }
                });
            }
        });
    }
    {
        let load = load.clone();
        let config = props.config.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let read = read_rulebook(&config.rulebook).await;
                // Reading the rulebook was one task; the first
                // render is the next (main_thread.rs says why).
                yield_to_browser().await;
                // The visitor's language: the embed's, the rulebook's, the
                // page's; its strings are fetched once the rulebook says.
                let rulebook = read.as_ref().ok();
                let locale = i18n::choose(config.locale.as_deref(), rulebook);
                let strings = i18n::strings(&locale, rulebook, &config.asset_base).await;
                match read {
                    Ok(rulebook) => {
                        // What is typed from now on is read again once the
                        // form is drawn (`QualifyForm::on_drawn`).
                        let typed = config
                            .prerendered
                            .as_ref()
                            .map(|p| field::typed_answers(p, &rulebook.doc().fields))
                            .unwrap_or_default();
                        // Drawing begins in a task of its own.
                        yield_to_browser().await;
                        load.set(Load::Ready(Prepared {
                            rulebook: Rc::new(rulebook),
                            strings,
                            typed: Rc::new(typed),
                            shown_at_ms: config.prerendered.as_ref().map(|_| page::loaded_at_ms()),
                        }))
                    }
                    Err(message) => {
                        let instead = if config.prerendered.is_some() {
                            "the prerendered form stays and posts itself"
                        } else {
                            "showing a capture-only form"
                        };
                        let message =
                            format!("accord: the rulebook cannot be used, {instead}: {message}");
                        web_sys::console::error_1(&message.as_str().into());
                        events::emit(
                            config.host.as_ref(),
                            "accord:error",
                            &message.as_str().into(),
                        );
                        load.set(Load::Broken(message.into(), strings));
                        after_the_form();
                    }
                }
            });
        });
    }
    // Whether the form is drawn whole (a prerender draws it whole at once).
    let drawn = use_state(|| props.prepared.is_some());
    // Drawn whole: over a prerendered form, take its place at once, in the
    // task that read what was typed there.
    // One callback for the widget's life, so its renders leave the form's
    // alone.
    let on_drawn = {
        let (own, drawn) = (own.clone(), drawn.clone());
        use_callback(props.config.clone(), move |(), config| {
            if let Some(prerendered) = &config.prerendered {
                take_over(prerendered, &own, config.host.as_ref());
            }
            drawn.set(true);
            after_the_form();
        })
    };
    let strings = match &*load {
        Load::Ready(Prepared { strings, .. }) | Load::Broken(_, strings) => strings.clone(),
        Load::Loading => Rc::default(),
    };
    let dir = if strings.right_to_left() {
        "rtl"
    } else {
        "ltr"
    };
    let lang = AttrValue::from(if strings.locale.is_empty() {
        "en".to_owned()
    } else {
        strings.locale.clone()
    });
    // The loading card shows while the rulebook loads and while the form
    // is drawn out of sight; a prerendered form stands in for it instead.
    let waiting = match &*load {
        Load::Loading => true,
        Load::Ready(_) => !*drawn,
        Load::Broken(..) => false,
    } && props.config.prerendered.is_none();
    let body = match &*load {
        Load::Loading => html! {},
        Load::Ready(p) => html! {
            <QualifyForm rulebook={p.rulebook.clone()} config={props.config.clone()} strings={strings.clone()}
                shadow={(*shadow).clone()} typed={p.typed.clone()} shown_at_ms={p.shown_at_ms}
                in_steps={props.prepared.is_none()} {on_drawn} />
        },
        Load::Broken(problem, _) => html! {
            <CaptureForm config={props.config.clone()} problem={problem.clone()} strings={strings.clone()} />
        },
    };
    html! {
        <div class="accord-locale" {lang} {dir} ref={own}>
            if waiting {
                <section class="accord loading" aria-busy="true">
                    // In English only on an English page: no flash of English
                    // before another language's strings arrive.
                    if i18n::choose(props.config.locale.as_deref(), None).split('-').next() == Some("en") {
                        <p>{ strings.get("loading") }</p>
                    }
                </section>
            }
            { body }
        </div>
    }
}

/// Sends anything an earlier page left in the outbox. It is not urgent, so
/// it waits until the form is shown, and a task more.
fn after_the_form() {
    wasm_bindgen_futures::spawn_local(async {
        yield_to_browser().await;
        outbox::drain().await;
    });
}

/// Puts the widget's own form (drawn out of sight, in the root after
/// `prerendered`) in the place of the prerendered one, and moves focus and
/// the caret to the same control at the same place. The host then carries
/// `data-accord-taken-over` and receives `accord:taken-over`.
fn take_over(prerendered: &Element, own: &NodeRef, host: Option<&Element>) {
    let Some(root) = own.cast::<Element>().and_then(|e| e.parent_element()) else {
        return;
    };
    let shadow = prerendered
        .get_root_node()
        .dyn_into::<web_sys::ShadowRoot>()
        .ok();
    let active = shadow.as_ref().and_then(|s| s.active_element());
    let caret = active.as_ref().and_then(|a| {
        let range = |start: Result<Option<u32>, _>, end: Result<Option<u32>, _>| {
            start.ok().flatten().zip(end.ok().flatten())
        };
        if let Some(i) = a.dyn_ref::<HtmlInputElement>() {
            range(i.selection_start(), i.selection_end())
        } else {
            let t = a.dyn_ref::<HtmlTextAreaElement>()?;
            range(t.selection_start(), t.selection_end())
        }
    });
    prerendered.remove();
    let _ = root.remove_attribute("hidden");
    if let Some(id) = active.map(|a| a.id()).filter(|id| !id.is_empty()) {
        field::focus_by_id(own, &id);
        let now = shadow.as_ref().and_then(|s| s.active_element());
        if let (Some((start, end)), Some(now)) = (caret, now) {
            if let Some(i) = now.dyn_ref::<HtmlInputElement>() {
                let _ = i.set_selection_range(start, end);
            } else if let Some(t) = now.dyn_ref::<HtmlTextAreaElement>() {
                let _ = t.set_selection_range(start, end);
            }
        }
    }
    if let Some(host) = host {
        let _ = host.set_attribute("data-accord-taken-over", "");
        events::emit(
            Some(host),
            "accord:taken-over",
            &wasm_bindgen::JsValue::NULL,
        );
    }
}
