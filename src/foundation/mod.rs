//! The primitives everything else is built on: months as integers (`calendar`), the random
//! streams of every process (`rng`) and the fast exponential of the monthly step (`fastmath`).
//! Nothing here knows about municipalities.

pub mod calendar;
pub mod fastmath;
pub mod rng;
