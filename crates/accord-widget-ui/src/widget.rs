//! The embeddable widget: loads the rulebook, then shows the qualification
//! form, or the capture-only form when the rulebook cannot be used.

use crate::capture::CaptureForm;
use crate::config::Config;
use crate::form::QualifyForm;
use accord_core::{Rulebook, Strings};
use accord_web::load::read_rulebook;
use accord_web::main_thread::yield_to_browser;
use accord_web::{events, i18n, outbox};
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`Widget`].
#[derive(Properties, PartialEq, Clone)]
pub struct WidgetProps {
    /// The embed's configuration.
    pub config: Rc<Config>,
}

/// Where loading the rulebook stands.
#[derive(Clone, PartialEq)]
enum Load {
    Loading,
    /// The rulebook, and the strings in its visitor's language.
    Ready(Rc<Rulebook>, Rc<Strings>),
    /// The rulebook cannot be used, and why; the strings of the embed's or
    /// the page's language.
    Broken(AttrValue, Rc<Strings>),
}

/// The widget.
#[function_component(Widget)]
pub fn widget(props: &WidgetProps) -> Html {
    let load = use_state(|| Load::Loading);
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
                // Reading and checking the rulebook was one task; the first
                // render is the next (main_thread.rs says why).
                yield_to_browser().await;
                // The visitor's language: the embed's, the rulebook's, the
                // page's; its strings are fetched once the rulebook says.
                let rulebook = read.as_ref().ok();
                let locale = i18n::choose(config.locale.as_deref(), rulebook);
                let strings = i18n::strings(&locale, rulebook, &config.asset_base).await;
                match read {
                    Ok(rulebook) => load.set(Load::Ready(Rc::new(rulebook), strings)),
                    Err(message) => {
                        let message = format!("accord: the rulebook cannot be used, showing a capture-only form: {message}");
                        web_sys::console::error_1(&message.as_str().into());
                        events::emit(
                            config.host.as_ref(),
                            "accord:error",
                            &message.as_str().into(),
                        );
                        load.set(Load::Broken(message.into(), strings));
                    }
                }
                // Then send anything an earlier page left in the outbox: it
                // is not urgent, so it waits until the form had its turn.
                yield_to_browser().await;
                outbox::drain().await;
            });
        });
    }
    let strings = match &*load {
        Load::Ready(_, strings) | Load::Broken(_, strings) => strings.clone(),
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
    let body = match &*load {
        Load::Loading => html! {
            <section class="accord loading" aria-busy="true">
                // In English only on an English page: no flash of English
                // before another language's strings arrive.
                if i18n::choose(props.config.locale.as_deref(), None).split('-').next() == Some("en") {
                    <p>{ strings.get("loading") }</p>
                }
            </section>
        },
        Load::Ready(rulebook, _) => html! {
            <QualifyForm rulebook={rulebook.clone()} config={props.config.clone()} strings={strings.clone()}
                shadow={(*shadow).clone()} />
        },
        Load::Broken(problem, _) => html! {
            <CaptureForm config={props.config.clone()} problem={problem.clone()} strings={strings.clone()} />
        },
    };
    html! { <div class="accord-locale" {lang} {dir}>{ body }</div> }
}
