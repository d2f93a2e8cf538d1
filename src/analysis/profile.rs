//! One real municipality's outlook (`samspill profile`): the world simulated to a date, the
//! municipality's known facts laid over its state, and its next years projected, as it is and
//! with each reform of the library adopted by it alone at that date.
//!
//! Every replication simulates the national world up to the month before `from` once; each
//! variant (the scenario as it is, and each reform) continues a copy of that world, so they
//! share everything before `from` (common random numbers) and the effects are paired
//! differences. What is followed is the municipality's director (whether the director in post
//! leaves within the horizon, for any reason or a forced one) and its cooperation. With
//! posterior draws the replications run again under them and the intervals carry the
//! parameters' uncertainty as `compare`'s do.

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use crate::analysis::paired::{Paired, parameter_variance};
use crate::foundation::calendar::Month;
use crate::model::Derived;
use crate::model::world::World;
use crate::scenario::config::Config;
use crate::sim::run::{self, RunError, Stepper};
use crate::stats;

/// One way the municipality's years could run: the scenario as it is, or with a reform.
#[derive(Debug, Clone)]
pub struct Variant {
    /// The reform file's stem (`as_is` for the scenario itself).
    pub label: String,
    pub title: Option<String>,
    pub config: Config,
    /// The variant under posterior draws of the parameters (empty: none).
    pub draws: Vec<Config>,
}

/// What to project.
#[derive(Debug, Clone)]
pub struct Request {
    /// The municipality's index in its world.
    pub focal: usize,
    pub from: Month,
    /// Last month of the horizon.
    pub to: Month,
    /// Known facts, laid over the municipality's state at `from`.
    pub facts: Vec<(String, String)>,
    pub as_is: Variant,
    pub reforms: Vec<Variant>,
}

/// A probability or mean with its 95 % interval.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Level {
    pub mean: f64,
    pub ci95: [f64; 2],
}

/// A reform's effect on one of the followed outcomes.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Effect {
    /// The outcome with the reform.
    pub with_reform: f64,
    /// Reform − as is (paired over replications).
    pub difference: f64,
    pub ci95: [f64; 2],
}

#[derive(Debug, Clone, Serialize)]
pub struct ReformEffect {
    pub reform: String,
    pub title: Option<String>,
    pub exit_probability: Effect,
    pub forced_exit_probability: Effect,
    pub cooperation_mean: Effect,
}

/// What the projection found.
#[derive(Debug, Clone, Serialize)]
pub struct Outlook {
    pub replications: usize,
    pub parameter_draws: usize,
    /// The director in post at `from` leaves within the horizon (any reason).
    pub exit_probability: Level,
    /// … for a forced reason (a conflict with the politicians, a dismissal or negotiated exit).
    pub forced_exit_probability: Level,
    /// Mean cooperation (1–5) over the horizon.
    pub cooperation_mean: Level,
    /// Each reform's effects, the largest fall in forced exits first.
    pub reforms: Vec<ReformEffect>,
}

/// Followed outcomes of one variant in one replication: left, left forced, mean cooperation.
type Followed = [f64; 3];

/// Projects the request: every replication of `request.as_is.config`.
pub fn project(
    request: &Request,
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<Outlook, RunError> {
    let replications = request.as_is.config.replications;
    let n_draws = request.as_is.draws.len() as u64;
    let (pool, _) = run::pool(threads)?;
    let variants: Vec<&Variant> = std::iter::once(&request.as_is).chain(&request.reforms).collect();
    // Each variant's stepper (its yearly configurations and derived values), worked out once:
    // at the calibrated values, and under each draw.
    let derived = |configs: &[&Config]| -> Vec<Derived> { configs.iter().map(|c| Derived::new(c)).collect() };
    let calibrated: Vec<&Config> = variants.iter().map(|v| &v.config).collect();
    let drawn: Vec<Vec<&Config>> =
        (0..n_draws as usize).map(|k| variants.iter().map(|v| &v.draws[k]).collect()).collect();
    let (at_derived, drawn_derived) =
        (derived(&calibrated), drawn.iter().map(|c| derived(c)).collect::<Vec<_>>());
    let at = (calibrated.clone(), steppers(&calibrated, &at_derived));
    let under_draws: Vec<_> =
        drawn.iter().zip(&drawn_derived).map(|(c, d)| (c.clone(), steppers(c, d))).collect();
    let results: Vec<Option<(Vec<Followed>, Vec<Followed>)>> = pool.install(|| {
        (0..replications)
            .into_par_iter()
            .map(|r| {
                if cancel.load(Ordering::Relaxed) {
                    return None;
                }
                let calibrated = follow(request, &at, r);
                // The draw whose share of the replications holds this one.
                let drawn = if n_draws == 0 {
                    Vec::new()
                } else {
                    let k = (u64::from(r) * n_draws / u64::from(replications)) as usize;
                    follow(request, &under_draws[k], r)
                };
                progress(1);
                Some((calibrated, drawn))
            })
            .collect()
    });
    let results: Vec<(Vec<Followed>, Vec<Followed>)> =
        results.into_iter().collect::<Option<_>>().ok_or(RunError::Cancelled)?;
    let column = |v: usize, k: usize, drawn: bool| -> Vec<f64> {
        results
            .iter()
            .filter_map(|(at, d)| if drawn { d.get(v).map(|x| x[k]) } else { Some(at[v][k]) })
            .collect()
    };
    let level = |k: usize, binary: bool| level(&column(0, k, false), &column(0, k, true), binary);
    let mut reforms: Vec<ReformEffect> = (1..variants.len())
        .map(|v| {
            let effect = |k: usize| {
                let p = Paired::new(
                    (&column(0, k, false), &column(v, k, false)),
                    (&column(0, k, true), &column(v, k, true)),
                )
                .expect("every replication follows the municipality");
                Effect { with_reform: p.reform, difference: p.difference, ci95: p.ci95 }
            };
            ReformEffect {
                reform: variants[v].label.clone(),
                title: variants[v].title.clone(),
                exit_probability: effect(0),
                forced_exit_probability: effect(1),
                cooperation_mean: effect(2),
            }
        })
        .collect();
    reforms.sort_by(|a, b| {
        a.forced_exit_probability
            .difference
            .total_cmp(&b.forced_exit_probability.difference)
            .then_with(|| a.reform.cmp(&b.reform))
    });
    Ok(Outlook {
        replications: results.len(),
        parameter_draws: n_draws as usize,
        exit_probability: level(0, true),
        forced_exit_probability: level(1, true),
        cooperation_mean: level(2, false),
        reforms,
    })
}

/// Each configuration's stepper.
fn steppers<'a>(configs: &[&'a Config], derived: &'a [Derived]) -> Vec<Stepper<'a>> {
    configs.iter().zip(derived).map(|(c, d)| Stepper::new(c, d)).collect()
}

/// A level over replications: a share (Wilson's interval) or a mean (Student's t), widened by
/// the parameters' part where there are draws (as `Paired` does).
fn level(values: &[f64], drawn: &[f64], binary: bool) -> Level {
    let n = values.len();
    let mean = stats::mean(values);
    let simulation = if binary {
        stats::wilson(values.iter().filter(|v| **v > 0.5).count(), n)
    } else {
        stats::Estimate::from_samples(values).ci95.unwrap_or([mean, mean])
    };
    let tau2 = if drawn.len() < 2 || n < 2 {
        0.0
    } else {
        parameter_variance((stats::sd(drawn).powi(2), drawn.len()), (stats::sd(values).powi(2), n))
    };
    if tau2 == 0.0 {
        return Level { mean, ci95: simulation };
    }
    let parameter = 1.96 * tau2.sqrt();
    let (lo, hi) = ((mean - simulation[0]).hypot(parameter), (simulation[1] - mean).hypot(parameter));
    let (lo, hi) = (mean - lo, mean + hi);
    Level { mean, ci95: if binary { [lo.max(0.0), hi.min(1.0)] } else { [lo, hi] } }
}

/// Replication `replication`: the world of the first variant to the month before `from`, then
/// each variant's continuation with the facts laid over the municipality (`variants`: each
/// variant's configuration and stepper).
fn follow(request: &Request, variants: &(Vec<&Config>, Vec<Stepper>), replication: u32) -> Vec<Followed> {
    let (configs, steppers) = variants;
    let first = configs[0];
    let start = first.calendar.start;
    let mut world =
        World::with_members(first.in_year(start.year()), first.population.municipalities, replication);
    steppers[0].step_between(&mut world, replication, start, Month(request.from.0 - 1), |_, _| {});
    configs
        .iter()
        .zip(steppers)
        .map(|(config, stepper)| {
            let mut w = world.clone();
            let focal = request.focal;
            for (key, value) in &request.facts {
                w.municipality_mut(focal)
                    .set_fact(config, key, value, request.from)
                    .expect("facts are checked before the projection runs");
            }
            let (mut left, mut forced, mut cooperation, mut months) = (0.0, 0.0, 0.0, 0.0);
            stepper.step_between(&mut w, replication, request.from, request.to, |w, _| {
                if let Some(exit) = w.events()[focal].exit {
                    left = 1.0;
                    if exit.reason.is_forced() {
                        forced = 1.0;
                    }
                }
                cooperation += w.municipalities()[focal].cooperation();
                months += 1.0;
            });
            [left, forced, cooperation / months]
        })
        .collect()
}
