//! Analyses built on runs: the fit report and calibration against the published figures (the
//! only readers of the targets), reform comparisons with common random numbers, and sweeps.

pub mod calibrate;
pub mod compare;
pub mod fit;
pub mod paired;
pub mod posterior;
pub mod profile;
pub mod sweep;
pub mod transition;
