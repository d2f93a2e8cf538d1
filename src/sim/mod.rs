//! Running the model: replications × municipalities in parallel with a deterministic
//! reduction (`run`), what a run measures (`record`), and the figures users read (`summary`).

pub mod record;
pub mod run;
pub mod summary;
