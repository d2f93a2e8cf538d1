//! The report's regressions recomputed on the emulated directors: OLS of the cooperation index
//! on the 31 predictors of Appendix 2, the block decomposition of Appendix 3, and the
//! quit-plans regression of Appendix 4.

use super::Table;
use super::instrument::{COOPERATION_BLOCKS, COOPERATION_QUALITY, cooperation_predictors};
use crate::stats::{self, Ols, StatsError};

/// What to do when the regressions cannot be estimated (too few directors answered, or their
/// answers do not vary): the scenario is input that cannot be surveyed.
pub const TOO_FEW_RESPONDENTS_HINT: &str = "hint: the survey's regressions need more directors who answer: \
raise population.municipalities or survey.director_response_rate";

/// The report's regressions on one replication's directors.
#[derive(Debug, Clone)]
pub struct Regressions {
    pub cooperation: Ols,
    /// Change in adjusted R² as the blocks of `COOPERATION_BLOCKS` enter in order.
    pub cooperation_blocks: Vec<f64>,
    pub quit_plans: Ols,
}

fn columns(t: &Table, names: &[&'static str]) -> Vec<(&'static str, Vec<f64>)> {
    names
        .iter()
        .map(|n| (*n, t.column(n).unwrap_or_else(|| panic!("the directors' table has a column `{n}`"))))
        .collect()
}

/// Recomputes Appendices 2–4 on the directors' answers: OLS of the cooperation index on the
/// 31 predictors, the block decomposition, and OLS of quit plans on the same predictors plus
/// the cooperation index.
///
/// A table without respondents (no director answered) is `TooFewCases`, like one with too few.
pub fn regressions(directors: &Table) -> Result<Regressions, StatsError> {
    let names = cooperation_predictors();
    if directors.rows.is_empty() {
        return Err(StatsError::TooFewCases { complete: 0, predictors: names.len() });
    }
    let cols = columns(directors, &names);
    let y = directors.column("cooperation_index").expect("cooperation_index column");
    let refs: Vec<(&str, &[f64])> = cols.iter().map(|(n, v)| (*n, v.as_slice())).collect();
    let cooperation = stats::ols(&y, &refs)?;
    let mut blocks: Vec<Vec<(&str, &[f64])>> = Vec::new();
    let mut at = 0;
    for (_, members) in COOPERATION_BLOCKS {
        blocks.push(refs[at..at + members.len()].to_vec());
        at += members.len();
    }
    let cooperation_blocks = stats::block_increments(&y, &blocks)?;
    let quit = directors.column("quit_plans").expect("quit_plans column");
    let mut quit_refs = vec![(COOPERATION_QUALITY, y.as_slice())];
    quit_refs.extend(refs.iter().copied());
    let quit_plans = stats::ols(&quit, &quit_refs)?;
    Ok(Regressions { cooperation, cooperation_blocks, quit_plans })
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;

    use super::*;
    use crate::scenario::parse_str;
    use crate::survey::run_survey;

    fn names(ols: &Ols) -> Vec<&str> {
        ols.coefficients.iter().map(|c| c.name.as_str()).collect()
    }

    #[test]
    fn the_regressions_of_one_emulated_survey_follow_the_report() {
        let c = parse_str("", "t").unwrap().1;
        let survey = run_survey(&c, 0..1, 0, &|_| {}, &AtomicBool::new(false)).unwrap();
        let directors = &survey[0].directors;
        let r = regressions(directors).unwrap();

        // One coefficient per predictor, in the instrument's order; quit plans add the
        // cooperation index first.
        let predictors = cooperation_predictors();
        assert_eq!(names(&r.cooperation), predictors);
        let mut quit = vec![COOPERATION_QUALITY];
        quit.extend(&predictors);
        assert_eq!(names(&r.quit_plans), quit);

        // The blocks' increments add up to the full model's adjusted R², since the last block
        // completes the model and every step is fitted on the same complete cases.
        assert_eq!(r.cooperation_blocks.len(), COOPERATION_BLOCKS.len());
        let total: f64 = r.cooperation_blocks.iter().sum();
        assert!(
            (total - r.cooperation.r2_adjusted).abs() < 1e-12,
            "{total} vs {}",
            r.cooperation.r2_adjusted
        );

        // Listwise deletion: a case of the quit-plans model is complete in every predictor of
        // the cooperation model and in its dependent variable (the cooperation index).
        assert!(r.cooperation.n <= directors.rows.len());
        assert!(r.quit_plans.n <= r.cooperation.n, "{} > {}", r.quit_plans.n, r.cooperation.n);
        assert!(r.quit_plans.n > predictors.len() + 2);
    }

    /// A directors' table holding every column the regressions need, with `rows` respondents
    /// whose answers vary.
    fn table(rows: usize) -> Table {
        let mut columns = cooperation_predictors();
        columns.extend(["cooperation_index", "quit_plans"]);
        let k = columns.len();
        let rows = (0..rows).map(|i| (0..k).map(|j| ((i * (j + 3)) % 7) as f64).collect()).collect();
        Table { columns, rows }
    }

    #[test]
    fn too_few_directors_for_31_predictors_is_an_error() {
        assert_eq!(
            regressions(&table(20)).unwrap_err(),
            StatsError::TooFewCases { complete: 20, predictors: 31 }
        );
    }

    #[test]
    fn a_survey_without_respondents_is_too_few_cases_not_a_panic() {
        assert_eq!(
            regressions(&Table::default()).unwrap_err(),
            StatsError::TooFewCases { complete: 0, predictors: 31 }
        );
    }

    #[test]
    #[should_panic(expected = "has a column `merged`")]
    fn a_table_without_a_predictor_is_a_bug_that_names_it() {
        let mut t = table(40);
        let j = t.index("merged").unwrap();
        t.columns[j] = "merged_renamed";
        let _ = regressions(&t);
    }
}
