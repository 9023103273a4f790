//! Loading the call rulebook: from the page's option at start, a URL the
//! rep types, or a file.

use crate::words::{t, tf};
use accord_core::Rulebook;
use accord_web::load::{read_rulebook, RulebookSource};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Where loading the rulebook stands.
#[derive(Clone, PartialEq)]
pub enum Load {
    /// Nothing asked yet.
    None,
    /// Loading the named source.
    Loading(String),
    /// Ready, from the named source.
    Ready(Rc<Rulebook>, String),
    /// The named source cannot be used, and why.
    Failed(String),
}

impl Load {
    /// The rulebook, once ready.
    pub fn rulebook(&self) -> Option<Rc<Rulebook>> {
        match self {
            Load::Ready(rb, _) => Some(rb.clone()),
            _ => None,
        }
    }
}

/// Properties of [`RulebookLoader`].
#[derive(Properties, PartialEq, Clone)]
pub struct LoaderProps {
    /// The rulebook URL to load at start, if the page names one.
    pub first: Option<String>,
    /// A `?rulebook=` on another site, not loaded.
    pub refused: Option<String>,
    /// Where loading stands.
    pub load: Load,
    /// Hears each change of where loading stands.
    pub on_load: Callback<Load>,
}

/// The rulebook URL and file controls, and what is loaded.
#[function_component(RulebookLoader)]
pub fn rulebook_loader(props: &LoaderProps) -> Html {
    let url_input = use_node_ref();
    let open = {
        let on_load = props.on_load.clone();
        Callback::from(move |source: RulebookSource| {
            let name = match &source {
                RulebookSource::Url(url) => url.clone(),
                _ => t("the chosen file"),
            };
            on_load.emit(Load::Loading(name.clone()));
            let on_load = on_load.clone();
            wasm_bindgen_futures::spawn_local(async move {
                on_load.emit(match read_rulebook(&source).await {
                    Ok(rb) => Load::Ready(Rc::new(rb), name),
                    Err(e) => Load::Failed(format!("{name}: {e}")),
                });
            });
        })
    };
    {
        let (open, first) = (open.clone(), props.first.clone());
        let (refused, on_load) = (props.refused.clone(), props.on_load.clone());
        use_effect_with((), move |_| {
            if let Some(url) = refused {
                on_load.emit(Load::Failed(tf(
                    "{url} is on another site; the console loads ?rulebook= only from its own. Load it by URL below if you trust it",
                    &[("url", &url)],
                )));
            } else if let Some(url) = first {
                open.emit(RulebookSource::Url(url));
            }
        });
    }
    let on_load_url = {
        let (open, url_input) = (open.clone(), url_input.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(input) = url_input.cast::<HtmlInputElement>() {
                let url = input.value();
                if !url.trim().is_empty() {
                    open.emit(RulebookSource::Url(url.trim().to_owned()));
                }
            }
        })
    };
    let on_file = Callback::from(move |e: Event| {
        let input = e.target_unchecked_into::<HtmlInputElement>();
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        let open = open.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                open.emit(RulebookSource::Inline(text.as_string().unwrap_or_default()));
            }
        });
    });
    html! {
        <section class="loader" aria-label={t("Rulebook")}>
            <form onsubmit={on_load_url}>
                <label for="rulebook-url">{ t("Rulebook URL") }</label>
                <input id="rulebook-url" type="url" ref={url_input}
                       value={props.first.clone().unwrap_or_default()} />
                <button type="submit">{ t("Load") }</button>
                <label for="rulebook-file">{ t("or a file") }</label>
                <input id="rulebook-file" type="file" accept=".json,application/json" onchange={on_file} />
            </form>
            <p class="load-status" role="status">{ match &props.load {
                Load::None => t("No rulebook loaded yet."),
                Load::Loading(name) => tf("Loading {name}…", &[("name", name)]),
                Load::Ready(rb, _) => tf("{title} — version {version}", &[("title", &rb.doc().title), ("version", &rb.reference().version)]),
                Load::Failed(e) => tf("This rulebook cannot be used: {e}", &[("e", e)]),
            } }</p>
        </section>
    }
}
