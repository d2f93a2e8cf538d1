//! Change over time: reforms adopted at a date by some municipalities (`[adoption]`), through
//! the public API: exact zeros before the date, about half the effect from half the
//! municipalities, a targeted reform leaving the others untouched, and a profile on a fixture.

use std::sync::atomic::AtomicBool;

use samspill::analysis::compare::{ScenarioResult, run_scenario};
use samspill::analysis::profile::{self, Request, Variant};
use samspill::analysis::transition::{subgroup_effects, transitions};
use samspill::foundation::calendar::Month;
use samspill::scenario::config::Config;
use samspill::scenario::parse_str;

/// A quick world: 60 municipalities from 1990, reported 2024–2031, 8 replications.
const WORLD: &str = "replications = 8\n[population]\nmunicipalities = 60\n[calendar]\nstart = \"1990-01\"\nreport_start = \"2024-01\"\nend = \"2031-12\"\n";

fn config(extra: &str) -> Config {
    parse_str(&format!("{WORLD}{extra}"), "t").unwrap_or_else(|p| panic!("{p:?}")).1
}

fn run(label: &str, c: &Config) -> ScenarioResult {
    run_scenario(label, c, 2, &|_| {}, &AtomicBool::new(false)).unwrap().0
}

const REVIEW: &str =
    "[practices]\ndelegation_review = \"annual\"\ndevelopment_conversation = \"employer_committee\"\n";

#[test]
fn before_its_date_a_reform_changes_nothing_and_after_it_about_half_the_municipalities_give_about_half() {
    let base = run("base", &config(""));
    let all = run("all", &config(&format!("{REVIEW}[adoption]\nfrom = \"2027-01\"\n")));
    let half = run("half", &config(&format!("{REVIEW}[adoption]\nfrom = \"2027-01\"\nshare = 0.5\n")));
    let rows = transitions(&base, &all);
    let coop = |rows: &[samspill::analysis::transition::TransitionRow], after: bool| -> Vec<f64> {
        rows.iter()
            .filter(|r| {
                r.outcome == "cooperation_mean" && (r.year >= 2028) == after && (r.year < 2027) != after
            })
            .map(|r| r.effect.difference)
            .collect()
    };
    for r in rows.iter().filter(|r| r.year < 2027) {
        assert_eq!((r.effect.difference, r.effect.ci95), (0.0, [0.0, 0.0]), "{} {}", r.outcome, r.year);
    }
    // After the date: the paired differences of each replication's mean over 2028–2031.
    let per_replication = |s: &ScenarioResult| -> Vec<f64> {
        s.tallies
            .iter()
            .map(|t| {
                let rows = t.slice(ndarray::s![4.., ..]);
                let months: f64 = rows.column(0).sum();
                rows.column(1).sum() / months
            })
            .collect()
    };
    let b = per_replication(&base);
    let full: Vec<f64> = per_replication(&all).iter().zip(&b).map(|(r, b)| r - b).collect();
    let halfd: Vec<f64> = per_replication(&half).iter().zip(&b).map(|(r, b)| r - b).collect();
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let (f, h) = (mean(&full), mean(&halfd));
    assert!(f > 0.0 && coop(&rows, true).iter().sum::<f64>() > 0.0, "the reform raises cooperation: {f}");
    // h − f/2 from the replications' paired values; its standard error from their spread.
    let d: Vec<f64> = halfd.iter().zip(&full).map(|(h, f)| h - f / 2.0).collect();
    let m = mean(&d);
    let se =
        (d.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (d.len() as f64 - 1.0) / d.len() as f64).sqrt();
    assert!(
        m.abs() <= 4.0 * se + 1e-12,
        "half share {h:.4} against half the full effect {:.4} (se {se:.4})",
        f / 2.0
    );
}

#[test]
fn a_reform_targeted_at_small_municipalities_leaves_the_others_untouched() {
    let base = run("base", &config(""));
    let small = run(
        "small",
        &config(&format!("{REVIEW}[adoption]\nfrom = \"2027-01\"\nwhere = {{ population_below = 5000 }}\n")),
    );
    let rows = subgroup_effects(&base, &small);
    let of = |g: &str| rows.iter().filter(move |r| r.group == g).collect::<Vec<_>>();
    for g in ["5000_to_20000", "over_20000"] {
        for r in of(g) {
            assert_eq!((r.effect.difference, r.effect.ci95), (0.0, [0.0, 0.0]), "{g} {}", r.outcome);
        }
    }
    assert!(of("under_5000").iter().any(|r| r.effect.difference != 0.0), "the small ones adopted it");
    assert_eq!(rows[0].period, [2027, 2031]);
}

#[test]
fn a_bad_adoption_is_located_and_explained() {
    for (text, field) in [
        ("[adoption]\nfrom = \"2027-13\"\n", "adoption.from"),
        ("[adoption]\nfrom = \"2040-01\"\n", "adoption.from"),
        ("[adoption]\nfrom = \"2027-01\"\nshare = 1.5\n", "adoption.share"),
        ("[adoption]\nfrom = \"2027-01\"\nwhere = { county = \"Atlantis\" }\n", "adoption.where.county"),
        ("[adoption]\nfrom = \"2027-01\"\nwhere = { numbers = [9999] }\n", "adoption.where.numbers"),
    ] {
        let p = parse_str(&format!("{WORLD}{text}"), "t").unwrap_err();
        assert_eq!(p[0].field.as_deref(), Some(field), "{text}: {p:?}");
        assert!(p[0].line.is_some(), "{text}: located");
    }
}

#[test]
fn a_profile_follows_one_municipality_and_ranks_the_reforms() {
    let c = config("");
    let from = Month::new(2027, 1);
    let to = Month::new(2030, 12);
    let reform = |label: &str, extra: &str| Variant {
        label: label.into(),
        title: None,
        config: config(&format!("{extra}[adoption]\nfrom = \"2027-01\"\nwhere = {{ numbers = [3427] }}\n")),
        draws: Vec::new(),
    };
    let members = samspill::model::register::members(60);
    let focal = members.iter().position(|e| e.number == 3427).map_or(0, |i| i);
    let number = members[focal].number;
    let request = Request {
        focal,
        from,
        to,
        facts: vec![("director_age".into(), "63".into()), ("coalition_parties".into(), "4".into())],
        as_is: Variant { label: "as_is".into(), title: None, config: c.clone(), draws: Vec::new() },
        reforms: vec![
            reform("same", ""),
            Variant {
                config: config(&format!(
                    "{REVIEW}[adoption]\nfrom = \"2027-01\"\nwhere = {{ numbers = [{number}] }}\n"
                )),
                ..reform("review", "")
            },
        ],
    };
    let o = profile::project(&request, 2, &|_| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!(o.replications, 8);
    assert!((0.0..=1.0).contains(&o.exit_probability.mean));
    assert!(o.forced_exit_probability.mean <= o.exit_probability.mean);
    assert!(
        o.exit_probability.ci95[0] <= o.exit_probability.mean
            && o.exit_probability.mean <= o.exit_probability.ci95[1]
    );
    assert!((1.0..=5.0).contains(&o.cooperation_mean.mean));
    let same = o.reforms.iter().find(|r| r.reform == "same").unwrap();
    assert_eq!(same.exit_probability.difference, 0.0, "a reform that changes nothing changes nothing");
    assert_eq!(same.cooperation_mean.difference, 0.0);
    let sorted = o
        .reforms
        .windows(2)
        .all(|w| w[0].forced_exit_probability.difference <= w[1].forced_exit_probability.difference);
    assert!(sorted, "ranked by the effect on forced exits");
}
