//! `/inbox/report`: the pipeline report as a page both teams read, with a
//! chart drawn on the server (SVG, no script) and every table downloadable
//! as CSV. Everything from records is escaped.

use super::access::SIGN_OUT_FORM;
use super::page::escape;
use super::report::{Counts, Report};
use std::collections::BTreeMap;

const COLOURS: [&str; 6] = [
    "#2b59c3", "#d97706", "#0f766e", "#7c3aed", "#be123c", "#4b5563",
];

fn rate(c: &Counts) -> String {
    c.acceptance
        .map_or_else(|| "—".to_owned(), |a| format!("{:.0} %", a * 100.0))
}

fn minutes(m: Option<f64>) -> String {
    m.map_or_else(|| "—".to_owned(), |m| format!("{m:.0} min"))
}

/// Leads per week, stacked by grade, as an SVG bar chart.
fn weekly_chart(report: &Report) -> String {
    let mut weeks: BTreeMap<&str, BTreeMap<&str, u64>> = BTreeMap::new();
    let mut grades: Vec<&str> = Vec::new();
    for w in &report.weeks {
        *weeks
            .entry(&w.week)
            .or_default()
            .entry(&w.grade)
            .or_default() += w.counts.leads;
        if !grades.contains(&w.grade.as_str()) {
            grades.push(&w.grade);
        }
    }
    if weeks.is_empty() {
        return "<p>No verified leads yet.</p>".into();
    }
    let most = weeks
        .values()
        .map(|g| g.values().sum::<u64>())
        .max()
        .unwrap_or(1)
        .max(1);
    let (bar, gap, height) = (36u64, 16u64, 160u64);
    let width = (bar + gap) * weeks.len() as u64 + gap;
    let mut bars = String::new();
    for (i, (week, by_grade)) in weeks.iter().enumerate() {
        let x = gap + i as u64 * (bar + gap);
        let mut top = height;
        for (g, grade) in grades.iter().enumerate() {
            let n = by_grade.get(grade).copied().unwrap_or(0);
            if n == 0 {
                continue;
            }
            let h = (n * height / most).max(1);
            top -= h;
            bars.push_str(&format!(
                r#"<rect x="{x}" y="{}" width="{bar}" height="{h}" fill="{}"><title>{} {}: {n}</title></rect>"#,
                top + 10,
                COLOURS[g % COLOURS.len()],
                escape(week),
                escape(grade)
            ));
        }
        bars.push_str(&format!(
            r#"<text x="{}" y="{}" font-size="10" text-anchor="middle">{}</text>"#,
            x + bar / 2,
            height + 24,
            escape(week.rsplit('-').next().unwrap_or(week))
        ));
    }
    let legend: String = grades
        .iter()
        .enumerate()
        .map(|(g, grade)| {
            format!(
                r#"<li><span class="swatch" style="background:{}"></span>{}</li>"#,
                COLOURS[g % COLOURS.len()],
                escape(grade)
            )
        })
        .collect();
    format!(
        r#"<figure><svg role="img" aria-labelledby="chart-title" viewBox="0 0 {width} {}" width="{width}" height="{}"><title id="chart-title">Verified leads per week, by grade (the table below has the numbers)</title>{bars}</svg>
<figcaption><ul class="legend">{legend}</ul></figcaption></figure>"#,
        height + 30,
        height + 30
    )
}

/// One horizontal bar per row, `value` out of `max`, with its label and
/// text: for acceptance by grade and speed to lead.
fn bar_chart(id: &str, title: &str, rows: &[(String, f64, String)], max: f64) -> String {
    if rows.is_empty() {
        return String::new();
    }
    // Narrow enough to stay readable on a phone without scaling down.
    let (label_w, bar_w, row_h) = (125.0, 140.0, 26.0);
    let height = row_h * rows.len() as f64 + 10.0;
    let width = label_w + bar_w + 110.0;
    let mut bars = String::new();
    for (i, (label, value, text)) in rows.iter().enumerate() {
        let y = 5.0 + row_h * i as f64;
        let w = if max > 0.0 {
            (value / max).clamp(0.0, 1.0) * bar_w
        } else {
            0.0
        };
        bars.push_str(&format!(
            r#"<text x="0" y="{:.0}" font-size="12">{}</text><rect x="{label_w:.0}" y="{:.0}" width="{w:.0}" height="16" fill="{}"></rect><text x="{:.0}" y="{:.0}" font-size="12">{}</text>"#,
            y + 13.0,
            escape(label),
            y + 2.0,
            COLOURS[i % COLOURS.len()],
            label_w + w + 6.0,
            y + 13.0,
            escape(text)
        ));
    }
    format!(
        r#"<figure><svg role="img" aria-labelledby="{id}" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}"><title id="{id}">{title} (the table below has the numbers)</title>{bars}</svg></figure>"#
    )
}

/// Accepted of judged, per grade (all weeks and versions).
fn acceptance_chart(report: &Report) -> String {
    let mut by_grade: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for w in &report.weeks {
        let e = by_grade.entry(&w.grade).or_default();
        e.0 += w.counts.accepted;
        e.1 += w.counts.accepted + w.counts.rejected;
    }
    let rows: Vec<(String, f64, String)> = by_grade
        .into_iter()
        .filter(|(_, (_, judged))| *judged > 0)
        .map(|(grade, (accepted, judged))| {
            let rate = accepted as f64 / judged as f64;
            (
                grade.to_owned(),
                rate,
                format!("{:.0} % of {judged}", rate * 100.0),
            )
        })
        .collect();
    bar_chart(
        "acceptance-title",
        "Accepted of judged, by grade",
        &rows,
        1.0,
    )
}

/// Median minutes to the first touch per grade, with the SLA in the text.
fn speed_chart(report: &Report) -> String {
    let rows: Vec<(String, f64, String)> = report
        .speed
        .iter()
        .filter_map(|s| {
            let median = s.median_minutes?;
            let sla = s
                .sla_minutes
                .map_or_else(String::new, |m| format!(" (SLA {m})"));
            Some((
                format!("{} {}", s.grade, s.rulebook_version),
                median,
                format!("{median:.0} min{sla}"),
            ))
        })
        .collect();
    let max = rows.iter().map(|r| r.1).fold(0.0, f64::max);
    bar_chart(
        "speed-title",
        "Median minutes to the first touch, by grade",
        &rows,
        max,
    )
}

/// The outcome cells of a row: opportunities, won, lost, won amount.
fn outcome_cells(c: &Counts) -> String {
    format!(
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
        c.opportunities,
        c.won,
        c.lost,
        amount(c.won_amount)
    )
}

/// An amount with thousands grouped by thin spaces and no currency: the
/// outcomes file does not say which.
fn amount(value: f64) -> String {
    let whole = format!("{:.0}", value.round());
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

/// A table wrapped so it scrolls sideways on a phone.
fn table(label: &str, head: &[&str], rows: String) -> String {
    let head: String = head
        .iter()
        .map(|h| format!(r#"<th scope="col">{h}</th>"#))
        .collect();
    format!(
        r#"<div class="scroll" role="region" aria-label="{label}, scrollable" tabindex="0"><table aria-label="{label}"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"#
    )
}

/// Renders the report page.
pub fn render(report: &Report, sign_out: bool) -> String {
    let weeks: String = report
        .weeks
        .iter()
        .map(|w| {
            format!(
                "<tr><td>{}</td><td>{} {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>{}</tr>",
                escape(&w.week),
                escape(&w.rulebook_id),
                escape(&w.rulebook_version),
                escape(&w.grade),
                w.counts.leads,
                w.counts.accepted,
                w.counts.rejected,
                rate(&w.counts),
                outcome_cells(&w.counts)
            )
        })
        .collect();
    let sources: String = report
        .sources
        .iter()
        .map(|s| {
            let src = &s.source;
            let or_dash = |t: &str| if t.is_empty() { "—".to_owned() } else { escape(t) };
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>{}</tr>",
                or_dash(&src.utm_source),
                or_dash(&src.utm_medium),
                or_dash(&src.utm_campaign),
                or_dash(&src.referrer_domain),
                escape(&s.grade),
                s.counts.leads,
                s.counts.accepted,
                rate(&s.counts),
                outcome_cells(&s.counts)
            )
        })
        .collect();
    let reasons: String = report
        .reasons
        .iter()
        .map(|r| {
            format!(
                "<tr><td>{} {}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&r.rulebook_id),
                escape(&r.rulebook_version),
                escape(&r.grade),
                escape(&r.reason),
                r.leads
            )
        })
        .collect();
    let agreement: String = report
        .agreement
        .iter()
        .map(|a| {
            format!(
                "<tr><td>{} {}</td><td>{} {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&a.rulebook_id),
                escape(&a.rulebook_version),
                escape(&a.challenger_id),
                escape(&a.challenger_version),
                escape(&a.grade),
                a.leads,
                a.agreed,
                a.agreement
                    .map_or_else(|| "—".to_owned(), |r| format!("{:.0} %", r * 100.0))
            )
        })
        .collect();
    let challengers: String = report
        .challengers
        .iter()
        .map(|c| {
            format!(
                "<tr><td>{} {} → {} {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>{}</tr>",
                escape(&c.rulebook_id),
                escape(&c.rulebook_version),
                escape(&c.challenger_id),
                escape(&c.challenger_version),
                escape(&c.grade),
                escape(&c.challenger_grade),
                c.counts.leads,
                c.counts.accepted,
                rate(&c.counts),
                outcome_cells(&c.counts)
            )
        })
        .collect();
    let speed: String = report
        .speed
        .iter()
        .map(|s| {
            format!(
                "<tr><td>{} {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&s.rulebook_id),
                escape(&s.rulebook_version),
                escape(&s.grade),
                s.sla_minutes.map_or_else(|| "—".to_owned(), |m| format!("{m} min")),
                s.leads,
                s.touched,
                minutes(s.median_minutes),
                minutes(s.p90_minutes),
                s.breaches.len()
            )
        })
        .collect();
    let breaches: String = report
        .speed
        .iter()
        .flat_map(|s| s.breaches.iter().map(move |b| (s, b)))
        .map(|(s, b)| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&b.submission_id),
                escape(&s.grade),
                escape(&b.received_at),
                b.minutes
                    .map_or_else(|| "not touched yet".to_owned(), |m| format!("{m:.0} min"))
            )
        })
        .collect();
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>Accord pipeline report</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #1a202c; }}
@media (max-width: 600px) {{ body {{ margin: 1rem; }} }}
.scroll {{ overflow-x: auto; position: relative; }} svg {{ max-width: 100%; height: auto; }}
table {{ border-collapse: collapse; width: 100%; }} h2 {{ margin-top: 2rem; }} th, td {{ text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #e2e8f0; }}
th {{ background: #f7f8fc; }} .legend {{ list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 1rem; }}
.swatch {{ display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: middle; }}
</style></head>
<body><main>
<h1>Pipeline report</h1>
{sign_out}
<p>Verified leads only; {unverified} record{plural} that did not verify are held in the <a href="/inbox">inbox</a> and counted nowhere here. Acceptance is sales' latest verdict per lead (a lead that became an opportunity counts as accepted). Opportunities, won and lost come from imported outcomes (<code>accord inbox import-outcomes</code>). <a href="/api/report">JSON</a></p>
<h2>Leads per week</h2>
{chart}
<p><a href="/api/report.csv?table=weeks">Download this table (CSV)</a></p>
{weeks_table}
<h2>Acceptance by grade</h2>
{acceptance}
<h3>Why sales rejected leads</h3>
<p><a href="/api/report.csv?table=reasons">Download this table (CSV)</a></p>
{reasons_table}
<h2>By source</h2>
<p><a href="/api/report.csv?table=sources">Download this table (CSV)</a></p>
{sources_table}
<h2>Speed to lead</h2>
<p>Minutes from a lead's arrival to sales' first touch (a verdict, or a console call that follows the lead up), against the grade's <code>sla_minutes</code>. <a href="/api/report.csv?table=speed">Download this table (CSV)</a></p>
{speed_chart}
{speed_table}
<h3>Outside the SLA</h3>
{breaches_table}
<h2>Champion and challenger</h2>
<p>Leads whose page ran a challenger rulebook in the shadow of the live one (<code>data-accord-shadow</code>); only challenger results that verified count. Sales' verdicts and the CRM's outcomes are the same leads' under both.</p>
{agreement_table}
<p><a href="/api/report.csv?table=challengers">Download the table below (CSV)</a></p>
{challengers_table}
</main></body></html>
"#,
        sign_out = if sign_out { SIGN_OUT_FORM } else { "" },
        unverified = report.unverified,
        plural = if report.unverified == 1 { "" } else { "s" },
        chart = weekly_chart(report),
        acceptance = acceptance_chart(report),
        speed_chart = speed_chart(report),
        weeks_table = table(
            "Leads per week",
            &[
                "Week",
                "Rulebook",
                "Grade",
                "Leads",
                "Accepted",
                "Rejected",
                "Accepted of judged",
                "Opportunities",
                "Won",
                "Lost",
                "Won amount"
            ],
            weeks
        ),
        sources_table = table(
            "Leads by source",
            &[
                "Source",
                "Medium",
                "Campaign",
                "Referrer",
                "Grade",
                "Leads",
                "Accepted",
                "Accepted of judged",
                "Opportunities",
                "Won",
                "Lost",
                "Won amount"
            ],
            sources
        ),
        reasons_table = table(
            "Rejection reasons",
            &["Rulebook", "Grade", "Reason", "Leads"],
            reasons
        ),
        speed_table = table(
            "Speed to lead",
            &[
                "Rulebook",
                "Grade",
                "SLA",
                "Leads",
                "Touched",
                "Median",
                "90th percentile",
                "Outside SLA"
            ],
            speed
        ),
        agreement_table = table(
            "Agreement per champion grade",
            &[
                "Champion",
                "Challenger",
                "Champion grade",
                "Leads",
                "Same grade",
                "Agreement"
            ],
            agreement
        ),
        challengers_table = table(
            "Champion grade against challenger grade",
            &[
                "Champion → challenger",
                "Champion grade",
                "Challenger grade",
                "Leads",
                "Accepted",
                "Accepted of judged",
                "Opportunities",
                "Won",
                "Lost",
                "Won amount"
            ],
            challengers
        ),
        breaches_table = table(
            "Leads outside the SLA",
            &["Lead", "Grade", "Arrived", "First touch after"],
            breaches
        ),
    )
}
