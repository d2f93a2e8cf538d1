//! Criterion benchmarks of the engine: one month of the national world (every municipality's
//! step and the labour market), one world over the whole calendar (the unit of parallel
//! work), and national runs on one and two threads. Throughput is reported in
//! municipality-months. Run with `cargo bench`; `benches/instructions.sh` counts instructions
//! instead of time.

use std::sync::atomic::AtomicBool;

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use samspill::foundation::calendar::Month;
use samspill::model::Derived;
use samspill::model::world::World;
use samspill::sim::run::{self, RunOptions, simulate_world_until};

fn baseline() -> samspill::scenario::config::Config {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/baseline.toml");
    samspill::scenario::load(std::path::Path::new(path)).expect("baseline scenario loads").config
}

fn world_timeline(c: &mut Criterion) {
    let config = baseline();
    let derived = Derived::new(&config);
    let n = u64::from(config.population.municipalities);
    let months = config.calendar.months() as u64;
    let mut g = c.benchmark_group("world");
    // One month of a burnt-in world (in an election year, so elections are included in their
    // share): the state is cloned outside the timing, then stepped once.
    let start = Month::parse("2019-01").expect("a month");
    let world: World = simulate_world_until(&config, &derived, 0, start, |_, _| {});
    g.throughput(Throughput::Elements(n));
    let mut k = 0usize;
    g.bench_function("one_month", |b| {
        b.iter_batched(
            || {
                k += 1;
                (world.clone(), Month(start.0 + 1 + (k % 12) as i32))
            },
            |(mut w, t)| w.step(&config, &derived, t),
            BatchSize::SmallInput,
        )
    });
    g.throughput(Throughput::Elements(n * months));
    g.sample_size(10);
    g.bench_function("whole_calendar", |b| {
        b.iter(|| simulate_world_until(&config, &derived, 0, config.calendar.end, |_, _| {}))
    });
    g.finish();
}

fn national(c: &mut Criterion) {
    let mut config = baseline();
    config.output.municipalities = false;
    let months = config.calendar.months() as u64 * u64::from(config.population.municipalities);
    let mut g = c.benchmark_group("national");
    g.sample_size(10);
    for (threads, replications) in [(1usize, 1u32), (1, 4), (2, 4)] {
        config.replications = replications;
        g.throughput(Throughput::Elements(months * u64::from(replications)));
        g.bench_with_input(
            BenchmarkId::new(format!("threads_{threads}"), replications),
            &config,
            |b, config| {
                b.iter(|| {
                    run::run(config, RunOptions { threads }, &|_| {}, &AtomicBool::new(false), |_| Ok(()))
                        .expect("run")
                })
            },
        );
    }
    g.finish();
}

criterion_group!(benches, world_timeline, national);
criterion_main!(benches);
