//! The outbox: records waiting to reach their destinations.
//!
//! A record is added to the outbox (and stored by the caller) before the
//! first send, as one [`Delivery`] per destination, and leaves it only when
//! that destination accepts it. This module is the state machine only: the
//! caller stores the outbox, sends the requests, and passes in the clock
//! (milliseconds since the epoch) and the jitter (a number in `[0, 1)`), so
//! every transition is deterministic and testable.
//!
//! - 2xx, or an opaque answer to a `no-cors` form post: accepted, the
//!   delivery is removed.
//! - network error, timeout, 408, 429 and 5xx: retried after a jittered
//!   exponential backoff, or after `Retry-After` when the server sends one.
//! - any other status: kept as failed, with the reason, for the site owner
//!   to see; never dropped. [`Outbox::retry_failed`] puts them back in line
//!   once the destination is fixed.
//!
//! A submission may name a **report endpoint** (the site owner's own
//! backend, [`FailureReport`]): when one of its deliveries is refused or
//! left unconfirmed, a failure report with the whole record is queued to it
//! like any delivery, so the lead and the reason reach the owner even when
//! the only destination (a misconfigured HubSpot form, say) refuses it.
//!
//! A request a destination cannot de-duplicate (a form post, a HubSpot
//! submission: `idempotent` false) is marked **in flight** in storage
//! before it is sent ([`Outbox::start`]), so no other tab sends it too. If
//! the page closes during the send, nobody knows whether it arrived: after
//! [`IN_FLIGHT_MS`] the mark becomes a failure "not confirmed"
//! ([`Outbox::unconfirmed`]), kept for the site owner like any refusal,
//! rather than a second lead in the CRM.

use crate::destination::OutgoingRequest;

/// First retry delay.
pub const FIRST_RETRY_MS: u64 = 2_000;
/// Longest delay between two attempts.
pub const MAX_RETRY_MS: u64 = 10 * 60 * 1000;
/// How long a delivery may stay in flight: longer than any send (the
/// browser's is bounded at 15 s), so a mark this old was left by a page
/// that closed during the send.
pub const IN_FLIGHT_MS: u64 = 60_000;
/// Longest `Retry-After` honoured (a day); longer values are clamped.
pub const MAX_RETRY_AFTER_MS: u64 = 24 * 60 * 60 * 1000;

/// Where a delivery stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryState {
    /// Waiting for its next attempt.
    Pending,
    /// The destination refused it (a 4xx other than 408 and 429); kept and
    /// reported, not retried automatically.
    Failed {
        /// The HTTP status.
        status: u16,
        /// What the destination said, shortened.
        reason: String,
    },
}

/// One record on its way to one destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The record's submission id (its idempotency key).
    pub submission_id: String,
    /// Which destination (index in the list the record was sent to).
    pub destination: usize,
    /// The request to send.
    pub request: OutgoingRequest,
    /// Attempts made so far.
    pub attempts: u32,
    /// Not before this time (ms since the epoch).
    pub next_attempt_at: u64,
    /// When the record entered the outbox.
    pub created_at: u64,
    /// Pending or failed.
    pub state: DeliveryState,
    /// Why the last attempt did not succeed, if it did not.
    pub last_error: Option<String>,
    /// When a send of this non-idempotent delivery started, while it runs.
    pub in_flight_since: Option<u64>,
}

/// How one attempt went, as the caller saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptResult {
    /// The server answered with this status; `retry_after` is the
    /// `Retry-After` header's value, if any.
    Status {
        /// HTTP status.
        status: u16,
        /// Raw `Retry-After` header.
        retry_after: Option<String>,
        /// A short excerpt of the response body, for failure reports.
        body: String,
    },
    /// An opaque (`no-cors`) request reached the server; its answer cannot
    /// be read, so it counts as accepted.
    Opaque,
    /// No answer: network error, offline, timeout, CORS refusal.
    NoResponse {
        /// What the browser reported.
        reason: String,
    },
}

/// What the outbox did with a delivery after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// Accepted and removed.
    Delivered,
    /// Kept; tried again at the given time.
    WillRetry(u64),
    /// Kept as failed.
    Failed,
    /// No such delivery (already settled, e.g. by another tab).
    Unknown,
}

/// Where one submission stands across all its destinations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Every destination accepted it.
    Delivered,
    /// At least one destination is still to be tried (none refused it).
    Pending,
    /// A destination refused it; it is kept for the site owner.
    Failed,
}

/// The delay before attempt number `attempts + 1` after `attempts` failed
/// ones: 2 s doubling up to 10 min, with "equal jitter" (half fixed, half
/// random) so that many browsers coming back online do not retry in step.
pub fn backoff_ms(attempts: u32, jitter: f64) -> u64 {
    let exp = attempts.saturating_sub(1).min(20);
    let full = FIRST_RETRY_MS.saturating_mul(1 << exp).min(MAX_RETRY_MS);
    let jitter = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        0.0
    };
    full / 2 + ((full / 2) as f64 * jitter) as u64
}

/// A `Retry-After` value in milliseconds from now: delta-seconds only
/// (HTTP dates are rare from APIs, and we cannot parse them without a
/// calendar here; they fall back to the backoff).
pub fn retry_after_ms(header: &str) -> Option<u64> {
    let secs: u64 = header.trim().parse().ok()?;
    Some(secs.saturating_mul(1000).min(MAX_RETRY_AFTER_MS))
}

/// Where a submission's failures are reported, with the record to send
/// along, kept while any of its deliveries is left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureReport {
    /// The submission.
    pub submission_id: String,
    /// The report endpoint (a webhook that takes JSON as `text/plain`).
    pub url: String,
    /// The lead record, as JSON text.
    pub record: String,
}

/// The request that reports a failure to the site owner's report endpoint
/// `to`: JSON as `text/plain` (no CORS preflight), de-duplicated by the
/// receiver on the submission id and `destination`. `destination` is the
/// refused destination's number, or `None` when the rulebook itself could
/// not be used (the capture-only form's record); `url` is what failed,
/// `status` its HTTP status (0 without one), `reason` why, and `record`
/// the lead record's JSON text.
pub fn failure_report_request(
    to: &str,
    submission_id: &str,
    destination: Option<usize>,
    url: &str,
    status: u16,
    reason: &str,
    record: &str,
) -> OutgoingRequest {
    let text = |s: &str| serde_json::Value::from(s).to_string();
    let (failed, destination) = match destination {
        Some(n) => ("delivery", format!(",\"destination\":{n}")),
        None => ("rulebook", String::new()),
    };
    let body = format!(
        "{{\"accord_failure\":1,\"submission_id\":{},\"failed\":\"{failed}\"{destination},\"url\":{},\"status\":{status},\"reason\":{},\"record\":{record}}}",
        text(submission_id),
        text(url),
        text(reason),
    );
    OutgoingRequest {
        url: to.to_owned(),
        content_type: "text/plain;charset=UTF-8".into(),
        headers: Default::default(),
        body,
        opaque: false,
        idempotent: true,
    }
}

/// Failure reports go in the outbox as deliveries numbered from here on
/// (this plus the failed destination's number), apart from the record's
/// own destinations.
pub const REPORT_DESTINATION: usize = 1000;

/// Records waiting for delivery, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outbox {
    /// Every delivery not yet accepted.
    pub deliveries: Vec<Delivery>,
    /// Where the failures of submissions still in the outbox go.
    pub reports: Vec<FailureReport>,
}

impl Outbox {
    /// Keeps `report` for its submission (once): a delivery of it that is
    /// refused later queues a failure report there.
    pub fn report_failures_to(&mut self, report: FailureReport) {
        if !self
            .reports
            .iter()
            .any(|r| r.submission_id == report.submission_id)
        {
            self.reports.push(report);
        }
    }

    /// Queues the failure report for the delivery at `index` (just failed),
    /// when its submission has a report endpoint and the delivery is not a
    /// report itself.
    fn queue_report(&mut self, index: usize, now: u64) {
        let failed = &self.deliveries[index];
        if failed.destination >= REPORT_DESTINATION {
            return;
        }
        let DeliveryState::Failed { status, reason } = &failed.state else {
            return;
        };
        let Some(report) = self
            .reports
            .iter()
            .find(|r| r.submission_id == failed.submission_id)
        else {
            return;
        };
        let request = failure_report_request(
            &report.url,
            &failed.submission_id,
            Some(failed.destination),
            &failed.request.url,
            *status,
            reason,
            &report.record,
        );
        let (id, destination) = (
            failed.submission_id.clone(),
            REPORT_DESTINATION + failed.destination,
        );
        self.push_new(&id, destination, request, now);
    }

    /// Adds a delivery due now, unless that submission and destination is
    /// already in the outbox.
    fn push_new(
        &mut self,
        submission_id: &str,
        destination: usize,
        request: OutgoingRequest,
        now: u64,
    ) {
        if self.find(submission_id, destination).is_some() {
            return;
        }
        self.deliveries.push(Delivery {
            submission_id: submission_id.to_owned(),
            destination,
            request,
            attempts: 0,
            next_attempt_at: now,
            created_at: now,
            state: DeliveryState::Pending,
            last_error: None,
            in_flight_since: None,
        });
    }

    /// Forgets the report endpoint of a submission with nothing left.
    fn forget_report(&mut self, submission_id: &str) {
        if !self
            .deliveries
            .iter()
            .any(|d| d.submission_id == submission_id)
        {
            self.reports.retain(|r| r.submission_id != submission_id);
        }
    }

    /// Adds one delivery per request for a record, due now. A record
    /// already in the outbox (same submission id and destination) is not
    /// added twice.
    pub fn add(&mut self, submission_id: &str, requests: Vec<OutgoingRequest>, now: u64) {
        for (destination, request) in requests.into_iter().enumerate() {
            self.push_new(submission_id, destination, request, now);
        }
    }

    fn find(&self, submission_id: &str, destination: usize) -> Option<usize> {
        self.deliveries
            .iter()
            .position(|d| d.submission_id == submission_id && d.destination == destination)
    }

    /// Pending deliveries whose time has come, oldest first; none that is
    /// in flight.
    pub fn due(&self, now: u64) -> Vec<Delivery> {
        self.deliveries
            .iter()
            .filter(|d| {
                d.state == DeliveryState::Pending
                    && d.next_attempt_at <= now
                    && d.in_flight_since.is_none()
            })
            .cloned()
            .collect()
    }

    /// Marks a delivery as being sent now, before the send; `false` when it
    /// is gone or already in flight (another tab sends it), and then it
    /// must not be sent. Only needed for requests that are not idempotent.
    pub fn start(&mut self, submission_id: &str, destination: usize, now: u64) -> bool {
        match self.find(submission_id, destination) {
            Some(i) if self.deliveries[i].in_flight_since.is_none() => {
                self.deliveries[i].in_flight_since = Some(now);
                true
            }
            _ => false,
        }
    }

    /// Turns in-flight marks older than [`IN_FLIGHT_MS`] into failures
    /// ("not confirmed"): the page that sent them closed before the answer,
    /// and sending again could make a second lead. Returns their indexes
    /// in [`Outbox::deliveries`].
    pub fn unconfirmed(&mut self, now: u64) -> Vec<usize> {
        let mut failed = Vec::new();
        for (i, d) in self.deliveries.iter_mut().enumerate() {
            // A mark from the future (the clock was set back) expires too,
            // or it would hold the delivery for ever.
            if d.in_flight_since
                .is_some_and(|since| since > now || now - since >= IN_FLIGHT_MS)
            {
                d.in_flight_since = None;
                let reason = "not confirmed: the page closed while this was being sent, so it may or may not have arrived; not sent again, to avoid a duplicate".to_owned();
                d.last_error = Some(reason.clone());
                d.state = DeliveryState::Failed { status: 0, reason };
                failed.push(i);
            }
        }
        for &i in &failed {
            self.queue_report(i, now);
        }
        failed
    }

    /// When the next pending delivery is due, if any is pending: for one in
    /// flight, when its mark expires ([`Outbox::unconfirmed`]).
    pub fn next_due(&self) -> Option<u64> {
        self.deliveries
            .iter()
            .filter(|d| d.state == DeliveryState::Pending)
            .map(|d| match d.in_flight_since {
                Some(since) => since.saturating_add(IN_FLIGHT_MS),
                None => d.next_attempt_at,
            })
            .min()
    }

    /// Makes every pending delivery due now (the browser came back online,
    /// or the page is being hidden).
    pub fn hurry(&mut self, now: u64) {
        for d in &mut self.deliveries {
            if d.state == DeliveryState::Pending {
                d.next_attempt_at = d.next_attempt_at.min(now);
            }
        }
    }

    /// Applies the result of one attempt.
    pub fn settle(
        &mut self,
        submission_id: &str,
        destination: usize,
        result: &AttemptResult,
        now: u64,
        jitter: f64,
    ) -> Settled {
        let Some(index) = self.find(submission_id, destination) else {
            return Settled::Unknown;
        };
        let delivery = &mut self.deliveries[index];
        delivery.attempts = delivery.attempts.saturating_add(1);
        delivery.in_flight_since = None;
        let (retry_after, error) = match result {
            AttemptResult::Opaque => {
                self.deliveries.remove(index);
                self.forget_report(submission_id);
                return Settled::Delivered;
            }
            AttemptResult::Status { status, .. } if (200..300).contains(status) => {
                self.deliveries.remove(index);
                self.forget_report(submission_id);
                return Settled::Delivered;
            }
            AttemptResult::Status {
                status,
                retry_after,
                body,
            } if *status == 408 || *status == 429 || *status >= 500 || *status < 200 => (
                retry_after.as_deref().and_then(retry_after_ms),
                format!("HTTP {status}{}", excerpt(body)),
            ),
            AttemptResult::Status { status, body, .. } => {
                let reason = format!("HTTP {status}{}", excerpt(body));
                delivery.last_error = Some(reason.clone());
                delivery.state = DeliveryState::Failed {
                    status: *status,
                    reason,
                };
                self.queue_report(index, now);
                return Settled::Failed;
            }
            AttemptResult::NoResponse { reason } => (None, reason.clone()),
        };
        let wait = retry_after.unwrap_or_else(|| backoff_ms(delivery.attempts, jitter));
        delivery.next_attempt_at = now.saturating_add(wait);
        delivery.last_error = Some(error);
        Settled::WillRetry(delivery.next_attempt_at)
    }

    /// Puts failed deliveries back in line, due now, with their attempt
    /// count kept (the site owner fixed the destination). Returns how many.
    pub fn retry_failed(&mut self, now: u64) -> usize {
        let mut count = 0;
        for d in &mut self.deliveries {
            if d.state != DeliveryState::Pending {
                d.state = DeliveryState::Pending;
                d.next_attempt_at = now;
                count += 1;
            }
        }
        count
    }

    /// Where a submission stands as a whole: delivered when nothing of it
    /// is left, failed when any destination refused it, else pending.
    pub fn progress(&self, submission_id: &str) -> Progress {
        let mut progress = Progress::Delivered;
        for d in self
            .deliveries
            .iter()
            .filter(|d| d.submission_id == submission_id)
        {
            match &d.state {
                DeliveryState::Failed { .. } => return Progress::Failed,
                DeliveryState::Pending => progress = Progress::Pending,
            }
        }
        progress
    }
}

fn excerpt(body: &str) -> String {
    let text: String = body.trim().chars().take(200).collect();
    if text.is_empty() {
        String::new()
    } else {
        format!(": {text}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn request() -> OutgoingRequest {
        crate::destination::webhook_request(
            "https://example.invalid/hook",
            crate::WebhookEncoding::Json,
            &BTreeMap::new(),
            &serde_json::json!({"submission_id": "a"}),
        )
    }

    fn status(status: u16, retry_after: Option<&str>) -> AttemptResult {
        AttemptResult::Status {
            status,
            retry_after: retry_after.map(str::to_owned),
            body: "nope".into(),
        }
    }

    #[test]
    fn a_delivery_in_flight_is_sent_by_one_tab_only_and_never_twice() {
        let mut outbox = Outbox::default();
        outbox.add("a", vec![request()], 1_000);
        // Tab one marks it (and stores the outbox) before sending.
        assert!(outbox.start("a", 0, 1_000));
        // Tab two reads the stored outbox: nothing is due, and it may not
        // start the same delivery.
        assert!(outbox.due(5_000).is_empty());
        assert!(!outbox.start("a", 0, 1_001));
        assert!(!outbox.start("nope", 0, 1_001));
        assert_eq!(outbox.progress("a"), Progress::Pending);
        // The answer clears the mark: a retry is due again later.
        assert_eq!(
            outbox.settle("a", 0, &status(503, None), 2_000, 0.0),
            Settled::WillRetry(3_000)
        );
        assert_eq!(outbox.deliveries[0].in_flight_since, None);
        assert_eq!(outbox.due(3_000).len(), 1);
        // A mark whose page closed mid-send is not sent again: after
        // IN_FLIGHT_MS it is a failure the site owner sees, and the owner
        // can put it back in line.
        assert!(outbox.start("a", 0, 10_000));
        assert_eq!(
            outbox.next_due(),
            Some(10_000 + IN_FLIGHT_MS),
            "no busy loop meanwhile"
        );
        assert!(outbox.unconfirmed(10_000 + IN_FLIGHT_MS - 1).is_empty());
        assert_eq!(outbox.unconfirmed(10_000 + IN_FLIGHT_MS).len(), 1);
        assert_eq!(outbox.progress("a"), Progress::Failed);
        assert!(matches!(
            &outbox.deliveries[0].state,
            DeliveryState::Failed { status: 0, reason } if reason.starts_with("not confirmed")
        ));
        assert_eq!(outbox.retry_failed(99_000), 1);
        assert_eq!(outbox.due(99_000).len(), 1);
        // A mark from the future (the clock went back) does not hold it.
        assert!(outbox.start("a", 0, 500_000));
        assert_eq!(outbox.unconfirmed(100_000).len(), 1);
    }

    #[test]
    fn a_refused_delivery_sends_the_record_and_the_reason_to_the_report_endpoint() {
        let mut outbox = Outbox::default();
        outbox.add("a", vec![request(), request()], 1_000);
        outbox.report_failures_to(FailureReport {
            submission_id: "a".into(),
            url: "https://owner.example/api/failures".into(),
            record: r#"{"submission_id":"a"}"#.into(),
        });
        // A retry is no failure: nothing is reported.
        outbox.settle("a", 0, &status(503, None), 1_000, 0.0);
        assert_eq!(outbox.deliveries.len(), 2);
        // A refusal is: the report goes out like any delivery.
        assert_eq!(
            outbox.settle("a", 1, &status(400, None), 1_000, 0.0),
            Settled::Failed
        );
        let report = outbox
            .due(1_000)
            .into_iter()
            .find(|d| d.destination >= REPORT_DESTINATION);
        let report = report.expect("a failure report is queued");
        assert_eq!(report.destination, REPORT_DESTINATION + 1);
        assert_eq!(report.request.url, "https://owner.example/api/failures");
        assert!(report.request.idempotent);
        let body: serde_json::Value = serde_json::from_str(&report.request.body).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "accord_failure": 1, "submission_id": "a", "failed": "delivery", "destination": 1,
                "url": "https://example.invalid/hook", "status": 400,
                "reason": "HTTP 400: nope", "record": {"submission_id": "a"},
            })
        );
        // A refused report is not reported again.
        let refused = outbox.settle("a", REPORT_DESTINATION + 1, &status(404, None), 1_000, 0.0);
        assert_eq!(refused, Settled::Failed);
        assert_eq!(outbox.deliveries.len(), 3, "no report of a report");
        // Once nothing of the submission is left, its endpoint is forgotten.
        outbox.deliveries.clear();
        outbox.add("a", vec![request()], 2_000);
        outbox.settle("a", 0, &status(200, None), 2_000, 0.0);
        assert!(outbox.reports.is_empty());
        // An unconfirmed send is reported too.
        outbox.add("b", vec![request()], 3_000);
        outbox.report_failures_to(FailureReport {
            submission_id: "b".into(),
            url: "https://owner.example/r".into(),
            record: "{}".into(),
        });
        assert!(outbox.start("b", 0, 3_000));
        outbox.unconfirmed(3_000 + IN_FLIGHT_MS);
        assert!(outbox
            .due(3_000 + IN_FLIGHT_MS)
            .iter()
            .any(|d| d.submission_id == "b" && d.destination == REPORT_DESTINATION));
    }

    #[test]
    fn backoff_doubles_with_equal_jitter_and_a_ceiling() {
        assert_eq!(backoff_ms(1, 0.0), 1_000);
        assert_eq!(backoff_ms(1, 0.999_999), 1_999);
        assert_eq!(backoff_ms(2, 0.0), 2_000);
        assert_eq!(backoff_ms(3, 0.5), 6_000);
        assert_eq!(backoff_ms(30, 1.0), MAX_RETRY_MS);
        assert_eq!(backoff_ms(u32::MAX, f64::NAN), MAX_RETRY_MS / 2);
        assert_eq!(backoff_ms(0, 0.0), 1_000);
    }

    #[test]
    fn retry_after_reads_seconds_and_is_clamped() {
        assert_eq!(retry_after_ms("7"), Some(7_000));
        assert_eq!(retry_after_ms(" 0 "), Some(0));
        assert_eq!(retry_after_ms("99999999999"), Some(MAX_RETRY_AFTER_MS));
        assert_eq!(retry_after_ms("Wed, 21 Oct 2026 07:28:00 GMT"), None);
    }

    #[test]
    fn accepted_deliveries_leave_and_others_stay() {
        let mut outbox = Outbox::default();
        outbox.add("a", vec![request(), request()], 1_000);
        outbox.add("a", vec![request()], 1_000);
        assert_eq!(outbox.deliveries.len(), 2, "no duplicates");
        assert_eq!(outbox.due(1_000).len(), 2);

        assert_eq!(
            outbox.settle("a", 0, &status(201, None), 1_000, 0.0),
            Settled::Delivered
        );
        assert_eq!(outbox.progress("a"), Progress::Pending);
        let retry = outbox.settle("a", 1, &status(503, None), 1_000, 0.0);
        assert_eq!(retry, Settled::WillRetry(2_000));
        assert!(outbox.due(1_999).is_empty());
        assert_eq!(outbox.due(2_000).len(), 1);
        assert_eq!(
            outbox.settle("a", 1, &status(200, None), 2_000, 0.0),
            Settled::Delivered
        );
        assert_eq!(outbox.progress("a"), Progress::Delivered);
        assert_eq!(
            outbox.settle("a", 1, &status(200, None), 2_000, 0.0),
            Settled::Unknown
        );
        // A no-cors form post: the answer is unreadable, so it counts.
        outbox.add("b", vec![request()], 3_000);
        assert_eq!(
            outbox.settle("b", 0, &AttemptResult::Opaque, 3_000, 0.0),
            Settled::Delivered
        );
        assert!(outbox.deliveries.is_empty());
    }

    #[test]
    fn retry_after_wins_over_backoff() {
        let mut outbox = Outbox::default();
        outbox.add("a", vec![request()], 0);
        let r = outbox.settle("a", 0, &status(429, Some("30")), 5_000, 0.9);
        assert_eq!(r, Settled::WillRetry(35_000));
        assert_eq!(
            outbox.deliveries[0].last_error.as_deref(),
            Some("HTTP 429: nope")
        );
    }

    #[test]
    fn network_errors_back_off_and_online_hurries_them() {
        let mut outbox = Outbox::default();
        outbox.add("a", vec![request()], 0);
        let offline = AttemptResult::NoResponse {
            reason: "Failed to fetch".into(),
        };
        for (attempt, wait) in [(1u64, 1_000u64), (2, 2_000), (3, 4_000), (4, 8_000)] {
            let at = outbox.deliveries[0].next_attempt_at;
            assert_eq!(
                outbox.settle("a", 0, &offline, at, 0.0),
                Settled::WillRetry(at + wait)
            );
            assert_eq!(outbox.deliveries[0].attempts as u64, attempt);
        }
        outbox.hurry(100);
        assert_eq!(outbox.next_due(), Some(100));
    }

    #[test]
    fn client_errors_are_kept_as_failed_not_dropped() {
        let mut outbox = Outbox::default();
        outbox.add("a", vec![request()], 0);
        assert_eq!(
            outbox.settle("a", 0, &status(400, None), 10, 0.0),
            Settled::Failed
        );
        assert_eq!(outbox.progress("a"), Progress::Failed, "kept, not dropped");
        assert!(
            outbox.due(u64::MAX).is_empty(),
            "failed deliveries are not retried"
        );
        assert_eq!(outbox.next_due(), None);
        assert!(matches!(
            outbox.deliveries[0].state,
            DeliveryState::Failed { status: 400, .. }
        ));
        // Timeouts and rate limits are not client errors.
        outbox.add("b", vec![request()], 0);
        assert!(matches!(
            outbox.settle("b", 0, &status(408, None), 0, 0.0),
            Settled::WillRetry(_)
        ));
    }

    #[test]
    fn progress_covers_every_destination_and_failures_can_be_retried() {
        let mut outbox = Outbox::default();
        outbox.add("a", vec![request(), request()], 0);
        assert_eq!(outbox.progress("a"), Progress::Pending);
        outbox.settle("a", 0, &status(200, None), 5, 0.0);
        assert_eq!(outbox.progress("a"), Progress::Pending);
        outbox.settle("a", 1, &status(422, None), 5, 0.0);
        assert_eq!(outbox.progress("a"), Progress::Failed);
        assert_eq!(outbox.progress("unknown"), Progress::Delivered);

        assert_eq!(outbox.retry_failed(50), 1);
        assert_eq!(outbox.progress("a"), Progress::Pending);
        assert_eq!(outbox.due(50).len(), 1);
        assert_eq!(outbox.deliveries[0].attempts, 1, "the history is kept");
        assert_eq!(outbox.retry_failed(60), 0);
        outbox.settle("a", 1, &status(204, None), 60, 0.0);
        assert_eq!(outbox.progress("a"), Progress::Delivered);
    }

    #[test]
    fn the_outbox_round_trips_through_json() {
        let mut outbox = Outbox::default();
        outbox.add("a", vec![request()], 0);
        outbox.settle("a", 0, &status(400, None), 10, 0.0);
        outbox.add("b", vec![request()], 0);
        let back = Outbox::from_json(&outbox.to_json()).unwrap();
        assert_eq!(back, outbox);
    }
}
