//! The emulated survey and the fit report: answers measure agent state, response rates and
//! item non-response behave as configured (bounds from binomial sampling error), results do
//! not depend on threads, every published figure has its simulated counterpart, and the model
//! never reads the targets.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use samspill::analysis::fit::{self, SeBasis, Targets};
use samspill::model::Derived;
use samspill::model::climate::Dimension;
use samspill::scenario::categories::Category;
use samspill::scenario::config::Config;
use samspill::sim::run::simulate_world_until;
use samspill::survey::{self, SurveyReplication, run_survey, survey_date, survey_municipality};

fn baseline(extra: &[(&str, &str, f64)]) -> Config {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml");
    let mut text = std::fs::read_to_string(path).unwrap();
    let mut doc: toml_edit::DocumentMut = text.parse().unwrap();
    for (table, key, value) in extra {
        doc[table][key] = toml_edit::value(*value);
    }
    text = doc.to_string();
    samspill::scenario::parse_str(&text, "baseline").unwrap_or_else(|p| panic!("{p:?}")).1
}

fn surveys(config: &Config, reps: u32, threads: usize) -> Vec<SurveyReplication> {
    run_survey(config, 0..reps, threads, &|_| {}, &AtomicBool::new(false)).unwrap()
}

#[test]
fn surveys_are_identical_for_one_and_two_threads() {
    let c = baseline(&[]);
    // Bit patterns, since a skipped question is NaN and NaN != NaN.
    let bits = |reps: Vec<SurveyReplication>| -> Vec<Vec<u64>> {
        reps.iter()
            .flat_map(|r| r.directors.rows.iter().chain(&r.mayors.rows))
            .map(|row| row.iter().map(|v| v.to_bits()).collect())
            .collect()
    };
    let (one, two) = (surveys(&c, 2, 1), surveys(&c, 2, 2));
    assert_eq!(
        one.iter().map(|r| &r.register).collect::<Vec<_>>(),
        two.iter().map(|r| &r.register).collect::<Vec<_>>()
    );
    assert_eq!(bits(one), bits(two));
}

#[test]
fn response_rates_match_the_configuration_within_sampling_error() {
    let c = baseline(&[]);
    let reps = surveys(&c, 10, 0);
    let n = f64::from(c.population.municipalities) * reps.len() as f64;
    for (got, rate, who) in [
        (
            reps.iter().map(|r| r.directors.rows.len()).sum::<usize>() as f64,
            c.survey.director_response_rate,
            "directors",
        ),
        (
            reps.iter().map(|r| r.mayors.rows.len()).sum::<usize>() as f64,
            c.survey.mayor_response_rate,
            "mayors",
        ),
    ] {
        let se = (n * rate * (1.0 - rate)).sqrt();
        assert!(
            (got - n * rate).abs() < 4.0 * se,
            "{who}: {got} respondents of {n}, expected {:.0} ± {:.0}",
            n * rate,
            4.0 * se
        );
    }
}

#[test]
fn item_nonresponse_leaves_the_complete_cases_the_report_implies() {
    // The report's R², adjusted R² and F imply 145–175 complete cases of about 206 directors.
    let c = baseline(&[]);
    for rep in surveys(&c, 4, 0) {
        let reg = survey::regressions(&rep.directors).unwrap();
        let share = reg.cooperation.n as f64 / rep.directors.rows.len() as f64;
        assert!(
            (0.65..=0.9).contains(&share),
            "{} complete of {}",
            reg.cooperation.n,
            rep.directors.rows.len()
        );
    }
}

/// Without response noise, perception error, halo or non-response, answers are exact readings
/// of the respondent's state: the instrument measures agents, it does not draw from a target.
#[test]
fn noiseless_answers_read_the_simulated_state() {
    let c = baseline(&[
        ("survey", "halo_sd", 0.0),
        ("survey", "perception_sd", 0.0),
        ("survey", "item_noise_sd", 0.0),
        ("survey", "item_nonresponse", 0.0),
        ("survey", "director_response_rate", 1.0),
        ("survey", "mayor_response_rate", 1.0),
        ("survey", "measure_recall_error", 0.0),
        ("survey", "mayor_measure_optimism", 0.0),
        ("dispositions", "situational_share", 0.0),
    ]);
    let d = Derived::new(&c);
    let t = survey_date(&c).unwrap();
    let world = simulate_world_until(&c, &d, 0, t, |_, _| {});
    for m in &world.municipalities()[..40] {
        let (director, mayor, _) = survey_municipality(m, &c, 0, t);
        let (director, mayor) = (director.unwrap(), mayor.unwrap());
        let s = &c.survey;
        let expect = (m.cooperation() + s.works_very_well).round().clamp(1.0, 5.0);
        assert_eq!(director.get("works_very_well"), Some(expect));
        assert_eq!(director.get("coalition_parties"), Some(f64::from(m.parties().1)));
        assert_eq!(
            director.get("informal_meetings_mayor_director"),
            Some((4 - m.informal_contact().index()) as f64)
        );
        assert_eq!(director.get("years_in_post"), Some(m.director().years_in_post(t).round()));
        for z in 0..4 {
            assert_eq!(
                director.get(survey::VIGNETTES[z]),
                Some(m.director().expectations()[z].index() as f64 + 1.0)
            );
            assert_eq!(mayor.get(survey::VIGNETTES[z]), Some(m.mayor_expectations()[z].index() as f64 + 1.0));
        }
        let clarity = m.climate()[Dimension::ClearSignals.index()];
        let item = |bias: f64| {
            (s.clear_signals + s.climate_loading_clarity * clarity + bias).round().clamp(1.0, 5.0)
        };
        assert_eq!(director.get("climate_clear_signals"), Some(item(0.0)));
        assert_eq!(mayor.get("climate_clear_signals"), Some(item(s.mayor_bias_clarity)));
    }
}

#[test]
fn mayors_see_the_climate_more_favourably_when_the_instrument_says_so() {
    let c = baseline(&[("survey", "mayor_bias_clarity", 0.8)]);
    let reps = surveys(&c, 3, 0);
    let mean = |t: &survey::Table| samspill::stats::mean(&t.column("climate_clear_signals").unwrap());
    for r in &reps {
        assert!(
            mean(&r.mayors) > mean(&r.directors) + 0.3,
            "mayors {} directors {}",
            mean(&r.mayors),
            mean(&r.directors)
        );
    }
}

#[test]
fn every_published_figure_has_a_simulated_counterpart_with_the_surveys_standard_error() {
    let c = baseline(&[]);
    let targets = Targets::bundled();
    let report = fit::report(&c, &targets, &surveys(&c, 3, 0)).unwrap();
    assert_eq!(report.moments.len(), targets.len());
    assert!(report.moments.len() >= 280, "{} moments", report.moments.len());
    let get =
        |id: &str| report.moments.iter().find(|m| m.id == id).unwrap_or_else(|| panic!("no moment {id}"));
    // |beta / t| for a coefficient.
    let m = get("regression.cooperation.betas.office_distance");
    assert_eq!(m.se_basis, SeBasis::ReportedT);
    assert!((m.se - 0.150 / 2.212).abs() < 1e-12);
    // √(p(1−p)/n) for a share of the 206 directors.
    let m = get("turnover.quit_plans.maybe");
    assert!((m.se - (0.29f64 * 0.71 / 206.0).sqrt()).abs() < 1e-12);
    // std/√n for a mean with its reported std.
    let m = get("director.age_mean");
    assert!((m.se - 5.9 / 206f64.sqrt()).abs() < 1e-12);
    // (1 − r²)/√(n − 1) for a correlation.
    let m = get("climate.correlations.coalition_parties__clear_signals");
    assert!((m.se - (1.0 - 0.28f64 * 0.28) / 205f64.sqrt()).abs() < 1e-12);
    for m in &report.moments {
        assert!(m.se > 0.0 && m.simulated.is_finite(), "{m:?}");
    }
    // Descriptions of the survey itself are not moments.
    assert!(report.moments.iter().all(|m| !m.id.starts_with("survey.") && !m.id.ends_with("n_predictors")));
}

#[test]
fn a_figure_the_survey_cannot_measure_is_an_error_not_a_gap() {
    let c = baseline(&[]);
    let bundled = include_str!("../calibration/targets.toml");
    let text = format!("{bundled}\n[extra]\nunknown_figure = 0.5\n");
    let targets = Targets::parse(&text, "test").unwrap();
    let err = fit::report(&c, &targets, &surveys(&c, 2, 0)).unwrap_err();
    assert!(err.to_string().contains("extra.unknown_figure"), "{err}");
}

/// MODEL.md, principle 1: model code never reads the targets. No module outside
/// `analysis::fit` can read a published figure (the fields of `Targets` are private to it, which
/// the compiler enforces); this test checks that no other source file embeds or opens the
/// targets file itself, bypassing `Targets`.
#[test]
fn only_the_fit_report_opens_the_targets_file() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut folders = vec![src.clone()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            let inside = |dir: &str| path.starts_with(src.join(dir));
            // The fit report reads the file; the CLI names it in help texts and headers.
            if inside("analysis/fit") || inside("cli") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(!text.contains("targets.toml"), "{} refers to the targets file", path.display());
        }
    }
}
