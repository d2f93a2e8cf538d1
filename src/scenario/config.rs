//! The validated configuration the engine runs on: months resolved, distributions turned into
//! cumulative tables, every range checked. Built only by `scenario::load` (or
//! `scenario::validate`), so the engine never sees an unchecked value.

use crate::foundation::calendar::Month;
use crate::scenario::params::{
    Cases, Climate, Contact, Development, Exits, Friction, Politics, Recruitment, Survey, Trust,
};

/// A categorical distribution over `N` named categories, sampled by inversion from one
/// uniform draw (so overriding a distribution never shifts later draws of the same stream).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Categorical<const N: usize> {
    pub shares: [f64; N],
}

impl<const N: usize> Categorical<N> {
    /// The category a uniform draw `u` in [0, 1) falls into.
    #[inline]
    pub fn pick(&self, u: f64) -> u8 {
        let mut acc = 0.0;
        for (i, s) in self.shares.iter().enumerate() {
            acc += s;
            if u < acc {
                return i as u8;
            }
        }
        // Rounding can leave the last cumulative share a hair below 1.
        (0..N).rev().find(|&i| self.shares[i] > 0.0).unwrap_or(N - 1) as u8
    }

    pub fn all(category: usize) -> Self {
        let mut shares = [0.0; N];
        shares[category] = 1.0;
        Self { shares }
    }
}

/// Names of the categories of each kind of distribution, in the order the engine codes them.
pub mod categories {
    /// Fixed meetings and leader-group forums: coded 0 = weekly … 3 = none.
    pub const MEETINGS: [&str; 4] = ["weekly", "monthly", "rarer", "none"];
    /// Informal contact between mayor and director: coded 0 = daily … 3 = rarer.
    pub const INFORMAL: [&str; 4] = ["daily", "several_per_week", "weekly", "rarer"];
    /// How often a development measure is carried out (Table 2.15).
    pub const MEASURE: [&str; 4] = ["annual", "per_term", "rarer", "never"];
    /// Who holds the development conversation with the director.
    pub const CONVERSATION: [&str; 4] = ["employer_committee", "formannskap", "other", "none"];
    /// Who usually drafts the recommendation to the council.
    pub const RECOMMENDS: [&str; 4] = ["director", "formannskap_or_mayor", "sector_committee", "varies"];
    /// Distance between the mayor's and the director's offices.
    pub const DISTANCE: [&str; 3] = ["same_floor", "different_floors", "different_buildings"];
    /// Role expectation in a zone: what the official should do in a vignette.
    pub const ROLE: [&str; 3] = ["independence", "dialogue", "loyalty"];
    /// Svara's four zones.
    pub const ZONES: [&str; 4] = ["administration", "organisation", "policy_making", "politics"];
    /// The director's previous post (Table 3.6).
    pub const PREVIOUS_POST: [&str; 6] = [
        "same_post_other_municipality",
        "other_post_same_municipality",
        "state_or_regional_administration",
        "other_post_other_municipality",
        "private_sector",
        "labour_and_business_organisations",
    ];
    pub const EDUCATION: [&str; 3] = ["upper_secondary", "university_up_to_4y", "university_over_4y"];
    pub const LEADERSHIP_EDUCATION: [&str; 3] = ["credit_bearing", "non_credit", "none"];
}

#[derive(Debug, Clone, PartialEq)]
pub struct CalendarConfig {
    /// First simulated month (the burn-in starts here).
    pub start: Month,
    /// First month of the reported period.
    pub report_start: Month,
    /// Last simulated month (inclusive).
    pub end: Month,
    /// One election month; the others lie a whole number of intervals before or after it.
    pub election_anchor: Month,
    pub election_interval_months: i32,
    /// Month the 2020 merger reform took effect.
    pub merger: Month,
}

impl CalendarConfig {
    pub fn months(&self) -> i32 {
        self.end.0 - self.start.0 + 1
    }
    pub fn report_months(&self) -> i32 {
        self.end.0 - self.report_start.0 + 1
    }
    pub fn report_years(&self) -> std::ops::RangeInclusive<i32> {
        self.report_start.year()..=self.end.year()
    }
    /// The month the survey is taken: `months_after_election` after the anchor election.
    pub fn survey_month(&self, months_after_election: u32) -> Month {
        Month(self.election_anchor.0 + months_after_election as i32)
    }
    #[inline]
    pub fn is_election(&self, m: Month) -> bool {
        (m.0 - self.election_anchor.0).rem_euclid(self.election_interval_months) == 0
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutputConfig {
    pub poor_cooperation_below: f64,
    pub yearly: bool,
    pub municipalities: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PopulationConfig {
    pub municipalities: u32,
    /// Natural-log bounds of each size band.
    pub band_log_bounds: Vec<(f64, f64)>,
    pub band_shares: Vec<f64>,
    pub centrality_intercept: f64,
    pub centrality_per_log_population: f64,
    pub centrality_noise_sd: f64,
    pub merged_share: f64,
    pub council_extra_seats_mean: f64,
    pub hierarchy_three_levels_from: f64,
    pub hierarchy_four_levels_from: f64,
    pub hierarchy_noise: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PracticesConfig {
    pub fixed_meetings: Categorical<4>,
    pub informal_contact: Categorical<4>,
    pub leader_group_forum: Categorical<4>,
    pub delegation_review: Categorical<4>,
    pub meeting_routines_review: Categorical<4>,
    pub role_understanding_meetings: Categorical<4>,
    pub inter_municipal_learning: Categorical<4>,
    pub councillor_training: Categorical<4>,
    pub director_release: Categorical<4>,
    pub development_conversation: Categorical<4>,
    pub who_recommends: Categorical<4>,
    pub office_distance: Categorical<3>,
    pub discretion_shift: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RolesConfig {
    /// Per zone, the mayors' role expectations.
    pub mayor: [Categorical<3>; 4],
    /// Per zone, the recruits' role expectations.
    pub director: [Categorical<3>; 4],
}

#[derive(Debug, Clone, PartialEq)]
pub struct CareersConfig {
    pub previous_post: Categorical<6>,
    pub education: Categorical<3>,
    pub leadership_education: Categorical<3>,
}

/// Everything a run needs, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub name: String,
    pub description: String,
    pub seed: u64,
    pub replications: u32,
    pub calendar: CalendarConfig,
    pub output: OutputConfig,
    pub population: PopulationConfig,
    pub practices: PracticesConfig,
    pub roles: RolesConfig,
    pub careers: CareersConfig,
    pub politics: Politics,
    pub climate: Climate,
    pub cases: Cases,
    pub friction: Friction,
    pub contact: Contact,
    pub trust: Trust,
    pub development: Development,
    pub exits: Exits,
    pub recruitment: Recruitment,
    pub survey: Survey,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pick_inverts_the_cumulative_shares() {
        let c = Categorical { shares: [0.2, 0.0, 0.5, 0.3] };
        assert_eq!(c.pick(0.0), 0);
        assert_eq!(c.pick(0.1999), 0);
        assert_eq!(c.pick(0.2), 2);
        assert_eq!(c.pick(0.6999), 2);
        assert_eq!(c.pick(0.7), 3);
        assert_eq!(c.pick(0.99999999), 3);
        let d = Categorical { shares: [0.5, 0.5 - 1e-12, 0.0, 0.0] };
        assert_eq!(d.pick(0.9999999999999), 1, "rounding falls back to the last non-empty category");
    }
}
