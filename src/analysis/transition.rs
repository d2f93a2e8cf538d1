//! What a reform does over time and to whom: its effect year by year on the key outcomes (the
//! transition after an adoption date: exactly zero before it, under common random numbers) and
//! its effect by subgroup (size band, and the size of the mayor's governing base), each a paired
//! difference over replications with the same intervals as the headline effects (`paired`).

use ndarray::{Array2, ArrayView1, Axis};
use serde::Serialize;

use crate::analysis::compare::ScenarioResult;
use crate::analysis::paired::Paired;
use crate::model::population::SIZE_BANDS;
use crate::sim::record::{BASE_GROUPS, GROUPS, GroupColumn, group_column};
use crate::sim::summary::{HEADLINES, headline_values};

/// The outcomes followed year by year and by subgroup.
pub const TRANSITION_OUTCOMES: [&str; 5] = [
    "cooperation_mean",
    "poor_cooperation_share",
    "director_exit_rate_per_year",
    "forced_exit_rate_per_year",
    "turnover_cost_nok_per_year",
];

/// One reform's effect on one outcome in one reported year.
#[derive(Debug, Clone, Serialize)]
pub struct TransitionRow {
    pub scenario: String,
    pub outcome: &'static str,
    pub year: i32,
    #[serde(flatten)]
    pub effect: Paired,
}

/// One reform's effect on one outcome in one subgroup, over `period`.
#[derive(Debug, Clone, Serialize)]
pub struct SubgroupRow {
    pub scenario: String,
    pub outcome: &'static str,
    /// `size` or `governing_base`.
    pub grouping: &'static str,
    pub group: &'static str,
    /// First and last year the effect is taken over: from the adoption's first full year (the
    /// whole reported period for a reform without a date).
    pub period: [i32; 2],
    #[serde(flatten)]
    pub effect: Paired,
}

/// The name of subgroup `g` and its grouping.
pub fn group_name(g: usize) -> (&'static str, &'static str) {
    if g < SIZE_BANDS.len() {
        ("size", SIZE_BANDS[g])
    } else {
        ("governing_base", BASE_GROUPS[g - SIZE_BANDS.len()])
    }
}

fn column(name: &str) -> usize {
    HEADLINES.iter().position(|h| *h == name).expect("transition outcomes are headlines")
}

/// The reform's effect on each key outcome in each reported year.
pub fn transitions(base: &ScenarioResult, reform: &ScenarioResult) -> Vec<TransitionRow> {
    // Every headline of each replication's year, worked out once.
    let yearly = |tallies: &[Array2<f64>]| -> Vec<Vec<[f64; HEADLINES.len()]>> {
        tallies.iter().map(|t| t.axis_iter(Axis(0)).map(|row| headline_values(&row)).collect()).collect()
    };
    let (b, r) = (yearly(&base.tallies), yearly(&reform.tallies));
    let (bd, rd) = (yearly(&base.tallies_drawn), yearly(&reform.tallies_drawn));
    let mut rows = Vec::new();
    for outcome in TRANSITION_OUTCOMES {
        let k = column(outcome);
        for y in 0..base.tally.nrows() {
            let value =
                |v: &[Vec<[f64; HEADLINES.len()]>]| -> Vec<f64> { v.iter().map(|t| t[y][k]).collect() };
            if let Some(effect) = Paired::new((&value(&b), &value(&r)), (&value(&bd), &value(&rd))) {
                let year = base.first_year + y as i32;
                rows.push(TransitionRow { scenario: reform.label.clone(), outcome, year, effect });
            }
        }
    }
    rows
}

/// The key outcomes of subgroup `g` in a tally summed over some years, in `TRANSITION_OUTCOMES` order.
pub fn group_outcomes(t: &ArrayView1<f64>, g: usize) -> [f64; TRANSITION_OUTCOMES.len()] {
    let v = |c: GroupColumn| t[group_column(g, c)];
    let months = v(GroupColumn::Months);
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
    [
        ratio(v(GroupColumn::CooperationSum), months),
        ratio(v(GroupColumn::PoorMonths), months),
        ratio(v(GroupColumn::Exits), months / 12.0),
        ratio(v(GroupColumn::ForcedExits), months / 12.0),
        ratio(v(GroupColumn::TurnoverCost), months / 12.0),
    ]
}

/// The years (indices into the tally) a reform's subgroup effects are taken over: from the
/// first full year of its adoption, else the whole reported period.
fn period(base: &ScenarioResult, reform: &ScenarioResult) -> std::ops::Range<usize> {
    let years = base.tally.nrows();
    let first = reform.adopted_from.map_or(0, |from| {
        let year = from.year() + i32::from(from.month0() > 0);
        (year - base.first_year).clamp(0, years as i32) as usize
    });
    if first < years { first..years } else { 0..years }
}

/// The reform's effect on each key outcome in each subgroup.
pub fn subgroup_effects(base: &ScenarioResult, reform: &ScenarioResult) -> Vec<SubgroupRow> {
    let span = period(base, reform);
    let summed = |tallies: &[Array2<f64>]| -> Vec<ndarray::Array1<f64>> {
        tallies.iter().map(|t| t.slice(ndarray::s![span.clone(), ..]).sum_axis(Axis(0))).collect()
    };
    let (b, r) = (summed(&base.tallies), summed(&reform.tallies));
    let (bd, rd) = (summed(&base.tallies_drawn), summed(&reform.tallies_drawn));
    let mut rows = Vec::new();
    for (k, outcome) in TRANSITION_OUTCOMES.iter().enumerate() {
        for g in 0..GROUPS {
            let value = |s: &[ndarray::Array1<f64>]| -> Vec<f64> {
                s.iter().map(|t| group_outcomes(&t.view(), g)[k]).collect()
            };
            let Some(effect) = Paired::new((&value(&b), &value(&r)), (&value(&bd), &value(&rd))) else {
                continue;
            };
            let (grouping, group) = group_name(g);
            let period = [base.first_year + span.start as i32, base.first_year + span.end as i32 - 1];
            rows.push(SubgroupRow {
                scenario: reform.label.clone(),
                outcome,
                grouping,
                group,
                period,
                effect,
            });
        }
    }
    rows
}
