//! Validation: the second stage of reading a scenario. Checks ranges, sums and orderings of a
//! parsed `ScenarioFile` and builds the engine's `Config`, collecting every problem (not only
//! the first) with its dotted field path; the caller adds the line and column.

use crate::foundation::calendar::Month;
use crate::model::register;
use crate::scenario::categories::{Categorical, Category, PreviousPost};
use crate::scenario::config::{
    CalendarConfig, CareersConfig, Config, OutputConfig, PopulationConfig, PracticesConfig, RolesConfig,
    YearlyConfigs,
};
use crate::scenario::echo;
use crate::scenario::file::{ScenarioFile, Shares, ZoneShares};
use crate::scenario::problem::Problem;

struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn fail(&mut self, field: &str, message: impl Into<String>, hint: impl Into<String>) {
        self.problems.push(Problem {
            file: None,
            line: None,
            column: None,
            field: Some(field.to_string()),
            message: message.into(),
            hint: Some(hint.into()),
            related: Vec::new(),
        });
    }

    /// A problem between `field` and `others`: placed at `field`, or at the first of `others`
    /// the file sets where it does not set `field`.
    fn fail_between(
        &mut self,
        field: &str,
        others: &[&str],
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.fail(field, message, hint);
        let p = self.problems.last_mut().expect("just pushed");
        p.related = others.iter().map(|o| (*o).to_string()).collect();
    }

    fn range(&mut self, field: &str, value: f64, min: f64, max: f64) {
        if !(min..=max).contains(&value) {
            self.fail(field, format!("{value} is out of range"), format!("use a value from {min} to {max}"));
        }
    }

    fn month(&mut self, field: &str, s: &str) -> Month {
        Month::parse(s).unwrap_or_else(|| {
            self.fail(
                field,
                format!("\"{}\" is not a month", echo(s)),
                "write months as \"YYYY-MM\", e.g. \"2019-09\"",
            );
            Month(0)
        })
    }

    fn shares<C: Category>(&mut self, field: &str, spec: &Shares) -> Categorical<C> {
        let names = C::NAMES;
        let listed = names.join(", ");
        match spec {
            Shares::All(name) => match names.iter().position(|n| n == name) {
                Some(i) => Categorical::all(C::ALL[i]),
                None => {
                    self.fail(
                        field,
                        format!("unknown category \"{}\"", echo(name)),
                        format!("use one of: {listed}"),
                    );
                    Categorical::all(C::ALL[0])
                }
            },
            Shares::Table(map) => {
                let mut out = vec![0.0; names.len()];
                let mut ok = true;
                for (k, v) in map {
                    match names.iter().position(|n| n == k) {
                        Some(i) => out[i] = *v,
                        None => {
                            ok = false;
                            self.fail(
                                field,
                                format!("unknown category `{k}`"),
                                format!("the categories are: {listed}"),
                            );
                        }
                    }
                    if !(0.0..=1.0).contains(v) {
                        ok = false;
                        self.fail(
                            field,
                            format!("share of `{k}` is {v}"),
                            "each share must lie between 0 and 1",
                        );
                    }
                }
                let sum: f64 = out.iter().sum();
                if ok && (sum - 1.0).abs() > 1e-6 {
                    self.fail(
                        field,
                        format!("shares sum to {sum:.6}, not 1"),
                        format!("make the shares of {listed} add up to 1 (missing categories count as 0)"),
                    );
                }
                Categorical::new(&out)
            }
        }
    }
}

/// Checks one year's scenario (without its trends) and builds its `Config`. Problems carry
/// field paths; `parse_str` adds their line and column.
fn validate_year(f: &ScenarioFile, default_name: &str) -> Result<Config, Vec<Problem>> {
    let mut c = Checker { problems: Vec::new() };

    let name = f.name.clone().unwrap_or_else(|| default_name.to_string());
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        c.fail(
            "name",
            format!("\"{}\" cannot name a results folder", echo(&name)),
            "use letters, digits, '-' and '_'",
        );
    }
    c.range("replications", f64::from(f.replications), 1.0, 1_000_000.0);
    // A seed must fit a TOML integer, or the results folder's scenario.toml could not hold it.
    if i64::try_from(f.seed).is_err() {
        c.fail("seed", format!("{} is out of range", f.seed), format!("use a value from 0 to {}", i64::MAX));
    }

    // Calendar.
    let cal = &f.calendar;
    let calendar = CalendarConfig {
        start: c.month("calendar.start", &cal.start),
        report_start: c.month("calendar.report_start", &cal.report_start),
        end: c.month("calendar.end", &cal.end),
        election_anchor: c.month("calendar.election_anchor", &cal.election_anchor),
        election_interval_months: cal.election_interval_months as i32,
        merger: c.month("calendar.merger", &cal.merger),
    };
    if c.problems.is_empty() {
        if calendar.report_start <= calendar.start {
            c.fail_between(
                "calendar.report_start",
                &["calendar.start"],
                format!(
                    "the reported period starts {} but the simulation only starts {}",
                    calendar.report_start, calendar.start
                ),
                "start the simulation decades before the reported period so that it is burnt in",
            );
        }
        if calendar.end < calendar.report_start {
            c.fail_between(
                "calendar.end",
                &["calendar.report_start"],
                format!("end {} is before report_start {}", calendar.end, calendar.report_start),
                "end must not be before report_start",
            );
        }
    }
    c.range("calendar.election_interval_months", f64::from(cal.election_interval_months), 12.0, 120.0);

    // Output.
    c.range("output.poor_cooperation_below", f.output.poor_cooperation_below, 1.0, 5.0);

    // Population.
    let p = &f.population;
    c.range("population.municipalities", f64::from(p.municipalities), 1.0, register::all().len() as f64);
    c.range("population.centrality_intercept", p.centrality_intercept, 1.0, 6.0);
    c.range("population.centrality_per_log_population", p.centrality_per_log_population, -5.0, 5.0);
    c.range("population.centrality_noise_sd", p.centrality_noise_sd, 0.0, 5.0);
    c.range("population.merged_share", p.merged_share, 0.0, 1.0);
    c.range("population.council_extra_seats_mean", p.council_extra_seats_mean, 0.0, 40.0);
    c.range("population.hierarchy_three_levels_from", p.hierarchy_three_levels_from, 0.0, 1e7);
    c.range(
        "population.hierarchy_four_levels_from",
        p.hierarchy_four_levels_from,
        p.hierarchy_three_levels_from,
        1e7,
    );
    c.range("population.hierarchy_noise", p.hierarchy_noise, 0.0, 1.0);
    let population = PopulationConfig {
        municipalities: p.municipalities,
        centrality_intercept: p.centrality_intercept,
        centrality_per_log_population: p.centrality_per_log_population,
        centrality_noise_sd: p.centrality_noise_sd,
        merged_share: p.merged_share,
        council_extra_seats_mean: p.council_extra_seats_mean,
        hierarchy_three_levels_from: p.hierarchy_three_levels_from,
        hierarchy_four_levels_from: p.hierarchy_four_levels_from,
        hierarchy_noise: p.hierarchy_noise,
    };

    // Practices.
    let pr = &f.practices;
    let practices = PracticesConfig {
        fixed_meetings: c.shares("practices.fixed_meetings", &pr.fixed_meetings),
        informal_contact: c.shares("practices.informal_contact", &pr.informal_contact),
        leader_group_forum: c.shares("practices.leader_group_forum", &pr.leader_group_forum),
        delegation_review: c.shares("practices.delegation_review", &pr.delegation_review),
        meeting_routines_review: c.shares("practices.meeting_routines_review", &pr.meeting_routines_review),
        role_understanding_meetings: c
            .shares("practices.role_understanding_meetings", &pr.role_understanding_meetings),
        inter_municipal_learning: c
            .shares("practices.inter_municipal_learning", &pr.inter_municipal_learning),
        councillor_training: c.shares("practices.councillor_training", &pr.councillor_training),
        director_release: c.shares("practices.director_release", &pr.director_release),
        development_conversation: c
            .shares("practices.development_conversation", &pr.development_conversation),
        who_recommends: c.shares("practices.who_recommends", &pr.who_recommends),
        office_distance: c.shares("practices.office_distance", &pr.office_distance),
        discretion_shift: pr.discretion_shift,
        broad_recruitment_share: pr.broad_recruitment_share,
    };
    c.range("practices.discretion_shift", pr.discretion_shift, -5.0, 5.0);
    c.range("practices.broad_recruitment_share", pr.broad_recruitment_share, 0.0, 1.0);

    let zones = |c: &mut Checker, who: &str, z: &ZoneShares| {
        [
            c.shares(&format!("roles.{who}.administration"), &z.administration),
            c.shares(&format!("roles.{who}.organisation"), &z.organisation),
            c.shares(&format!("roles.{who}.policy_making"), &z.policy_making),
            c.shares(&format!("roles.{who}.politics"), &z.politics),
        ]
    };
    let roles = RolesConfig {
        mayor: zones(&mut c, "mayor", &f.roles.mayor),
        director: zones(&mut c, "director", &f.roles.director),
    };
    let previous_post: Categorical<PreviousPost> =
        c.shares("careers.previous_post", &f.careers.previous_post);
    if previous_post.shares()[PreviousPost::SamePostOtherMunicipality.index()] > 0.0 {
        c.fail(
            "careers.previous_post",
            "same_post_other_municipality has a share",
            "sitting directors of other municipalities come through the labour market ([market]); \
             give the backgrounds of the other candidates only",
        );
    }
    let careers = CareersConfig {
        previous_post,
        education: c.shares("careers.education", &f.careers.education),
        leadership_education: c.shares("careers.leadership_education", &f.careers.leadership_education),
    };

    // Mechanism parameters.
    let ranges = [
        f.politics.range_problems(),
        f.climate.range_problems(),
        f.cases.range_problems(),
        f.friction.range_problems(),
        f.contact.range_problems(),
        f.trust.range_problems(),
        f.development.range_problems(),
        f.exits.range_problems(),
        f.recruitment.range_problems(),
        f.market.range_problems(),
        f.dispositions.range_problems(),
        f.survey.range_problems(),
        f.costs.range_problems(),
    ]
    .concat();
    for r in ranges {
        c.fail(
            &r.path,
            format!("{} is out of range", r.value),
            format!("use a value from {} to {} ({})", r.min, r.max, r.doc.trim()),
        );
    }
    let r = &f.recruitment;
    if r.age_min >= r.age_max {
        c.fail_between(
            "recruitment.age_min",
            &["recruitment.age_max"],
            format!("age_min {} is not below age_max {}", r.age_min, r.age_max),
            "make recruitment.age_min smaller than recruitment.age_max",
        );
    }
    if f.survey.quit_maybe_from >= f.survey.quit_certainly_from {
        c.fail_between(
            "survey.quit_certainly_from",
            &["survey.quit_maybe_from"],
            format!(
                "quit_certainly_from {} is not above quit_maybe_from {}",
                f.survey.quit_certainly_from, f.survey.quit_maybe_from
            ),
            "the pull to answer \"certainly\" must exceed the pull to answer \"maybe\"",
        );
    }
    if f.exits.max_age <= r.age_max {
        c.fail_between(
            "exits.max_age",
            &["recruitment.age_max"],
            format!("max_age {} is not above recruits' age_max {}", f.exits.max_age, r.age_max),
            "raise exits.max_age or lower recruitment.age_max",
        );
    }

    if !c.problems.is_empty() {
        return Err(c.problems);
    }
    Ok(Config {
        name,
        title: f.title.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string),
        description: f.description.clone(),
        seed: f.seed,
        replications: f.replications,
        calendar,
        output: OutputConfig {
            poor_cooperation_below: f.output.poor_cooperation_below,
            yearly: f.output.yearly,
            municipalities: f.output.municipalities,
            subgroups: false,
        },
        population,
        practices,
        roles,
        careers,
        politics: f.politics.clone(),
        climate: f.climate.clone(),
        cases: f.cases.clone(),
        friction: f.friction.clone(),
        contact: f.contact.clone(),
        trust: f.trust.clone(),
        development: f.development.clone(),
        exits: f.exits.clone(),
        recruitment: f.recruitment.clone(),
        market: f.market.clone(),
        dispositions: f.dispositions.clone(),
        survey: f.survey.clone(),
        costs: f.costs.clone(),
        adoption: None,
        by_year: None,
    })
}

/// Groups whose numeric keys a trend may move: the mechanisms.
pub(crate) const MECHANISM_TABLES: [&str; 11] = [
    "politics",
    "climate",
    "cases",
    "friction",
    "contact",
    "trust",
    "development",
    "exits",
    "recruitment",
    "market",
    "dispositions",
];

/// Checks a parsed scenario and builds the engine's configuration, collecting every problem;
/// with `[trends]`, also the configuration of every simulated year, and with `[adoption]`, the
/// reform's (`adoption`). Problems carry field paths; `parse_str` adds their line and column.
pub fn validate(f: &ScenarioFile, default_name: &str) -> Result<Config, Vec<Problem>> {
    let mut config = with_trends(f, default_name)?;
    if let Some(a) = &f.adoption {
        let adoption = crate::scenario::adoption::validate(a, f, &config, default_name)?;
        config.adoption = Some(std::sync::Arc::new(adoption));
    }
    Ok(config)
}

/// `validate` without `[adoption]`.
fn with_trends(f: &ScenarioFile, default_name: &str) -> Result<Config, Vec<Problem>> {
    let mut config = validate_year(f, default_name)?;
    if f.trends.is_empty() {
        return Ok(config);
    }
    let mut c = Checker { problems: Vec::new() };
    let base = match toml::Value::try_from(f) {
        Ok(v) => v,
        Err(e) => {
            c.fail("trends", e.to_string(), "check the scenario's tables");
            return Err(c.problems);
        }
    };
    let mut trends = Vec::new();
    for (path, trend) in &f.trends {
        let field = format!("trends.\"{path}\"");
        let current =
            path.split_once('.').filter(|(g, _)| MECHANISM_TABLES.contains(g)).and_then(|(g, k)| {
                base.get(g)
                    .and_then(|t| t.get(k))
                    .and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)))
            });
        let Some(current) = current else {
            c.fail(
                &field,
                format!("`{}` is not a mechanism parameter", echo(path)),
                format!("use a `group.key` path of a number in one of: {}", MECHANISM_TABLES.join(", ")),
            );
            continue;
        };
        let Some((points, factors)) = trend.points() else {
            c.fail(
                &field,
                "give either `values` or `factors`",
                "values = [[1995, 0.4], [2023, 0.6]] (or factors of the scenario's value)",
            );
            continue;
        };
        if points.is_empty()
            || points.windows(2).any(|w| w[1][0] <= w[0][0])
            || points.iter().any(|p| !p[0].is_finite() || !p[1].is_finite())
        {
            c.fail(
                &field,
                "the points are not [year, value] pairs with years in increasing order",
                "list [year, value] pairs, earliest first",
            );
            continue;
        }
        trends.push((path.clone(), points.to_vec(), if factors { current } else { 1.0 }));
    }
    if !c.problems.is_empty() {
        return Err(c.problems);
    }
    let first_year = config.calendar.start.year();
    let mut configs = Vec::new();
    for year in first_year..=config.calendar.end.year() {
        let mut v = base.clone();
        for (path, points, scale) in &trends {
            let (g, k) = path.split_once('.').expect("checked above");
            if let Some(slot) = v.get_mut(g).and_then(|t| t.get_mut(k)) {
                *slot =
                    toml::Value::Float(scale * crate::scenario::file::interpolate(points, f64::from(year)));
            }
        }
        let mut yearly: ScenarioFile = match v.try_into() {
            Ok(y) => y,
            Err(e) => {
                c.fail("trends", format!("in {year}: {e}"), "trend values must suit their parameters");
                return Err(c.problems);
            }
        };
        yearly.trends.clear();
        match validate_year(&yearly, default_name) {
            Ok(y) => configs.push(y),
            Err(problems) => {
                for mut p in problems {
                    p.message = format!("in {year}, as the trends set it: {}", p.message);
                    if let Some(field) = &p.field
                        && trends.iter().any(|(path, _, _)| path == field)
                    {
                        p.field = Some(format!("trends.\"{field}\""));
                    }
                    c.problems.push(p);
                }
                return Err(c.problems);
            }
        }
    }
    config.by_year = Some(std::sync::Arc::new(YearlyConfigs { first_year, configs }));
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{ScenarioFile, parse_str};

    fn problems(text: &str) -> Vec<Problem> {
        parse_str(text, "t").expect_err("expected problems")
    }

    #[test]
    fn a_roles_table_may_give_some_zones_and_the_others_keep_the_roles_defaults() {
        let text = "[roles.director]\npolitics = { independence = 0.7, dialogue = 0.2, loyalty = 0.1 }\n";
        let (file, _) = parse_str(text, "t").unwrap();
        let defaults = crate::scenario::RolesFile::default();
        assert_eq!(file.roles.mayor, defaults.mayor, "the mayor's table is not given at all");
        assert_eq!(file.roles.director.administration, defaults.director.administration);
        assert_eq!(file.roles.director.organisation, defaults.director.organisation);
        assert_ne!(file.roles.director.politics, defaults.director.politics);
        let p = problems("[roles.mayor]\npolitcs = \"loyalty\"\n");
        assert_eq!(p[0].field.as_deref(), Some("roles.mayor.politcs"));
        assert_eq!(p[0].line, Some(2));
    }

    #[test]
    fn a_problem_between_two_keys_is_placed_at_the_one_the_file_sets() {
        let p = problems("name = \"x\"\n[recruitment]\nage_max = 18\n");
        assert_eq!(p[0].field.as_deref(), Some("recruitment.age_max"));
        assert_eq!((p[0].line, p[0].column), (Some(3), Some(1)));
        // Where the file sets both, the problem keeps its own key.
        let p = problems("[recruitment]\nage_max = 18\nage_min = 30\n");
        assert_eq!(p[0].field.as_deref(), Some("recruitment.age_min"));
        assert_eq!(p[0].line, Some(3));
    }

    #[test]
    fn trends_give_every_year_its_own_values_and_bad_ones_are_located() {
        let text = "[calendar]\nstart = \"1990-01\"\n[exits]\ncareer_per_year = 0.02\n[trends]\n\
                    \"exits.career_per_year\" = { factors = [[2000, 1.0], [2010, 2.0]] }\n\
                    \"market.thin_field\" = { values = [[2005, 4.0]] }\n";
        let (_, c) = parse_str(text, "t").unwrap();
        let at = |year| c.in_year(year);
        assert_eq!(at(1990).exits.career_per_year, 0.02, "flat before the first point");
        assert!((at(2005).exits.career_per_year - 0.03).abs() < 1e-12, "linear between points");
        assert_eq!(at(2023).exits.career_per_year, 0.04, "flat after the last point");
        assert_eq!(at(1995).market.thin_field, 4.0);
        assert_eq!(c.exits.career_per_year, 0.02, "the scenario's own value is the base");
        let p = problems("[trends]\n\"exits.nothing\" = { values = [[2000, 1.0]] }\n");
        assert_eq!((p[0].field.as_deref(), p[0].line), (Some("trends.\"exits.nothing\""), Some(2)));
        let p = problems("[trends]\n\"exits.career_per_year\" = { values = [[2000, 3.0]] }\n");
        assert!(p[0].message.contains("out of range"), "{}", p[0].message);
        assert_eq!(p[0].line, Some(2));
        let p = problems("[trends]\n\"exits.career_per_year\" = { values = [[2000, 0.1], [1990, 0.2]] }\n");
        assert!(p[0].message.contains("increasing"), "{}", p[0].message);
    }

    #[test]
    fn an_empty_file_is_the_default_scenario() {
        let (file, config) = parse_str("", "t").unwrap();
        assert_eq!(file, ScenarioFile::default());
        assert_eq!(config.name, "t");
        assert_eq!(config.population.municipalities, 357);
    }

    #[test]
    fn the_default_scenario_round_trips_through_toml() {
        let text = toml::to_string(&ScenarioFile::default()).unwrap();
        let (file, _) = parse_str(&text, "t").unwrap();
        assert_eq!(file, ScenarioFile::default());
    }

    #[test]
    fn unknown_keys_are_located_and_get_a_suggestion() {
        let p = problems("seed = 1\n\n[trust]\nrecovery_per_mont = 0.1\n");
        assert_eq!(p[0].line, Some(4));
        assert_eq!(p[0].column, Some(1));
        assert!(p[0].message.contains("recovery_per_mont"));
        assert!(p[0].hint.as_deref().unwrap().contains("recovery_per_month"), "{:?}", p[0].hint);
    }

    #[test]
    fn wrong_types_are_located() {
        let p = problems("[climate]\ndrift_sd = \"high\"\n");
        assert_eq!(p[0].line, Some(2));
        assert!(p[0].message.contains("invalid type"), "{}", p[0].message);
        assert_eq!(p[0].field.as_deref(), Some("climate.drift_sd"));
    }

    #[test]
    fn out_of_range_values_name_field_line_and_range() {
        let p = problems("[friction]\nbase = -4\ndistrust = 99\n");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].field.as_deref(), Some("friction.distrust"));
        assert_eq!(p[0].line, Some(3));
        assert!(p[0].hint.as_deref().unwrap().contains("from 0 to 20"));
    }

    #[test]
    fn shares_must_sum_to_one_and_name_known_categories() {
        let p = problems("[practices]\nfixed_meetings = { weekly = 0.5, monthly = 0.4 }\n");
        assert_eq!(p[0].field.as_deref(), Some("practices.fixed_meetings"));
        assert_eq!(p[0].line, Some(2));
        assert!(p[0].message.contains("sum to 0.9"), "{}", p[0].message);
        let p = problems("[practices]\nfixed_meetings = { weekly = 0.5, fortnightly = 0.5 }\n");
        assert!(p[0].message.contains("fortnightly"));
        assert!(p[0].hint.as_deref().unwrap().contains("weekly, monthly, rarer, none"));
        let p = problems("[practices]\ndelegation_review = \"yearly\"\n");
        assert!(p[0].hint.as_deref().unwrap().contains("annual"));
    }

    #[test]
    fn one_category_name_means_all_municipalities() {
        let (_, c) = parse_str("[practices]\ndelegation_review = \"annual\"\n", "t").unwrap();
        assert_eq!(c.practices.delegation_review.shares(), &[1.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn calendar_order_and_format_are_checked() {
        let p = problems("[calendar]\nstart = \"2015-01\"\nreport_start = \"2012-01\"\n");
        assert_eq!(p[0].field.as_deref(), Some("calendar.report_start"));
        let p = problems("[calendar]\nstart = \"1960\"\n");
        assert!(p[0].hint.as_deref().unwrap().contains("YYYY-MM"));
    }

    #[test]
    fn syntax_errors_give_a_line() {
        let p = problems("seed = 1\n[unclosed\n");
        assert_eq!(p[0].line, Some(2));
        assert!(p[0].message.contains("not valid TOML"));
    }

    #[test]
    fn every_problem_is_reported_not_only_the_first() {
        let p = problems("[trust]\nbase = 99\nnoise_sd = -1\n");
        assert_eq!(p.len(), 2);
    }
}
