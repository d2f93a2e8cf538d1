//! The validated configuration the engine runs on: months resolved, distributions turned into
//! cumulative tables, every range checked. Built only by `scenario::load` (or
//! `scenario::validate`), so the engine never sees an unchecked value.

use crate::foundation::calendar::Month;
use crate::scenario::categories::{
    Categorical, ConversationForm, Education, Frequency, HowOften, InformalContact, LeadershipEducation,
    OfficeDistance, PreviousPost, Recommender, Role,
};
use crate::scenario::params::{
    Cases, Climate, Contact, Costs, Development, Dispositions, Exits, Friction, Market, Politics,
    Recruitment, Survey, Trust,
};

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
    /// Months of `year` in the reported period: 12, but fewer in a year the period cuts.
    pub fn reported_months(&self, year: i32) -> u32 {
        let first = self.report_start.max(Month::new(year, 1));
        let last = self.end.min(Month::new(year, 12));
        u32::try_from(last.0 - first.0 + 1).unwrap_or(0)
    }
    /// Whether `t` is the last reported month of its year (December, or the period's end).
    pub fn is_year_end(&self, t: Month) -> bool {
        t.month0() == 11 || t == self.end
    }
    /// The month the survey is taken: `months_after_election` after the anchor election.
    pub fn survey_month(&self, months_after_election: u32) -> Month {
        Month(self.election_anchor.0 + months_after_election as i32)
    }
    /// The year of the electoral term month `m` falls in: 0 for the twelve months from an
    /// election, … 3 (later months of a longer term count as the fourth year).
    #[inline]
    pub fn term_year(&self, m: Month) -> usize {
        (((m.0 - self.election_anchor.0).rem_euclid(self.election_interval_months)) / 12).min(3) as usize
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
    /// Tally the subgroups' columns (`sim::record::GROUP0`, …): set by the analyses that report
    /// effects by subgroup (`compare`), so a run that reports none does not do their work.
    pub subgroups: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PopulationConfig {
    /// Municipalities of the register in the world: all of them, or fewer spread over the sizes.
    pub municipalities: u32,
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
    pub fixed_meetings: Categorical<Frequency>,
    pub informal_contact: Categorical<InformalContact>,
    pub leader_group_forum: Categorical<Frequency>,
    pub delegation_review: Categorical<HowOften>,
    pub meeting_routines_review: Categorical<HowOften>,
    pub role_understanding_meetings: Categorical<HowOften>,
    pub inter_municipal_learning: Categorical<HowOften>,
    pub councillor_training: Categorical<HowOften>,
    pub director_release: Categorical<HowOften>,
    pub development_conversation: Categorical<ConversationForm>,
    pub who_recommends: Categorical<Recommender>,
    pub office_distance: Categorical<OfficeDistance>,
    pub discretion_shift: f64,
    /// Share of councils whose recruitment profile and choice are anchored broadly in the council.
    pub broad_recruitment_share: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RolesConfig {
    /// Per zone, the mayors' role expectations.
    pub mayor: [Categorical<Role>; 4],
    /// Per zone, the recruits' role expectations.
    pub director: [Categorical<Role>; 4],
}

#[derive(Debug, Clone, PartialEq)]
pub struct CareersConfig {
    pub previous_post: Categorical<PreviousPost>,
    pub education: Categorical<Education>,
    pub leadership_education: Categorical<LeadershipEducation>,
}

/// Everything a run needs, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub name: String,
    /// The file's `title` (trimmed; none if absent or blank).
    pub title: Option<String>,
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
    pub market: Market,
    pub dispositions: Dispositions,
    pub survey: Survey,
    pub costs: Costs,
    /// With `[adoption]`: the reform, its date and who adopts it (`None`: the scenario holds
    /// everywhere for the whole run).
    pub adoption: Option<std::sync::Arc<crate::scenario::adoption::Adoption>>,
    /// With `[trends]`: the configuration of every simulated year, from the calendar's start.
    pub by_year: Option<std::sync::Arc<YearlyConfigs>>,
}

/// The configurations of the simulated years of a scenario with trends.
#[derive(Debug, Clone, PartialEq)]
pub struct YearlyConfigs {
    pub first_year: i32,
    pub configs: Vec<Config>,
}

impl YearlyConfigs {
    /// The index of `year`'s configuration (the first or last for a year outside them).
    pub fn index(&self, year: i32) -> usize {
        (year - self.first_year).clamp(0, self.configs.len() as i32 - 1) as usize
    }
}

impl Config {
    /// The configuration the engine runs on in `year`: this one, or its trends' for that year.
    pub fn in_year(&self, year: i32) -> &Config {
        match &self.by_year {
            Some(y) => &y.configs[y.index(year)],
            None => self,
        }
    }
}
