//! The form's state and its transitions, as a Yew `Reducible`.
//!
//! Every transition re-runs the engine on the current answers; the view
//! renders the resulting [`Qualification`] and never scores anything itself.

use accord_core::{
    AnswerProblem, Audience, Context, Field, FieldType, Qualification, Rulebook, Status,
};
use serde_json::{Map, Value};
use std::rc::Rc;
use yew::Reducible;

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
#[derive(Clone)]
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
    /// Whether each field (by index) is visible under `show_if`.
    pub visible: Vec<bool>,
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
        let (qualification, visible) = rulebook.qualify_visible(&answers, &context, audience);
        FormState {
            qualification: Rc::new(qualification),
            visible,
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
        let (qualification, visible) =
            self.rulebook
                .qualify_visible(&self.answers, &self.context, self.audience);
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

    /// The message to show next to a field, once its problems are shown.
    pub fn message(&self, field: &Field) -> Option<String> {
        if !self.shown_errors.contains(&field.id) {
            return None;
        }
        self.problem(field).map(|p| p.message(field))
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

    /// Whether this is the last page.
    pub fn on_last_page(&self) -> bool {
        self.page + 1 >= self.pages.len()
    }

    fn focus_on(&mut self, id: String) {
        let n = self.focus.as_ref().map_or(0, |(_, n)| n + 1);
        self.focus = Some((id, n));
    }
}

impl Reducible for FormState {
    type Action = FormAction;

    fn reduce(self: Rc<Self>, action: FormAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            FormAction::Answer(id, value) => {
                if value.is_null() {
                    next.answers.remove(&id);
                } else {
                    next.answers.insert(id, value);
                }
                next.requalify();
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
        Rc::new(next)
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
    /// The visitor-facing message for this problem on `field`.
    pub fn message(&self, field: &Field) -> String {
        match self {
            Problem::Missing => match field.kind {
                FieldType::Consent => "Please tick this box to continue.".into(),
                FieldType::Choice | FieldType::MultiChoice | FieldType::YesNo => {
                    "Please choose an answer.".into()
                }
                _ => "Please fill in this field.".into(),
            },
            Problem::Invalid(problem) => match problem {
                AnswerProblem::NotAnEmail => {
                    "Enter an email address, like name@company.com.".into()
                }
                AnswerProblem::NotAPhone => "Enter a phone number, like +1 555 010 2030.".into(),
                AnswerProblem::NotANumber => "Enter a number.".into(),
                AnswerProblem::OutOfRange { min, max } => {
                    format!("Enter a number from {min} to {max}.")
                }
                AnswerProblem::TooLong { max } => format!("Use at most {max} characters."),
                AnswerProblem::NotAnOption { .. } | AnswerProblem::WrongType { .. } => {
                    "Choose one of the options.".into()
                }
            },
        }
    }
}
