//! The national world of one replication: the register's municipalities, stepped month by
//! month in lockstep, and the labour market for directors between them.
//!
//! Each month every municipality has its own month (`Municipality::step`, in index order; it
//! touches only its own state), and then the market fills the posts whose search has ended
//! (`Market::fill`), in an order its own stream draws: a post may go to a sitting director of
//! another municipality, whose post then falls vacant (a vacancy chain). Nothing depends on
//! threads: a replication's world is stepped on one thread, and replications run in parallel.

use crate::foundation::calendar::Month;
use crate::foundation::rng::{self, Process};
use crate::model::market::Market;
use crate::model::{Derived, MonthEvents, Municipality, population, register};
use crate::scenario::adoption::Adoption;
use crate::scenario::config::Config;

/// One replication's municipalities and their labour market.
#[derive(Debug, Clone)]
pub struct World {
    pub(crate) municipalities: Vec<Municipality>,
    pub(crate) market: Market,
    events: Vec<MonthEvents>,
    /// Which municipalities have adopted the scenario's reform (empty before its date).
    adopted: Vec<bool>,
}

/// The configuration each municipality runs on in a month: the scenario's, or, for the
/// municipalities that have adopted a reform (`World::adopt`), the reform's.
#[derive(Debug, Clone, Copy)]
pub struct Regime<'a> {
    pub config: &'a Config,
    pub derived: &'a Derived,
    /// The reform the adopters follow.
    pub reform: Option<(&'a Config, &'a Derived)>,
}

impl<'a> Regime<'a> {
    /// The configuration of municipality `i`, given who adopted.
    #[inline]
    pub(crate) fn of(&self, adopted: &[bool], i: usize) -> (&'a Config, &'a Derived) {
        match self.reform {
            Some(reform) if adopted.get(i) == Some(&true) => reform,
            _ => (self.config, self.derived),
        }
    }
}

impl World {
    /// The world of `replication` at the first simulated month: `config.population.municipalities`
    /// of the register.
    pub fn new(config: &Config, replication: u32) -> World {
        World::with_members(config, config.population.municipalities, replication)
    }

    /// As `new`, with `municipalities` of the register whatever the configuration says.
    pub fn with_members(config: &Config, municipalities: u32, replication: u32) -> World {
        let members = register::members(municipalities as usize);
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
        World { municipalities, market, events, adopted: Vec::new() }
    }

    /// Advances every municipality one month, then lets the market fill the posts whose
    /// search has ended.
    pub fn step(&mut self, config: &Config, derived: &Derived, t: Month) {
        self.step_in(Regime { config, derived, reform: None }, t);
    }

    /// As `step`, with the adopters of a reform on the reform's configuration: the municipalities
    /// are stepped in index order, in runs of adopters and of others, each run on its
    /// configuration (`pass`).
    pub fn step_in(&mut self, regime: Regime, t: Month) {
        let openness = self.market.openness(self.municipalities.len());
        let (ms, evs, adopted) = (&mut self.municipalities, &mut self.events, &self.adopted);
        let base = (regime.config, regime.derived);
        match regime.reform {
            Some(reform) if !adopted.is_empty() => {
                let mut start = 0;
                for run in adopted.chunk_by(|a, b| a == b) {
                    let end = start + run.len();
                    let config = if run[0] { reform } else { base };
                    pass(&mut ms[start..end], &mut evs[start..end], config, t, openness);
                    start = end;
                }
            }
            _ => pass(ms, evs, base, t, openness),
        }
        self.market.fill(regime, &self.adopted, t, &mut self.municipalities, &mut self.events);
    }

    /// The municipalities `adoption` targets adopt its reform (`reform`: its configuration, with
    /// the run's seed; `parent`: the scenario's) at the start of month `t`, each with chance `adoption.share`, drawn from
    /// its own uptake stream: the same municipalities in every scenario with the same share and
    /// target, and a smaller share's adopters among a larger one's.
    pub fn adopt(
        &mut self,
        adoption: &Adoption,
        parent: &Config,
        reform: &Config,
        replication: u32,
        t: Month,
    ) {
        self.adopted = self
            .municipalities
            .iter_mut()
            .map(|m| {
                let (entry, id) = (m.traits.entry, m.traits.id);
                let u = rng::uniform(&mut rng::stream(reform.seed, replication, id, Process::Uptake));
                let targeted = adoption.target.matches(
                    entry.number,
                    &entry.county,
                    m.traits.population,
                    m.council.coalition_parties,
                );
                let adopts = targeted && u < adoption.share;
                if adopts {
                    m.adopt(parent, reform, replication, t);
                }
                adopts
            })
            .collect();
    }

    /// Whether each municipality has adopted the scenario's reform (all false before its date).
    pub fn adopted(&self, i: usize) -> bool {
        self.adopted.get(i) == Some(&true)
    }

    /// The municipalities, by index; one of them to change (`Municipality::set_fact`).
    pub fn municipality_mut(&mut self, i: usize) -> &mut Municipality {
        &mut self.municipalities[i]
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

/// The month of `municipalities`, all on one configuration. The monthly step's one caller,
/// into which it is inlined; with the configuration fixed for the whole loop, what the step
/// reads of it is loaded once rather than for every municipality.
#[inline(never)]
fn pass(
    municipalities: &mut [Municipality],
    events: &mut [MonthEvents],
    (config, derived): (&Config, &Derived),
    t: Month,
    openness: f64,
) {
    for (m, ev) in municipalities.iter_mut().zip(events) {
        m.market_openness = openness;
        m.step(config, derived, t, ev);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::exits::ExitReason;
    use crate::scenario::parse_str;

    fn config(extra: &str) -> Config {
        let text = format!("[calendar]\nstart = \"1990-01\"\n{extra}");
        parse_str(&text, "t").unwrap_or_else(|p| panic!("{p:?}")).1
    }

    /// Steps `world` from `from` to `to` (inclusive), calling `each` after every month.
    fn run(world: &mut World, c: &Config, from: Month, to: Month, mut each: impl FnMut(&World, Month)) {
        let d = Derived::new(c);
        for t in from.0..=to.0 {
            world.step(c, &d, Month(t));
            each(world, Month(t));
        }
    }

    #[test]
    fn a_vacancy_chain_moves_a_director_and_opens_a_vacancy_where_they_left() {
        let c = config("");
        let d = Derived::new(&c);
        let mut world = World::new(&c, 0);
        let mut chains = 0;
        for t in c.calendar.start.0..=c.calendar.end.0 {
            let t = Month(t);
            let before: Vec<_> = world.municipalities.iter().map(|m| m.director.clone()).collect();
            world.step(&c, &d, t);
            for (i, ev) in world.events().iter().enumerate() {
                let Some(j) = ev.recruited_from else { continue };
                let (j, here) = (j as usize, &world.municipalities[i].director);
                assert_ne!(i, j);
                // The same person, with their age, background and dispositions, in a new post.
                assert_eq!((here.birth, here.dispositions), (before[j].birth, before[j].dispositions));
                assert_eq!(here.previous_municipality, Some(j as u32));
                assert_eq!(here.in_post_since, t);
                // Where they left, a career move and an acting director: a new vacancy.
                assert_eq!(world.events()[j].exit.map(|e| e.reason), Some(ExitReason::CareerMove));
                assert!(world.municipalities[j].director.is_acting());
                chains += 1;
            }
        }
        assert!(chains > 50, "{chains} moves between municipalities");
    }

    /// Mean over replications of acting months per vacancy, and its standard error.
    fn acting_months_per_vacancy(c: &Config, replications: u32) -> (f64, f64) {
        let values: Vec<f64> = (0..replications)
            .map(|r| {
                let mut world = World::new(c, r);
                let (mut acting, mut exits) = (0u32, 0u32);
                let from = Month::new(2000, 1);
                run(&mut world, c, c.calendar.start, c.calendar.end, |w, t| {
                    if t >= from {
                        acting += w.municipalities().iter().filter(|m| m.director.is_acting()).count() as u32;
                        exits += w.events().iter().filter(|e| e.exit.is_some()).count() as u32;
                    }
                });
                f64::from(acting) / f64::from(exits)
            })
            .collect();
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0);
        (mean, (var / n).sqrt())
    }

    #[test]
    fn a_tight_market_lengthens_acting_periods() {
        let loose = acting_months_per_vacancy(&config("[market]\nother_candidates = 40\n"), 4);
        let tight = acting_months_per_vacancy(&config("[market]\nother_candidates = 1\n"), 4);
        let se = (loose.1 * loose.1 + tight.1 * tight.1).sqrt();
        assert!(tight.0 - loose.0 > 4.0 * se, "tight {tight:?}, loose {loose:?}");
    }

    /// Of the directors in post when a new mayor arrives with a match of `chemistry` (logit),
    /// the share whose pair has separated within two years (the director quit over a conflict
    /// with the politicians or was dismissed); and the number of pairs.
    fn separated_after_new_mayor(c: &Config, chemistry: f64) -> (f64, f64) {
        let (mut left, mut pairs) = (0u32, 0u32);
        let arrival = Month::new(2005, 3);
        for r in 0..16 {
            let mut world = World::new(c, r);
            run(&mut world, c, c.calendar.start, Month(arrival.0 - 1), |_, _| {});
            let mut tested = Vec::new();
            for (i, m) in world.municipalities.iter_mut().enumerate() {
                if m.director.is_acting() {
                    continue;
                }
                m.new_mayor(c, arrival);
                m.pair.chemistry = chemistry;
                tested.push((i, m.director.birth));
            }
            let mut gone = vec![false; world.municipalities.len()];
            run(&mut world, c, Month(arrival.0 + 1), Month(arrival.0 + 24), |w, _| {
                for (i, ev) in w.events().iter().enumerate() {
                    gone[i] |= ev.exit.is_some_and(|e| e.reason.is_forced());
                }
            });
            pairs += tested.len() as u32;
            left += tested.iter().filter(|(i, _)| gone[*i]).count() as u32;
        }
        (f64::from(left) / f64::from(pairs), f64::from(pairs))
    }

    #[test]
    fn a_poor_match_after_a_new_mayor_separates_more_often_within_two_years_than_a_good_one() {
        let c = config("");
        let (poor, n) = separated_after_new_mayor(&c, -3.0);
        let (good, m) = separated_after_new_mayor(&c, 1.0);
        // Two binomial shares: the standard error of their difference.
        let se = (poor * (1.0 - poor) / n + good * (1.0 - good) / m).sqrt();
        assert!(poor - good > 4.0 * se, "poor {poor:.3}, good {good:.3}, se {se:.3}");
    }
}
