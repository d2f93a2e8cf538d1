//! samspill: an agent-based simulation of the interplay between Norwegian municipal councils
//! (their parties and mayor) and the chief executive they employ (kommunedirektør).
//!
//! The library owns the model and does no terminal output; the `samspill` binary (`src/main.rs`
//! and `src/cli/`) is a thin layer of argument parsing, progress bars and exit codes over it.
//! The layers, in reading order; each uses only those above it. ARCHITECTURE.md has the map,
//! the boundaries and the invariants.

/// Analyses built on runs: fit and calibration (only the fit report reads the targets),
/// reform comparison, sweeps.
pub mod analysis;
/// Months as integers and the random streams every process draws from.
pub mod foundation;
/// The agents of one municipality, each part a type of its own, and their monthly step.
pub mod model;
/// Results on disk and for readers: staged folders, the manifest, exporters, labels, charts,
/// the HTML report.
pub mod output;
/// The scenario file: format, `extends`, validation into `Config`, the key reference.
pub mod scenario;
/// Running replications in parallel, recording what they measure, summarising it.
pub mod sim;
/// Statistics: means, intervals, OLS.
pub mod stats;
/// The emulated 2020 survey of directors and mayors and its regressions.
pub mod survey;
/// The teaching page: levers, one municipality's story, many municipalities, the HTTP server
/// and the page itself.
pub mod teach;
