//! From tallies to the numbers users read: each replication's headline figures over the
//! reported period, each (replication, year) row of `yearly.csv`, and the mean with a 95 %
//! confidence interval across replications (Student's t, since replications are independent
//! draws of the same stochastic model).

use ndarray::{Array2, ArrayView1, Axis};

use crate::model::exits::{EXIT_REASONS, ExitReason};
use crate::model::population::SIZE_BANDS;
use crate::scenario::categories::Category;
use crate::scenario::categories::Zone;
use crate::sim::record::{
    AGREEMENT0, BAND_EXITS0, BAND_FORCED0, BAND_MONTHS0, COOPERATION_BIN_NAMES, TERM_EXITS0, TERM_MONTHS0,
    Tally,
};
use crate::stats::Estimate;

/// Headline figures of the reported period, in the order `summary.json` lists them.
pub const HEADLINES: [&str; 20] = [
    "cooperation_mean",
    "cooperation_sd",
    "poor_cooperation_share",
    "director_exit_rate_per_year",
    "exits_conflict_with_politicians_per_year",
    "mean_completed_tenure_years",
    "mean_elapsed_tenure_years",
    "vacancy_months_per_exit",
    "acting_director_share",
    "mayor_change_rate_per_election",
    "mayor_changes_between_elections_per_year",
    "friction_per_year",
    "unresolved_friction_per_year",
    "coalition_parties_mean",
    "party_cooperation_mean",
    "professional_conduct_mean",
    "clear_signals_mean",
    "director_age_mean",
    "forced_exit_rate_per_year",
    "turnover_cost_nok_per_year",
];

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { f64::NAN }
}

fn exits_total(t: &ArrayView1<f64>) -> f64 {
    (0..EXIT_REASONS).map(|r| t[Tally::Exits0 as usize + r]).sum()
}

/// Headline values, in `HEADLINES` order, of a tally summed over the years it covers.
pub fn headline_values(t: &ArrayView1<f64>) -> [f64; HEADLINES.len()] {
    let g = |c: Tally| t[c as usize];
    let months = g(Tally::MunicipalityMonths);
    let years = months / 12.0;
    let exits = exits_total(t);
    let coop_mean = ratio(g(Tally::CooperationSum), months);
    let coop_var = ratio(g(Tally::CooperationSquares), months) - coop_mean * coop_mean;
    let elections = g(Tally::Elections);
    [
        coop_mean,
        coop_var.max(0.0).sqrt(),
        ratio(g(Tally::PoorMonths), months),
        ratio(exits, years),
        ratio(t[Tally::Exits0 as usize + ExitReason::ConflictWithPoliticians as usize], years),
        ratio(g(Tally::CompletedTenureMonths) / 12.0, exits),
        ratio(g(Tally::ElapsedTenureMonths) / 12.0, g(Tally::IncumbentMonths)),
        ratio(g(Tally::ActingMonths), exits),
        ratio(g(Tally::ActingMonths), months),
        ratio(g(Tally::NewMayorsAtElections), elections),
        ratio(g(Tally::NewMayorsBetweenElections), years),
        ratio(g(Tally::Friction), years),
        ratio(g(Tally::UnresolvedFriction), years),
        ratio(g(Tally::CoalitionSum), months),
        ratio(g(Tally::PartyCooperationSum), months),
        ratio(g(Tally::ProfessionalConductSum), months),
        ratio(g(Tally::ClearSignalsSum), months),
        ratio(g(Tally::DirectorAgeSum), months),
        ratio(forced_exits(t), years),
        ratio(g(Tally::TurnoverCost), years),
    ]
}

/// Forced exits (`ExitReason::is_forced`) in a tally.
fn forced_exits(t: &ArrayView1<f64>) -> f64 {
    ExitReason::ALL.iter().filter(|r| r.is_forced()).map(|r| t[Tally::Exits0 as usize + r.index()]).sum()
}

/// Share of exits by reason, in `ExitReason` order.
pub fn exit_shares(t: &ArrayView1<f64>) -> [f64; EXIT_REASONS] {
    let total = exits_total(t);
    std::array::from_fn(|r| ratio(t[Tally::Exits0 as usize + r], total))
}

/// Column names of `yearly.csv`.
pub fn yearly_columns() -> Vec<String> {
    let mut c: Vec<String> = [
        "replication",
        "year",
        "months",
        "municipalities",
        "cooperation_mean",
        "cooperation_sd",
        "poor_cooperation_share",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    c.extend(COOPERATION_BIN_NAMES.iter().map(|s| format!("{s}_share")));
    c.extend(
        [
            "party_cooperation_mean",
            "professional_conduct_mean",
            "clear_signals_mean",
            "friction_per_municipality",
            "unresolved_friction_per_municipality",
            "exits",
            "director_exit_rate",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    c.extend(ExitReason::NAMES.iter().map(|r| format!("exits_{r}")));
    c.extend(
        [
            "acting_director_share",
            "elections",
            "new_mayors_at_elections",
            "new_mayors_between_elections",
            "coalition_parties_mean",
            "parties_in_council_mean",
            "director_age_mean",
            "elapsed_tenure_years_mean",
            "admin_conflict_share",
            "recruited_from_other_municipality",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    c
}

/// One `yearly.csv` row (without replication and year) from one year's tally row, of a year
/// with `reported_months` months in the reported period (12, or fewer in a year the period
/// cuts). Rates are per municipality-year, so a cut year's are comparable with a whole one's.
pub fn yearly_values(t: &ArrayView1<f64>, reported_months: u32) -> Vec<f64> {
    let g = |c: Tally| t[c as usize];
    let months = g(Tally::MunicipalityMonths);
    let munis = months / 12.0;
    let municipalities = ratio(months, f64::from(reported_months));
    let coop_mean = ratio(g(Tally::CooperationSum), months);
    let year_end = g(Tally::YearEndMunicipalities);
    let exits = exits_total(t);
    let mut v = vec![
        f64::from(reported_months),
        municipalities,
        coop_mean,
        (ratio(g(Tally::CooperationSquares), months) - coop_mean * coop_mean).max(0.0).sqrt(),
        ratio(g(Tally::PoorMonths), months),
    ];
    v.extend((0..6).map(|b| ratio(t[Tally::YearEndBin0 as usize + b], year_end)));
    v.extend([
        ratio(g(Tally::PartyCooperationSum), months),
        ratio(g(Tally::ProfessionalConductSum), months),
        ratio(g(Tally::ClearSignalsSum), months),
        ratio(g(Tally::Friction), munis),
        ratio(g(Tally::UnresolvedFriction), munis),
        exits,
        ratio(exits, munis),
    ]);
    v.extend((0..EXIT_REASONS).map(|r| t[Tally::Exits0 as usize + r]));
    v.extend([
        ratio(g(Tally::ActingMonths), months),
        g(Tally::Elections),
        g(Tally::NewMayorsAtElections),
        g(Tally::NewMayorsBetweenElections),
        ratio(g(Tally::CoalitionSum), months),
        ratio(g(Tally::PartiesSum), months),
        ratio(g(Tally::DirectorAgeSum), months),
        ratio(g(Tally::ElapsedTenureMonths) / 12.0, g(Tally::IncumbentMonths)),
        ratio(g(Tally::AdminConflictMonths), months),
        g(Tally::RecruitedFromOtherMunicipality),
    ]);
    v
}

/// The dynamics `summary.json` reports by group: exit rates per year of the electoral term and
/// per size band, forced exit rates per size band, and the share of municipality-months in
/// which mayor and director hold the same role expectation, per zone. Each group lists
/// `Ratio`s.
pub fn dynamics_groups() -> Vec<(&'static str, Vec<Ratio>)> {
    let ratio =
        |key: String, numerator, denominator, per_year| Ratio { key, numerator, denominator, per_year };
    let terms =
        (0..4).map(|k| ratio(format!("year_{}", k + 1), TERM_EXITS0 + k, TERM_MONTHS0 + k, true)).collect();
    let bands = |first: usize| {
        SIZE_BANDS
            .iter()
            .enumerate()
            .map(|(b, name)| ratio(name.to_string(), first + b, BAND_MONTHS0 + b, true))
            .collect()
    };
    let zones = Zone::NAMES
        .iter()
        .enumerate()
        .map(|(z, name)| ratio(name.to_string(), AGREEMENT0 + z, Tally::MunicipalityMonths as usize, false))
        .collect();
    vec![
        ("exit_rate_by_term_year", terms),
        ("exit_rate_by_size_band", bands(BAND_EXITS0)),
        ("forced_exit_rate_by_size_band", bands(BAND_FORCED0)),
        ("pair_agreement_by_zone", zones),
    ]
}

/// One figure of the dynamics: a ratio of two tally columns, per municipality-year (the
/// denominator counts months) or per municipality-month.
#[derive(Debug, Clone)]
pub struct Ratio {
    pub key: String,
    pub numerator: usize,
    pub denominator: usize,
    pub per_year: bool,
}

/// What a run's replications give: headline figures, exit shares, and the dynamics by group.
#[derive(Debug, Clone)]
pub struct Summary {
    pub headlines: Vec<Named>,
    pub exit_shares: Vec<Named>,
    pub dynamics: Vec<(&'static str, Vec<(String, Estimate)>)>,
}

/// A named estimate, as listed in `summary.json`.
pub type Named = (&'static str, Estimate);

/// Accumulates replications: each one's tally summed over its years, from which every
/// estimate is derived at the end.
#[derive(Debug, Default, Clone)]
pub struct SummaryBuilder {
    totals: Vec<ndarray::Array1<f64>>,
}

impl SummaryBuilder {
    pub fn add(&mut self, tally: &Array2<f64>) {
        self.totals.push(tally.sum_axis(Axis(0)));
    }

    /// The estimate across replications of `value`, computed from each replication's total.
    fn estimate(&self, value: impl Fn(&ArrayView1<f64>) -> f64) -> Estimate {
        let samples: Vec<f64> = self.totals.iter().map(|t| value(&t.view())).collect();
        Estimate::from_samples(&samples)
    }

    /// The estimates across replications: every headline, every exit reason's share, and the
    /// dynamics (`dynamics_groups`).
    pub fn finish(&self) -> Summary {
        // Each replication's headlines and exit shares, computed once.
        let heads: Vec<_> = self.totals.iter().map(|t| headline_values(&t.view())).collect();
        let shares: Vec<_> = self.totals.iter().map(|t| exit_shares(&t.view())).collect();
        let headlines = HEADLINES
            .iter()
            .enumerate()
            .map(|(i, n)| (*n, Estimate::from_samples(&heads.iter().map(|h| h[i]).collect::<Vec<_>>())))
            .collect();
        let exit_shares = ExitReason::NAMES
            .iter()
            .enumerate()
            .map(|(i, n)| (*n, Estimate::from_samples(&shares.iter().map(|s| s[i]).collect::<Vec<_>>())))
            .collect();
        let dynamics = dynamics_groups()
            .into_iter()
            .map(|(group, entries)| {
                let estimates = entries
                    .into_iter()
                    .map(|r| {
                        let e = self.estimate(|t| {
                            let den = t[r.denominator];
                            ratio(t[r.numerator], if r.per_year { den / 12.0 } else { den })
                        });
                        (r.key, e)
                    })
                    .collect();
                (group, estimates)
            })
            .collect();
        Summary { headlines, exit_shares, dynamics }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yearly_columns_and_values_line_up() {
        let row = ndarray::Array1::<f64>::zeros(crate::sim::record::TALLY_COLUMNS);
        assert_eq!(yearly_values(&row.view(), 12).len() + 2, yearly_columns().len());
    }
}
