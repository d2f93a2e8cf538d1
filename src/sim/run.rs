//! Running replications: each replication is one world (`model::world`) whose municipalities
//! interact through the labour market, so a replication is the unit of parallel work, and the
//! replications of a chunk are spread over a rayon pool.
//!
//! Determinism: a world's history depends only on (seed, replication); it is stepped on one
//! thread, municipalities in index order and the market in the order its own stream draws, and
//! tallied municipality by municipality in index order. Nothing depends on which thread ran
//! what, so one thread and many threads give bit-identical results.
//!
//! Memory: replications are run in chunks and handed to the caller's sink in replication
//! order as soon as their chunk is done, so a run never holds more than two chunks of results
//! (the one being written while the next is computed).

use std::sync::atomic::{AtomicBool, Ordering};

use ndarray::Array2;
use rayon::prelude::*;

use crate::foundation::calendar::Month;
use crate::model::world::{Regime, World};
use crate::model::{Derived, MonthEvents, Municipality};
use crate::scenario::adoption::Adoption;
use crate::scenario::config::Config;
use crate::sim::record::{MunicipalityCounts, MunicipalityRow, RecordedMonth, new_tally, record};

/// What one replication produces: its tally and its municipalities' rows.
type ReplicationResult = (Array2<f64>, Vec<MunicipalityRow>);
/// Replications run between two hand-overs to the sink.
const CHUNK_REPLICATIONS: u32 = 8;

#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// Worker threads; 0 means one per available core.
    pub threads: usize,
}

/// Results of one replication, handed to the sink in replication order.
#[derive(Debug, Clone)]
pub struct Replication {
    pub replication: u32,
    /// Tally of the reported period, one row per year (see `record::Tally`).
    pub tally: Array2<f64>,
    /// Final state of every municipality (empty when the scenario turns that output off).
    pub municipalities: Vec<MunicipalityRow>,
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("could not start {threads} worker threads: {source}")]
    ThreadPool { threads: usize, source: rayon::ThreadPoolBuildError },
    #[error(transparent)]
    Sink(#[from] std::io::Error),
    #[error("run cancelled")]
    Cancelled,
    #[error("{0}")]
    Input(String),
}

/// What the run did, for the manifest.
#[derive(Debug, Clone, Copy)]
pub struct RunStats {
    pub threads: usize,
    pub municipality_months: u64,
}

/// The number of worker threads to use: `requested`, or one per available core for 0.
pub fn threads(requested: usize) -> usize {
    if requested == 0 { std::thread::available_parallelism().map_or(1, |n| n.get()) } else { requested }
}

/// A pool of `threads(requested)` workers, and its size.
pub fn pool(requested: usize) -> Result<(rayon::ThreadPool, usize), RunError> {
    let threads = threads(requested);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|source| RunError::ThreadPool { threads, source })?;
    Ok((pool, threads))
}

/// Simulates the world of `replication` from the calendar's start to `last` (inclusive),
/// calling `observe` after every month. Stopping early changes nothing before `last`.
pub fn simulate_world_until<F>(
    config: &Config,
    derived: &Derived,
    replication: u32,
    last: Month,
    observe: F,
) -> World
where
    F: FnMut(&World, Month),
{
    let first = config.in_year(config.calendar.start.year());
    let mut world = World::with_members(first, config.population.municipalities, replication);
    simulate_world_between(&mut world, config, derived, replication, config.calendar.start, last, observe);
    world
}

/// Each simulated year's derived values of a scenario with `[trends]` (empty without).
fn yearly_derived(config: &Config) -> Vec<Derived> {
    config.by_year.as_ref().map_or_else(Vec::new, |y| y.configs.iter().map(Derived::new).collect())
}

/// The configuration and derived values of `year`: the scenario's own, or with `[trends]` the year's.
fn in_year<'b>(
    config: &'b Config,
    derived: &'b Derived,
    yearly: &'b [Derived],
    year: i32,
) -> (&'b Config, &'b Derived) {
    match &config.by_year {
        Some(y) => {
            let k = y.index(year);
            (&y.configs[k], &yearly[k])
        }
        None => (config, derived),
    }
}

/// Steps `world` (replication `replication` of `config`) from month `first` to `last`
/// (inclusive), calling `observe` after every month. With `[adoption]`, the municipalities the
/// reform targets adopt it at the start of its month (if that lies in the span) and run on the
/// reform's configuration from then on.
pub fn simulate_world_between<F>(
    world: &mut World,
    config: &Config,
    derived: &Derived,
    replication: u32,
    first: Month,
    last: Month,
    observe: F,
) where
    F: FnMut(&World, Month),
{
    Stepper::new(config, derived).step_between(world, replication, first, last, observe);
}

/// What stepping a world through a scenario needs, worked out once: each year's configuration
/// and derived values, and with `[adoption]` the reform's.
pub struct Stepper<'a> {
    config: &'a Config,
    derived: &'a Derived,
    yearly: Vec<Derived>,
    reform: Option<Reform<'a>>,
}

/// A scenario's reform adopted at a date, ready to run.
struct Reform<'a> {
    adoption: &'a Adoption,
    config: Config,
    derived: Derived,
    yearly: Vec<Derived>,
}

impl<'a> Stepper<'a> {
    pub fn new(config: &'a Config, derived: &'a Derived) -> Stepper<'a> {
        // The reform runs with the run's seed (a comparison or a sweep may have set it on the scenario).
        let reform = config.adoption.as_deref().map(|adoption| {
            let mut c = adoption.reform.clone();
            c.seed = config.seed;
            Reform { adoption, derived: Derived::new(&c), yearly: yearly_derived(&c), config: c }
        });
        Stepper { config, derived, yearly: yearly_derived(config), reform }
    }

    /// Steps `world` from month `first` to `last` (inclusive), calling `observe` after every
    /// month (`simulate_world_between` with this stepper, worked out once for many worlds).
    pub fn step_between<F>(
        &self,
        world: &mut World,
        replication: u32,
        first: Month,
        last: Month,
        mut observe: F,
    ) where
        F: FnMut(&World, Month),
    {
        for t in first.0..=last.0 {
            let t = Month(t);
            self.step(world, replication, t);
            observe(world, t);
        }
    }

    /// Month `t` of `world`: the adoption, if it is due, then every municipality's month.
    pub fn step(&self, world: &mut World, replication: u32, t: Month) {
        let (config, derived) = in_year(self.config, self.derived, &self.yearly, t.year());
        let reform = self.reform.as_ref().map(|r| {
            if t == r.adoption.from {
                world.adopt(r.adoption, config, &r.config, replication, t);
            }
            in_year(&r.config, &r.derived, &r.yearly, t.year())
        });
        world.step_in(Regime { config, derived, reform }, t);
    }
}

/// Simulates the world of `replication` up to `last` and follows municipality `id`: `observe`
/// sees it after every month. Returns it as it is at `last`.
pub fn simulate_until<F>(
    config: &Config,
    derived: &Derived,
    replication: u32,
    id: u32,
    last: Month,
    mut observe: F,
) -> Municipality
where
    F: FnMut(&Municipality, &MonthEvents, Month),
{
    let world = simulate_world_until(config, derived, replication, last, |w, t| {
        observe(&w.municipalities()[id as usize], &w.events()[id as usize], t);
    });
    world.municipalities()[id as usize].clone()
}

/// As `simulate_until`, over the whole calendar.
pub fn simulate_municipality<F>(
    config: &Config,
    derived: &Derived,
    replication: u32,
    id: u32,
    observe: F,
) -> Municipality
where
    F: FnMut(&Municipality, &MonthEvents, Month),
{
    simulate_until(config, derived, replication, id, config.calendar.end, observe)
}

/// One replication: its world over the whole calendar, tallied municipality by municipality
/// in index order every reported month.
///
/// A reform adopted by some municipalities only (`[adoption]` with a `share` below 1 or a
/// `where`) is tallied as its effect where it was adopted: the adopters' months come from the
/// world in which they adopted it, the other municipalities' from the parent scenario's world
/// (the same world without the adoption, stepped beside it from the adoption date). What the
/// reform would do to non-adopters through the labour market is thus left out, and a targeted
/// reform changes nothing where it was not adopted.
fn simulate_replication(
    config: &Config,
    derived: &Derived,
    replication: u32,
    progress: &(dyn Fn(u64) + Sync),
) -> ReplicationResult {
    let mut tally = new_tally(config);
    let n = config.population.municipalities as usize;
    let mut counts = vec![MunicipalityCounts::default(); n];
    let report_start = config.calendar.report_start;
    let first_year = report_start.year();
    // The parent scenario's world beside a partial adoption's (from the adoption date).
    let parent = config.adoption.as_deref().filter(|a| a.is_partial()).map(|a| {
        let mut c = config.clone();
        c.adoption = None;
        (a.from, c)
    });
    let parent_stepper = parent.as_ref().map(|(_, c)| Stepper::new(c, derived));
    let adopted_from = parent.as_ref().map_or(Month(i32::MAX), |(from, _)| *from);
    let mut shadow: Option<World> = None;
    let world = simulate_world_until(config, derived, replication, config.calendar.end, |w, t| {
        if let (Some((from, _)), Some(stepper)) = (&parent, &parent_stepper) {
            if t.0 + 1 == from.0 {
                // Before the adoption the two worlds are the same: copy it, then step it alone.
                shadow = Some(w.clone());
            } else if let Some(s) = &mut shadow {
                stepper.step(s, replication, t);
            }
        }
        if t >= report_start {
            let mut row = tally.row_mut((t.year() - first_year) as usize);
            let row = row.as_slice_mut().expect("tally rows are contiguous");
            let month = RecordedMonth::new(config, t);
            match &shadow {
                // A partial adoption: the non-adopters' months from the parent's world.
                Some(s) if t >= adopted_from => {
                    for (i, c) in counts.iter_mut().enumerate() {
                        let from = if w.adopted(i) { w } else { s };
                        record(row, c, &from.municipalities()[i], &from.events()[i], config, &month);
                    }
                }
                _ => {
                    for ((m, ev), c) in w.municipalities().iter().zip(w.events()).zip(&mut counts) {
                        record(row, c, m, ev, config, &month);
                    }
                }
            }
        }
    });
    let rows = if config.output.municipalities {
        let source = |i: usize| match &shadow {
            Some(s) if !world.adopted(i) => s,
            _ => &world,
        };
        (0..n)
            .map(|i| {
                let from = source(i);
                MunicipalityRow::new(
                    replication,
                    &from.municipalities()[i],
                    from.municipalities(),
                    &counts[i],
                    config.calendar.end,
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    progress(n as u64);
    (tally, rows)
}

/// Runs every replication of `config`, handing each to `sink` in order. `progress` is called
/// from worker threads with the number of municipality timelines just finished; `cancel`
/// stops the run between chunks.
pub fn run<S>(
    config: &Config,
    options: RunOptions,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
    sink: S,
) -> Result<RunStats, RunError>
where
    S: FnMut(Replication) -> std::io::Result<()>,
{
    run_from(config, 0, options, progress, cancel, sink)
}

/// As `run`, for the `config.replications` replications that start at `first`: replication
/// `first + i` has the same random streams as in a run of them all, so a run may be split into
/// ranges (each with its own parameters: `compare --parameter-draws`).
pub fn run_from<S>(
    config: &Config,
    first: u32,
    options: RunOptions,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
    mut sink: S,
) -> Result<RunStats, RunError>
where
    S: FnMut(Replication) -> std::io::Result<()>,
{
    let (pool, threads) = pool(options.threads)?;
    let derived = Derived::new(config);
    let n = config.population.municipalities;
    let end = first + config.replications;
    let chunks: Vec<(u32, u32)> = (first..end)
        .step_by(CHUNK_REPLICATIONS as usize)
        .map(|start| (start, (start + CHUNK_REPLICATIONS).min(end)))
        .collect();
    let compute = |(first, last): (u32, u32)| -> Vec<ReplicationResult> {
        let items: Vec<u32> = (first..last).collect();
        pool.install(|| {
            items.par_iter().map(|r| simulate_replication(config, &derived, *r, progress)).collect()
        })
    };
    let mut deliver = |(first, _): (u32, u32), results: Vec<ReplicationResult>| -> Result<(), RunError> {
        for (replication, (tally, municipalities)) in (first..).zip(results) {
            sink(Replication { replication, tally, municipalities })?;
        }
        Ok(())
    };
    // With several workers, the sink (writing outputs) runs on this thread while the pool
    // computes the next chunk, so the cores never wait for the disk. With one worker the work
    // stays on one core, as asked. Either way chunks reach the sink in order.
    let mut pending: Option<((u32, u32), Vec<ReplicationResult>)> = None;
    for &chunk in &chunks {
        if cancel.load(Ordering::Relaxed) {
            return Err(RunError::Cancelled);
        }
        if threads == 1 {
            deliver(chunk, compute(chunk))?;
            continue;
        }
        let computed = std::thread::scope(|scope| -> Result<_, RunError> {
            let worker = scope.spawn(|| compute(chunk));
            let delivered = pending.take().map_or(Ok(()), |(c, results)| deliver(c, results));
            let results = worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            delivered.map(|()| results)
        })?;
        pending = Some((chunk, computed));
    }
    if let Some((c, results)) = pending {
        deliver(c, results)?;
    }
    let months = u64::try_from(config.calendar.months()).unwrap_or(0);
    Ok(RunStats { threads, municipality_months: u64::from(config.replications) * u64::from(n) * months })
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicU64;

    use super::*;
    use crate::scenario::parse_str;
    use crate::sim::record::{TALLY_COLUMNS, Tally};

    /// A small national simulation: 40 municipalities are two blocks (32 + 8), and more than
    /// `CHUNK_REPLICATIONS` replications are two chunks, so both reductions are exercised.
    fn config(municipalities: u32, replications: u32) -> Config {
        let text = format!(
            "replications = {replications}\n[population]\nmunicipalities = {municipalities}\n\
             [calendar]\nstart = \"1990-01\"\n"
        );
        parse_str(&text, "t").unwrap().1
    }

    fn collect(config: &Config, threads: usize) -> (Vec<Replication>, RunStats) {
        let mut out = Vec::new();
        let stats = run(config, RunOptions { threads }, &|_| {}, &AtomicBool::new(false), |rep| {
            out.push(rep);
            Ok(())
        })
        .unwrap();
        (out, stats)
    }

    fn bits(tally: &Array2<f64>) -> Vec<u64> {
        tally.iter().map(|x| x.to_bits()).collect()
    }

    #[test]
    fn zero_threads_means_one_per_core_and_a_number_is_kept() {
        assert!(threads(0) >= 1);
        assert_eq!(threads(3), 3);
        let (pool, n) = pool(3).unwrap();
        assert_eq!((n, pool.current_num_threads()), (3, 3));
    }

    #[test]
    fn one_and_three_threads_give_bit_identical_results() {
        let c = config(40, 10);
        let (one, stats_one) = collect(&c, 1);
        let (three, stats_three) = collect(&c, 3);
        assert_eq!((stats_one.threads, stats_three.threads), (1, 3));
        assert_eq!(one.len(), three.len());
        for (a, b) in one.iter().zip(&three) {
            assert_eq!(a.replication, b.replication);
            // Bit patterns, not approximate equality: the order of additions must not depend on
            // which thread ran which block.
            assert_eq!(bits(&a.tally), bits(&b.tally), "replication {}", a.replication);
            let rows = |r: &Replication| {
                r.municipalities.iter().map(|m| serde_json::to_string(m).unwrap()).collect::<Vec<_>>()
            };
            assert_eq!(rows(a), rows(b), "replication {}", a.replication);
        }
        // Replications differ from each other, so equal tallies above are not a trivial match.
        assert_ne!(bits(&one[0].tally), bits(&one[1].tally));
    }

    #[test]
    fn the_sink_receives_every_replication_in_order_with_every_municipality() {
        let c = config(40, 10);
        let done = AtomicU64::new(0);
        let mut seen = Vec::new();
        let stats = run(
            &c,
            RunOptions { threads: 2 },
            &|k| {
                done.fetch_add(k, Ordering::Relaxed);
            },
            &AtomicBool::new(false),
            |rep| {
                let ids: Vec<u32> = rep.municipalities.iter().map(|m| m.municipality).collect();
                assert_eq!(ids, (0..40).collect::<Vec<_>>(), "rows in municipality order");
                assert_eq!(rep.tally.dim(), (c.calendar.report_years().count(), TALLY_COLUMNS));
                // Every reported month of every municipality is tallied exactly once.
                let months = rep.tally.column(Tally::MunicipalityMonths as usize).sum();
                assert_eq!(months, f64::from(40 * c.calendar.report_months()));
                seen.push(rep.replication);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(seen, (0..10).collect::<Vec<_>>());
        assert_eq!(done.load(Ordering::Relaxed), 10 * 40, "progress counts every timeline once");
        assert_eq!(stats.municipality_months, 10 * 40 * c.calendar.months() as u64);
    }

    #[test]
    fn a_run_without_municipality_output_hands_over_no_rows() {
        let mut c = config(40, 2);
        c.output.municipalities = false;
        let (reps, _) = collect(&c, 1);
        assert_eq!(reps.len(), 2);
        assert!(reps.iter().all(|r| r.municipalities.is_empty()));
    }

    #[test]
    fn a_run_cancelled_before_it_starts_hands_nothing_over() {
        let c = config(40, 10);
        let mut calls = 0;
        let result = run(&c, RunOptions { threads: 2 }, &|_| {}, &AtomicBool::new(true), |_| {
            calls += 1;
            Ok(())
        });
        assert!(matches!(result, Err(RunError::Cancelled)), "{result:?}");
        assert_eq!(calls, 0);
    }

    #[test]
    fn a_failing_sink_stops_the_run_at_its_first_error() {
        for threads in [1, 2] {
            let c = config(40, 10);
            let mut calls = 0;
            let result = run(&c, RunOptions { threads }, &|_| {}, &AtomicBool::new(false), |_| {
                calls += 1;
                Err(std::io::Error::other("disk full"))
            });
            assert!(matches!(result, Err(RunError::Sink(_))), "{threads} threads: {result:?}");
            assert_eq!(calls, 1, "{threads} threads");
        }
    }

    #[test]
    fn stopping_early_changes_nothing_before_the_stop() {
        let c = config(8, 1);
        let derived = Derived::new(&c);
        let last = Month::parse("2005-06").unwrap();
        for id in 0..8 {
            // Every month's events and cooperation (as bits), and the whole state at `last`
            // (its Debug text holds every field, random streams included).
            let mut full = Vec::new();
            let mut full_at_last = String::new();
            simulate_municipality(&c, &derived, 0, id, |m, ev, t| {
                if t <= last {
                    full.push((t, *ev, m.cooperation().to_bits()));
                }
                if t == last {
                    full_at_last = format!("{m:?}");
                }
            });
            let mut early = Vec::new();
            let m = simulate_until(&c, &derived, 0, id, last, |m, ev, t| {
                early.push((t, *ev, m.cooperation().to_bits()));
            });
            assert_eq!(
                early.len() as i32,
                last.0 - c.calendar.start.0 + 1,
                "one call per month up to `last`"
            );
            assert_eq!(early, full, "municipality {id}");
            assert_eq!(format!("{m:?}"), full_at_last, "municipality {id}");
        }
    }
}
