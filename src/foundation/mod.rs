//! The two primitives everything else is built on: months as integers (`calendar`) and the
//! random streams of every process (`rng`). Nothing here knows about municipalities.

pub mod calendar;
pub mod rng;
