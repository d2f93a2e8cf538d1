//! What director turnover costs a municipality (`[costs]`): the accounting behind the outcome
//! `turnover_cost_nok_per_year`. These never change what happens in a municipality, only what
//! its turnover is reckoned to cost. Declared with the mechanism groups' `param_group!`; each
//! default names its source, or says it is an assumption.

use serde::{Deserialize, Serialize};

use super::{AsF64, ParamDoc, RangeProblem};

param_group! {
    /// The cost of director turnover, in Norwegian kroner: severance pay where an agreement
    /// exists, the recruitment, the acting period and the new director's first year.
    pub struct Costs in "costs" {
        /// A director's yearly salary with employer's costs (NOK). Assumption: the order of KS's pay statistics for chief executives in the 2020s, not a figure of the survey.
        director_salary_nok_per_year: f64 = 1_500_000.0, 0.0..=100_000_000.0;
        /// Months of salary paid on a dismissal or negotiated exit where the director has a severance agreement. KS recommends severance pay instead of job protection (arbeidsmiljøloven § 15-16 (2)) and leaves its length to the contract; 12 months is an assumption.
        severance_months: f64 = 12.0, 0.0..=60.0;
        /// What recruiting a new director costs (NOK: search firm, advertising, the council's and staff's time). Assumption.
        recruitment_nok: f64 = 400_000.0, 0.0..=100_000_000.0;
        /// Extra cost of each month the post is held by an acting director (NOK: acting allowance, the post the acting director leaves, decisions put off). Assumption.
        acting_nok_per_month: f64 = 40_000.0, 0.0..=10_000_000.0;
        /// What the new director's first year costs beyond the salary (NOK: induction, the time to learn the municipality and its politicians). Assumption.
        first_year_nok: f64 = 300_000.0, 0.0..=100_000_000.0;
    }
}
