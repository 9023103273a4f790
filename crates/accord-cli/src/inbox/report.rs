//! The pipeline report both teams read: verified leads per week, rulebook
//! version and grade, per source, sales' acceptance, and speed to lead
//! against each grade's `sla_minutes`. A pure function of the stored rows,
//! so its numbers are tested on crafted data.

use crate::clock::iso_week;
use accord_core::{push_csv_row, rfc3339_to_ms, LeadFate, Rulebook, Stage};
use serde::Serialize;
use std::collections::BTreeMap;

/// A verified lead, as the report reads it.
#[derive(Debug, Clone)]
pub struct LeadRow {
    /// The lead's id (lower case).
    pub submission_id: String,
    /// When the inbox received it (RFC 3339).
    pub received_at: String,
    /// Its rulebook id.
    pub rulebook_id: String,
    /// Its rulebook version.
    pub rulebook_version: String,
    /// Its grade.
    pub grade: String,
    /// Where it came from.
    pub source: Source,
    /// A challenger's grade for it, when the record carried one that
    /// verified (champion/challenger).
    pub shadow: Option<ShadowRow>,
}

/// A challenger rulebook's verified grade for a lead.
#[derive(Debug, Clone)]
pub struct ShadowRow {
    /// The challenger's id.
    pub rulebook_id: String,
    /// The challenger's version.
    pub rulebook_version: String,
    /// The challenger's grade.
    pub grade: String,
}

/// Champion against challenger: the leads one version graded `grade` that
/// a challenger, run in its shadow, graded `challenger_grade`, with what
/// sales and the CRM made of them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChallengerRow {
    /// The champion (live) rulebook's id.
    pub rulebook_id: String,
    /// Its version.
    pub rulebook_version: String,
    /// The challenger's id.
    pub challenger_id: String,
    /// The challenger's version.
    pub challenger_version: String,
    /// The champion's grade.
    pub grade: String,
    /// The challenger's grade.
    pub challenger_grade: String,
    /// The numbers.
    #[serde(flatten)]
    pub counts: Counts,
}

/// Per champion grade, how often the challenger gave the same grade.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgreementRow {
    /// The champion rulebook's id.
    pub rulebook_id: String,
    /// Its version.
    pub rulebook_version: String,
    /// The challenger's id.
    pub challenger_id: String,
    /// The challenger's version.
    pub challenger_version: String,
    /// The champion's grade.
    pub grade: String,
    /// Leads with a verified challenger result.
    pub leads: u64,
    /// Of them, leads the challenger graded the same.
    pub agreed: u64,
    /// `agreed` of `leads`, 0 to 1.
    pub agreement: Option<f64>,
}

/// Where a lead came from: its campaign parameters and referring site.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Source {
    /// `utm_source`, or empty.
    pub utm_source: String,
    /// `utm_medium`, or empty.
    pub utm_medium: String,
    /// `utm_campaign`, or empty.
    pub utm_campaign: String,
    /// The referrer's host name, or empty.
    pub referrer_domain: String,
}

impl Source {
    /// The source of a record, from its `context`.
    pub fn of(record: &serde_json::Value) -> Source {
        let text = |key: &str| {
            record["context"][key]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        };
        Source {
            utm_source: text("utm_source"),
            utm_medium: text("utm_medium"),
            utm_campaign: text("utm_campaign"),
            referrer_domain: host_of(&text("referrer")),
        }
    }
}

/// The host name of a URL, in lower case (empty when there is none).
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or("", |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.bytes().all(|b| b.is_ascii_digit()) {
            h
        } else {
            host
        }
    });
    host.to_ascii_lowercase()
}

/// Something that happened to a lead after it arrived: a sales verdict,
/// an imported outcome row, or a console call that followed it up.
#[derive(Debug, Clone)]
pub struct StageRow {
    /// The lead's id (lower case).
    pub submission_id: String,
    /// The stage it reached; `None` for a call, which only touches it.
    pub stage: Option<Stage>,
    /// An outcome row's amount.
    pub amount: Option<f64>,
    /// When the inbox received it (RFC 3339).
    pub received_at: String,
    /// Whether sales touched the lead then (a verdict or a call; an
    /// imported CRM row is not a touch the inbox can time).
    pub touch: bool,
    /// A rejection's reason label (the rulebook's), for verdicts.
    pub reason: Option<String>,
}

/// What the report is computed from.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    /// The verified leads.
    pub leads: Vec<LeadRow>,
    /// Verdicts, outcomes and calls, in the order the inbox received them.
    pub events: Vec<StageRow>,
    /// Records held but not verified.
    pub unverified: u64,
}

/// Leads, acceptance, rejections and outcomes for one row of a table.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Counts {
    /// Verified leads.
    pub leads: u64,
    /// Leads sales accepted (latest verdict; an opportunity counts).
    pub accepted: u64,
    /// Leads whose latest verdict rejects them.
    pub rejected: u64,
    /// Accepted of judged, 0 to 1; `null` when none was judged.
    pub acceptance: Option<f64>,
    /// Leads that became an opportunity (imported outcomes).
    pub opportunities: u64,
    /// Leads whose deal stands won.
    pub won: u64,
    /// Leads whose deal stands lost.
    pub lost: u64,
    /// The sum of the won deals' amounts.
    pub won_amount: f64,
}

impl Counts {
    fn add(&mut self, fate: Option<&LeadFate>) {
        self.leads += 1;
        let Some(fate) = fate else { return };
        match fate.accepted() {
            Some(true) => self.accepted += 1,
            Some(false) => self.rejected += 1,
            None => {}
        }
        self.opportunities += u64::from(fate.opportunity);
        self.won += u64::from(fate.won());
        self.lost += u64::from(fate.lost());
        self.won_amount += fate.amount().unwrap_or(0.0);
    }

    fn with_rate(mut self) -> Counts {
        let judged = self.accepted + self.rejected;
        self.acceptance = (judged > 0).then(|| self.accepted as f64 / judged as f64);
        self
    }
}

/// Leads of one week, rulebook version and grade.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekRow {
    /// ISO week, e.g. `2026-W48`.
    pub week: String,
    /// The rulebook id.
    pub rulebook_id: String,
    /// The rulebook version.
    pub rulebook_version: String,
    /// The grade.
    pub grade: String,
    /// The numbers.
    #[serde(flatten)]
    pub counts: Counts,
}

/// Leads of one source and grade.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceRow {
    /// Where they came from.
    #[serde(flatten)]
    pub source: Source,
    /// The grade.
    pub grade: String,
    /// The numbers.
    #[serde(flatten)]
    pub counts: Counts,
}

/// How many leads of one rulebook version and grade sales rejected for
/// one reason (their latest verdict).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReasonRow {
    /// The rulebook id.
    pub rulebook_id: String,
    /// The rulebook version.
    pub rulebook_version: String,
    /// The grade.
    pub grade: String,
    /// The reason's label, or `(no reason)` (a rejection from an outcomes
    /// file carries none).
    pub reason: String,
    /// Leads rejected for it.
    pub leads: u64,
}

/// A lead sales touched later than its grade's SLA, or not yet though the
/// SLA has passed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breach {
    /// The lead.
    pub submission_id: String,
    /// When it arrived.
    pub received_at: String,
    /// Minutes to the first touch; `null` if not touched yet.
    pub minutes: Option<f64>,
}

/// Speed to lead for one rulebook version and grade.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpeedRow {
    /// The rulebook id.
    pub rulebook_id: String,
    /// The rulebook version.
    pub rulebook_version: String,
    /// The grade.
    pub grade: String,
    /// The grade's SLA, from the rulebook, if it declares one.
    pub sla_minutes: Option<i64>,
    /// Verified leads.
    pub leads: u64,
    /// Leads sales touched (gave a verdict on).
    pub touched: u64,
    /// Median minutes from arrival to first touch.
    pub median_minutes: Option<f64>,
    /// 90th percentile of the same.
    pub p90_minutes: Option<f64>,
    /// Leads touched within the SLA.
    pub within_sla: u64,
    /// Leads touched late, or not yet though the SLA has passed.
    pub breaches: Vec<Breach>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Per ISO week, rulebook version and grade, newest week first.
    pub weeks: Vec<WeekRow>,
    /// Per source and grade, most leads first.
    pub sources: Vec<SourceRow>,
    /// Why sales rejected leads, per rulebook version and grade, most
    /// frequent first.
    pub reasons: Vec<ReasonRow>,
    /// Speed to lead per rulebook version and grade.
    pub speed: Vec<SpeedRow>,
    /// Champion against challenger, per pair of grades.
    pub challengers: Vec<ChallengerRow>,
    /// Champion against challenger: agreement per champion grade.
    pub agreement: Vec<AgreementRow>,
    /// Records held but not verified, counted nowhere above.
    pub unverified: u64,
}

/// The reason shown for a rejection that has none.
const NO_REASON: &str = "(no reason)";

/// Computes the report at `now` (RFC 3339, for SLAs not met yet).
pub fn report(rows: &Rows, rulebooks: &[Rulebook], now: &str) -> Report {
    let Rows {
        leads,
        events,
        unverified,
    } = rows;
    let unverified = *unverified;
    // Each lead's fate (later rows override earlier ones) and first touch.
    let mut fates: BTreeMap<&str, LeadFate> = BTreeMap::new();
    let mut first_touch: BTreeMap<&str, i64> = BTreeMap::new();
    let mut reason_of: BTreeMap<&str, Option<&str>> = BTreeMap::new();
    for e in events {
        if matches!(e.stage, Some(Stage::Accepted | Stage::Rejected)) {
            reason_of.insert(&e.submission_id, e.reason.as_deref());
        }
        if let Some(stage) = e.stage {
            fates
                .entry(&e.submission_id)
                .or_default()
                .push(stage, e.amount);
        }
        if e.touch {
            if let Some(at) = rfc3339_to_ms(&e.received_at) {
                first_touch.entry(&e.submission_id).or_insert(at);
            }
        }
    }
    let count = |counts: &mut Counts, id: &str| counts.add(fates.get(id));
    let mut weeks: BTreeMap<(String, String, String, String), Counts> = BTreeMap::new();
    let mut reasons: BTreeMap<(String, String, String, String), u64> = BTreeMap::new();
    let mut sources: BTreeMap<(Source, String), Counts> = BTreeMap::new();
    type SpeedKey = (String, String, String);
    let mut speeds: BTreeMap<SpeedKey, (u64, Vec<f64>, Vec<Breach>, u64)> = BTreeMap::new();
    let now_ms = rfc3339_to_ms(now).unwrap_or(0);
    type PairKey = (String, String, String, String, String, String);
    let mut pairs: BTreeMap<PairKey, Counts> = BTreeMap::new();
    for lead in leads {
        if let Some(shadow) = &lead.shadow {
            count(
                pairs
                    .entry((
                        lead.rulebook_id.clone(),
                        lead.rulebook_version.clone(),
                        shadow.rulebook_id.clone(),
                        shadow.rulebook_version.clone(),
                        lead.grade.clone(),
                        shadow.grade.clone(),
                    ))
                    .or_default(),
                &lead.submission_id,
            );
        }
        let week = rfc3339_to_ms(&lead.received_at).map_or_else(String::new, iso_week);
        count(
            weeks
                .entry((
                    week,
                    lead.rulebook_id.clone(),
                    lead.rulebook_version.clone(),
                    lead.grade.clone(),
                ))
                .or_default(),
            &lead.submission_id,
        );
        count(
            sources
                .entry((lead.source.clone(), lead.grade.clone()))
                .or_default(),
            &lead.submission_id,
        );
        let fate = fates.get(lead.submission_id.as_str());
        if fate.and_then(LeadFate::accepted) == Some(false) {
            let reason = reason_of
                .get(lead.submission_id.as_str())
                .copied()
                .flatten()
                .unwrap_or(NO_REASON);
            *reasons
                .entry((
                    lead.rulebook_id.clone(),
                    lead.rulebook_version.clone(),
                    lead.grade.clone(),
                    reason.to_owned(),
                ))
                .or_default() += 1;
        }
        let sla = sla_of(
            rulebooks,
            &lead.rulebook_id,
            &lead.rulebook_version,
            &lead.grade,
        );
        let entry = speeds
            .entry((
                lead.rulebook_id.clone(),
                lead.rulebook_version.clone(),
                lead.grade.clone(),
            ))
            .or_default();
        entry.0 += 1;
        let arrived = rfc3339_to_ms(&lead.received_at).unwrap_or(0);
        let minutes = first_touch
            .get(lead.submission_id.as_str())
            .map(|touch| (touch - arrived).max(0) as f64 / 60_000.0);
        if let Some(m) = minutes {
            entry.1.push(m);
        }
        if let Some(sla) = sla {
            let late = match minutes {
                Some(m) => m > sla as f64,
                None => (now_ms - arrived) as f64 / 60_000.0 > sla as f64,
            };
            if late {
                entry.2.push(Breach {
                    submission_id: lead.submission_id.clone(),
                    received_at: lead.received_at.clone(),
                    minutes,
                });
            } else if minutes.is_some() {
                entry.3 += 1;
            }
        }
    }
    let mut weeks: Vec<WeekRow> = weeks
        .into_iter()
        .map(
            |((week, rulebook_id, rulebook_version, grade), c)| WeekRow {
                week,
                rulebook_id,
                rulebook_version,
                grade,
                counts: c.with_rate(),
            },
        )
        .collect();
    weeks.sort_by(|a, b| b.week.cmp(&a.week));
    let mut sources: Vec<SourceRow> = sources
        .into_iter()
        .map(|((source, grade), c)| SourceRow {
            source,
            grade,
            counts: c.with_rate(),
        })
        .collect();
    sources.sort_by_key(|s| std::cmp::Reverse(s.counts.leads));
    let mut reasons: Vec<ReasonRow> = reasons
        .into_iter()
        .map(
            |((rulebook_id, rulebook_version, grade, reason), leads)| ReasonRow {
                rulebook_id,
                rulebook_version,
                grade,
                reason,
                leads,
            },
        )
        .collect();
    // Most frequent first; ties in rulebook, grade and reason order.
    reasons.sort_by_key(|r| std::cmp::Reverse(r.leads));
    let speed = speeds
        .into_iter()
        .map(
            |((rulebook_id, rulebook_version, grade), (n, mut minutes, breaches, within))| {
                minutes.sort_by(f64::total_cmp);
                let sla_minutes = sla_of(rulebooks, &rulebook_id, &rulebook_version, &grade);
                SpeedRow {
                    touched: minutes.len() as u64,
                    median_minutes: percentile(&minutes, 50),
                    p90_minutes: percentile(&minutes, 90),
                    rulebook_id,
                    rulebook_version,
                    grade,
                    sla_minutes,
                    leads: n,
                    within_sla: within,
                    breaches,
                }
            },
        )
        .collect();
    type AgreementKey = (String, String, String, String, String);
    let mut agreement: BTreeMap<AgreementKey, (u64, u64)> = BTreeMap::new();
    for ((id, version, cid, cversion, grade, cgrade), c) in &pairs {
        let row = agreement
            .entry((
                id.clone(),
                version.clone(),
                cid.clone(),
                cversion.clone(),
                grade.clone(),
            ))
            .or_default();
        row.0 += c.leads;
        row.1 += if grade == cgrade { c.leads } else { 0 };
    }
    let agreement = agreement
        .into_iter()
        .map(
            |(
                (rulebook_id, rulebook_version, challenger_id, challenger_version, grade),
                (leads, agreed),
            )| {
                AgreementRow {
                    rulebook_id,
                    rulebook_version,
                    challenger_id,
                    challenger_version,
                    grade,
                    leads,
                    agreed,
                    agreement: (leads > 0).then(|| agreed as f64 / leads as f64),
                }
            },
        )
        .collect();
    let challengers = pairs
        .into_iter()
        .map(
            |(
                (
                    rulebook_id,
                    rulebook_version,
                    challenger_id,
                    challenger_version,
                    grade,
                    challenger_grade,
                ),
                c,
            )| {
                ChallengerRow {
                    rulebook_id,
                    rulebook_version,
                    challenger_id,
                    challenger_version,
                    grade,
                    challenger_grade,
                    counts: c.with_rate(),
                }
            },
        )
        .collect();
    Report {
        weeks,
        sources,
        reasons,
        speed,
        challengers,
        agreement,
        unverified,
    }
}

/// A table of the report, for its CSV export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// [`Report::weeks`].
    Weeks,
    /// [`Report::sources`].
    Sources,
    /// [`Report::speed`].
    Speed,
    /// [`Report::reasons`].
    Reasons,
    /// [`Report::challengers`].
    Challengers,
}

impl Table {
    /// The table named in `?table=`.
    pub fn from_name(name: &str) -> Option<Table> {
        match name {
            "weeks" => Some(Table::Weeks),
            "sources" => Some(Table::Sources),
            "speed" => Some(Table::Speed),
            "reasons" => Some(Table::Reasons),
            "challengers" => Some(Table::Challengers),
            _ => None,
        }
    }
}

fn number(value: Option<f64>) -> String {
    value.map_or_else(String::new, |v| format!("{v:.2}"))
}

/// The columns of [`Counts`] that end the weeks, sources and challengers
/// tables, in the order `csv` writes their values.
const COUNT_COLUMNS: [&str; 8] = [
    "leads",
    "accepted",
    "rejected",
    "acceptance",
    "opportunities",
    "won",
    "lost",
    "won_amount",
];

/// One table of the report as CSV (formula-safe, like every export).
pub fn csv(report: &Report, table: Table) -> String {
    let mut out = String::new();
    let counts = |c: &Counts| {
        [
            c.leads.to_string(),
            c.accepted.to_string(),
            c.rejected.to_string(),
            number(c.acceptance),
            c.opportunities.to_string(),
            c.won.to_string(),
            c.lost.to_string(),
            number(Some(c.won_amount)),
        ]
    };
    match table {
        Table::Weeks => {
            let head = ["week", "rulebook_id", "rulebook_version", "grade"];
            push_csv_row(&mut out, head.into_iter().chain(COUNT_COLUMNS));
            for w in &report.weeks {
                let own = [&w.week, &w.rulebook_id, &w.rulebook_version, &w.grade];
                push_csv_row(
                    &mut out,
                    own.map(String::clone).into_iter().chain(counts(&w.counts)),
                );
            }
        }
        Table::Sources => {
            let head = [
                "utm_source",
                "utm_medium",
                "utm_campaign",
                "referrer_domain",
                "grade",
            ];
            push_csv_row(&mut out, head.into_iter().chain(COUNT_COLUMNS));
            for row in &report.sources {
                let s = &row.source;
                let own = [
                    &s.utm_source,
                    &s.utm_medium,
                    &s.utm_campaign,
                    &s.referrer_domain,
                    &row.grade,
                ];
                push_csv_row(
                    &mut out,
                    own.map(String::clone)
                        .into_iter()
                        .chain(counts(&row.counts)),
                );
            }
        }
        Table::Challengers => {
            let head = [
                "rulebook_id",
                "rulebook_version",
                "challenger_id",
                "challenger_version",
                "grade",
                "challenger_grade",
            ];
            push_csv_row(&mut out, head.into_iter().chain(COUNT_COLUMNS));
            for c in &report.challengers {
                let own = [
                    &c.rulebook_id,
                    &c.rulebook_version,
                    &c.challenger_id,
                    &c.challenger_version,
                    &c.grade,
                    &c.challenger_grade,
                ];
                push_csv_row(
                    &mut out,
                    own.map(String::clone).into_iter().chain(counts(&c.counts)),
                );
            }
        }
        Table::Reasons => {
            push_csv_row(
                &mut out,
                [
                    "rulebook_id",
                    "rulebook_version",
                    "grade",
                    "reason",
                    "leads",
                ],
            );
            for row in &report.reasons {
                push_csv_row(
                    &mut out,
                    [
                        row.rulebook_id.clone(),
                        row.rulebook_version.clone(),
                        row.grade.clone(),
                        row.reason.clone(),
                        row.leads.to_string(),
                    ],
                );
            }
        }
        Table::Speed => {
            push_csv_row(
                &mut out,
                [
                    "rulebook_id",
                    "rulebook_version",
                    "grade",
                    "sla_minutes",
                    "leads",
                    "touched",
                    "median_minutes",
                    "p90_minutes",
                    "within_sla",
                    "breaches",
                ],
            );
            for row in &report.speed {
                push_csv_row(
                    &mut out,
                    [
                        row.rulebook_id.clone(),
                        row.rulebook_version.clone(),
                        row.grade.clone(),
                        row.sla_minutes.map_or_else(String::new, |m| m.to_string()),
                        row.leads.to_string(),
                        row.touched.to_string(),
                        number(row.median_minutes),
                        number(row.p90_minutes),
                        row.within_sla.to_string(),
                        row.breaches.len().to_string(),
                    ],
                );
            }
        }
    }
    out
}

/// The SLA of `grade` in rulebook `id` `version`, if the inbox knows the
/// rulebook and the grade declares one.
fn sla_of(rulebooks: &[Rulebook], id: &str, version: &str, grade: &str) -> Option<i64> {
    rulebooks
        .iter()
        .find(|r| r.reference().id == id && r.reference().version == version)
        .and_then(|r| r.grade(grade))
        .and_then(|g| g.sla_minutes)
}

/// The nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], p: usize) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    Some(sorted[rank - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(text: &str) -> i64 {
        rfc3339_to_ms(text).unwrap()
    }

    #[test]
    fn iso_weeks_follow_the_thursday_rule() {
        assert_eq!(iso_week(ms("2026-11-30T10:00:00Z")), "2026-W49");
        assert_eq!(iso_week(ms("2026-11-29T23:59:59Z")), "2026-W48");
        // 2027-01-01 is a Friday: still the last week of 2026.
        assert_eq!(iso_week(ms("2027-01-01T00:00:00Z")), "2026-W53");
        // 2024-12-30 is a Monday whose Thursday is in 2025.
        assert_eq!(iso_week(ms("2024-12-30T00:00:00Z")), "2025-W01");
        assert_eq!(iso_week(ms("1970-01-01T00:00:00Z")), "1970-W01");
    }

    #[test]
    fn referrer_hosts_are_read_without_port_or_credentials() {
        assert_eq!(
            host_of("https://www.Google.com/search?q=x"),
            "www.google.com"
        );
        assert_eq!(
            host_of("http://user:pw@news.example:8080/a"),
            "news.example"
        );
        assert_eq!(host_of(""), "");
        assert_eq!(host_of("not a url"), "");
    }

    fn rulebook() -> Rulebook {
        let text = include_str!("../../../../static/rulebooks/minimal.json");
        let mut doc: serde_json::Value = serde_json::from_str(text).unwrap();
        for g in doc["grades"].as_array_mut().unwrap() {
            g["sla_minutes"] = serde_json::json!(30);
        }
        Rulebook::from_value(&doc).unwrap()
    }

    fn lead(id: &str, at: &str, grade: &str, utm: &str) -> LeadRow {
        let rb = rulebook();
        LeadRow {
            submission_id: id.into(),
            received_at: at.into(),
            rulebook_id: rb.reference().id.clone(),
            rulebook_version: rb.reference().version.clone(),
            grade: grade.into(),
            source: Source {
                utm_source: utm.into(),
                ..Source::default()
            },
            shadow: None,
        }
    }

    #[test]
    fn champion_and_challenger_are_compared_per_grade_with_what_sales_said() {
        let shadowed = |id: &str, grade: &str, challenger: &str| LeadRow {
            shadow: Some(ShadowRow {
                rulebook_id: "minimal".into(),
                rulebook_version: "2".into(),
                grade: challenger.into(),
            }),
            ..lead(id, "2026-11-23T09:00:00Z", grade, "ads")
        };
        let rows = Rows {
            leads: vec![
                shadowed("a", "mql", "mql"),
                shadowed("b", "mql", "nurture"),
                shadowed("c", "mql", "nurture"),
                shadowed("d", "nurture", "nurture"),
                // No verified challenger result: counted nowhere here.
                lead("e", "2026-11-23T09:00:00Z", "mql", "ads"),
            ],
            events: vec![
                touch("a", "accepted", "2026-11-23T10:00:00Z"),
                touch("b", "rejected", "2026-11-23T10:00:00Z"),
                touch("c", "accepted", "2026-11-23T10:00:00Z"),
            ],
            unverified: 0,
        };
        let report = report(&rows, &[rulebook()], "2026-11-30T00:00:00Z");
        let agreement: Vec<(&str, u64, u64)> = report
            .agreement
            .iter()
            .map(|a| (a.grade.as_str(), a.leads, a.agreed))
            .collect();
        assert_eq!(agreement, [("mql", 3, 1), ("nurture", 1, 1)]);
        let moved = report
            .challengers
            .iter()
            .find(|c| c.grade == "mql" && c.challenger_grade == "nurture")
            .expect("a row for mql → nurture");
        assert_eq!(
            (
                moved.counts.leads,
                moved.counts.accepted,
                moved.counts.rejected
            ),
            (2, 1, 1)
        );
        assert_eq!(moved.challenger_version, "2");
        let csv = csv(&report, Table::Challengers);
        assert!(
            csv.lines()
                .any(|l| l == "minimal,1,minimal,2,mql,nurture,2,1,1,0.50,0,0,0,0.00"),
            "{csv}"
        );
        // Each table with counts names its own columns, then the counts'.
        for (table, head) in [
            (Table::Challengers, "rulebook_id,rulebook_version,challenger_id,challenger_version,grade,challenger_grade,"),
            (Table::Sources, "utm_source,utm_medium,utm_campaign,referrer_domain,grade,"),
            (Table::Weeks, "week,rulebook_id,rulebook_version,grade,"),
        ] {
            let text = super::csv(&report, table);
            let first = text.lines().next().unwrap_or_default();
            assert_eq!(
                first,
                format!("{head}leads,accepted,rejected,acceptance,opportunities,won,lost,won_amount"),
            );
            assert!(text.lines().skip(1).all(|l| l.split(',').count() == first.split(',').count()), "{text}");
        }
    }

    fn touch(id: &str, verdict: &str, at: &str) -> StageRow {
        StageRow {
            submission_id: id.into(),
            stage: Stage::from_name(verdict),
            amount: None,
            received_at: at.into(),
            touch: true,
            reason: (verdict == "rejected").then(|| "No budget".to_owned()),
        }
    }

    fn outcome(id: &str, stage: Stage, amount: Option<f64>, at: &str) -> StageRow {
        StageRow {
            submission_id: id.into(),
            stage: Some(stage),
            amount,
            received_at: at.into(),
            touch: false,
            reason: None,
        }
    }

    #[test]
    fn the_numbers_of_a_crafted_week() {
        let rb = rulebook();
        let grade = rb.doc().grades[0].id.clone();
        let leads = [
            lead("a", "2026-11-23T09:00:00Z", &grade, "google"),
            lead("b", "2026-11-24T09:00:00Z", &grade, "google"),
            lead("c", "2026-11-25T09:00:00Z", &grade, "linkedin"),
            lead("d", "2026-11-30T09:00:00Z", &grade, "google"),
        ];
        let events = vec![
            touch("a", "accepted", "2026-11-23T09:10:00Z"), // 10 min
            touch("a", "rejected", "2026-11-23T12:00:00Z"), // changed mind: latest counts
            touch("b", "accepted", "2026-11-24T10:00:00Z"), // 60 min: a breach
            touch("c", "accepted", "2026-11-25T09:20:00Z"), // 20 min
            // From the CRM later: b and c became deals, b was won, c lost;
            // d (no verdict yet) became an opportunity, which counts as
            // accepted, but an import is no touch to time.
            outcome("b", Stage::Opportunity, Some(800.0), "2026-11-28T09:00:00Z"),
            outcome("b", Stage::Won, Some(1200.0), "2026-11-29T09:00:00Z"),
            outcome("c", Stage::Lost, None, "2026-11-29T09:00:00Z"),
            outcome("d", Stage::Opportunity, None, "2026-11-30T09:30:00Z"),
            // A call that followed a up, after its verdicts: not its first touch.
            StageRow {
                stage: None,
                ..touch("a", "", "2026-11-23T13:00:00Z")
            },
        ];
        let rows = Rows {
            leads: leads.to_vec(),
            events,
            unverified: 2,
        };
        let report = report(&rows, &[rb], "2026-11-30T10:00:00Z");
        assert_eq!(report.unverified, 2);
        let week48 = report.weeks.iter().find(|w| w.week == "2026-W48").unwrap();
        assert_eq!(
            (
                week48.counts.leads,
                week48.counts.accepted,
                week48.counts.rejected
            ),
            (3, 2, 1)
        );
        assert_eq!(week48.counts.acceptance, Some(2.0 / 3.0));
        assert_eq!(
            (
                week48.counts.opportunities,
                week48.counts.won,
                week48.counts.lost,
                week48.counts.won_amount
            ),
            (2, 1, 1, 1200.0)
        );
        // a was rejected by sales with a reason; c only lost in the CRM,
        // which is no rejection.
        let reasons: Vec<(&str, u64)> = report
            .reasons
            .iter()
            .map(|r| (r.reason.as_str(), r.leads))
            .collect();
        assert_eq!(reasons, [("No budget", 1)]);
        let week49 = &report.weeks[0];
        assert_eq!(
            (week49.counts.accepted, week49.counts.opportunities),
            (1, 1)
        );
        assert_eq!(report.weeks[0].week, "2026-W49", "newest week first");
        let google = report
            .sources
            .iter()
            .find(|s| s.source.utm_source == "google")
            .unwrap();
        assert_eq!(google.counts.leads, 3);
        let speed = &report.speed[0];
        assert_eq!((speed.leads, speed.touched, speed.within_sla), (4, 3, 2));
        assert_eq!(speed.sla_minutes, Some(30));
        assert_eq!(speed.median_minutes, Some(20.0));
        assert_eq!(speed.p90_minutes, Some(60.0));
        // b was touched after 60 minutes; d, an hour old, not at all yet.
        let late: Vec<(&str, Option<f64>)> = speed
            .breaches
            .iter()
            .map(|b| (b.submission_id.as_str(), b.minutes))
            .collect();
        assert_eq!(late, [("b", Some(60.0)), ("d", None)]);
    }
}
