//! The call script's state and its transitions, in one reducer: the form
//! (answers and qualification, through `accord_web::form_state`), which
//! question is shown, the timer, and the wrap-up (rep, notes, disposition,
//! problems). Plain Rust: time comes in as an argument, and the tests run
//! natively.

use crate::words::t;
use accord_core::{
    Audience, CallDetails, Channel, Context, FieldType, LeadRecord, Rep, Rulebook, Submission,
};
use accord_web::form_state::{FormAction, FormState};
use serde_json::{Map, Value};
use std::rc::Rc;

/// How a call can end (the record's `call.disposition`), with its label.
pub const DISPOSITIONS: &[(&str, &str)] = &[
    ("qualified", "Qualified — next step booked"),
    ("follow_up", "Follow-up scheduled"),
    ("not_interested", "Not interested"),
    ("no_answer", "No answer or voicemail"),
    ("wrong_contact", "Wrong contact"),
];

/// The call timer: when it started (ms), and time banked before that.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Timer {
    /// When the running stretch started, if the timer runs.
    pub running_since: Option<f64>,
    /// Time counted before the running stretch.
    pub banked_ms: f64,
}

impl Timer {
    /// Time on the clock at `now`.
    pub fn elapsed_ms(&self, now: f64) -> f64 {
        self.banked_ms + self.running_since.map_or(0.0, |s| (now - s).max(0.0))
    }

    /// Whole seconds on the clock at `now`.
    pub fn elapsed_seconds(&self, now: f64) -> u64 {
        (self.elapsed_ms(now) / 1000.0) as u64
    }

    /// Started if stopped, stopped if running.
    pub fn toggled(self, now: f64) -> Timer {
        match self.running_since {
            Some(_) => Timer {
                running_since: None,
                banked_ms: self.elapsed_ms(now),
            },
            None => Timer {
                running_since: Some(now),
                ..self
            },
        }
    }

    fn never_started(&self) -> bool {
        self.running_since.is_none() && self.banked_ms == 0.0
    }
}

/// The lead marketing sent that a call follows up ("Call this lead"): its
/// id goes in the record's `call.follows_up`, which the inbox counts as
/// sales' first touch of that lead.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUp {
    /// The lead's `submission_id`.
    pub submission_id: String,
    /// Who it is, for the rep (company and email).
    pub who: String,
    /// The grade marketing's rulebook gave it.
    pub grade: String,
}

/// Everything one call's script holds.
#[derive(Clone, PartialEq)]
pub struct CallState {
    /// The answers and the engine's qualification of them.
    pub form: FormState,
    /// One question at a time, or all at once.
    pub one_at_a_time: bool,
    /// Which question is shown (one at a time), before clamping.
    cursor: usize,
    /// The call's clock.
    pub timer: Timer,
    /// The rep's name.
    pub rep: String,
    /// The rep's notes.
    pub notes: String,
    /// How the call ended (a key of [`DISPOSITIONS`]), empty until chosen.
    pub disposition: String,
    /// Why the last save was refused, shown to the rep.
    pub problems: Vec<String>,
    /// The lead this call follows up, if any.
    pub follows_up: Option<FollowUp>,
}

/// What can happen to a call's script.
pub enum CallAction {
    /// An answer changed (`Value::Null` clears it); the clock starts with
    /// the first answer if the rep did not start it.
    Answer {
        /// The field's id.
        field: String,
        /// The answer.
        value: Value,
        /// Now, in ms.
        now: f64,
    },
    /// Show question number `n` (clamped to the questions there are).
    Go(usize),
    /// Switch between one question at a time and all at once.
    ToggleMode,
    /// Start or stop the clock.
    ToggleTimer {
        /// Now, in ms.
        now: f64,
    },
    /// The rep's name changed.
    Rep(String),
    /// The notes changed.
    Notes(String),
    /// The disposition changed.
    Disposition(String),
    /// Save was pressed with these problems (empty: none).
    Problems(Vec<String>),
    /// The rep says this call does not follow up the lead it started from
    /// (the answers stay).
    NotAFollowUp,
}

impl CallState {
    /// A fresh call on `rulebook` by the rep `rep`.
    pub fn new(rulebook: Rc<Rulebook>, rep: String) -> CallState {
        CallState {
            form: FormState::new(rulebook, Context::default(), Audience::Call, Map::new()),
            one_at_a_time: true,
            cursor: 0,
            timer: Timer::default(),
            rep,
            notes: String::new(),
            disposition: String::new(),
            problems: Vec::new(),
            follows_up: None,
        }
    }

    /// This call, following up `lead`: what the lead already answered is
    /// filled in where the call asks the same thing — a question with the
    /// same id, or the call's email or phone question from the lead's
    /// email or phone answer (read with the lead's rulebook, when known).
    /// Consent is never carried over: it is asked for what it says.
    pub fn following(self, lead: &LeadRecord, lead_rulebook: Option<&Rulebook>) -> CallState {
        let from_kind = |kind: FieldType| -> Option<Value> {
            let rulebook = lead_rulebook?;
            rulebook
                .doc()
                .fields
                .iter()
                .filter(|f| f.kind == kind)
                .find_map(|f| lead.answers.get(&f.id).cloned())
        };
        let mut next = self;
        let fields = next.form.rulebook.doc().fields.clone();
        for field in fields.iter().filter(|f| {
            f.asked_of(Audience::Call) && !matches!(f.kind, FieldType::Hidden | FieldType::Consent)
        }) {
            let value = lead.answers.get(&field.id).cloned().or_else(|| {
                matches!(field.kind, FieldType::Email | FieldType::Phone)
                    .then(|| from_kind(field.kind))
                    .flatten()
            });
            if let Some(value) = value {
                next.form = next.form.apply(FormAction::Answer(field.id.clone(), value));
            }
        }
        next.follows_up = Some(FollowUp {
            submission_id: lead.submission_id.clone(),
            who: crate::calls::who(lead),
            grade: lead.qualification.grade.clone(),
        });
        next
    }

    /// The questions to ask now, as field indexes: the call's fields that
    /// are visible under their `show_if`.
    pub fn questions(&self) -> Vec<usize> {
        let fields = &self.form.rulebook.doc().fields;
        (0..fields.len())
            .filter(|i| {
                let f = &fields[*i];
                f.asked_of(Audience::Call)
                    && f.kind != FieldType::Hidden
                    && self.form.visible.get(*i).copied().unwrap_or(true)
            })
            .collect()
    }

    /// The position of the shown question among [`CallState::questions`].
    pub fn at(&self) -> usize {
        self.cursor.min(self.questions().len().saturating_sub(1))
    }

    /// The position of the question for field `id`, if it is asked now.
    pub fn position_of(&self, id: &str) -> Option<usize> {
        let fields = &self.form.rulebook.doc().fields;
        self.questions().iter().position(|i| fields[*i].id == id)
    }

    /// The state after `action`.
    pub fn apply(&self, action: CallAction) -> CallState {
        let mut next = self.clone();
        match action {
            CallAction::Answer { field, value, now } => {
                if next.timer.never_started() {
                    next.timer = next.timer.toggled(now);
                }
                next.form = next.form.apply(FormAction::Answer(field, value));
            }
            CallAction::Go(n) => next.cursor = n.min(next.questions().len().saturating_sub(1)),
            CallAction::ToggleMode => next.one_at_a_time = !next.one_at_a_time,
            CallAction::ToggleTimer { now } => next.timer = next.timer.toggled(now),
            CallAction::Rep(name) => next.rep = name,
            CallAction::Notes(text) => next.notes = text,
            CallAction::Disposition(value) => next.disposition = value,
            CallAction::Problems(problems) => next.problems = problems,
            CallAction::NotAFollowUp => next.follows_up = None,
        }
        next
    }

    /// What stops the call from being saved, and the id of the control to
    /// fix first; `None` when it can be saved.
    pub fn wrap_up_problems(&self) -> Option<(Vec<String>, &'static str)> {
        let mut found = Vec::new();
        let mut first = None;
        if self.rep.trim().is_empty() {
            found.push(t("Enter your name (Rep)."));
            first.get_or_insert("rep-name");
        }
        if self.disposition.is_empty() {
            found.push(t("Choose how the call ended (Disposition)."));
            first.get_or_insert("call-disposition");
        }
        first.map(|id| (found, id))
    }

    /// The call's lead record, with the rep, notes, disposition and the
    /// clock at `now`; `submission` gives its id and time.
    pub fn record(&self, now: f64, submission: Submission) -> LeadRecord {
        let submission = Submission {
            rep: Some(Rep {
                name: self.rep.trim().to_owned(),
                email: None,
            }),
            notes: (!self.notes.trim().is_empty()).then(|| self.notes.clone()),
            call: Some(CallDetails {
                disposition: self.disposition.clone(),
                duration_seconds: self.timer.elapsed_seconds(now),
                follows_up: self.follows_up.as_ref().map(|f| f.submission_id.clone()),
            }),
            ..submission
        };
        let form = &self.form;
        form.rulebook
            .record(&form.answers, &form.context, Channel::Call, submission)
    }
}

#[cfg(target_arch = "wasm32")]
impl yew::Reducible for CallState {
    type Action = CallAction;

    fn reduce(self: Rc<Self>, action: CallAction) -> Rc<Self> {
        Rc::new(self.apply(action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use accord_core::Status;
    use serde_json::json;

    fn meddpicc() -> CallState {
        let text = include_str!("../../../static/rulebooks/meddpicc-call.json");
        CallState::new(
            Rc::new(Rulebook::from_json(text).expect("valid")),
            String::new(),
        )
    }

    #[test]
    fn the_clock_starts_with_the_first_answer_and_toggles() {
        let call = meddpicc();
        let answered = call.apply(CallAction::Answer {
            field: "metrics".into(),
            value: json!(true),
            now: 1_000.0,
        });
        assert_eq!(answered.timer.running_since, Some(1_000.0));
        assert_eq!(answered.timer.elapsed_seconds(6_500.0), 5);
        let stopped = answered.apply(CallAction::ToggleTimer { now: 11_000.0 });
        assert_eq!(stopped.timer.elapsed_seconds(99_000.0), 10);
        // A later answer does not restart a clock the rep stopped.
        let later = stopped.apply(CallAction::Answer {
            field: "company".into(),
            value: json!("Acme"),
            now: 20_000.0,
        });
        assert_eq!(later.timer.running_since, None);
        assert_eq!(later.form.answers["company"], json!("Acme"));
    }

    #[test]
    fn going_to_a_question_stays_within_the_questions() {
        let call = meddpicc();
        let count = call.questions().len();
        assert!(count > 3);
        assert_eq!(call.apply(CallAction::Go(2)).at(), 2);
        assert_eq!(call.apply(CallAction::Go(999)).at(), count - 1);
        assert_eq!(call.position_of("company"), Some(1));
        assert_eq!(call.position_of("nope"), None);
        assert!(!call.apply(CallAction::ToggleMode).one_at_a_time);
    }

    #[test]
    fn saving_needs_the_rep_and_the_disposition() {
        let call = meddpicc();
        let (problems, first) = call.wrap_up_problems().expect("problems");
        assert_eq!(problems.len(), 2);
        assert_eq!(first, "rep-name");
        let named = call.apply(CallAction::Rep("Sam".into()));
        let (problems, first) = named.wrap_up_problems().expect("problems");
        assert_eq!(problems, ["Choose how the call ended (Disposition)."]);
        assert_eq!(first, "call-disposition");
        let ready = named.apply(CallAction::Disposition("follow_up".into()));
        assert_eq!(ready.wrap_up_problems(), None);
    }

    #[test]
    fn the_record_carries_the_wrap_up_and_the_engine_s_qualification() {
        let call = meddpicc()
            .apply(CallAction::Answer {
                field: "metrics".into(),
                value: json!(true),
                now: 0.0,
            })
            .apply(CallAction::Rep("  Sam Rep ".into()))
            .apply(CallAction::Notes("wants a pilot".into()))
            .apply(CallAction::Disposition("follow_up".into()));
        let submission = Submission {
            submission_id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
            submitted_at: "2026-11-30T10:00:00Z".into(),
            ..Submission::default()
        };
        let record = call.record(42_000.0, submission);
        assert_eq!(record.channel, Channel::Call);
        assert_eq!(
            record.rep.as_ref().map(|r| r.name.as_str()),
            Some("Sam Rep")
        );
        assert_eq!(record.notes.as_deref(), Some("wants a pilot"));
        let details = record.call.as_ref().expect("call details");
        assert_eq!(
            (details.disposition.as_str(), details.duration_seconds),
            ("follow_up", 42)
        );
        assert_eq!(record.qualification, *call.form.qualification);
        assert_eq!(record.qualification.status, Status::Incomplete);
        assert_eq!(
            details.follows_up, None,
            "a call about no lead follows none up"
        );
    }

    #[test]
    fn a_follow_up_call_starts_from_what_the_lead_answered() {
        let inbound = Rulebook::from_json(include_str!("../../../static/rulebooks/inbound.json"))
            .expect("valid");
        let fixture = &inbound.doc().fixtures[0];
        let lead = inbound.record(
            &fixture.answers,
            &accord_core::Context::default(),
            Channel::WebForm,
            Submission {
                submission_id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
                submitted_at: "2026-11-30T10:00:00Z".into(),
                ..Submission::default()
            },
        );
        let email = lead.answers["email"].clone();
        assert!(email.is_string() && lead.answers["company"].is_string());
        let call = meddpicc().following(&lead, Some(&inbound));
        // The same id (company), and the email under the call's own id.
        assert_eq!(
            call.form.answers.get("company"),
            lead.answers.get("company")
        );
        assert_eq!(call.form.answers["contact_email"], email);
        assert_eq!(call.timer, Timer::default(), "the clock waits for the call");
        let follow = call.follows_up.clone().expect("follows up");
        assert_eq!(follow.submission_id, lead.submission_id);
        assert_eq!(follow.grade, lead.qualification.grade);
        let record = call.record(0.0, Submission::default());
        assert_eq!(
            record.call.and_then(|c| c.follows_up).as_deref(),
            Some(lead.submission_id.as_str())
        );
        // Without the lead's rulebook only same-id answers carry over.
        let blind = meddpicc().following(&lead, None);
        assert!(!blind.form.answers.contains_key("contact_email"));
        // The rep can say it is not a follow-up; the answers stay.
        let not = call.apply(CallAction::NotAFollowUp);
        assert_eq!(not.follows_up, None);
        assert_eq!(not.form.answers["contact_email"], email);
    }
}
