//! Engine tests through the public API: the real election calendar, determinism across thread
//! counts, and the directions of the mechanisms MODEL.md describes. (Invariants every month and
//! the exit hazards are unit tests beside the model: `src/model/invariants.rs`, `exits.rs`.)

mod common;

use common::{assert_direction, config, headline, run_all};
use samspill::foundation::calendar::Month;
use samspill::model::Derived;
use samspill::sim::run::simulate_municipality;

#[test]
fn elections_follow_the_real_calendar() {
    let c = config("");
    let d = Derived::new(&c);
    let mut months = Vec::new();
    simulate_municipality(&c, &d, 0, 0, |_, ev, t| {
        if ev.election {
            months.push(t);
        }
    });
    for m in ["2011-09", "2015-09", "2019-09", "2023-09", "1963-09"] {
        assert!(months.contains(&Month::parse(m).unwrap()), "no election in {m}");
    }
    assert!(months.windows(2).all(|w| w[1].0 - w[0].0 == 48));
}

#[test]
fn one_and_two_threads_give_identical_results_and_seeds_matter() {
    let c = config("replications = 3\n[population]\nmunicipalities = 70\n");
    let a = run_all(&c, 1);
    let b = run_all(&c, 2);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.tally, y.tally);
        let rows = |r: &samspill::sim::run::Replication| {
            r.municipalities.iter().map(|m| format!("{m:?}")).collect::<Vec<_>>()
        };
        assert_eq!(rows(x), rows(y));
    }
    let other = run_all(&config("replications = 3\nseed = 99\n[population]\nmunicipalities = 70\n"), 2);
    assert_ne!(a[0].tally, other[0].tally);
}

#[test]
fn shares_sum_to_one() {
    let c = config("replications = 2\n");
    let reps = run_all(&c, 0);
    for r in &reps {
        let total = r.tally.sum_axis(ndarray::Axis(0));
        let shares = samspill::sim::summary::exit_shares(&total.view());
        assert!((shares.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        for row in r.tally.rows() {
            let v = samspill::sim::summary::yearly_values(&row, 12);
            let bins: f64 = v[5..11].iter().sum();
            assert!((bins - 1.0).abs() < 1e-12, "year-end cooperation bins sum to {bins}");
        }
    }
}

const R: &str = "replications = 12\n";

#[test]
fn more_parties_behind_the_mayor_worsen_climate_raise_friction_and_lower_trust() {
    let base = run_all(&config(R), 0);
    let frag = run_all(&config(&format!("{R}[politics]\nextra_coalition_parties = 2\n")), 0);
    assert_direction(
        "coalition size",
        &headline(&base, "coalition_parties_mean"),
        &headline(&frag, "coalition_parties_mean"),
        1.0,
    );
    for climate in ["party_cooperation_mean", "professional_conduct_mean", "clear_signals_mean"] {
        assert_direction(climate, &headline(&base, climate), &headline(&frag, climate), -1.0);
    }
    assert_direction(
        "friction",
        &headline(&base, "friction_per_year"),
        &headline(&frag, "friction_per_year"),
        1.0,
    );
    assert_direction(
        "cooperation",
        &headline(&base, "cooperation_mean"),
        &headline(&frag, "cooperation_mean"),
        -1.0,
    );
    assert_direction(
        "conflict exits",
        &headline(&base, "exits_conflict_with_politicians_per_year"),
        &headline(&frag, "exits_conflict_with_politicians_per_year"),
        1.0,
    );
}

#[test]
fn informal_contact_resolves_friction_before_it_costs_trust() {
    let rare = run_all(&config(&format!("{R}[practices]\ninformal_contact = \"rarer\"\n")), 0);
    let daily = run_all(&config(&format!("{R}[practices]\ninformal_contact = \"daily\"\n")), 0);
    assert_direction(
        "unresolved friction",
        &headline(&rare, "unresolved_friction_per_year"),
        &headline(&daily, "unresolved_friction_per_year"),
        -1.0,
    );
    assert_direction(
        "cooperation",
        &headline(&rare, "cooperation_mean"),
        &headline(&daily, "cooperation_mean"),
        1.0,
    );
}

#[test]
fn yearly_delegation_review_raises_cooperation() {
    let never = run_all(&config(&format!("{R}[practices]\ndelegation_review = \"never\"\n")), 0);
    let annual = run_all(&config(&format!("{R}[practices]\ndelegation_review = \"annual\"\n")), 0);
    assert_direction(
        "cooperation",
        &headline(&never, "cooperation_mean"),
        &headline(&annual, "cooperation_mean"),
        1.0,
    );
}
