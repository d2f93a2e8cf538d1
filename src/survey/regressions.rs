//! The report's regressions recomputed on the emulated directors: OLS of the cooperation index
//! on the 31 predictors of Appendix 2, the block decomposition of Appendix 3, and the
//! quit-plans regression of Appendix 4.

use super::Table;
use super::instrument::{COOPERATION_BLOCKS, COOPERATION_QUALITY, cooperation_predictors};
use crate::stats::{self, Ols, StatsError};

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
pub fn regressions(directors: &Table) -> Result<Regressions, StatsError> {
    let names = cooperation_predictors();
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
