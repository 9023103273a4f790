//! Component tests in headless Chromium (wasm-bindgen-test): mount the widget
//! into an element of its own and read what it rendered.
#![cfg(target_arch = "wasm32")]

use accord_widget::mount;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn next_frame() {
    // Yew renders on the next tick of the scheduler.
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
            .expect("timer");
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("timer fires");
}

#[wasm_bindgen_test]
async fn mounts_into_a_shadow_root() {
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

    let options = js_sys::Object::new();
    js_sys::Reflect::set(
        &options,
        &"rulebook".into(),
        &"/rulebooks/inbound.json".into(),
    )
    .expect("set");
    mount(host.clone(), JsValue::from(options)).expect("mounts");
    next_frame().await;

    let shadow = host.shadow_root().expect("an open shadow root");
    let text = shadow.text_content().unwrap_or_default();
    assert!(text.contains("Talk to our team"), "rendered: {text}");
    assert!(text.contains("/rulebooks/inbound.json"), "rendered: {text}");
    // Nothing leaks into the light DOM.
    assert_eq!(host.child_element_count(), 0);
    host.remove();
}
