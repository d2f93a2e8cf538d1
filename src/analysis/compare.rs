//! Comparing reforms with a base scenario, with common random numbers.
//!
//! Every scenario is run with the base's seed and replication count. Because each process of
//! each municipality draws from its own stream (`rng`), replication `r` of every scenario has
//! the same municipalities, elections, cases and shocks; a reform changes only what it acts
//! on. Differences are therefore taken replication by replication (paired), and their 95 %
//! intervals come from the spread of those paired differences (Student's t). A scenario
//! compared with itself gives differences of exactly zero.
//!
//! Survey power asks whether the 2020 survey could have seen a reform: in each replication,
//! half of the municipalities (drawn from the `Adoption` stream) are taken from the reform's
//! world and half from the base's — municipalities do not interact, so this is the world in
//! which half adopted it — and the directors' answers are analysed as an evaluator would: OLS
//! of the cooperation index on an adoption indicator with the report's register controls
//! (log population, centrality, merger). Practices, climate and the other predictors of the
//! report's regression are left out because a reform acts through them: controlling for a
//! mediator would hide the effect being sought. Power is the share of emulated surveys in
//! which the indicator is significant at the 10 % level (two-sided).

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

use ndarray::{Array2, Axis};
use serde::Serialize;

use crate::analysis::paired::Paired;
use crate::analysis::transition::{SubgroupRow, TransitionRow, subgroup_effects, transitions};
use crate::foundation::rng::{self, Process};
use crate::scenario::config::Config;
use crate::sim::record::{TENURE_BIN0, TENURE_BINS, Tally, new_tally};
use crate::sim::run::{self, RunError, RunOptions, RunStats};
use crate::sim::summary::{HEADLINES, headline_values};
use crate::stats;
use crate::survey::{self, SurveyReplication};

/// Significance level of the survey power test.
pub const POWER_ALPHA: f64 = 0.10;
/// Share of municipalities that adopt the reform in the survey power calculation.
pub const ADOPTION_SHARE: f64 = 0.5;
/// Register controls of the power regression (pre-treatment: a reform cannot move them).
pub const POWER_CONTROLS: [&str; 3] = ["log_population", "centrality", "merged"];

/// A scenario to compare: its label (the file's stem) and its configuration.
#[derive(Debug, Clone)]
pub struct Entry {
    pub label: String,
    pub config: Config,
    /// The scenario under each of N posterior draws of the calibrated parameters (empty: no
    /// parameter uncertainty). Draw k runs replications ⌊kR/N⌋ to ⌊(k+1)R/N⌋ − 1, in base and
    /// reform alike; N is at most R.
    pub draws: Vec<Config>,
}

/// What one scenario's runs produced.
#[derive(Debug, Clone)]
pub struct ScenarioResult {
    pub label: String,
    /// The scenario's `title`, if it has one.
    pub title: Option<String>,
    pub description: String,
    /// Headline figures per replication, in `HEADLINES` order.
    pub headlines: Vec<Vec<f64>>,
    /// The same replications under posterior draws of the parameters (empty without draws).
    pub headlines_drawn: Vec<Vec<f64>>,
    /// Tallies of the reported period summed over replications (one row per reported year).
    pub tally: Array2<f64>,
    /// Each replication's tally (for effects year by year and by subgroup), and the same under
    /// the posterior draws.
    pub tallies: Vec<Array2<f64>>,
    pub tallies_drawn: Vec<Array2<f64>>,
    /// The month a reform adopted at a date (`[adoption]`) takes effect.
    pub adopted_from: Option<crate::foundation::calendar::Month>,
    pub first_year: i32,
    /// The emulated 2020 survey of every replication.
    pub surveys: Vec<SurveyReplication>,
}

impl ScenarioResult {
    /// What a reader sees the scenario called: its `title`, else its label (the file's stem).
    pub fn display_name(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.label)
    }

    /// Mean cooperation per reported year.
    pub fn cooperation_by_year(&self) -> Vec<(i32, f64)> {
        self.by_year(|row| row[Tally::CooperationSum as usize] / row[Tally::MunicipalityMonths as usize])
    }

    /// Exits of one reason per 100 municipalities per reported year.
    pub fn exits_by_year(&self, reason: usize) -> Vec<(i32, f64)> {
        self.by_year(|row| {
            100.0 * row[Tally::Exits0 as usize + reason] / (row[Tally::MunicipalityMonths as usize] / 12.0)
        })
    }

    fn by_year(&self, f: impl Fn(&[f64]) -> f64) -> Vec<(i32, f64)> {
        self.tally
            .axis_iter(Axis(0))
            .enumerate()
            .map(|(i, row)| {
                (self.first_year + i as i32, f(row.as_slice().expect("tally rows are contiguous")))
            })
            .collect()
    }

    /// Share of completed tenures in each whole-year bin (the last bin open), over the reported period.
    pub fn tenure_distribution(&self) -> Vec<f64> {
        let total = self.tally.sum_axis(Axis(0));
        let counts: Vec<f64> = (0..TENURE_BINS).map(|b| total[TENURE_BIN0 + b]).collect();
        let n: f64 = counts.iter().sum();
        counts.iter().map(|c| if n > 0.0 { c / n } else { 0.0 }).collect()
    }
}

/// One outcome of one reform, as `comparison.json` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct OutcomeRow {
    pub scenario: String,
    pub outcome: &'static str,
    /// Base and reform means, the paired difference and its intervals (`paired::Paired`).
    #[serde(flatten)]
    pub effect: Paired,
}

/// The chance that a 2020-style survey detects a reform adopted by half the municipalities.
#[derive(Debug, Clone, Serialize)]
pub struct Power {
    pub scenario: String,
    /// Share of emulated surveys in which the adoption indicator is significant at 10 %.
    pub power: f64,
    /// Wilson 95 % interval of that share (it is estimated from finitely many surveys).
    pub ci95: [f64; 2],
    pub surveys: usize,
    /// Mean standardised beta of the adoption indicator.
    pub mean_beta: f64,
    /// Mean complete cases per survey.
    pub mean_complete_cases: f64,
}

/// Everything `compare` found.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub base: ScenarioResult,
    pub reforms: Vec<ScenarioResult>,
    pub outcomes: Vec<OutcomeRow>,
    /// Each reform's effect year by year on the key outcomes (`transition`).
    pub transition: Vec<TransitionRow>,
    /// Each reform's effect by size band and governing-base size (`transition`).
    pub subgroups: Vec<SubgroupRow>,
    pub power: Vec<Power>,
    pub seed: u64,
    pub replications: u32,
    /// Posterior draws the replications were also run under (0: simulation uncertainty only).
    pub parameter_draws: usize,
    pub report_start: String,
    pub report_end: String,
    pub stats: RunStats,
}

/// Runs the base and every reform with the base's seed and replications, and compares them.
/// `progress` counts municipality timelines (each scenario runs every municipality twice:
/// the full history, and the history up to the survey).
pub fn compare(
    base: &Entry,
    reforms: &[Entry],
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<Comparison, RunError> {
    let seed = base.config.seed;
    let replications = base.config.replications;
    let mut municipality_months = 0;
    let mut threads_used = threads;
    let mut run_one = |entry: &Entry| -> Result<ScenarioResult, RunError> {
        let mut config = entry.config.clone();
        config.seed = seed;
        config.replications = replications;
        let (mut result, stats) = run_scenario(&entry.label, &config, threads, progress, cancel)?;
        threads_used = stats.threads;
        municipality_months += stats.municipality_months;
        // The same replications under the posterior draws, a range of them per draw.
        let n = entry.draws.len() as u64;
        for (k, drawn) in entry.draws.iter().enumerate() {
            let k = k as u64;
            let range = |k: u64| u32::try_from(k * u64::from(replications) / n).expect("at most R");
            let (first, last) = (range(k), range(k + 1));
            if first == last {
                continue;
            }
            let mut drawn = drawn.clone();
            drawn.seed = seed;
            drawn.replications = last - first;
            drawn.output.municipalities = false;
            drawn.output.subgroups = true;
            let stats = run::run_from(&drawn, first, RunOptions { threads }, progress, cancel, |rep| {
                result.headlines_drawn.push(headline_values(&rep.tally.sum_axis(Axis(0)).view()).to_vec());
                result.tallies_drawn.push(rep.tally);
                Ok(())
            })?;
            municipality_months += stats.municipality_months;
        }
        result.surveys = survey::run_survey(&config, 0..replications, threads, progress, cancel)?;
        municipality_months += survey::municipality_months(&config)?;
        Ok(result)
    };
    let base_result = run_one(base)?;
    let mut reform_results = Vec::with_capacity(reforms.len());
    for r in reforms {
        reform_results.push(run_one(r)?);
    }
    let mut outcomes = Vec::new();
    let mut power = Vec::new();
    let (mut transition, mut subgroups) = (Vec::new(), Vec::new());
    for r in &reform_results {
        outcomes.extend(paired_outcomes(&base_result, r));
        transition.extend(transitions(&base_result, r));
        subgroups.extend(subgroup_effects(&base_result, r));
        power.push(survey_power(&base_result, r, seed).map_err(|e| {
            RunError::Input(format!(
                "survey power of {}: {e}; {}",
                r.label,
                crate::survey::TOO_FEW_RESPONDENTS_HINT
            ))
        })?);
    }
    let cal = &base.config.calendar;
    Ok(Comparison {
        base: base_result,
        reforms: reform_results,
        outcomes,
        transition,
        subgroups,
        power,
        seed,
        replications,
        parameter_draws: base.draws.len(),
        report_start: cal.report_start.to_string(),
        report_end: cal.end.to_string(),
        stats: RunStats { threads: threads_used, municipality_months },
    })
}

/// Runs one scenario as it stands (its own seed and replications) and keeps what a comparison
/// needs: headlines per replication and the summed tally. No survey (`surveys` is empty).
pub fn run_scenario(
    label: &str,
    config: &Config,
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<(ScenarioResult, RunStats), RunError> {
    let mut config = config.clone();
    config.output.municipalities = false;
    config.output.subgroups = true;
    let mut headlines = Vec::new();
    let mut tally = new_tally(&config);
    let mut tallies = Vec::new();
    let stats = run::run(&config, RunOptions { threads }, progress, cancel, |rep| {
        headlines.push(headline_values(&rep.tally.sum_axis(Axis(0)).view()).to_vec());
        tally += &rep.tally;
        tallies.push(rep.tally);
        Ok(())
    })?;
    let result = ScenarioResult {
        label: label.to_string(),
        title: config.title.clone(),
        description: config.description.trim().to_string(),
        headlines,
        headlines_drawn: Vec::new(),
        tally,
        tallies,
        tallies_drawn: Vec::new(),
        adopted_from: config.adoption.as_ref().map(|a| a.from),
        first_year: config.calendar.report_start.year(),
        surveys: Vec::new(),
    };
    Ok((result, stats))
}

/// Paired differences of every headline, replication by replication.
pub fn paired_outcomes(base: &ScenarioResult, reform: &ScenarioResult) -> Vec<OutcomeRow> {
    HEADLINES
        .iter()
        .enumerate()
        .filter_map(|(i, name)| {
            let column = |rows: &[Vec<f64>]| rows.iter().map(|r| r[i]).collect::<Vec<f64>>();
            let p = Paired::new(
                (&column(&base.headlines), &column(&reform.headlines)),
                (&column(&base.headlines_drawn), &column(&reform.headlines_drawn)),
            )?;
            Some(OutcomeRow { scenario: reform.label.clone(), outcome: name, effect: p })
        })
        .collect()
}

/// Whether municipality `id` adopts the reform in replication `replication`.
pub fn adopts(seed: u64, replication: u32, id: u32) -> bool {
    rng::uniform(&mut rng::stream(seed, replication, id, Process::Adoption)) < ADOPTION_SHARE
}

/// The survey power of a reform: see the module's header.
pub fn survey_power(
    base: &ScenarioResult,
    reform: &ScenarioResult,
    seed: u64,
) -> Result<Power, stats::StatsError> {
    let mut detections = 0;
    let mut betas = Vec::new();
    let mut cases = Vec::new();
    for (b, r) in base.surveys.iter().zip(&reform.surveys) {
        // A survey without respondents has no columns either: nothing to estimate.
        if b.directors.rows.is_empty() || r.directors.rows.is_empty() {
            return Err(stats::StatsError::TooFewCases { complete: 0, predictors: 1 + POWER_CONTROLS.len() });
        }
        let id_column = b.directors.index("municipality").expect("survey rows carry the municipality");
        let by_id = |s: &SurveyReplication| -> BTreeMap<u32, Vec<f64>> {
            s.directors.rows.iter().map(|row| (row[id_column] as u32, row.clone())).collect()
        };
        let (base_rows, reform_rows) = (by_id(b), by_id(r));
        let ids: std::collections::BTreeSet<u32> =
            base_rows.keys().chain(reform_rows.keys()).copied().collect();
        let mut adopted = Vec::new();
        let mut rows = Vec::new();
        for id in ids {
            let adopt = adopts(seed, b.replication, id);
            if let Some(row) = if adopt { reform_rows.get(&id) } else { base_rows.get(&id) } {
                adopted.push(f64::from(u8::from(adopt)));
                rows.push(row);
            }
        }
        let column = |name: &str| -> Vec<f64> {
            let j = b
                .directors
                .index(name)
                .unwrap_or_else(|| panic!("the directors' table has a column `{name}`"));
            rows.iter().map(|row| row[j]).collect()
        };
        let y = column("cooperation_index");
        let controls: Vec<Vec<f64>> = POWER_CONTROLS.iter().map(|c| column(c)).collect();
        let mut predictors: Vec<(&str, &[f64])> = vec![("adopted", adopted.as_slice())];
        predictors.extend(POWER_CONTROLS.iter().zip(&controls).map(|(n, v)| (*n, v.as_slice())));
        let fit = stats::ols(&y, &predictors)?;
        let k = &fit.coefficients[0];
        detections += usize::from(k.p < POWER_ALPHA);
        betas.push(k.beta);
        cases.push(fit.n as f64);
    }
    let n = betas.len();
    let p = detections as f64 / n.max(1) as f64;
    Ok(Power {
        scenario: reform.label.clone(),
        power: p,
        ci95: stats::wilson(detections, n),
        surveys: n,
        mean_beta: if n > 0 { stats::mean(&betas) } else { f64::NAN },
        mean_complete_cases: if n > 0 { stats::mean(&cases) } else { f64::NAN },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::scenario::parse_str;

    fn config(text: &str) -> Config {
        parse_str(text, "t").unwrap().1
    }

    /// Three replications of 40 municipalities from 1990: enough for paired intervals, no survey.
    const SMALL: &str =
        "replications = 3\n[population]\nmunicipalities = 40\n[calendar]\nstart = \"1990-01\"\n";

    fn scenario(label: &str, config: &Config) -> ScenarioResult {
        run_scenario(label, config, 1, &|_| {}, &AtomicBool::new(false)).unwrap().0
    }

    #[test]
    fn a_scenario_compared_with_itself_differs_by_exactly_zero() {
        let c = config(SMALL);
        // Two separate runs: the comparison rests on runs being reproducible, not on sharing one.
        let (base, reform) = (scenario("base", &c), scenario("same", &c));
        let rows = paired_outcomes(&base, &reform);
        assert!(!rows.is_empty());
        for row in &rows {
            assert_eq!(row.scenario, "same");
            assert_eq!(row.effect.difference, 0.0, "{}", row.outcome);
            assert_eq!(row.effect.ci95, [0.0, 0.0], "{}", row.outcome);
            assert_eq!(row.effect.base.to_bits(), row.effect.reform.to_bits(), "{}", row.outcome);
            assert!(row.effect.replications >= 1 && row.effect.replications <= 3, "{}", row.outcome);
        }
        let cooperation = rows.iter().find(|r| r.outcome == "cooperation_mean").unwrap();
        assert_eq!(cooperation.effect.replications, 3, "mean cooperation is defined in every replication");
    }

    #[test]
    fn a_paired_difference_is_the_difference_of_the_means_and_lies_in_its_interval() {
        let base = scenario("base", &config(SMALL));
        // A reform that makes friction far more common: it must move cooperation.
        let reform = scenario("friction", &config(&format!("{SMALL}[friction]\nbase = -2.0\n")));
        let rows = paired_outcomes(&base, &reform);
        for row in &rows {
            let scale = row.effect.base.abs().max(row.effect.reform.abs()).max(1.0);
            assert!(
                (row.effect.difference - (row.effect.reform - row.effect.base)).abs() <= 1e-12 * scale,
                "{}",
                row.outcome
            );
            assert!(
                row.effect.ci95[0] <= row.effect.difference && row.effect.difference <= row.effect.ci95[1],
                "{}",
                row.outcome
            );
        }
        let cooperation = rows.iter().find(|r| r.outcome == "cooperation_mean").unwrap();
        assert!(cooperation.effect.difference < 0.0, "{cooperation:?}");
    }

    #[test]
    fn yearly_figures_and_the_tenure_distribution_cover_the_reported_period() {
        let c = config(SMALL);
        let s = scenario("base", &c);
        let years: Vec<i32> = s.cooperation_by_year().iter().map(|(y, _)| *y).collect();
        assert_eq!(years, c.calendar.report_years().collect::<Vec<_>>());
        assert!(s.cooperation_by_year().iter().all(|(_, v)| (1.0..=5.0).contains(v)));
        assert_eq!(s.exits_by_year(0).len(), years.len());
        let shares = s.tenure_distribution();
        assert_eq!(shares.len(), TENURE_BINS);
        assert!((shares.iter().sum::<f64>() - 1.0).abs() < 1e-12, "{shares:?}");
        assert_eq!(s.headlines.len(), 3);
        assert!(s.surveys.is_empty(), "run_scenario runs no survey");
    }

    #[test]
    fn adoption_is_reproducible_and_about_half_adopt() {
        let n = 10_000u32;
        let first: Vec<bool> = (0..n).map(|id| adopts(7, 0, id)).collect();
        assert_eq!(first, (0..n).map(|id| adopts(7, 0, id)).collect::<Vec<_>>());
        // Adopters are Binomial(n, 1/2): standard error √(n/4) = 50. Four of them bound the
        // count (a false alarm about once in 16 000 seeds).
        let bound = 4.0 * (f64::from(n) * 0.25).sqrt();
        let adopters = first.iter().filter(|&&a| a).count() as f64;
        assert!((adopters - f64::from(n) * ADOPTION_SHARE).abs() <= bound, "{adopters} of {n} adopt");
        // Another replication draws again: its choices agree with these about half the time,
        // again within four standard errors.
        let other = (0..n).filter(|&id| adopts(7, 1, id) == first[id as usize]).count() as f64;
        assert!((other - f64::from(n) / 2.0).abs() <= bound, "{other} of {n} agree across replications");
    }

    #[test]
    fn comparing_uses_the_base_seed_and_replications_so_an_identical_reform_changes_nothing() {
        // The default 356 municipalities (from 1990, through the 2020 survey), so each emulated
        // survey has enough respondents for its regression.
        let base = Entry {
            label: "base".into(),
            config: config("replications = 2\n[calendar]\nstart = \"1990-01\"\n"),
            draws: Vec::new(),
        };
        // The same model under another seed and replication count: `compare` must override both.
        let reform = Entry {
            label: "same".into(),
            config: config("seed = 99\nreplications = 5\n[calendar]\nstart = \"1990-01\"\n"),
            draws: Vec::new(),
        };
        let c = compare(&base, &[reform], 2, &|_| {}, &AtomicBool::new(false)).unwrap();
        assert_eq!((c.seed, c.replications), (base.config.seed, 2));
        assert_eq!(c.reforms[0].headlines.len(), 2);
        // Compared as Debug text, which is exact for floats and, unlike `==`, equates NaN
        // (an unanswered question) with NaN.
        let answers = |r: &ScenarioResult| format!("{:?}", r.surveys);
        assert!(answers(&c.reforms[0]) == answers(&c.base), "the same answers in both worlds");
        assert!(!c.outcomes.is_empty());
        for row in &c.outcomes {
            assert_eq!((row.effect.difference, row.effect.ci95), (0.0, [0.0, 0.0]), "{}", row.outcome);
        }

        // Survey power of a scenario against itself: a share of the 2 surveys, with the Wilson
        // interval of that share.
        let p = &c.power[0];
        assert_eq!(p.surveys, 2);
        let detections = (p.power * 2.0).round() as usize;
        assert_eq!(p.power, detections as f64 / 2.0);
        assert_eq!(p.ci95, stats::wilson(detections, 2));
        assert!(p.ci95[0] <= p.power && p.power <= p.ci95[1], "{p:?}");
        assert!(p.mean_beta.is_finite());
        // Against itself every municipality answers from the same table, so the regression's
        // cases are the directors who answered the cooperation items and carry the controls.
        let complete = |s: &SurveyReplication| {
            let columns: Vec<usize> = ["cooperation_index", "log_population", "centrality", "merged"]
                .iter()
                .map(|n| s.directors.index(n).unwrap())
                .collect();
            s.directors.rows.iter().filter(|row| columns.iter().all(|&j| row[j].is_finite())).count() as f64
        };
        let expected = c.base.surveys.iter().map(complete).sum::<f64>() / 2.0;
        assert!(expected > 0.0);
        assert_eq!(p.mean_complete_cases, expected, "{p:?}");
    }
}
