//! The studio's work on every edit (`cargo bench -p accord-studio`),
//! recorded in BENCHMARKS.md: apply the edit to the draft, validate the
//! document, run its fixtures, judge its sign-offs (`Checked::of`), and
//! recompute the preview's form for the same answers (`FormState::new`).
//! The goal is one frame, 16 ms, for each example rulebook; the browser
//! figures come from `scripts/studio-timing.mjs`.

use accord_core::{Audience, Context};
use accord_studio::checked::Checked;
use accord_studio::draft::Draft;
use accord_studio::path::{Edit, JsonPath};
use accord_web::form_state::FormState;
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::{json, Map, Value};
use std::hint::black_box;

fn example(name: &str) -> Value {
    let path = format!(
        "{}/../../static/rulebooks/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("example")).expect("JSON")
}

fn edit_cycle(c: &mut Criterion) {
    let mut group = c.benchmark_group("edit");
    for name in ["inbound.json", "meddpicc-call.json", "minimal.json"] {
        let doc = example(name);
        let points = JsonPath::root()
            .key("scores")
            .index(0)
            .key("criteria")
            .index(0)
            .key("points");
        let answers: Map<String, Value> = doc["fixtures"][0]["answers"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let mut draft = Draft::new(doc.clone(), doc);
        let mut n = 0i64;
        group.bench_function(name.trim_end_matches(".json"), |b| {
            b.iter(|| {
                n += 1;
                draft = draft
                    .edit(Edit::Set(points.clone(), json!(10 + n % 7)))
                    .expect("edit applies");
                let checked = Checked::of(&draft.doc);
                let rulebook = checked.rulebook.clone().expect("valid");
                let form = FormState::new(
                    rulebook,
                    Context::default(),
                    Audience::Form,
                    answers.clone(),
                );
                black_box((checked.fixtures.len(), form.qualification.grade.len()))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, edit_cycle);
criterion_main!(benches);
