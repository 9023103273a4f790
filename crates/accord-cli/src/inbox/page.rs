//! The inbox's HTML page: sales feedback per grade, then a plain table of
//! the latest records with sales' verdict on each.

use super::access::SIGN_OUT_FORM;
use super::store::{GradeSummary, Stored};
use std::collections::BTreeMap;

/// What the page shows.
pub struct Page {
    /// The latest records, newest first.
    pub records: Vec<Stored>,
    /// How many records the inbox holds.
    pub total: u64,
    /// Sales' latest verdict per submission id, with the reason.
    pub verdicts: BTreeMap<String, (String, Option<String>)>,
    /// Accepted and rejected per rulebook version and grade.
    pub summary: Vec<GradeSummary>,
    /// Show the sign-out button (the inbox has tokens).
    pub sign_out: bool,
    /// The latest failure reports (destinations that refused a record).
    pub failures: Vec<serde_json::Value>,
}

/// The failure reports, when there are any: each lead is in the records
/// below, but one of its destinations (a CRM form, say) does not have it.
fn failures_table(failures: &[serde_json::Value]) -> String {
    if failures.is_empty() {
        return String::new();
    }
    let text =
        |v: &serde_json::Value| escape(&v.as_str().map_or_else(|| v.to_string(), str::to_owned));
    let rows: String = failures
        .iter()
        .map(|f| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                text(&f["received_at"]),
                text(&f["submission_id"]),
                text(&f["url"]),
                text(&f["status"]),
                text(&f["reason"]),
            )
        })
        .collect();
    format!(
        r#"<h2>Deliveries refused</h2>
<p>Browsers reported that a destination refused these leads. Each lead is stored here; fix the destination, then send it again from the site (<code>Accord.retryFailed()</code>) or enter it by hand. <a href="/api/failures">JSON</a></p>
<div class="scroll" role="region" aria-label="Deliveries refused, scrollable" tabindex="0">
<table aria-label="Deliveries refused"><thead><tr><th scope="col">Reported</th><th scope="col">Lead</th><th scope="col">Destination</th><th scope="col">Status</th><th scope="col">Reason</th></tr></thead>
<tbody>{rows}</tbody></table></div>"#
    )
}

/// Escapes text for HTML: answers are text, never markup.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn summary_table(summary: &[GradeSummary]) -> String {
    if summary.is_empty() {
        return "<p>No leads yet.</p>".into();
    }
    let mut rows = String::new();
    for g in summary {
        let judged = g.accepted + g.rejected;
        let rate = (g.accepted * 100 + judged / 2)
            .checked_div(judged)
            .map_or_else(|| "—".to_owned(), |pct| format!("{pct} %"));
        let reasons = g
            .reasons
            .iter()
            .map(|(label, n)| format!("{} ({n})", escape(label)))
            .collect::<Vec<_>>()
            .join(", ");
        rows.push_str(&format!(
            "<tr><td>{} {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            escape(&g.rulebook_id),
            escape(&g.rulebook_version),
            escape(&g.grade),
            g.leads,
            g.accepted,
            g.rejected,
            rate,
            if reasons.is_empty() { "—".into() } else { reasons },
            g.unverified,
        ));
    }
    format!(
        r#"<div class="scroll" role="region" aria-label="Sales feedback by grade, scrollable" tabindex="0">
<table aria-label="Sales feedback by grade">
<thead><tr><th scope="col">Rulebook</th><th scope="col">Grade</th><th scope="col">Leads</th><th scope="col">Accepted</th><th scope="col">Rejected</th><th scope="col">Accepted of judged</th><th scope="col">Why rejected</th><th scope="col">Not verified (not counted)</th></tr></thead>
<tbody>
{rows}</tbody>
</table>
</div>"#
    )
}

/// Renders the page.
pub fn render(view: &Page) -> String {
    let (records, total) = (&view.records, view.total);
    let mut rows = String::new();
    for s in records {
        let r = &s.record;
        let text = |v: &serde_json::Value| escape(v.as_str().unwrap_or_default());
        let q = &r["qualification"];
        let who = r["answers"]["email"]
            .as_str()
            .or(r["answers"]["contact_email"].as_str())
            .unwrap_or("—");
        let verdict = match r["submission_id"]
            .as_str()
            .and_then(|id| view.verdicts.get(&id.to_ascii_lowercase()))
        {
            Some((v, Some(reason))) => format!("{} ({})", escape(v), escape(reason)),
            Some((v, None)) => escape(v),
            None => "—".into(),
        };
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"v-{}\">{}</td><td>{}</td></tr>\n",
            escape(&s.received_at),
            escape(who),
            text(&r["channel"]),
            text(&q["grade"]),
            text(&q["status"]),
            q["scores"]["total"].as_i64().unwrap_or(0),
            escape(q["route"]["team"].as_str().unwrap_or("—")),
            escape(&format!("{} {}", r["rulebook"]["id"].as_str().unwrap_or(""), r["rulebook"]["version"].as_str().unwrap_or(""))),
            escape(&s.verification),
            escape(&s.verification.replace('_', " ")),
            verdict,
        ));
    }
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>Accord inbox</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #1a202c; }}
@media (max-width: 600px) {{ body {{ margin: 1rem; }} }}
.scroll {{ overflow-x: auto; position: relative; }}
table {{ border-collapse: collapse; width: 100%; }} h2 {{ margin-top: 2rem; }} th, td {{ text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #e2e8f0; }}
td {{ overflow-wrap: anywhere; min-width: 6rem; }}
th {{ background: #f7f8fc; }} .v-mismatch {{ color: #b42318; font-weight: 600; }} .v-unknown_rulebook {{ color: #8a5a00; }}
</style></head>
<body><main>
<h1>Accord inbox</h1>
{sign_out}
<p><a href="/inbox/report">Pipeline report</a>: leads per week and source, acceptance, speed to lead.</p>
<h2>Sales feedback by grade</h2>
{summary}
{failures}
<h2>Records</h2>
<p>{total} record{plural}. <a href="/api/records.csv">Download CSV</a> · <a href="/api/records">JSON</a> · <a href="/api/summary">Feedback summary (JSON)</a></p>
<div class="scroll" role="region" aria-label="Records, scrollable" tabindex="0">
<table aria-label="Records">
<thead><tr><th scope="col">Received</th><th scope="col">Lead</th><th scope="col">Channel</th><th scope="col">Grade</th><th scope="col">Status</th><th scope="col">Total</th><th scope="col">Route</th><th scope="col">Rulebook</th><th scope="col">Verification</th><th scope="col">Sales verdict</th></tr></thead>
<tbody>
{rows}</tbody>
</table>
</div>
</main></body></html>
"#,
        plural = if total == 1 { "" } else { "s" },
        sign_out = if view.sign_out { SIGN_OUT_FORM } else { "" },
        failures = failures_table(&view.failures),
        summary = summary_table(&view.summary),
    )
}
