//! The council (kommunestyre) and its elections: how many party lists stand, how the seats
//! fall (modified Sainte-Laguë, first divisor 1.4, as in Norwegian local elections), and the
//! mayor's governing base (the largest parties until they hold a majority, perhaps more).

use rand_distr::{Distribution, Gamma};

use crate::foundation::calendar::Month;
use crate::foundation::rng::{self, Stream};
use crate::model::population::{Traits, reference_log_population};
use crate::scenario::params::Politics;

/// Most party lists an election can have.
const MAX_LISTS: usize = 15;

/// The council's composition after the last election.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Council {
    /// Parties that won seats.
    pub(crate) parties_in_council: u32,
    /// Parties in the mayor's governing base.
    pub(crate) coalition_parties: u32,
    pub(crate) last_election: Month,
}

impl Council {
    /// A council before its first election.
    pub(crate) fn new(t: Month) -> Council {
        Council { parties_in_council: 1, coalition_parties: 1, last_election: t }
    }

    /// Holds the election of month `t`: party lists, their votes, the seats and the governing
    /// base. Draws from the politics stream: one normal, one gamma per list, three uniforms.
    pub(crate) fn elect(&mut self, traits: &Traits, p: &Politics, t: Month, rng: &mut Stream) {
        let seats = traits.council_seats;
        let years = f64::from(t.year()) + f64::from(t.month0()) / 12.0 - p.fragmentation_reference_year;
        let mean_lists = p.parties_intercept
            + p.parties_per_log_seat * traits.log_council_seats
            + p.parties_per_log_population * (traits.log_population - reference_log_population())
            + p.fragmentation_trend_per_decade * years / 10.0;
        let lists = (mean_lists + p.parties_noise_sd * rng::normal(rng))
            .round()
            .clamp(1.0, f64::from(seats.min(MAX_LISTS as u32))) as usize;

        // Electoral strength of each list, then the seats.
        let gamma = Gamma::new(p.party_strength_shape, 1.0).expect("shape validated positive");
        let mut votes = [0.0f64; MAX_LISTS];
        for v in votes.iter_mut().take(lists) {
            *v = gamma.sample(rng).max(1e-9);
        }
        let mut held = sainte_lague(&votes[..lists], seats);
        held.sort_unstable_by(|a, b| b.cmp(a));
        let parties = held.iter().take_while(|&&s| s > 0).count() as u32;

        // The governing base: the largest parties until they hold a majority.
        let mut sum = 0;
        let mut base = 0;
        for s in &held[..parties as usize] {
            sum += s;
            base += 1;
            if 2 * sum > seats {
                break;
            }
        }
        // Broad governing bases are common: each further party joins with the same chance
        // (three draws always, so the stream's use does not depend on the outcome).
        let surplus = [rng::uniform(rng), rng::uniform(rng), rng::uniform(rng)];
        base += surplus.iter().take_while(|&&u| u < p.surplus_party_probability).count() as u32;
        base = (base + p.extra_coalition_parties).min(parties).max(1);
        // A fixed governing base (a sweep lever) brings the parties it needs into the council.
        let parties = if p.fixed_coalition_parties > 0 {
            parties.max(p.fixed_coalition_parties.min(seats))
        } else {
            parties
        };
        if p.fixed_coalition_parties > 0 {
            base = p.fixed_coalition_parties.min(parties);
        }
        self.parties_in_council = parties;
        self.coalition_parties = base;
        self.last_election = t;
    }

    /// The chance that this election brings a new mayor: higher the broader the governing base.
    pub(crate) fn new_mayor_chance(&self, p: &Politics) -> f64 {
        (p.new_mayor_base + p.new_mayor_per_coalition_party * f64::from(self.coalition_parties - 1)).min(1.0)
    }
}

/// Seats won by each list under modified Sainte-Laguë (divisors 1.4, 3, 5, …), in list order;
/// ties go to the earlier list.
fn sainte_lague(votes: &[f64], seats: u32) -> [u32; MAX_LISTS] {
    // The seats go one by one to the list with the highest quotient votes / divisor, so they
    // go in falling order of all lists' quotients. Every quotient above a level λ' at or above
    // the last seat's quotient is among the winners: with λ' a little above that level (half
    // the votes per seat, times 1.05), those seats are handed out at once, and the rest one by
    // one as before. Counts are made conservatively (an uncounted seat is handed out one by one
    // with the same result); if the counts reach `seats`, λ' may have been too low, and a
    // higher one (times 1.5) is tried, then none (every seat one by one).
    let mut won = [0u32; MAX_LISTS];
    let total: f64 = votes.iter().sum();
    // First a level just above the usual last quotient, then a safer one, then none.
    for factor in [1.05, 1.5, f64::INFINITY] {
        let level = factor * total / (2.0 * f64::from(seats.max(1)));
        for (w, v) in won.iter_mut().zip(votes) {
            let x = v / level * (1.0 - 1e-9);
            // Divisors 1.4, 3, 5, …: those below x.
            *w = if x > 1.4 { 1 + ((x - 1.0) / 2.0 - 1e-9).floor().max(0.0) as u32 } else { 0 };
        }
        if won.iter().sum::<u32>() < seats {
            break;
        }
    }
    let given: u32 = won.iter().sum();
    // Each list's current quotient: only the list that wins a seat needs a new one.
    let mut quotient = [f64::NEG_INFINITY; MAX_LISTS];
    for (i, (q, v)) in quotient.iter_mut().zip(votes).enumerate() {
        *q = v / if won[i] == 0 { 1.4 } else { f64::from(2 * won[i] + 1) };
    }
    for _ in given..seats {
        let mut best = 0;
        let mut best_q = -1.0;
        for (i, &q) in quotient[..votes.len()].iter().enumerate() {
            if q > best_q {
                best_q = q;
                best = i;
            }
        }
        won[best] += 1;
        quotient[best] = votes[best] / f64::from(2 * won[best] + 1);
    }
    won
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::foundation::rng::{Process, stream};
    use crate::model::population;
    use crate::scenario::test_config;

    #[test]
    fn sainte_lague_matches_a_worked_example() {
        // 11 seats; the first divisor 1.4 makes a small list's first seat dearer.
        let won = sainte_lague(&[5000.0, 3000.0, 1500.0, 500.0], 11);
        assert_eq!(&won[..4], &[6, 3, 2, 0]);
        assert_eq!(won.iter().sum::<u32>(), 11);
    }

    /// Seats handed out one by one from the first: the definition.
    fn one_by_one(votes: &[f64], seats: u32) -> [u32; MAX_LISTS] {
        let mut won = [0u32; MAX_LISTS];
        for _ in 0..seats {
            let mut best = 0;
            let mut best_q = -1.0;
            for (i, v) in votes.iter().enumerate() {
                let q = v / if won[i] == 0 { 1.4 } else { f64::from(2 * won[i] + 1) };
                if q > best_q {
                    best_q = q;
                    best = i;
                }
            }
            won[best] += 1;
        }
        won
    }

    #[test]
    fn handing_out_seats_in_bulk_gives_the_same_seats_as_one_by_one() {
        let mut rng = stream(11, 0, 0, Process::Politics);
        for _ in 0..100_000 {
            let lists = 1 + (rng::uniform(&mut rng) * MAX_LISTS as f64) as usize;
            let seats = 1 + 2 * (rng::uniform(&mut rng) * 40.0) as u32;
            let shape = 0.2 + 3.0 * rng::uniform(&mut rng);
            let gamma = Gamma::new(shape, 1.0).unwrap();
            let votes: Vec<f64> = (0..lists).map(|_| gamma.sample(&mut rng).max(1e-9)).collect();
            assert_eq!(sainte_lague(&votes, seats), one_by_one(&votes, seats), "{votes:?}, {seats} seats");
        }
        // Ties and round numbers.
        for votes in [vec![100.0, 100.0, 100.0], vec![300.0, 100.0], vec![1.0; 15], vec![5.0, 3.0, 0.0, 1e-9]]
        {
            for seats in [1, 2, 3, 11, 27, 77] {
                assert_eq!(sainte_lague(&votes, seats), one_by_one(&votes, seats), "{votes:?}, {seats}");
            }
        }
    }

    #[test]
    fn a_lone_list_takes_every_seat() {
        assert_eq!(sainte_lague(&[1.0], 27)[0], 27);
    }

    #[test]
    fn every_election_gives_a_majority_base_within_the_council() {
        let c = test_config("");
        for id in 0..60 {
            let traits = population::draw(&c, 0, id);
            let mut council = Council::new(Month::new(1960, 1));
            let mut rng = stream(3, 0, id, Process::Politics);
            for year in [1963, 1967, 1971, 1975] {
                council.elect(&traits, &c.politics, Month::new(year, 9), &mut rng);
                assert!((1..=council.parties_in_council).contains(&council.coalition_parties));
                assert!(council.parties_in_council <= traits.council_seats);
                let chance = council.new_mayor_chance(&c.politics);
                assert!((0.0..=1.0).contains(&chance));
            }
        }
    }

    #[test]
    fn a_fixed_base_brings_its_parties_into_the_council() {
        let c = test_config("[politics]\nfixed_coalition_parties = 7\n");
        let traits = population::draw(&c, 0, 0);
        let mut council = Council::new(Month::new(2019, 1));
        council.elect(&traits, &c.politics, Month::new(2019, 9), &mut stream(1, 0, 0, Process::Politics));
        assert_eq!(council.coalition_parties, 7.min(traits.council_seats));
        assert!(council.parties_in_council >= council.coalition_parties);
    }
}
