//! The scenario file as users write it (serde types): every key optional, a missing key taking
//! its documented default. Kept apart from the engine's `Config` (see `validate`), so the
//! engine can change without breaking users' files.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::scenario::adoption::AdoptionFile;
use crate::scenario::params::{
    Cases, Climate, Contact, Costs, Development, Dispositions, Exits, Friction, Market, Politics,
    Recruitment, Survey, Trust,
};

/// A scenario file as written. Every key is optional; a missing key takes its documented default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScenarioFile {
    /// Name used for the default results folder; the file's stem when absent.
    pub name: Option<String>,
    /// A short title in plain bokmål for reports and the teaching page; the name when absent.
    pub title: Option<String>,
    pub description: String,
    pub seed: u64,
    pub replications: u32,
    pub calendar: CalendarFile,
    pub output: OutputFile,
    pub population: PopulationFile,
    pub practices: PracticesFile,
    pub roles: RolesFile,
    pub careers: CareersFile,
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
    /// A reform adopted at a date by some municipalities (`[adoption]`; not inherited).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adoption: Option<AdoptionFile>,
    /// Long-run trends: mechanism parameters that change from year to year (`[trends]`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub trends: BTreeMap<String, Trend>,
}

/// A parameter's path over the years: `values` (the parameter's value) or `factors` (multiples
/// of the scenario's value), each a list of `[year, x]` points; linear between points, flat
/// before the first and after the last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trend {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<[f64; 2]>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factors: Option<Vec<[f64; 2]>>,
}

impl Trend {
    /// The points, and whether they are factors.
    pub fn points(&self) -> Option<(&[[f64; 2]], bool)> {
        match (&self.values, &self.factors) {
            (Some(v), None) => Some((v, false)),
            (None, Some(f)) => Some((f, true)),
            _ => None,
        }
    }
}

/// The trend's value in `year`, linear between points and flat outside them.
pub fn interpolate(points: &[[f64; 2]], year: f64) -> f64 {
    match points {
        [] => f64::NAN,
        [first, ..] if year <= first[0] => first[1],
        [.., last] if year >= last[0] => last[1],
        _ => {
            let k = points.windows(2).position(|w| year < w[1][0]).unwrap_or(0);
            let ([x0, y0], [x1, y1]) = (points[k], points[k + 1]);
            y0 + (y1 - y0) * (year - x0) / (x1 - x0)
        }
    }
}

impl Default for ScenarioFile {
    fn default() -> Self {
        Self {
            name: None,
            title: None,
            description: String::new(),
            seed: 2020,
            replications: 20,
            calendar: CalendarFile::default(),
            output: OutputFile::default(),
            population: PopulationFile::default(),
            practices: PracticesFile::default(),
            roles: RolesFile::default(),
            careers: CareersFile::default(),
            politics: Politics::default(),
            climate: Climate::default(),
            cases: Cases::default(),
            friction: Friction::default(),
            contact: Contact::default(),
            trust: Trust::default(),
            development: Development::default(),
            exits: Exits::default(),
            recruitment: Recruitment::default(),
            market: Market::default(),
            dispositions: Dispositions::default(),
            survey: Survey::default(),
            costs: Costs::default(),
            adoption: None,
            trends: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CalendarFile {
    pub start: String,
    pub report_start: String,
    pub end: String,
    pub election_anchor: String,
    pub election_interval_months: u32,
    pub merger: String,
}

impl Default for CalendarFile {
    fn default() -> Self {
        Self {
            start: "1960-01".into(),
            report_start: "2012-01".into(),
            end: "2023-12".into(),
            election_anchor: "2019-09".into(),
            election_interval_months: 48,
            merger: "2020-01".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutputFile {
    pub poor_cooperation_below: f64,
    pub yearly: bool,
    pub municipalities: bool,
}

impl Default for OutputFile {
    fn default() -> Self {
        Self { poor_cooperation_below: 3.5, yearly: true, municipalities: true }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PopulationFile {
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

impl Default for PopulationFile {
    fn default() -> Self {
        // Every municipality of the register (`data/municipalities-2025.csv`): their real
        // populations are an input, not something the model is fitted to reproduce.
        Self {
            municipalities: 357,
            centrality_intercept: 2.4,
            centrality_per_log_population: 0.8,
            centrality_noise_sd: 0.8,
            merged_share: 0.2,
            council_extra_seats_mean: 6.0,
            hierarchy_three_levels_from: 3000.0,
            hierarchy_four_levels_from: 30000.0,
            hierarchy_noise: 0.2,
        }
    }
}

/// Tables whose keys are distributions (`Shares`) rather than sub-tables, for code that walks
/// a scenario's TOML tree.
pub const SHARE_TABLES: [&str; 4] = ["practices", "careers", "roles.mayor", "roles.director"];

/// A distribution over named categories: either a table of shares (missing categories count
/// as 0; the shares must sum to 1) or the name of one category, meaning "all municipalities".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Shares {
    All(String),
    Table(BTreeMap<String, f64>),
}

fn shares(pairs: &[(&str, f64)]) -> Shares {
    Shares::Table(pairs.iter().map(|(k, v)| ((*k).to_string(), *v)).collect())
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PracticesFile {
    pub fixed_meetings: Shares,
    pub informal_contact: Shares,
    pub leader_group_forum: Shares,
    pub delegation_review: Shares,
    pub meeting_routines_review: Shares,
    pub role_understanding_meetings: Shares,
    pub inter_municipal_learning: Shares,
    pub councillor_training: Shares,
    pub director_release: Shares,
    pub development_conversation: Shares,
    pub who_recommends: Shares,
    pub office_distance: Shares,
    pub discretion_shift: f64,
    pub broad_recruitment_share: f64,
}

impl Default for PracticesFile {
    fn default() -> Self {
        // Rounded readings of BRIEF.md: fixed meetings mostly weekly, informal contact mostly
        // several times a week or daily, half never hold leader-group meetings, the delegation
        // rules reviewed once a term as the law asks, about half of directors drafting.
        let measure = |a, t, r, n| shares(&[("annual", a), ("per_term", t), ("rarer", r), ("never", n)]);
        Self {
            fixed_meetings: shares(&[("weekly", 0.65), ("monthly", 0.1), ("rarer", 0.1), ("none", 0.15)]),
            informal_contact: shares(&[
                ("daily", 0.2),
                ("several_per_week", 0.7),
                ("weekly", 0.08),
                ("rarer", 0.02),
            ]),
            leader_group_forum: shares(&[("weekly", 0.1), ("monthly", 0.1), ("rarer", 0.3), ("none", 0.5)]),
            delegation_review: measure(0.05, 0.85, 0.08, 0.02),
            meeting_routines_review: measure(0.4, 0.4, 0.15, 0.05),
            role_understanding_meetings: measure(0.35, 0.45, 0.12, 0.08),
            inter_municipal_learning: measure(0.15, 0.15, 0.3, 0.4),
            councillor_training: measure(0.2, 0.55, 0.15, 0.1),
            director_release: measure(0.1, 0.1, 0.3, 0.5),
            development_conversation: shares(&[
                ("employer_committee", 0.45),
                ("formannskap", 0.2),
                ("other", 0.1),
                ("none", 0.25),
            ]),
            who_recommends: shares(&[
                ("director", 0.5),
                ("formannskap_or_mayor", 0.2),
                ("sector_committee", 0.2),
                ("varies", 0.1),
            ]),
            office_distance: shares(&[
                ("same_floor", 0.3),
                ("different_floors", 0.6),
                ("different_buildings", 0.1),
            ]),
            discretion_shift: 0.0,
            broad_recruitment_share: 0.5,
        }
    }
}

/// Role expectations in each of Svara's four zones, as shares over independence / dialogue / loyalty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZoneShares {
    pub administration: Shares,
    pub organisation: Shares,
    pub policy_making: Shares,
    pub politics: Shares,
}

/// `[roles.mayor]` and `[roles.director]`. A file may give any of the four zones of either
/// role; the zones it leaves out keep that role's defaults (read through `RolesGiven`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "RolesGiven")]
pub struct RolesFile {
    pub mayor: ZoneShares,
    pub director: ZoneShares,
}

/// The roles as a file gives them: any zone may be left out.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RolesGiven {
    mayor: ZonesGiven,
    director: ZonesGiven,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct ZonesGiven {
    administration: Option<Shares>,
    organisation: Option<Shares>,
    policy_making: Option<Shares>,
    politics: Option<Shares>,
}

impl ZonesGiven {
    /// The zones given, and `defaults`' for the others.
    fn over(self, defaults: ZoneShares) -> ZoneShares {
        ZoneShares {
            administration: self.administration.unwrap_or(defaults.administration),
            organisation: self.organisation.unwrap_or(defaults.organisation),
            policy_making: self.policy_making.unwrap_or(defaults.policy_making),
            politics: self.politics.unwrap_or(defaults.politics),
        }
    }
}

impl From<RolesGiven> for RolesFile {
    fn from(given: RolesGiven) -> RolesFile {
        let defaults = RolesFile::default();
        RolesFile {
            mayor: given.mayor.over(defaults.mayor),
            director: given.director.over(defaults.director),
        }
    }
}

impl Default for RolesFile {
    fn default() -> Self {
        // BRIEF.md: mayors and directors agree in the pure zones and disagree on organisation
        // design, where mayors want more loyalty.
        let role = |i, d, l| shares(&[("independence", i), ("dialogue", d), ("loyalty", l)]);
        Self {
            mayor: ZoneShares {
                administration: role(0.8, 0.15, 0.05),
                organisation: role(0.2, 0.55, 0.25),
                policy_making: role(0.5, 0.45, 0.05),
                politics: role(0.85, 0.12, 0.03),
            },
            director: ZoneShares {
                administration: role(0.8, 0.15, 0.05),
                organisation: role(0.3, 0.6, 0.1),
                policy_making: role(0.5, 0.45, 0.05),
                politics: role(0.85, 0.12, 0.03),
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CareersFile {
    pub previous_post: Shares,
    pub education: Shares,
    pub leadership_education: Shares,
}

impl Default for CareersFile {
    fn default() -> Self {
        Self {
            // Candidates other than sitting directors: those come through the labour market.
            previous_post: shares(&[
                ("other_post_same_municipality", 0.34),
                ("state_or_regional_administration", 0.25),
                ("other_post_other_municipality", 0.2),
                ("private_sector", 0.17),
                ("labour_and_business_organisations", 0.04),
            ]),
            education: shares(&[
                ("upper_secondary", 0.03),
                ("university_up_to_4y", 0.3),
                ("university_over_4y", 0.67),
            ]),
            leadership_education: shares(&[("credit_bearing", 0.5), ("non_credit", 0.4), ("none", 0.1)]),
        }
    }
}
