//! The shortcuts dialog: the shortcut table as the rep reads it. It takes
//! focus when it opens and gives it back when it closes.

use crate::keys::SHORTCUTS;
use crate::words::t;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Properties of [`ShortcutsHelp`].
#[derive(Properties, PartialEq, Clone)]
pub struct HelpProps {
    /// Close was pressed.
    pub on_close: Callback<MouseEvent>,
}

/// The list of shortcuts, as a modal dialog.
#[function_component(ShortcutsHelp)]
pub fn shortcuts_help(props: &HelpProps) -> Html {
    let close_button = use_node_ref();
    {
        let close_button = close_button.clone();
        use_effect_with((), move |_| {
            let before = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element())
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(button) = close_button.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
            move || {
                if let Some(element) = before {
                    let _ = element.focus();
                }
            }
        });
    }
    html! {
        <div class="overlay">
            <div role="dialog" aria-modal="true" aria-labelledby="help-title" class="shortcuts">
                <h2 id="help-title">{ t("Keyboard shortcuts") }</h2>
                <table>
                    <tbody>
                        { for SHORTCUTS.iter().map(|(key, _, _, what)| html! {
                            <tr><th scope="row"><kbd>{ *key }</kbd></th><td>{ t(what) }</td></tr>
                        }) }
                    </tbody>
                </table>
                <button type="button" onclick={props.on_close.clone()} ref={close_button}>{ t("Close") }</button>
            </div>
        </div>
    }
}
