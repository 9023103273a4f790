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
//! `last_error` when there is one. Unknown keys are ignored.
//!
//! Written by hand rather than derived with serde: the derived readers
//! and writers were about 13 KB of the widget's wasm.

use crate::decode::join;
use crate::destination::OutgoingRequest;
use crate::outbox::{Delivery, DeliveryState, Outbox};
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
        Value::Object(out)
    }

    /// Reads the stored form. The error names the first key that is
    /// missing or of the wrong type, e.g. `deliveries[2].request.url`.
    pub fn from_json(value: &Value) -> Result<Outbox, String> {
        let top = Obj::new(value, "")?;
        let mut deliveries = Vec::new();
        for (i, item) in top.array("deliveries")?.iter().enumerate() {
            deliveries.push(read_delivery(&Obj::new(
                item,
                &format!("deliveries[{i}]"),
            )?)?);
        }
        Ok(Outbox { deliveries })
    }
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
    Value::Object(out)
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

fn read_delivery(o: &Obj) -> Result<Delivery, String> {
    let state = Obj::new(o.get("state")?, &o.at("state"))?;
    let state = match state.string("state")?.as_str() {
        "pending" => DeliveryState::Pending,
        "failed" => DeliveryState::Failed {
            status: u16::try_from(state.number("status")?)
                .map_err(|_| format!("{}: not an HTTP status", state.at("status")))?,
            reason: state.string("reason")?,
        },
        _ => return Err(format!("{}: not pending or failed", state.at("state"))),
    };
    Ok(Delivery {
        submission_id: o.string("submission_id")?,
        destination: usize::try_from(o.number("destination")?)
            .map_err(|_| format!("{}: too large", o.at("destination")))?,
        request: read_request(&Obj::new(o.get("request")?, &o.at("request"))?)?,
        attempts: u32::try_from(o.number("attempts")?)
            .map_err(|_| format!("{}: too large", o.at("attempts")))?,
        next_attempt_at: o.number("next_attempt_at")?,
        created_at: o.number("created_at")?,
        state,
        last_error: o.optional_string("last_error")?,
    })
}

fn read_request(o: &Obj) -> Result<OutgoingRequest, String> {
    let mut headers = BTreeMap::new();
    if let Some(value) = o.map.get("headers").filter(|v| !v.is_null()) {
        let list = Obj::new(value, &o.at("headers"))?;
        for name in list.map.keys() {
            headers.insert(name.clone(), list.string(name)?);
        }
    }
    Ok(OutgoingRequest {
        url: o.string("url")?,
        content_type: o.string("content_type")?,
        headers,
        body: o.string("body")?,
        opaque: o.flag("opaque")?,
        idempotent: o.flag("idempotent")?,
    })
}

/// An object being read, with its path for error messages.
struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

impl<'a> Obj<'a> {
    fn new(value: &'a Value, path: &str) -> Result<Obj<'a>, String> {
        match value {
            Value::Object(map) => Ok(Obj {
                map,
                path: path.to_owned(),
            }),
            _ => Err(format!(
                "{}: not an object",
                if path.is_empty() { "outbox" } else { path }
            )),
        }
    }

    fn at(&self, key: &str) -> String {
        join(&self.path, key)
    }

    fn get(&self, key: &str) -> Result<&'a Value, String> {
        self.map
            .get(key)
            .ok_or_else(|| format!("{}: missing", self.at(key)))
    }

    fn string(&self, key: &str) -> Result<String, String> {
        match self.get(key)? {
            Value::String(s) => Ok(s.clone()),
            _ => Err(format!("{}: not text", self.at(key))),
        }
    }

    fn optional_string(&self, key: &str) -> Result<Option<String>, String> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(_) => self.string(key).map(Some),
        }
    }

    fn number(&self, key: &str) -> Result<u64, String> {
        self.get(key)?
            .as_u64()
            .ok_or_else(|| format!("{}: not a whole number", self.at(key)))
    }

    fn flag(&self, key: &str) -> Result<bool, String> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(format!("{}: not true or false", self.at(key))),
        }
    }

    fn array(&self, key: &str) -> Result<&'a Vec<Value>, String> {
        match self.get(key)? {
            Value::Array(items) => Ok(items),
            _ => Err(format!("{}: not a list", self.at(key))),
        }
    }
}
