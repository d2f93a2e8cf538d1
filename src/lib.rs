//! samspill: an agent-based simulation of the interplay between Norwegian municipal councils
//! (their parties and mayor) and the chief executive they employ (kommunedirektør).
//!
//! The library owns the model and does no terminal output; the `samspill` binary (`cli`) is a
//! thin layer of argument parsing, progress bars and exit codes over it. Reading order:
//! `scenario` (file format, validation) → `config` (validated) → `population` (the synthetic
//! municipalities) → `model` (agents and the monthly step) → `record` (what a run measures) →
//! `run` (replications in parallel, deterministic reduction) → `summary` and `output`; then the
//! analyses built on runs: `survey`/`fit`/`calibrate`, `compare` and `sweep` (with `report` and
//! `plot` for their HTML and charts).
//! See ARCHITECTURE.md for the invariants.

pub mod calendar;
pub mod calibrate;
pub mod compare;
pub mod config;
pub mod fit;
pub mod model;
pub mod output;
pub mod params;
pub mod plot;
pub mod population;
pub mod record;
pub mod reference;
pub mod report;
pub mod rng;
pub mod run;
pub mod scenario;
pub mod serve;
pub mod stats;
pub mod summary;
pub mod survey;
pub mod sweep;
pub mod teach;
