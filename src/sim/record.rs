//! What a run measures: per reported year, sums over municipalities and months of every
//! quantity the outputs need, plus each municipality's final state.
//!
//! Tallies are plain sums (ndarray rows, one per reported year), so blocks of municipalities
//! can be tallied independently and added up afterwards in a fixed order; every rate and mean
//! in the outputs is a ratio of such sums, computed at the end.

use ndarray::Array2;
use serde::Serialize;

use crate::foundation::calendar::Month;
use crate::model::development::Measure;
use crate::model::exits::{EXIT_REASONS, ExitReason, Predecessor};
use crate::model::population::{SIZE_BANDS, size_band};
use crate::model::{MonthEvents, Municipality};
use crate::scenario::categories::Category;
use crate::scenario::config::Config;

/// Columns of a yearly tally. Each is a sum over the municipalities and months of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(usize)]
pub enum Tally {
    MunicipalityMonths,
    CooperationSum,
    CooperationSquares,
    PoorMonths,
    PartyCooperationSum,
    ProfessionalConductSum,
    ClearSignalsSum,
    Friction,
    UnresolvedFriction,
    CompletedTenureMonths,
    ActingMonths,
    IncumbentMonths,
    ElapsedTenureMonths,
    DirectorAgeSum,
    Elections,
    NewMayorsAtElections,
    NewMayorsBetweenElections,
    CoalitionSum,
    PartiesSum,
    AdminConflictMonths,
    YearEndMunicipalities,
    /// Six bins of year-end cooperation: below 2, 2–3, 3–3.5, 3.5–4, 4–4.5, 4.5 and above.
    YearEndBin0,
    YearEndBin1,
    YearEndBin2,
    YearEndBin3,
    YearEndBin4,
    YearEndBin5,
    /// Posts filled by a sitting director of another municipality.
    RecruitedFromOtherMunicipality,
    /// What turnover cost (NOK, `[costs]`): severance, recruitment, acting months, first years.
    TurnoverCost,
    /// Exits, one column per reason in `ExitReason` order.
    Exits0,
}

/// Completed tenures by whole years served: 0–1, 1–2, …, and the last bin open (15 years and more).
pub const TENURE_BINS: usize = 16;
/// First column of the completed-tenure histogram (after the exits by reason).
pub const TENURE_BIN0: usize = Tally::Exits0 as usize + EXIT_REASONS;
/// Municipality-months in each year of the electoral term (1–4), then exits in each.
pub const TERM_MONTHS0: usize = TENURE_BIN0 + TENURE_BINS;
pub const TERM_EXITS0: usize = TERM_MONTHS0 + 4;
/// Municipality-months in each size band (`population::SIZE_BANDS`), exits, and forced exits
/// (conflict with the politicians, dismissal or negotiated exit) in each.
pub const BAND_MONTHS0: usize = TERM_EXITS0 + 4;
pub const BAND_EXITS0: usize = BAND_MONTHS0 + SIZE_BANDS.len();
pub const BAND_FORCED0: usize = BAND_EXITS0 + SIZE_BANDS.len();
/// Municipality-months in which mayor and director hold the same expectation, per zone.
pub const AGREEMENT0: usize = BAND_FORCED0 + SIZE_BANDS.len();
/// The subgroups effects are reported by: the size bands (`population::SIZE_BANDS`), then the
/// governing base's size (`BASE_GROUPS`); per group, the `GroupColumn`s.
pub const GROUP0: usize = AGREEMENT0 + 4;
/// Governing bases of 1–2, 3, and 4 or more parties.
pub const BASE_GROUPS: [&str; 3] = ["base_1_2_parties", "base_3_parties", "base_4_or_more_parties"];
pub const GROUPS: usize = SIZE_BANDS.len() + BASE_GROUPS.len();

/// What each subgroup tallies, as an offset within its block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(usize)]
pub enum GroupColumn {
    Months,
    CooperationSum,
    PoorMonths,
    Exits,
    ForcedExits,
    TurnoverCost,
}
pub const GROUP_COLUMNS: usize = 6;

/// The column of `c` for subgroup `g` (0 … `GROUPS` − 1).
pub const fn group_column(g: usize, c: GroupColumn) -> usize {
    GROUP0 + g * GROUP_COLUMNS + c as usize
}

/// The governing-base group (index into `BASE_GROUPS`) of a base of `parties` parties.
pub fn base_group(parties: u32) -> usize {
    (parties.max(2) - 2).min(2) as usize
}

/// Number of tally columns.
pub const TALLY_COLUMNS: usize = GROUP0 + GROUPS * GROUP_COLUMNS;
/// Upper edges of the year-end cooperation bins (the last bin is open).
pub const COOPERATION_BIN_EDGES: [f64; 5] = [2.0, 3.0, 3.5, 4.0, 4.5];
pub const COOPERATION_BIN_NAMES: [&str; 6] = [
    "cooperation_below_2",
    "cooperation_2_to_3",
    "cooperation_3_to_3_5",
    "cooperation_3_5_to_4",
    "cooperation_4_to_4_5",
    "cooperation_4_5_and_above",
];

/// Yearly tallies of the reported period: one row per reported year.
pub fn new_tally(config: &Config) -> Array2<f64> {
    let years = config.calendar.report_years().count();
    Array2::zeros((years, TALLY_COLUMNS))
}

/// Per-municipality counters over the reported period.
#[derive(Debug, Clone, Copy, Default)]
pub struct MunicipalityCounts {
    pub months: u32,
    pub cooperation_sum: f64,
    pub exits: u32,
    pub exits_conflict_with_politicians: u32,
    pub new_mayors: u32,
    pub friction: u32,
    pub unresolved_friction: u32,
}

/// What recording needs of the month itself, worked out once for all municipalities.
#[derive(Debug, Clone, Copy)]
pub struct RecordedMonth {
    t: Month,
    term_year: usize,
    year_end: bool,
    subgroups: bool,
}

impl RecordedMonth {
    pub fn new(config: &Config, t: Month) -> RecordedMonth {
        let (term_year, year_end) = (config.calendar.term_year(t), config.calendar.is_year_end(t));
        RecordedMonth { t, term_year, year_end, subgroups: config.output.subgroups }
    }
}

/// Adds one reported month of one municipality to the tally row of its year.
pub fn record_month(
    row: &mut [f64],
    counts: &mut MunicipalityCounts,
    m: &Municipality,
    ev: &MonthEvents,
    config: &Config,
    t: Month,
) {
    record(row, counts, m, ev, config, &RecordedMonth::new(config, t));
}

/// `record_month` for a month whose calendar facts are worked out (`RecordedMonth`).
pub fn record(
    row: &mut [f64],
    counts: &mut MunicipalityCounts,
    m: &Municipality,
    ev: &MonthEvents,
    config: &Config,
    month: &RecordedMonth,
) {
    let row: &mut [f64; TALLY_COLUMNS] = row.try_into().expect("a tally row has TALLY_COLUMNS columns");
    let t = month.t;
    let coop = m.cooperation();
    let climate = m.climate();
    let add = |row: &mut [f64; TALLY_COLUMNS], c: Tally, v: f64| row[c as usize] += v;
    add(row, Tally::MunicipalityMonths, 1.0);
    add(row, Tally::CooperationSum, coop);
    add(row, Tally::CooperationSquares, coop * coop);
    let poor = f64::from(u8::from(coop < config.output.poor_cooperation_below));
    add(row, Tally::PoorMonths, poor);
    add(row, Tally::PartyCooperationSum, climate[0]);
    add(row, Tally::ProfessionalConductSum, climate[1]);
    add(row, Tally::ClearSignalsSum, climate[2]);
    add(row, Tally::Friction, f64::from(ev.friction));
    add(row, Tally::UnresolvedFriction, f64::from(ev.unresolved));
    let d = &m.director;
    if d.is_acting() {
        add(row, Tally::ActingMonths, 1.0);
    } else {
        add(row, Tally::IncumbentMonths, 1.0);
        add(row, Tally::ElapsedTenureMonths, f64::from(t.0 - d.in_post_since.0));
    }
    add(row, Tally::DirectorAgeSum, d.age(t));
    add(row, Tally::Elections, f64::from(u8::from(ev.election)));
    add(row, Tally::NewMayorsAtElections, f64::from(u8::from(ev.new_mayor_at_election)));
    add(row, Tally::NewMayorsBetweenElections, f64::from(u8::from(ev.new_mayor_between_elections)));
    add(row, Tally::CoalitionSum, f64::from(m.council.coalition_parties));
    add(row, Tally::PartiesSum, f64::from(m.council.parties_in_council));
    add(row, Tally::AdminConflictMonths, f64::from(u8::from(m.in_admin_conflict(t))));
    let term_year = month.term_year;
    let band = size_band(m.traits.population);
    row[TERM_MONTHS0 + term_year] += 1.0;
    row[BAND_MONTHS0 + band] += 1.0;
    // Mayor and director agree in a zone where their expectations are no step apart.
    for (z, steps) in m.pair.mismatch.iter().enumerate() {
        row[AGREEMENT0 + z] += f64::from(u8::from(*steps == 0));
    }
    add(row, Tally::RecruitedFromOtherMunicipality, f64::from(u8::from(ev.recruited_from.is_some())));
    let mut cost = if d.is_acting() { config.costs.acting_nok_per_month } else { 0.0 };
    let (mut exits, mut forced) = (0.0, 0.0);
    if let Some(exit) = ev.exit {
        row[TERM_EXITS0 + term_year] += 1.0;
        row[BAND_EXITS0 + band] += 1.0;
        exits = 1.0;
        cost += config.costs.recruitment_nok + config.costs.first_year_nok;
        if exit.severance && exit.reason == ExitReason::DismissalOrNegotiatedExit {
            cost += config.costs.severance_months * config.costs.director_salary_nok_per_year / 12.0;
        }
        if exit.reason.is_forced() {
            row[BAND_FORCED0 + band] += 1.0;
            forced = 1.0;
        }
        row[Tally::Exits0 as usize + exit.reason.index()] += 1.0;
        add(row, Tally::CompletedTenureMonths, f64::from(exit.tenure_months));
        row[TENURE_BIN0 + (exit.tenure_months.max(0) / 12).min(TENURE_BINS as i32 - 1) as usize] += 1.0;
        counts.exits += 1;
        if exit.reason == ExitReason::ConflictWithPoliticians {
            counts.exits_conflict_with_politicians += 1;
        }
    }
    add(row, Tally::TurnoverCost, cost);
    if month.subgroups {
        let base = SIZE_BANDS.len() + base_group(m.council.coalition_parties);
        for g in [band, base] {
            row[group_column(g, GroupColumn::Months)] += 1.0;
            row[group_column(g, GroupColumn::CooperationSum)] += coop;
            row[group_column(g, GroupColumn::PoorMonths)] += poor;
            row[group_column(g, GroupColumn::Exits)] += exits;
            row[group_column(g, GroupColumn::ForcedExits)] += forced;
            row[group_column(g, GroupColumn::TurnoverCost)] += cost;
        }
    }
    if month.year_end {
        add(row, Tally::YearEndMunicipalities, 1.0);
        let bin = COOPERATION_BIN_EDGES.iter().take_while(|&&e| coop >= e).count();
        row[Tally::YearEndBin0 as usize + bin] += 1.0;
    }
    counts.months += 1;
    counts.cooperation_sum += coop;
    counts.new_mayors += u32::from(ev.new_mayor_at_election || ev.new_mayor_between_elections);
    counts.friction += ev.friction;
    counts.unresolved_friction += ev.unresolved;
}

/// One row of `municipalities.csv`: a municipality's traits and its state at the end of the run.
#[derive(Debug, Clone, Serialize)]
pub struct MunicipalityRow {
    pub replication: u32,
    pub municipality: u32,
    /// Kommunenummer, four digits.
    pub number: String,
    pub name: &'static str,
    pub county: &'static str,
    pub population: u64,
    pub area_km2: f64,
    pub log_population: f64,
    pub centrality: u8,
    pub merged: u8,
    pub council_seats: u32,
    pub parties_in_council: u32,
    pub coalition_parties: u32,
    pub hierarchy_levels: u8,
    pub office_distance: &'static str,
    pub fixed_meetings: &'static str,
    pub informal_contact: &'static str,
    pub leader_group_forum: &'static str,
    pub delegation_review: &'static str,
    pub meeting_routines_review: &'static str,
    pub role_understanding_meetings: &'static str,
    pub inter_municipal_learning: &'static str,
    pub councillor_training: &'static str,
    pub director_release: &'static str,
    pub development_conversation: &'static str,
    pub who_recommends: &'static str,
    pub discretion: f64,
    pub party_cooperation: f64,
    pub professional_conduct: f64,
    pub clear_signals: f64,
    pub role_mismatch: u8,
    pub trust: f64,
    pub cooperation: f64,
    pub cooperation_mean_reported: f64,
    pub director_age: f64,
    pub director_woman: u8,
    pub director_education: &'static str,
    pub director_leadership_education: &'static str,
    pub director_previous_post: &'static str,
    /// Kommunenummer of the municipality whose director post the director came from (empty if
    /// not from another municipality's director post).
    pub director_previous_municipality: String,
    pub director_contract: &'static str,
    pub director_severance_agreement: u8,
    pub director_years_in_post: f64,
    pub director_years_in_municipality: f64,
    pub mayor_years_in_post: f64,
    pub admin_conflict: u8,
    pub predecessor_main_reason: &'static str,
    pub predecessor_reasons: String,
    pub exits_reported: u32,
    pub exits_conflict_with_politicians_reported: u32,
    pub new_mayors_reported: u32,
    pub friction_reported: u32,
    pub unresolved_friction_reported: u32,
}

/// `x` to six decimals, as the outputs write state values.
pub(crate) fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

impl MunicipalityRow {
    pub fn new(
        replication: u32,
        m: &Municipality,
        world: &[Municipality],
        counts: &MunicipalityCounts,
        t: Month,
    ) -> MunicipalityRow {
        let tr = &m.traits;
        let d = &m.director;
        let climate = m.climate();
        let (main_reason, reasons) = match m.predecessor {
            Predecessor::BeforeStart => ("none", "before_simulation_start".to_string()),
            Predecessor::Merger => ("none", "no_predecessor_merger".to_string()),
            Predecessor::Left { main, reasons } => {
                (main.name(), reasons.iter().map(ExitReason::name).collect::<Vec<_>>().join(";"))
            }
        };
        MunicipalityRow {
            replication,
            municipality: tr.id,
            number: tr.entry.number_text(),
            name: tr.name(),
            county: &tr.entry.county,
            population: tr.population.round() as u64,
            area_km2: tr.entry.area_km2,
            log_population: round6(tr.log_population),
            centrality: tr.centrality,
            merged: u8::from(tr.merged),
            council_seats: tr.council_seats,
            parties_in_council: m.council.parties_in_council,
            coalition_parties: m.council.coalition_parties,
            hierarchy_levels: tr.hierarchy_levels,
            office_distance: tr.office_distance.name(),
            fixed_meetings: tr.fixed_meetings.name(),
            informal_contact: m.pair.informal_contact.name(),
            leader_group_forum: tr.leader_group_forum.name(),
            delegation_review: tr.measures[Measure::DelegationReview].name(),
            meeting_routines_review: tr.measures[Measure::MeetingRoutinesReview].name(),
            role_understanding_meetings: tr.measures[Measure::RoleUnderstandingMeetings].name(),
            inter_municipal_learning: tr.measures[Measure::InterMunicipalLearning].name(),
            councillor_training: tr.measures[Measure::CouncillorTraining].name(),
            director_release: tr.measures[Measure::DirectorRelease].name(),
            development_conversation: tr.conversation_form.name(),
            who_recommends: tr.who_recommends.name(),
            discretion: round6(m.pair.discretion),
            party_cooperation: round6(climate[0]),
            professional_conduct: round6(climate[1]),
            clear_signals: round6(climate[2]),
            role_mismatch: m.role_mismatch().iter().sum(),
            trust: round6(m.pair.trust),
            cooperation: round6(m.cooperation()),
            cooperation_mean_reported: round6(counts.cooperation_sum / f64::from(counts.months.max(1))),
            director_age: round6(d.age(t)),
            director_woman: u8::from(d.woman),
            director_education: d.education.name(),
            director_leadership_education: d.leadership_education.name(),
            director_previous_post: d.previous_post.name(),
            director_previous_municipality: d
                .previous_municipality
                .and_then(|j| world.get(j as usize))
                .map_or_else(String::new, |from| from.traits.entry.number_text()),
            director_contract: d.contract.name(),
            director_severance_agreement: u8::from(d.severance),
            director_years_in_post: round6(d.years_in_post(t)),
            director_years_in_municipality: round6(d.years_in_municipality(t)),
            mayor_years_in_post: round6(f64::from(t.0 - m.mayor.since.0) / 12.0),
            admin_conflict: u8::from(m.in_admin_conflict(t)),
            predecessor_main_reason: main_reason,
            predecessor_reasons: reasons,
            exits_reported: counts.exits,
            exits_conflict_with_politicians_reported: counts.exits_conflict_with_politicians,
            new_mayors_reported: counts.new_mayors,
            friction_reported: counts.friction,
            unresolved_friction_reported: counts.unresolved_friction,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Derived;
    use crate::model::exits::{Exit, ReasonSet};
    use crate::model::population;
    use crate::scenario::parse_str;
    use crate::sim::run::simulate_world_until;

    fn config(municipalities: u32) -> Config {
        let text =
            format!("[population]\nmunicipalities = {municipalities}\n[calendar]\nstart = \"1990-01\"\n");
        parse_str(&text, "t").unwrap().1
    }

    fn sum(row: &[f64], first: usize, len: usize) -> f64 {
        row[first..first + len].iter().sum()
    }

    #[test]
    fn the_tally_has_one_row_per_reported_year_and_every_column() {
        let c = config(4);
        assert_eq!(new_tally(&c).dim(), (c.calendar.report_years().count(), TALLY_COLUMNS));
        assert_eq!(
            TALLY_COLUMNS,
            Tally::Exits0 as usize + EXIT_REASONS + TENURE_BINS + 8 + 3 * 3 + 4 + GROUPS * GROUP_COLUMNS
        );
        let bins = Tally::YearEndBin5 as usize - Tally::YearEndBin0 as usize + 1;
        assert_eq!(bins, COOPERATION_BIN_NAMES.len());
        assert_eq!(bins, COOPERATION_BIN_EDGES.len() + 1);
        assert!(COOPERATION_BIN_EDGES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn round6_keeps_six_decimals() {
        assert_eq!(round6(0.123_456_4), 0.123_456);
        assert_eq!(round6(0.123_456_6), 0.123_457);
        assert_eq!(round6(-2.000_000_4), -2.0);
        assert_eq!(round6(3.0), 3.0);
        assert_eq!(round6(1234.5), 1234.5);
    }

    #[test]
    fn record_month_adds_one_municipality_month_and_year_end_bins_only_in_december() {
        let c = config(40);
        let derived = Derived::new(&c);
        let (mut decembers, mut exits) = (0, 0);
        let mut all_counts = vec![MunicipalityCounts::default(); c.population.municipalities as usize];
        simulate_world_until(&c, &derived, 0, c.calendar.end, |w, t| {
            for ((m, ev), counts) in w.municipalities().iter().zip(w.events()).zip(&mut all_counts) {
                let mut row = vec![0.0; TALLY_COLUMNS];
                let months_before = counts.months;
                record_month(&mut row, counts, m, ev, &c, t);
                let coop = m.cooperation();
                assert_eq!(row[Tally::MunicipalityMonths as usize], 1.0);
                assert_eq!(row[Tally::CooperationSum as usize].to_bits(), coop.to_bits());
                assert_eq!(row[Tally::ActingMonths as usize] + row[Tally::IncumbentMonths as usize], 1.0);
                assert_eq!(counts.months, months_before + 1);

                let exited = f64::from(u8::from(ev.exit.is_some()));
                assert_eq!(sum(&row, Tally::Exits0 as usize, EXIT_REASONS), exited, "{t}");
                assert_eq!(sum(&row, TENURE_BIN0, TENURE_BINS), exited, "{t}");
                exits += usize::from(ev.exit.is_some());
                // Every month counts once in its term year and its size band; exits likewise.
                assert_eq!(sum(&row, TERM_MONTHS0, 4), 1.0);
                assert_eq!(sum(&row, BAND_MONTHS0, SIZE_BANDS.len()), 1.0);
                assert_eq!(sum(&row, TERM_EXITS0, 4), exited);
                assert_eq!(sum(&row, BAND_EXITS0, SIZE_BANDS.len()), exited);
                let forced = f64::from(u8::from(ev.exit.is_some_and(|e| e.reason.is_forced())));
                assert_eq!(sum(&row, BAND_FORCED0, SIZE_BANDS.len()), forced);

                let december = t.month0() == 11;
                let year_end = f64::from(u8::from(december));
                assert_eq!(row[Tally::YearEndMunicipalities as usize], year_end, "{t}");
                assert_eq!(sum(&row, Tally::YearEndBin0 as usize, COOPERATION_BIN_NAMES.len()), year_end);
                if december {
                    decembers += 1;
                    // The one bin counted is the one whose edges hold the year-end cooperation.
                    let bin = (0..COOPERATION_BIN_NAMES.len())
                        .find(|&b| row[Tally::YearEndBin0 as usize + b] == 1.0)
                        .unwrap();
                    let lower = if bin == 0 { f64::NEG_INFINITY } else { COOPERATION_BIN_EDGES[bin - 1] };
                    let upper = COOPERATION_BIN_EDGES.get(bin).copied().unwrap_or(f64::INFINITY);
                    assert!(lower <= coop && coop < upper, "{coop} counted in bin {bin}");
                }
            }
        });
        assert!(all_counts.iter().all(|counts| counts.months as i32 == c.calendar.months()));
        // The checks above ran on year-ends and exits, not only on quiet months.
        assert_eq!(decembers, 40 * c.calendar.months() / 12);
        assert!(exits > 0);
    }

    #[test]
    fn completed_tenures_fall_in_whole_year_bins_and_the_last_bin_is_open() {
        let c = config(4);
        let m = Municipality::new(&c, population::draw(&c, 0, 0), 0);
        let t = Month::parse("2015-03").unwrap();
        let cases = [(0, 0), (11, 0), (12, 1), (179, 14), (180, 15), (600, 15)];
        for &reason in ExitReason::ALL {
            for (tenure_months, bin) in cases {
                let ev = MonthEvents {
                    exit: Some(Exit { reason, tenure_months, age: 60.0, severance: false }),
                    ..MonthEvents::default()
                };
                let mut row = vec![0.0; TALLY_COLUMNS];
                let mut counts = MunicipalityCounts::default();
                record_month(&mut row, &mut counts, &m, &ev, &c, t);
                assert_eq!(row[TENURE_BIN0 + bin], 1.0, "{tenure_months} months");
                assert_eq!(sum(&row, TENURE_BIN0, TENURE_BINS), 1.0);
                assert_eq!(row[Tally::Exits0 as usize + reason.index()], 1.0);
                assert_eq!(row[Tally::CompletedTenureMonths as usize], f64::from(tenure_months));
                assert_eq!(counts.exits, 1);
                let conflict = u32::from(reason == ExitReason::ConflictWithPoliticians);
                assert_eq!(counts.exits_conflict_with_politicians, conflict, "{reason:?}");
            }
        }
    }

    #[test]
    fn predecessor_reasons_are_named_as_the_outputs_name_them() {
        let c = config(4);
        let t = c.calendar.end;
        let mut m = Municipality::new(&c, population::draw(&c, 0, 2), 0);
        let row = |m: &Municipality| MunicipalityRow::new(0, m, &[], &MunicipalityCounts::default(), t);
        let named = |r: MunicipalityRow| (r.predecessor_main_reason, r.predecessor_reasons);
        assert_eq!(named(row(&m)), ("none", "before_simulation_start".to_string()));
        m.predecessor = Predecessor::Merger;
        assert_eq!(named(row(&m)), ("none", "no_predecessor_merger".to_string()));
        // The survey's item for a post created by the merger has the same name.
        assert!(crate::survey::PREDECESSOR_ITEMS.contains(&"no_predecessor_merger"));
        let mut reasons = ReasonSet::default();
        reasons.insert(ExitReason::CareerMove);
        reasons.insert(ExitReason::Retirement);
        m.predecessor = Predecessor::Left { main: ExitReason::CareerMove, reasons };
        // Listed in `ExitReason` order, whatever the main reason.
        assert_eq!(named(row(&m)), ("career_move", "retirement;career_move".to_string()));
    }

    #[test]
    fn simulated_municipalities_name_their_predecessors_in_the_output_vocabulary() {
        // A short history (from 2011), so that some directors in post at the start are still
        // there at the end, beside successors of exits and of the 2020 merger.
        let text = "[calendar]\nstart = \"2011-01\"\n";
        let c = parse_str(text, "t").unwrap().1;
        let derived = Derived::new(&c);
        let report_start = c.calendar.report_start;
        let (mut before_start, mut merger, mut left) = (0, 0, 0);
        let mut all_counts = vec![MunicipalityCounts::default(); c.population.municipalities as usize];
        let world = simulate_world_until(&c, &derived, 0, c.calendar.end, |w, t| {
            if t >= report_start {
                for ((m, ev), counts) in w.municipalities().iter().zip(w.events()).zip(&mut all_counts) {
                    let mut row = vec![0.0; TALLY_COLUMNS];
                    record_month(&mut row, counts, m, ev, &c, t);
                }
            }
        });
        let mut moved = 0;
        for (id, (m, counts)) in world.municipalities().iter().zip(&all_counts).enumerate() {
            let r = MunicipalityRow::new(0, m, world.municipalities(), counts, c.calendar.end);
            assert_eq!(r.municipality as usize, id);
            assert_eq!((r.number.as_str(), r.name), (m.traits.entry.number_text().as_str(), m.traits.name()));
            if !r.director_previous_municipality.is_empty() {
                assert_eq!(r.director_previous_post, "same_post_other_municipality");
                assert_ne!(r.director_previous_municipality, r.number, "a director does not come from home");
                moved += 1;
            }
            assert_eq!(counts.months as i32, c.calendar.report_months());
            assert_eq!(
                r.cooperation_mean_reported,
                round6(counts.cooperation_sum / f64::from(counts.months))
            );
            assert_eq!(
                (r.exits_reported, r.new_mayors_reported, r.friction_reported),
                (counts.exits, counts.new_mayors, counts.friction)
            );
            match r.predecessor_reasons.as_str() {
                "before_simulation_start" => {
                    assert_eq!(r.predecessor_main_reason, "none");
                    before_start += 1;
                }
                "no_predecessor_merger" => {
                    assert_eq!(r.predecessor_main_reason, "none");
                    assert_eq!(r.merged, 1, "only merged municipalities get a post from the merger");
                    merger += 1;
                }
                reasons => {
                    let index = |name: &str| ExitReason::NAMES.iter().position(|n| *n == name);
                    let positions: Vec<Option<usize>> = reasons.split(';').map(index).collect();
                    assert!(positions.iter().all(Option::is_some), "unknown reason in `{reasons}`");
                    assert!(positions.windows(2).all(|w| w[0] < w[1]), "`{reasons}` not in order");
                    assert!(reasons.split(';').any(|n| n == r.predecessor_main_reason), "{reasons}");
                    left += 1;
                }
            }
        }
        // Every kind of predecessor occurs, so every branch above was checked.
        assert!(before_start > 0 && merger > 0 && left > 0, "{before_start} {merger} {left}");
        assert!(moved > 0, "some directors came from another municipality's post");
    }
}
