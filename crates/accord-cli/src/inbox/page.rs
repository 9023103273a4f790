//! The inbox's HTML page: a plain table of the latest records.

use super::store::Stored;

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

/// Renders the page.
pub fn render(records: &[Stored], total: u64) -> String {
    let mut rows = String::new();
    for s in records {
        let r = &s.record;
        let text = |v: &serde_json::Value| escape(v.as_str().unwrap_or_default());
        let q = &r["qualification"];
        let who = r["answers"]["email"]
            .as_str()
            .or(r["answers"]["contact_email"].as_str())
            .unwrap_or("—");
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"v-{}\">{}</td></tr>\n",
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
        ));
    }
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Accord inbox</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #1a202c; }}
table {{ border-collapse: collapse; width: 100%; }} th, td {{ text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #e2e8f0; }}
th {{ background: #f7f8fc; }} .v-mismatch {{ color: #b42318; font-weight: 600; }} .v-unknown_rulebook {{ color: #8a5a00; }}
</style></head>
<body>
<h1>Accord inbox</h1>
<p>{total} record{plural}. <a href="/api/records.csv">Download CSV</a> · <a href="/api/records">JSON</a></p>
<table>
<thead><tr><th scope="col">Received</th><th scope="col">Lead</th><th scope="col">Channel</th><th scope="col">Grade</th><th scope="col">Status</th><th scope="col">Total</th><th scope="col">Route</th><th scope="col">Rulebook</th><th scope="col">Verification</th></tr></thead>
<tbody>
{rows}</tbody>
</table>
</body></html>
"#,
        plural = if total == 1 { "" } else { "s" },
    )
}
