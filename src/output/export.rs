//! Exporters: every file samspill writes, as a pure function from results to text or bytes.
//! Nothing here touches the disk, so each format can be snapshot-tested (`tests/snapshots.rs`)
//! and the writers (`staged`, `tables`) only move bytes.
//!
//! Numbers are written in shortest round-trip form (`format!("{x}")`), so a value read back is
//! the value computed; an undefined value (a rate with no denominator) is an empty CSV field or
//! JSON `null`.

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::analysis::compare::{ADOPTION_SHARE, Comparison, POWER_ALPHA, POWER_CONTROLS};
use crate::analysis::paired::Paired;
use crate::analysis::sweep::SweepPoint;
use crate::model::exits::{EXIT_REASONS, ExitReason};
use crate::scenario::categories::Category;
use crate::scenario::config::{CalendarConfig, Config};
use crate::sim::record::{MunicipalityRow, TENURE_BINS};
use crate::sim::run::Replication;
use crate::sim::summary::{HEADLINES, Summary, yearly_columns, yearly_values};
use crate::stats::Ols;
use crate::survey::{self, Regressions, Table};

/// Pretty JSON with a final newline, as every JSON file is written.
pub fn json(value: &impl Serialize) -> Result<String, serde_json::Error> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    Ok(text)
}

/// A number in a CSV field: shortest round-trip form; undefined values as an empty field.
pub fn csv_number(x: f64) -> String {
    if x.is_finite() { format!("{x}") } else { String::new() }
}

fn json_number(x: f64) -> Value {
    if x.is_finite() { json!(x) } else { Value::Null }
}

/// The `summary.json` document: headline estimates, then `exits_by_reason`.
pub fn summary_json(config: &Config, summary: &Summary) -> Value {
    let mut doc = Map::new();
    doc.insert("scenario".into(), json!(config.name));
    doc.insert("replications".into(), json!(config.replications));
    doc.insert(
        "report_period".into(),
        json!({"start": config.calendar.report_start.to_string(), "end": config.calendar.end.to_string()}),
    );
    for (name, e) in &summary.headlines {
        doc.insert((*name).into(), json!(e));
    }
    let reasons: Map<String, Value> =
        summary.exit_shares.iter().map(|(n, e)| ((*n).to_string(), json!(e))).collect();
    doc.insert("exits_by_reason".into(), Value::Object(reasons));
    for (group, entries) in &summary.dynamics {
        let values: Map<String, Value> = entries.iter().map(|(k, e)| (k.clone(), json!(e))).collect();
        doc.insert((*group).into(), Value::Object(values));
    }
    Value::Object(doc)
}

/// The header line of `yearly.csv`.
pub fn yearly_header() -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(yearly_columns())?;
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// The rows of `yearly.csv` for one replication of a scenario with the calendar `calendar`.
pub fn yearly_csv(rep: &Replication, calendar: &CalendarConfig) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for (row, year) in rep.tally.rows().into_iter().zip(calendar.report_years()) {
        let mut record = vec![rep.replication.to_string(), year.to_string()];
        record.extend(yearly_values(&row, calendar.reported_months(year)).into_iter().map(csv_number));
        w.write_record(&record)?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// The rows of `municipalities.csv` for `rows`, with the header first if `header`.
pub fn municipalities_csv(rows: &[MunicipalityRow], header: bool) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new().has_headers(header).from_writer(Vec::new());
    for row in rows {
        w.serialize(row)?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// A table of survey answers (`directors.csv`, `mayors.csv`); an unanswered question is an
/// empty cell.
pub fn survey_table_csv(table: &Table) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&table.columns)?;
    for row in &table.rows {
        w.write_record(row.iter().map(|v| csv_number(*v)))?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// A regression as CSV with columns `name,beta,se,t,p` (standardised betas).
pub fn regression_csv(ols: &Ols) -> String {
    let mut text = String::from("name,beta,se,t,p\n");
    for c in &ols.coefficients {
        text.push_str(&format!("{},{},{},{},{}\n", c.name, c.beta, c.se, c.t, c.p));
    }
    text
}

/// The `regressions.json` document of a survey: respondents, fit statistics and the adjusted
/// R² increments of the cooperation regression's blocks.
pub fn regressions_json(regressions: &Regressions, directors: usize, mayors: usize) -> Value {
    let blocks: Vec<Value> = survey::COOPERATION_BLOCKS
        .iter()
        .zip(&regressions.cooperation_blocks)
        .map(|((name, members), d)| json!({"block": name, "predictors": members, "delta_r2_adjusted": d}))
        .collect();
    json!({
        "respondents": {"directors": directors, "mayors": mayors},
        "cooperation": {
            "complete_cases": regressions.cooperation.n,
            "r2": regressions.cooperation.r2,
            "r2_adjusted": regressions.cooperation.r2_adjusted,
            "blocks": blocks,
        },
        "quit_plans": {
            "complete_cases": regressions.quit_plans.n,
            "r2": regressions.quit_plans.r2,
            "r2_adjusted": regressions.quit_plans.r2_adjusted,
        },
    })
}

/// The `comparison.json` document.
pub fn comparison_json(c: &Comparison) -> Value {
    let all = std::iter::once(("base", &c.base)).chain(c.reforms.iter().map(|r| ("reform", r)));
    let mut yearly = Vec::new();
    let mut tenure = Vec::new();
    for (role, s) in all {
        let exits: Vec<Vec<(i32, f64)>> = (0..EXIT_REASONS).map(|r| s.exits_by_year(r)).collect();
        for (i, (year, cooperation)) in s.cooperation_by_year().into_iter().enumerate() {
            let by_reason: Map<String, Value> = ExitReason::NAMES
                .iter()
                .zip(&exits)
                .map(|(n, e)| ((*n).to_string(), json_number(e[i].1)))
                .collect();
            yearly.push(json!({"scenario": s.label, "role": role, "year": year, "cooperation_mean": json_number(cooperation), "exits_per_100_municipalities": by_reason}));
        }
        tenure.push(json!({"scenario": s.label, "role": role, "years_bins": (0..TENURE_BINS).collect::<Vec<_>>(), "shares": s.tenure_distribution()}));
    }
    json!({
        "base": c.base.label,
        "reforms": c.reforms.iter().map(|r| r.label.clone()).collect::<Vec<_>>(),
        "seed": c.seed,
        "replications": c.replications,
        "report_period": {"start": c.report_start, "end": c.report_end},
        "outcomes": c.outcomes,
        "transition": c.transition,
        "subgroups": c.subgroups,
        "survey_power": c.power,
        "survey_power_method": {
            "adoption_share": ADOPTION_SHARE,
            "alpha": POWER_ALPHA,
            "regression": "OLS of the directors' cooperation index on an adoption indicator and register controls",
            "controls": POWER_CONTROLS,
        },
        "yearly": yearly,
        "completed_tenure": tenure,
    })
}

/// The `comparison.csv` table, long: one row per reform, outcome, period and group: the
/// effects over the reported period (group `all`), year by year (`period` one year), and by
/// subgroup (`period` the years after the adoption).
pub fn comparison_csv(c: &Comparison) -> String {
    let mut out = String::from(
        "scenario,outcome,period,group,base,reform,difference,ci95_low,ci95_high,ci95_simulation_low,ci95_simulation_high,replications\n",
    );
    let mut row = |scenario: &str, outcome: &str, period: String, group: &str, e: &Paired| {
        let v: Vec<String> = [
            e.base,
            e.reform,
            e.difference,
            e.ci95[0],
            e.ci95[1],
            e.ci95_simulation[0],
            e.ci95_simulation[1],
        ]
        .iter()
        .map(|x| csv_number(*x))
        .collect();
        out.push_str(&format!("{scenario},{outcome},{period},{group},{},{}\n", v.join(","), e.replications));
    };
    let whole = format!("{}-{}", &c.report_start[..4], &c.report_end[..4]);
    for o in &c.outcomes {
        row(&o.scenario, o.outcome, whole.clone(), "all", &o.effect);
    }
    for o in &c.transition {
        row(&o.scenario, o.outcome, o.year.to_string(), "all", &o.effect);
    }
    for o in &c.subgroups {
        row(&o.scenario, o.outcome, format!("{}-{}", o.period[0], o.period[1]), o.group, &o.effect);
    }
    out
}

/// The header of `sweep.csv` for sweeps of `parameters`.
pub fn sweep_header(parameters: &[String]) -> String {
    let mut columns = vec!["point".to_string()];
    columns.extend(parameters.iter().cloned());
    columns.push("replications".into());
    for h in HEADLINES {
        columns.extend([h.to_string(), format!("{h}_ci95_low"), format!("{h}_ci95_high")]);
    }
    columns.join(",")
}

/// One point's line of `sweep.csv` (without the newline): its number (1-based), its parameter
/// values, the replications, and every headline's mean and interval.
pub fn sweep_line(point: &SweepPoint) -> String {
    let f = |x: Option<f64>| x.map_or(String::new(), csv_number);
    let mut fields = vec![(point.index + 1).to_string()];
    fields.extend(point.values.iter().map(|x| format!("{x}")));
    fields.push(point.replications.to_string());
    for e in &point.headlines {
        fields.extend([f(e.mean), f(e.ci95.map(|c| c[0])), f(e.ci95.map(|c| c[1]))]);
    }
    fields.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undefined_numbers_are_empty_fields_and_defined_ones_round_trip() {
        assert_eq!(csv_number(f64::NAN), "");
        assert_eq!(csv_number(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(csv_number(2.0), "2");
    }

    #[test]
    fn the_sweep_header_and_a_line_have_the_same_number_of_fields() {
        let header = sweep_header(&["a.b".to_string()]);
        let point = SweepPoint {
            index: 0,
            values: vec![1.5],
            replications: 2,
            headlines: vec![crate::stats::Estimate { mean: Some(1.0), ci95: None }; HEADLINES.len()],
            municipality_months: 0,
        };
        assert_eq!(header.split(',').count(), sweep_line(&point).split(',').count());
        assert!(sweep_line(&point).starts_with("1,1.5,2,1,,"));
    }
}
