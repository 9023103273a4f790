//! The form's state and its transitions: plain Rust, tested natively, and a
//! Yew `Reducible` in the browser.
//!
//! Every transition re-runs the engine on the current answers; the view
//! renders the resulting [`Qualification`] and never scores anything itself.
//! The widget's form and the console's call script both use it.

use accord_core::{
    AnswerProblem, Audience, Context, Field, FieldType, Qualification, Rulebook, Snapshot, Status,
    Strings,
};
use serde_json::{Map, Value};
use std::rc::Rc;

/// One page of the form: a title and the indexes of its fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Heading (empty for a single-page form).
    pub title: String,
    /// Indexes into the rulebook's fields, in order.
    pub fields: Vec<usize>,
}

/// The pages of a rulebook's form for `audience`: its `steps`, or one page
/// with every field. Fields asked of the audience that no step lists go on
/// the last page, so nothing the rulebook asks is ever left out.
pub fn pages(rulebook: &Rulebook, audience: Audience) -> Vec<Page> {
    let doc = rulebook.doc();
    let asked = |i: &usize| doc.fields[*i].asked_of(audience);
    let index_of = |id: &String| doc.fields.iter().position(|f| &f.id == id);
    let mut pages: Vec<Page> = doc
        .steps
        .iter()
        .map(|step| Page {
            title: step.title.clone(),
            fields: step
                .fields
                .iter()
                .filter_map(index_of)
                .filter(asked)
                .collect(),
        })
        .filter(|p| !p.fields.is_empty())
        .collect();
    let mut placed = vec![false; doc.fields.len()];
    for i in pages.iter().flat_map(|p| &p.fields) {
        placed[*i] = true;
    }
    let rest: Vec<usize> = (0..doc.fields.len())
        .filter(asked)
        .filter(|i| !placed[*i])
        .collect();
    match pages.last_mut() {
        Some(last) => last.fields.extend(rest),
        None => pages.push(Page {
            title: String::new(),
            fields: rest,
        }),
    }
    pages
}

/// Where the visitor is.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    /// Answering questions.
    Filling,
    /// Submitted: the outcome is shown.
    Done,
}

/// The whole state of one form.
#[derive(Clone, PartialEq)]
pub struct FormState {
    /// The rulebook the form runs.
    pub rulebook: Rc<Rulebook>,
    /// The page context, captured once at mount.
    pub context: Rc<Context>,
    /// Who is answering.
    pub audience: Audience,
    /// The answers as entered, by field id.
    pub answers: Map<String, Value>,
    /// The engine's verdict on `answers`.
    pub qualification: Rc<Qualification>,
    /// Whether each field (by index) is visible: under its `show_if`, and
    /// not answered by enrichment.
    pub visible: Vec<bool>,
    /// What enrichment found so far, for a rulebook with `enrichment`.
    pub enrichment: Option<Rc<Snapshot>>,
    /// Fields whose problems are shown: those on a page the visitor tried
    /// to leave or submit. Problems are not shown on blur, because a message
    /// appearing then shifts the layout under the pointer between the press
    /// and the release of the Continue button, and the click is lost.
    /// A short list, not a set: a form has a few dozen fields at most, and
    /// every set type is code in the wasm.
    pub shown_errors: Vec<String>,
    /// The pages of the form.
    pub pages: Rc<Vec<Page>>,
    /// The current page.
    pub page: usize,
    /// Filling in or done.
    pub phase: Phase,
    /// What should receive focus after the next render, with a counter so
    /// that asking twice for the same element still moves focus.
    pub focus: Option<(String, u32)>,
}

/// What can happen to a form.
pub enum FormAction {
    /// The visitor changed an answer (`Value::Null` clears it).
    Answer(String, Value),
    /// What a prerendered form holds when the widget takes its place
    /// (`field::typed_answers`): each question of the current page takes
    /// its answer from here, and one not in it is empty.
    Typed(Map<String, Value>),
    /// Enrichment found something (`accord_web::enrich::snapshot`). The
    /// id is the field that has focus: when enrichment answers it, focus
    /// moves on to the next question (or the button), never to nowhere.
    Enriched(Snapshot, Option<String>),
    /// Go to the next page, unless this page has problems.
    Next,
    /// Go back a page.
    Back,
    /// Submit was pressed with problems somewhere: show them all and go to
    /// the first.
    ShowAllProblems,
    /// The submission was accepted for delivery.
    Finish,
}

impl FormState {
    /// A fresh form with the given starting answers (hidden fields).
    pub fn new(
        rulebook: Rc<Rulebook>,
        context: Context,
        audience: Audience,
        answers: Map<String, Value>,
    ) -> FormState {
        let pages = Rc::new(pages(&rulebook, audience));
        let (qualification, visible) = qualify(&rulebook, &answers, &context, audience, None);
        FormState {
            qualification: Rc::new(qualification),
            visible,
            enrichment: None,
            rulebook,
            context: Rc::new(context),
            audience,
            answers,
            shown_errors: Vec::new(),
            pages,
            page: 0,
            phase: Phase::Filling,
            focus: None,
        }
    }

    fn requalify(&mut self) {
        let (qualification, visible) = qualify(
            &self.rulebook,
            &self.answers,
            &self.context,
            self.audience,
            self.enrichment.as_deref(),
        );
        self.qualification = Rc::new(qualification);
        self.visible = visible;
    }

    /// The field at `index`.
    pub fn field(&self, index: usize) -> &Field {
        &self.rulebook.doc().fields[index]
    }

    /// The problem with a field's answer, if the engine found one, whether
    /// shown yet or not.
    pub fn problem(&self, field: &Field) -> Option<Problem> {
        let q = &self.qualification;
        if let Some(bad) = q.invalid.iter().find(|i| i.field == field.id) {
            return Some(Problem::Invalid(bad.problem.clone()));
        }
        q.missing
            .iter()
            .any(|m| m == &field.id)
            .then_some(Problem::Missing)
    }

    /// Shows the problems of the fields `ids` from now on.
    fn show_errors(&mut self, ids: impl IntoIterator<Item = String>) {
        for id in ids {
            if !self.shown_errors.contains(&id) {
                self.shown_errors.push(id);
            }
        }
    }

    /// The message to show next to a field, once its problems are shown,
    /// in the language of `strings`.
    pub fn message(&self, field: &Field, strings: &Strings) -> Option<String> {
        if !self.shown_errors.contains(&field.id) {
            return None;
        }
        self.problem(field).map(|p| p.message(field, strings))
    }

    /// The questions of the current page (hidden fields are on no page).
    fn typed_fields(&self) -> impl Iterator<Item = &Field> {
        self.pages[self.page].fields.iter().map(|i| self.field(*i))
    }

    /// Whether the current page's questions hold exactly `typed` (what a
    /// prerendered form holds, as [`FormAction::Typed`] takes it).
    pub fn holds(&self, typed: &Map<String, Value>) -> bool {
        self.typed_fields()
            .all(|f| self.answers.get(&f.id) == typed.get(&f.id))
    }

    /// Visible fields of page `page` that have a problem, in order.
    fn problems_on(&self, page: usize) -> Vec<String> {
        self.pages[page]
            .fields
            .iter()
            .filter(|i| self.visible[**i])
            .map(|i| self.field(*i))
            .filter(|f| self.problem(f).is_some())
            .map(|f| f.id.clone())
            .collect()
    }

    /// Whether the lead can be submitted: complete, or knocked out (a
    /// knockout is final whatever else is missing).
    pub fn can_submit(&self) -> bool {
        self.qualification.status != Status::Incomplete
    }

    /// Whether the visitor has ticked every consent box the form asks
    /// (`false` for a form without one).
    pub fn consent_given(&self) -> bool {
        let mut boxes = self
            .rulebook
            .doc()
            .fields
            .iter()
            .filter(|f| f.kind == FieldType::Consent && f.asked_of(self.audience))
            .peekable();
        boxes.peek().is_some()
            && boxes.all(|f| matches!(self.answers.get(&f.id), Some(Value::Bool(true))))
    }

    /// Whether this is the last page.
    pub fn on_last_page(&self) -> bool {
        self.page + 1 >= self.pages.len()
    }

    fn focus_on(&mut self, id: String) {
        let n = self.focus.as_ref().map_or(0, |(_, n)| n + 1);
        self.focus = Some((id, n));
    }
}

/// The engine's verdict on `answers` and which fields are visible: under
/// their `show_if`, and not answered by `enrichment`.
fn qualify(
    rulebook: &Rulebook,
    answers: &Map<String, Value>,
    context: &Context,
    audience: Audience,
    enrichment: Option<&Snapshot>,
) -> (Qualification, Vec<bool>) {
    let Some(snapshot) = enrichment else {
        return rulebook.qualify_visible(answers, context, audience);
    };
    let mut snapshot = snapshot.clone();
    snapshot.answered.clear();
    let mut answers = answers.clone();
    snapshot.fill_answers(rulebook, &mut answers);
    let assessment = rulebook.assess_enriched(&answers, context, Some(&snapshot.values), audience);
    let mut visible = assessment.visible.clone();
    for (i, field) in rulebook.doc().fields.iter().enumerate() {
        if snapshot.answered.contains_key(&field.id) {
            visible[i] = false;
        }
    }
    (assessment.qualification(), visible)
}

impl FormState {
    /// The state after `action`.
    pub fn apply(&self, action: FormAction) -> FormState {
        let mut next = self.clone();
        match action {
            FormAction::Answer(id, value) => {
                if value.is_null() {
                    next.answers.remove(&id);
                } else {
                    next.answers.insert(id, value);
                }
                next.requalify();
            }
            FormAction::Typed(typed) => {
                let ids: Vec<String> = next.typed_fields().map(|f| f.id.clone()).collect();
                for id in ids {
                    match typed.get(&id) {
                        Some(value) if !value.is_null() => {
                            next.answers.insert(id, value.clone());
                        }
                        _ => {
                            next.answers.remove(&id);
                        }
                    }
                }
                next.requalify();
            }
            FormAction::Enriched(snapshot, focused) => {
                next.enrichment = Some(Rc::new(snapshot));
                next.requalify();
                let page = &next.pages[next.page].fields;
                let at = focused.and_then(|id| page.iter().position(|i| next.field(*i).id == id));
                if let Some(at) = at.filter(|at| !next.visible[page[*at]]) {
                    let after = page[at..].iter().find(|i| next.visible[**i]);
                    next.focus_on(match after {
                        Some(i) => format!("f-{}", next.field(*i).id),
                        None => "accord-submit".into(),
                    });
                }
            }
            FormAction::Next => {
                let problems = next.problems_on(next.page);
                if let Some(first) = problems.first() {
                    next.focus_on(format!("f-{first}"));
                    next.show_errors(problems);
                } else if !next.on_last_page() {
                    next.page += 1;
                    next.focus_on("accord-page".into());
                }
            }
            FormAction::Back => {
                next.page = next.page.saturating_sub(1);
                next.focus_on("accord-page".into());
            }
            FormAction::ShowAllProblems => {
                let problems: Vec<Vec<String>> =
                    (0..next.pages.len()).map(|p| next.problems_on(p)).collect();
                if let Some(page) = problems.iter().position(|ids| !ids.is_empty()) {
                    next.page = page;
                    next.focus_on(format!("f-{}", problems[page][0]));
                }
                next.show_errors(problems.into_iter().flatten());
            }
            FormAction::Finish => {
                next.phase = Phase::Done;
                next.focus_on("accord-outcome".into());
            }
        }
        next
    }
}

impl yew::Reducible for FormState {
    type Action = FormAction;

    fn reduce(self: Rc<Self>, action: FormAction) -> Rc<Self> {
        Rc::new(self.apply(action))
    }
}

/// Why a field's answer is not accepted yet.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// Required and empty.
    Missing,
    /// Given, but not acceptable.
    Invalid(AnswerProblem),
}

impl Problem {
    /// The visitor-facing message for this problem on `field`, in the
    /// language of `strings`.
    pub fn message(&self, field: &Field, strings: &Strings) -> String {
        let id = match self {
            Problem::Missing => match field.kind {
                FieldType::Consent => "required_consent",
                FieldType::Choice | FieldType::MultiChoice | FieldType::YesNo => "required_choice",
                _ => "required",
            },
            Problem::Invalid(problem) => match problem {
                AnswerProblem::NotAnEmail => "bad_email",
                AnswerProblem::NotAPhone => "bad_phone",
                AnswerProblem::NotANumber => "bad_number",
                AnswerProblem::OutOfRange { min, max } => {
                    return strings.fill("number_range", &[("min", min), ("max", max)]);
                }
                AnswerProblem::TooLong { max } => {
                    return strings.fill("too_long", &[("max", &max.to_string())]);
                }
                AnswerProblem::NotAnOption { .. } | AnswerProblem::WrongType { .. } => "bad_option",
            },
        };
        strings.get(id).to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn inbound() -> Rc<Rulebook> {
        let text = include_str!("../../../static/rulebooks/inbound.json");
        Rc::new(Rulebook::from_json(text).expect("the example rulebook is valid"))
    }

    fn form() -> FormState {
        FormState::new(inbound(), Context::default(), Audience::Form, Map::new())
    }

    fn answer(state: &FormState, id: &str, value: Value) -> FormState {
        state.apply(FormAction::Answer(id.into(), value))
    }

    #[test]
    fn the_pages_follow_the_steps_and_leave_no_question_out() {
        let state = form();
        let titles: Vec<&str> = state.pages.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(titles, ["About you", "Your team", "Almost done"]);
        let ids = |page: usize| -> Vec<&str> {
            state.pages[page]
                .fields
                .iter()
                .map(|i| state.field(*i).id.as_str())
                .collect()
        };
        assert_eq!(ids(0), ["name", "email", "company", "role"]);
        assert_eq!(ids(2), ["message", "consent"]);
        // Hidden fields are never asked; every asked field is on a page.
        let placed: Vec<usize> = state.pages.iter().flat_map(|p| p.fields.clone()).collect();
        assert_eq!(placed.len(), 11);
        // A call asks neither the message nor the consent.
        let call = FormState::new(inbound(), Context::default(), Audience::Call, Map::new());
        assert!(call
            .pages
            .iter()
            .flat_map(|p| &p.fields)
            .all(|i| { !["message", "consent"].contains(&call.field(*i).id.as_str()) }));
    }

    #[test]
    fn typed_answers_replace_the_pages_questions_and_nothing_else() {
        let state = answer(&answer(&form(), "name", json!("Ad")), "gclid", json!("g-1"));
        let typed: Map<String, Value> =
            serde_json::from_value(json!({"name": "Ada", "email": "ada@example.com"})).unwrap();
        assert!(!state.holds(&typed));
        let next = state.apply(FormAction::Typed(typed.clone()));
        assert!(next.holds(&typed));
        assert_eq!(next.answers["name"], json!("Ada"));
        assert_eq!(next.answers["email"], json!("ada@example.com"));
        assert_eq!(
            next.answers["gclid"],
            json!("g-1"),
            "a hidden field is not typed"
        );
        assert!(next.qualification.missing.iter().all(|id| id != "email"));
        // A question emptied in the prerendered form is empty here too.
        let erased = next.apply(FormAction::Typed(Map::new()));
        assert!(!erased.answers.contains_key("name"));
        assert!(erased.holds(&Map::new()));
        assert_eq!(erased.focus, None, "typing moves no focus");
    }

    #[test]
    fn next_with_problems_shows_them_and_focuses_the_first() {
        let state = answer(&form(), "name", json!("Ada"));
        let next = state.apply(FormAction::Next);
        assert_eq!(next.page, 0, "a page with problems is not left");
        assert_eq!(next.focus, Some(("f-email".into(), 0)));
        assert_eq!(next.shown_errors, ["email", "company", "role"]);
        let email = next.field(1).clone();
        let english = Strings::default();
        assert_eq!(
            next.message(&email, &english).as_deref(),
            Some("Please fill in this field.")
        );
        // An answer the engine refuses shows its own message.
        let bad = answer(&next, "email", json!("not an email"));
        assert_eq!(
            bad.message(&email, &english).as_deref(),
            Some("Enter an email address, like name@company.com.")
        );
        // In the visitor's language.
        let german: std::collections::BTreeMap<String, String> = [(
            "bad_email".to_owned(),
            "Geben Sie eine E-Mail-Adresse ein.".to_owned(),
        )]
        .into();
        let strings = Strings::new("de", &german, &Default::default());
        assert_eq!(
            bad.message(&email, &strings).as_deref(),
            Some("Geben Sie eine E-Mail-Adresse ein.")
        );
        // Problems are shown only once the visitor tried to leave the page.
        assert_eq!(
            answer(&form(), "email", json!("x")).message(&email, &english),
            None
        );
    }

    #[test]
    fn a_complete_page_moves_on_and_back_moves_focus_to_the_page() {
        let mut state = form();
        for (id, value) in [
            ("name", json!("Ada")),
            ("email", json!("ada@bigcorp.com")),
            ("company", json!("BigCorp")),
            ("role", json!("executive")),
        ] {
            state = answer(&state, id, value);
        }
        let next = state.apply(FormAction::Next);
        assert_eq!(next.page, 1);
        assert_eq!(next.focus, Some(("accord-page".into(), 0)));
        let back = next.apply(FormAction::Back);
        assert_eq!(back.page, 0);
        assert_eq!(
            back.focus,
            Some(("accord-page".into(), 1)),
            "a second request still moves focus"
        );
        assert_eq!(
            back.apply(FormAction::Back).page,
            0,
            "never before the first page"
        );
    }

    #[test]
    fn submitting_with_problems_goes_to_the_first_and_finishing_shows_the_outcome() {
        let state = answer(&form(), "name", json!("Ada"));
        assert!(!state.can_submit());
        let all = state.apply(FormAction::ShowAllProblems);
        assert_eq!(all.page, 0);
        assert_eq!(all.focus, Some(("f-email".into(), 0)));
        assert!(all.shown_errors.contains(&"consent".to_owned()));
        let done = all.apply(FormAction::Finish);
        assert_eq!(done.phase, Phase::Done);
        assert_eq!(done.focus, Some(("accord-outcome".into(), 1)));
    }

    #[test]
    fn every_answer_requalifies_and_clearing_removes_it() {
        let state = answer(&form(), "role", json!("student"));
        assert_eq!(state.qualification.status, Status::KnockedOut);
        assert!(
            state.can_submit(),
            "a knockout is final whatever is missing"
        );
        let cleared = answer(&state, "role", Value::Null);
        assert!(!cleared.answers.contains_key("role"));
        assert_eq!(cleared.qualification.status, Status::Incomplete);
    }

    #[test]
    fn enrichment_answers_its_questions_and_moves_focus_on_from_one_it_hides() {
        let text = include_str!("../../../static/rulebooks/enriched.json");
        let rulebook = Rc::new(Rulebook::from_json(text).expect("the example rulebook is valid"));
        let e = rulebook.doc().enrichment.clone().unwrap();
        let at = |id: &str| rulebook.field_index(id).unwrap();
        let mut state = FormState::new(
            rulebook.clone(),
            Context::default(),
            Audience::Form,
            Map::new(),
        );
        for (id, value) in [
            ("name", json!("Ada")),
            ("email", json!("ada@acme.example")),
            ("timeline", json!("this_quarter")),
        ] {
            state = answer(&state, id, value);
        }
        assert_eq!(state.qualification.missing, ["employees", "industry"]);
        assert!(state.visible[at("employees")]);

        let found = accord_core::Lookup::Found(
            json!({"employees": 450, "industry": "software"})
                .as_object()
                .unwrap()
                .clone(),
        );
        let snapshot = Snapshot::from_lookups(&e, &[accord_core::Lookup::Skipped, found], None);
        // The visitor was in the size question when the lookup answered.
        let state = state.apply(FormAction::Enriched(snapshot, Some("employees".into())));
        assert!(!state.visible[at("employees")] && !state.visible[at("industry")]);
        assert_eq!(state.qualification.status, Status::Qualified);
        assert_eq!(state.qualification.grade, "sql");
        assert_eq!(
            state.focus.as_ref().map(|(id, _)| id.as_str()),
            Some("f-timeline")
        );
        // What the visitor typed is theirs: enrichment does not hide it.
        let typed = answer(&state, "employees", json!(12));
        assert!(typed.visible[at("employees")]);
        assert_eq!(typed.qualification.scores["fit"], 20);
    }

    #[test]
    fn consent_is_given_once_every_box_the_form_asks_is_ticked() {
        let state = form();
        assert!(!state.consent_given());
        let ticked = answer(&state, "consent", json!(true));
        assert!(ticked.consent_given());
        let text = include_str!("../../../static/rulebooks/minimal.json");
        let none = FormState::new(
            Rc::new(Rulebook::from_json(text).unwrap()),
            Context::default(),
            Audience::Form,
            Map::new(),
        );
        assert!(
            !none.consent_given(),
            "a form without a box never has consent"
        );
    }
}
