//! The national world of one replication: the register's municipalities, stepped month by
//! month in lockstep, and the labour market for directors between them.
//!
//! Each month every municipality has its own month (`Municipality::step`, in index order; it
//! touches only its own state), and then the market fills the posts whose search has ended
//! (`Market::fill`), in an order its own stream draws: a post may go to a sitting director of
//! another municipality, whose post then falls vacant (a vacancy chain). Nothing depends on
//! threads: a replication's world is stepped on one thread, and replications run in parallel.

use crate::foundation::calendar::Month;
use crate::model::market::Market;
use crate::model::{Derived, MonthEvents, Municipality, population, register};
use crate::scenario::config::Config;

/// One replication's municipalities and their labour market.
#[derive(Debug, Clone)]
pub struct World {
    pub(crate) municipalities: Vec<Municipality>,
    pub(crate) market: Market,
    events: Vec<MonthEvents>,
}

impl World {
    /// The world of `replication` at the first simulated month.
    pub fn new(config: &Config, replication: u32) -> World {
        let members = register::members(config.population.municipalities as usize);
        let municipalities: Vec<Municipality> = members
            .iter()
            .enumerate()
            .map(|(id, entry)| {
                let traits = population::draw_member(config, replication, id as u32, entry);
                Municipality::new(config, traits, replication)
            })
            .collect();
        let market = Market::new(config, replication, &municipalities);
        let events = vec![MonthEvents::default(); municipalities.len()];
        World { municipalities, market, events }
    }

    /// Advances every municipality one month, then lets the market fill the posts whose
    /// search has ended.
    pub fn step(&mut self, config: &Config, derived: &Derived, t: Month) {
        let openness = self.market.openness(self.municipalities.len());
        for (m, ev) in self.municipalities.iter_mut().zip(&mut self.events) {
            m.market_openness = openness;
            *ev = m.step(config, derived, t);
        }
        self.market.fill(config, t, &mut self.municipalities, &mut self.events);
    }

    /// The municipalities, by index.
    pub fn municipalities(&self) -> &[Municipality] {
        &self.municipalities
    }

    /// What happened in each municipality in the last month stepped.
    pub fn events(&self) -> &[MonthEvents] {
        &self.events
    }
}
