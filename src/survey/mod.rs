//! The emulated 2020 survey of mayors and directors: an instrument that measures simulated
//! municipalities the way the real survey measured the real ones (MODEL.md, "like with like").
//!
//! At the survey month (`survey.months_after_election` after the anchor election, November
//! 2020 by default) each municipality's director and mayor answer, independently, with the
//! scenario's response rates. Every answer is a *measurement* of the respondent's simulated
//! state: the cooperation items read trust, the climate items read the council's latent
//! climate through the respondent's perception, the vignettes read role expectations, the
//! practices read the municipality's traits (with recall error), quit plans read the
//! director's intention to move, the predecessor item reads why the previous director left as the
//! incumbent knows it. Response noise, a respondent's general favourability (halo) and mayors'
//! favourable bias are the instrument's; item non-response leaves answers missing.
//!
//! Answers draw from the survey's own random stream (`rng::Process::Survey`), a fixed number
//! of draws per municipality whoever answers, so measuring never disturbs the simulation and
//! two scenarios compared with common random numbers get the same respondents.
//!
//! The report's statistics are recomputed on the synthetic answers exactly as the report built
//! them: indices, OLS with standardised betas and listwise deletion, and the change in
//! adjusted R² as blocks of predictors enter (see `stats`).

mod instrument;
mod questionnaire;
mod regressions;

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::foundation::calendar::Month;
use crate::model::Derived;
use crate::scenario::config::Config;
use crate::sim::run::{RunError, simulate_world_until};

pub use instrument::*;
pub use questionnaire::survey_municipality;
pub use regressions::{Regressions, TOO_FEW_RESPONDENTS_HINT, regressions};

/// One kind of respondent's answers: named columns, one row per respondent, `NaN` where a
/// question was not answered.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<f64>>,
}

impl Table {
    fn push(&mut self, row: Answers) {
        if self.columns.is_empty() {
            self.columns = row.names;
        } else {
            debug_assert_eq!(self.columns, row.names, "every respondent answers the same questionnaire");
        }
        self.rows.push(row.values);
    }

    /// Index of a column.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| *c == name)
    }

    /// A column's values, or `None` if the table has no such column.
    pub fn column(&self, name: &str) -> Option<Vec<f64>> {
        let j = self.index(name)?;
        Some(self.rows.iter().map(|r| r[j]).collect())
    }
}

/// One respondent's answers as they are given, in questionnaire order.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Answers {
    pub names: Vec<&'static str>,
    pub values: Vec<f64>,
}

impl Answers {
    /// The answer to a question, if it was asked (`NaN` if skipped).
    pub fn get(&self, name: &str) -> Option<f64> {
        self.names.iter().position(|n| *n == name).map(|i| self.values[i])
    }
}

impl Answers {
    fn put(&mut self, name: &'static str, value: f64) {
        self.names.push(name);
        self.values.push(value);
    }
}

/// Register data on every municipality (answered or not) at the survey date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Register {
    pub population: f64,
    pub log_population: f64,
    pub centrality: u8,
    pub merged: bool,
    pub council_seats: u32,
    pub parties_in_council: u32,
    pub coalition_parties: u32,
}

/// One replication of the survey.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SurveyReplication {
    pub replication: u32,
    pub directors: Table,
    pub mayors: Table,
    /// Every municipality, in id order.
    pub register: Vec<Register>,
}

/// The survey month, if the scenario simulates it (a scenario may end before the survey).
pub fn survey_date(config: &Config) -> Result<Month, String> {
    let cal = &config.calendar;
    let t = cal.survey_month(config.survey.months_after_election);
    if t <= cal.start || t > cal.end {
        return Err(format!(
            "scenario `{}` simulates {} – {}, but its survey (survey.months_after_election = {} after the election of {}) falls in {t}\n  hint: extend calendar.end or survey earlier",
            config.name, cal.start, cal.end, config.survey.months_after_election, cal.election_anchor
        ));
    }
    Ok(t)
}

/// Municipality-months simulated by a survey of every replication of `config` (each
/// municipality from the calendar's start to the survey month), for manifests.
pub fn municipality_months(config: &Config) -> Result<u64, RunError> {
    let t = survey_date(config).map_err(RunError::Input)?;
    let months = u64::try_from(t.0 - config.calendar.start.0 + 1).unwrap_or(0);
    Ok(u64::from(config.replications) * u64::from(config.population.municipalities) * months)
}

/// Runs `replications` of the national simulation up to the survey month and surveys them,
/// with `threads` workers (0 = one per core). Replications are returned in order; results do
/// not depend on the number of threads. `progress` is called with municipalities finished.
pub fn run_survey(
    config: &Config,
    replications: std::ops::Range<u32>,
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<Vec<SurveyReplication>, RunError> {
    let (pool, _) = crate::sim::run::pool(threads)?;
    pool.install(|| survey_in_pool(config, replications, progress, cancel))
}

/// As `run_survey`, in the current rayon pool (for callers that already run in one).
pub fn survey_in_pool(
    config: &Config,
    replications: std::ops::Range<u32>,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<Vec<SurveyReplication>, RunError> {
    let derived = Derived::new(config);
    let t = survey_date(config).map_err(RunError::Input)?;
    let items: Vec<u32> = replications.collect();
    let surveyed: Vec<Option<SurveyReplication>> = items
        .par_iter()
        .map(|&r| {
            if cancel.load(Ordering::Relaxed) {
                return None;
            }
            let mut out = SurveyReplication { replication: r, ..SurveyReplication::default() };
            let world = simulate_world_until(config, &derived, r, t, |_, _| {});
            for m in world.municipalities() {
                let (director, mayor, register) = survey_municipality(m, config, r, t);
                if let Some(row) = director {
                    out.directors.push(row);
                }
                if let Some(row) = mayor {
                    out.mayors.push(row);
                }
                out.register.push(register);
            }
            progress(world.municipalities().len() as u64);
            Some(out)
        })
        .collect();
    let result: Option<Vec<SurveyReplication>> = surveyed.into_iter().collect();
    let result = result.ok_or(RunError::Cancelled)?;
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::parse_str;

    fn config(text: &str) -> Config {
        parse_str(text, "t").unwrap_or_else(|p| panic!("{p:?}")).1
    }

    #[test]
    fn the_default_survey_is_taken_in_november_2020() {
        // Fourteen months after the anchor election of September 2019, as the real survey was.
        assert_eq!(survey_date(&config("")), Ok(Month::new(2020, 11)));
    }

    #[test]
    fn a_survey_outside_the_simulated_months_is_an_error_with_a_hint() {
        // The calendar's end is inclusive: a scenario ending in the survey month surveys it.
        let ends_there = config("[calendar]\nend = \"2020-11\"\n");
        assert_eq!(survey_date(&ends_there), Ok(Month::new(2020, 11)));
        let err = survey_date(&config("name = \"short\"\n[calendar]\nend = \"2020-10\"\n")).unwrap_err();
        assert!(err.contains("scenario `short`"), "{err}");
        assert!(err.contains("falls in 2020-11"), "{err}");
        assert!(err.contains("hint: extend calendar.end or survey earlier"), "{err}");
        // A survey in the first simulated month or before it has no history to measure.
        let late_start = "[calendar]\nstart = \"2020-11\"\nreport_start = \"2021-01\"\n";
        assert!(survey_date(&config(late_start)).is_err());
        let earlier = format!("{late_start}[survey]\nmonths_after_election = 15\n");
        assert_eq!(survey_date(&config(&earlier)), Ok(Month::new(2020, 12)));
    }

    #[test]
    fn municipality_months_count_from_the_start_to_the_survey_month_inclusive() {
        // January 1960 to November 2020 is 60 years and 11 months.
        let c = config("replications = 3\n[population]\nmunicipalities = 10\n");
        assert_eq!(municipality_months(&c).unwrap(), 3 * 10 * (60 * 12 + 11));
        let c = config("replications = 2\n[calendar]\nstart = \"2020-09\"\nreport_start = \"2021-01\"\n");
        assert_eq!(municipality_months(&c).unwrap(), 2 * 357 * 3);
        let short = config("[calendar]\nend = \"2020-10\"\n");
        assert!(matches!(municipality_months(&short), Err(RunError::Input(_))));
    }

    #[test]
    fn tables_find_columns_by_name() {
        let t = Table { columns: vec!["a", "b"], rows: vec![vec![1.0, 2.0], vec![3.0, f64::NAN]] };
        assert_eq!(t.index("b"), Some(1));
        assert_eq!(t.index("c"), None);
        assert_eq!(t.column("a"), Some(vec![1.0, 3.0]));
        assert!(t.column("b").unwrap()[1].is_nan());
        assert_eq!(t.column("c"), None);
    }

    #[test]
    fn tables_take_their_columns_from_the_first_respondent_and_keep_row_order() {
        let answers = |x: f64| Answers { names: vec!["x", "y"], values: vec![x, -x] };
        let mut t = Table::default();
        t.push(answers(1.0));
        t.push(answers(2.0));
        assert_eq!(t.columns, ["x", "y"]);
        t.push(answers(3.0));
        assert_eq!(t.column("x"), Some(vec![1.0, 2.0, 3.0]));
        assert_eq!(answers(4.0).get("y"), Some(-4.0));
        assert_eq!(answers(4.0).get("z"), None);
    }

    /// A survey of two replications that do not start at 0: replications come back in order,
    /// each whole, and each row is the answer surveying the municipality in its world gives.
    #[test]
    fn a_survey_gathers_every_municipality_of_every_replication_in_order() {
        let c = config("[population]\nmunicipalities = 70\n[survey]\nitem_nonresponse = 0.1\n");
        let reps = run_survey(&c, 1..3, 2, &|_| {}, &AtomicBool::new(false)).unwrap();
        assert_eq!(reps.iter().map(|r| r.replication).collect::<Vec<_>>(), [1, 2]);
        let derived = Derived::new(&c);
        let t = survey_date(&c).unwrap();
        // Bit patterns, since a skipped question is NaN and NaN != NaN.
        let bits = |row: &[f64]| -> Vec<u64> { row.iter().map(|v| v.to_bits()).collect() };
        for rep in &reps {
            assert_eq!(rep.register.len(), 70);
            let (mut directors, mut mayors) = (Vec::new(), Vec::new());
            let world = simulate_world_until(&c, &derived, rep.replication, t, |_, _| {});
            for (id, m) in world.municipalities().iter().enumerate() {
                let (director, mayor, register) = survey_municipality(m, &c, rep.replication, t);
                assert_eq!(rep.register[id], register);
                if let Some(d) = director {
                    assert_eq!(rep.directors.columns, d.names);
                    directors.push(bits(&d.values));
                }
                if let Some(m) = mayor {
                    assert_eq!(rep.mayors.columns, m.names);
                    mayors.push(bits(&m.values));
                }
            }
            assert!(!directors.is_empty() && !mayors.is_empty());
            assert_eq!(rep.directors.rows.iter().map(|r| bits(r)).collect::<Vec<_>>(), directors);
            assert_eq!(rep.mayors.rows.iter().map(|r| bits(r)).collect::<Vec<_>>(), mayors);
        }
    }

    #[test]
    fn a_cancelled_survey_returns_no_partial_result() {
        let c = config("[population]\nmunicipalities = 40\n");
        let cancelled = run_survey(&c, 0..2, 1, &|_| {}, &AtomicBool::new(true));
        assert!(matches!(cancelled, Err(RunError::Cancelled)));
    }
}
