//! The outbox's stored form: JSON, read and written by hand.
//!
//! The widget keeps its outbox in `localStorage` and reads it on every page
//! load, so a stored outbox must stay readable across versions. The form
//! is fixed (`tests/data/outbox-v1.json` holds a sample, and a test reads
//! and rewrites it byte for byte): `{"deliveries": [...]}`, each delivery
//! with `submission_id`, `destination`, `request` (`url`, `content_type`,
//! `headers` when any, `body`, `opaque` and `idempotent` when true),
//! `attempts`, `next_attempt_at`, `created_at`, `state`
//! (`{"state": "pending"}` or `{"state": "failed", "status", "reason"}`) and
//! `last_error` when there is one, and `in_flight_since` while a
//! non-idempotent send runs; and `reports` when a submission names a report
//! endpoint (`submission_id`, `url`, `record` as JSON text). Unknown keys
//! are ignored.
//!
//! It is read through the shared path-tracking reader (`json_object.rs`,
//! which says why it is hand-written); the first problem ends the read and
//! names its path, e.g. `deliveries[2].request.url: expected a string, found
//! a number`.

use crate::destination::OutgoingRequest;
use crate::json_object::{JsonObject, ReadError};
use crate::outbox::{Delivery, DeliveryState, FailureReport, Outbox};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

impl Outbox {
    /// The stored form.
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        out.insert(
            "deliveries".into(),
            Value::Array(self.deliveries.iter().map(delivery_json).collect()),
        );
        if !self.reports.is_empty() {
            out.insert(
                "reports".into(),
                Value::Array(self.reports.iter().map(report_json).collect()),
            );
        }
        Value::Object(out)
    }

    /// Reads the stored form. The error names the first key that is
    /// missing or of the wrong type, with its path.
    pub fn from_json(value: &Value) -> Result<Outbox, String> {
        read_outbox(value).map_err(|e| e.to_string())
    }

    /// Reads the stored form delivery by delivery: one unreadable delivery
    /// never costs the others. Returns the readable outbox and each
    /// unreadable delivery as stored, with why; a value that is not an
    /// outbox at all comes back whole as the one unreadable item.
    pub fn from_json_each(value: &Value) -> (Outbox, Vec<(String, Value)>) {
        let items = JsonObject::new(value, "outbox")
            .and_then(|top| required(top.array("deliveries", true)));
        let items = match items {
            Ok(items) => items,
            Err(e) => return (Outbox::default(), vec![(e.to_string(), value.clone())]),
        };
        let mut deliveries = Vec::new();
        let mut unreadable = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let read =
                JsonObject::new(item, &format!("deliveries[{i}]")).and_then(|o| read_delivery(&o));
            match read {
                Ok(delivery) => deliveries.push(delivery),
                Err(e) => unreadable.push((e.to_string(), item.clone())),
            }
        }
        let mut reports = Vec::new();
        let listed = value.get("reports").and_then(Value::as_array);
        for (i, item) in listed.into_iter().flatten().enumerate() {
            match JsonObject::new(item, &format!("reports[{i}]")).and_then(|o| read_report(&o)) {
                Ok(report) => reports.push(report),
                Err(e) => unreadable.push((e.to_string(), item.clone())),
            }
        }
        (
            Outbox {
                deliveries,
                reports,
            },
            unreadable,
        )
    }
}

fn read_outbox(value: &Value) -> Result<Outbox, ReadError> {
    let top = JsonObject::new(value, "outbox")?;
    let mut deliveries = Vec::new();
    for (i, item) in required(top.array("deliveries", true))?.iter().enumerate() {
        deliveries.push(read_delivery(&JsonObject::new(
            item,
            &format!("deliveries[{i}]"),
        )?)?);
    }
    let mut reports = Vec::new();
    for (i, item) in top
        .array("reports", false)?
        .into_iter()
        .flatten()
        .enumerate()
    {
        reports.push(read_report(&JsonObject::new(
            item,
            &format!("reports[{i}]"),
        )?)?);
    }
    Ok(Outbox {
        deliveries,
        reports,
    })
}

fn delivery_json(d: &Delivery) -> Value {
    let mut out = Map::new();
    out.insert("submission_id".into(), d.submission_id.clone().into());
    out.insert("destination".into(), d.destination.into());
    out.insert("request".into(), request_json(&d.request));
    out.insert("attempts".into(), d.attempts.into());
    out.insert("next_attempt_at".into(), d.next_attempt_at.into());
    out.insert("created_at".into(), d.created_at.into());
    let mut state = Map::new();
    match &d.state {
        DeliveryState::Pending => {
            state.insert("state".into(), "pending".into());
        }
        DeliveryState::Failed { status, reason } => {
            state.insert("state".into(), "failed".into());
            state.insert("status".into(), (*status).into());
            state.insert("reason".into(), reason.clone().into());
        }
    }
    out.insert("state".into(), Value::Object(state));
    if let Some(error) = &d.last_error {
        out.insert("last_error".into(), error.clone().into());
    }
    if let Some(since) = d.in_flight_since {
        out.insert("in_flight_since".into(), since.into());
    }
    Value::Object(out)
}

fn report_json(r: &FailureReport) -> Value {
    let mut out = Map::new();
    out.insert("submission_id".into(), r.submission_id.clone().into());
    out.insert("url".into(), r.url.clone().into());
    out.insert("record".into(), r.record.clone().into());
    Value::Object(out)
}

fn read_report(o: &JsonObject) -> Result<FailureReport, ReadError> {
    Ok(FailureReport {
        submission_id: required(o.string("submission_id", true))?,
        url: required(o.string("url", true))?,
        record: required(o.string("record", true))?,
    })
}

fn request_json(r: &OutgoingRequest) -> Value {
    let mut out = Map::new();
    out.insert("url".into(), r.url.clone().into());
    out.insert("content_type".into(), r.content_type.clone().into());
    if !r.headers.is_empty() {
        let mut headers = Map::new();
        for (name, value) in &r.headers {
            headers.insert(name.clone(), value.clone().into());
        }
        out.insert("headers".into(), Value::Object(headers));
    }
    out.insert("body".into(), r.body.clone().into());
    if r.opaque {
        out.insert("opaque".into(), true.into());
    }
    if r.idempotent {
        out.insert("idempotent".into(), true.into());
    }
    Value::Object(out)
}

/// The value of a read made with `required: true`, which answers a missing
/// key with an error and so never with `Ok(None)`.
fn required<T>(read: Result<Option<T>, ReadError>) -> Result<T, ReadError> {
    read?.ok_or_else(missing)
}

#[cold]
fn missing() -> ReadError {
    ReadError {
        path: String::new(),
        message: "missing".into(),
    }
}

/// A whole number that fits `T`.
fn whole<T: TryFrom<u64>>(o: &JsonObject, key: &str) -> Result<T, ReadError> {
    T::try_from(required(o.count(key, true))?).map_err(|_| ReadError {
        path: o.at(key),
        message: "too large".into(),
    })
}

/// `null` and absent both mean "not there" in the stored form.
fn present<'a>(o: &JsonObject<'a>, key: &str) -> Option<&'a Value> {
    o.map.get(key).filter(|v| !v.is_null())
}

fn read_delivery(o: &JsonObject) -> Result<Delivery, ReadError> {
    let state = required(o.object("state", true))?;
    let state = match required(state.string("state", true))?.as_str() {
        "pending" => DeliveryState::Pending,
        "failed" => DeliveryState::Failed {
            status: whole(&state, "status")?,
            reason: required(state.string("reason", true))?,
        },
        _ => {
            return Err(ReadError {
                path: state.at("state"),
                message: "expected pending or failed".into(),
            })
        }
    };
    Ok(Delivery {
        submission_id: required(o.string("submission_id", true))?,
        destination: whole(o, "destination")?,
        request: read_request(&required(o.object("request", true))?)?,
        attempts: whole(o, "attempts")?,
        next_attempt_at: required(o.count("next_attempt_at", true))?,
        created_at: required(o.count("created_at", true))?,
        state,
        last_error: match present(o, "last_error") {
            None => None,
            Some(_) => o.string("last_error", false)?,
        },
        in_flight_since: match present(o, "in_flight_since") {
            None => None,
            Some(_) => o.count("in_flight_since", false)?,
        },
    })
}

fn read_request(o: &JsonObject) -> Result<OutgoingRequest, ReadError> {
    let mut headers = BTreeMap::new();
    if present(o, "headers").is_some() {
        let list = required(o.object("headers", true))?;
        for name in list.map.keys() {
            headers.insert(name.clone(), required(list.string(name, true))?);
        }
    }
    let flag = |key: &str| match present(o, key) {
        None => Ok(false),
        Some(_) => o.flag(key),
    };
    Ok(OutgoingRequest {
        url: required(o.string("url", true))?,
        content_type: required(o.string("content_type", true))?,
        headers,
        body: required(o.string("body", true))?,
        opaque: flag("opaque")?,
        idempotent: flag("idempotent")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_in_flight_mark_is_stored_and_read_back() {
        let mut outbox = Outbox::default();
        let request = crate::destination::form_post_request(
            "https://forms.example/submit",
            &BTreeMap::new(),
            &BTreeMap::new(),
            &BTreeMap::new(),
            &serde_json::json!({"submission_id": "a"}),
        );
        outbox.add("a", vec![request], 1_000);
        assert!(outbox.start("a", 0, 1_234));
        let stored = outbox.to_json();
        assert_eq!(stored["deliveries"][0]["in_flight_since"], 1_234);
        assert_eq!(Outbox::from_json(&stored), Ok(outbox.clone()));
        // Without the key (every outbox stored before), nothing is in flight.
        let mut old = stored.clone();
        old["deliveries"][0]
            .as_object_mut()
            .unwrap()
            .remove("in_flight_since");
        let read = Outbox::from_json(&old).unwrap();
        assert_eq!(read.deliveries[0].in_flight_since, None);
    }

    #[test]
    fn report_endpoints_are_stored_and_read_back() {
        let mut outbox = Outbox::default();
        outbox.report_failures_to(FailureReport {
            submission_id: "a".into(),
            url: "https://owner.example/r".into(),
            record: "{\"submission_id\":\"a\"}".into(),
        });
        let stored = outbox.to_json();
        assert_eq!(stored["reports"][0]["url"], "https://owner.example/r");
        assert_eq!(Outbox::from_json(&stored), Ok(outbox.clone()));
        let (each, unreadable) = Outbox::from_json_each(&stored);
        assert_eq!((each, unreadable.len()), (outbox, 0));
        let broken = serde_json::json!({"deliveries": [], "reports": [{"url": 3}]});
        let (_, unreadable) = Outbox::from_json_each(&broken);
        assert_eq!(unreadable.len(), 1, "set aside, never dropped");
    }
}
