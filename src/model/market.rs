//! The labour market for directors.
//!
//! A director who leaves opens a vacancy: an acting director (an internal candidate) holds the
//! post while it is advertised. When the search ends, the council draws from the field of
//! candidates who applied:
//!
//! - sitting directors of other municipalities, each weighted by their intention to move
//!   (`exits::intention`) and by how much of a step up the post is for them (larger and more
//!   central places attract: `market.size_pull`, `market.centrality_pull`);
//! - everyone else (deputies and sector leaders at home, other municipalities' staff, the state,
//!   the private sector): `market.other_candidates` per municipality of the world, with the
//!   backgrounds of `careers.previous_post`.
//!
//! A search succeeds with chance field / (field + `market.thin_field` × open vacancies): when
//! many posts are open at once, the field thins, and failed searches run on (the post is
//! advertised again), so a tight market lengthens acting periods. A sitting director who takes
//! the post leaves their own municipality as a career move, which opens a vacancy there: a
//! vacancy chain. The posts advertised in the last twelve months are what directors see of the
//! market (`openness`), which feeds their intentions.
//!
//! Randomness: the world's market stream draws one number a month (where the month's filling
//! starts); each vacancy draws from its own municipality's market stream. So a reform that
//! changes one municipality's vacancies shifts no other municipality's draws (common random
//! numbers hold as far as the interaction allows).

use crate::foundation::calendar::Month;
use crate::foundation::fastmath;
use crate::foundation::rng::{self, Process, Stream, WORLD};
use crate::model::director::Director;
use crate::model::exits::ExitReason;
use crate::model::world::Regime;
use crate::model::{MonthEvents, Municipality};
use crate::scenario::categories::PreviousPost;
use crate::scenario::config::Config;

/// The market's state.
#[derive(Debug, Clone)]
pub(crate) struct Market {
    /// The world's market stream: one draw a month, where the month's filling starts.
    rng: Stream,
    /// How attractive each municipality's post is (exp of `post_appeal_log`; fixed traits).
    appeal: Vec<f64>,
    /// The month's candidate weights and searches that end (buffers kept between months).
    weight: Vec<f64>,
    due: Vec<usize>,
    /// The appeal of the posts that fell vacant, summed by month of the year: the last twelve
    /// months.
    recent: [f64; 12],
}

impl Market {
    pub(crate) fn new(config: &Config, replication: u32, municipalities: &[Municipality]) -> Market {
        Market {
            rng: rng::stream(config.seed, replication, WORLD, Process::Market),
            appeal: municipalities.iter().map(|m| m.post_appeal_log(config).exp()).collect(),
            weight: Vec::with_capacity(municipalities.len()),
            due: Vec::new(),
            recent: [0.0; 12],
        }
    }

    /// The market as directors see it (log scale): the appeal of the posts advertised in the
    /// last twelve months per municipality of the world. A director's own view subtracts how
    /// attractive their own post already is (`Municipality::intention`).
    pub(crate) fn openness(&self, municipalities: usize) -> f64 {
        (0.02 + self.recent.iter().sum::<f64>() / municipalities.max(1) as f64).ln()
    }

    /// Fills the posts whose search ends this month, in an order drawn from the market's stream.
    pub(crate) fn fill(
        &mut self,
        regime: Regime,
        adopted: &[bool],
        t: Month,
        municipalities: &mut [Municipality],
        events: &mut [MonthEvents],
    ) {
        let n = municipalities.len();
        // The market is national: its own parameters are the scenario's; each post's recruitment
        // follows its municipality's configuration (a reform's, where adopted).
        let k = &regime.config.market;
        let config_of = |i: usize| regime.of(adopted, i).0;
        // Each sitting director's weight as a candidate, before the post's appeal: intention,
        // and the step up (a post's appeal over their own).
        // One pass: the weights, their total, the open posts and the searches that end.
        let cap = fastmath::exp(5.0);
        let mut weight = std::mem::take(&mut self.weight);
        let mut due = std::mem::take(&mut self.due);
        weight.clear();
        due.clear();
        let (mut total, mut open) = (0.0, 0usize);
        for (i, ((m, appeal), ev)) in municipalities.iter().zip(&self.appeal).zip(events.iter()).enumerate() {
            let w = if m.director.is_acting() {
                open += 1;
                0.0
            } else if m.director.in_post_since == t {
                0.0
            } else {
                // e^min(intention, 5), from e^min(intention, 10).
                (if m.intention <= 5.0 { m.mobility } else { cap }) / appeal
            };
            weight.push(w);
            total += w;
            if ev.search_ends {
                due.push(i);
            }
        }
        let others = k.other_candidates * n as f64;
        let start = (rng::uniform(&mut self.rng) * n as f64) as usize;
        // In turn from municipality `start` on.
        let first = due.partition_point(|&i| i < start);
        for &i in due[first..].iter().chain(&due[..first]) {
            // (A post filled otherwise this month, at the merger, is not on the market.)
            if !municipalities[i].director.is_acting() {
                continue;
            }
            let own = &mut municipalities[i].streams.market;
            let (u_fill, u_who) = (rng::uniform(own), rng::uniform(own));
            let sitting = self.appeal[i] * (total - weight[i]).max(0.0);
            let field = sitting + others;
            if u_fill * (field + k.thin_field * open as f64) >= field {
                // Too thin a field: the post is advertised again and the acting period runs on.
                let more =
                    rng::geometric_months(&mut municipalities[i].streams.market, k.readvertise_months).max(1);
                municipalities[i].director.term_ends = Some(Month(t.0 + more));
                continue;
            }
            if u_who * field < sitting {
                let target = u_who * field / self.appeal[i];
                let j = pick(&weight, i, target);
                let from = &municipalities[j];
                let lost_trust = config_of(j).exits.career_distrust_effect * (1.0 - from.pair.trust);
                let conflict_share = 1.0 - fastmath::exp(-lost_trust.max(0.0));
                let mover = municipalities[j].director_leaves(
                    config_of(j),
                    t,
                    ExitReason::CareerMove,
                    conflict_share,
                    &mut events[j],
                );
                total -= weight[j];
                weight[j] = 0.0;
                municipalities[i].hire_from(config_of(i), t, mover, j as u32);
                events[i].recruited_from = Some(j as u32);
            } else {
                let (m, config) = (&mut municipalities[i], config_of(i));
                let recruit = Director::recruit(config, &mut m.streams.director, t, &m.traits.role_culture);
                let internal = recruit.previous_post == PreviousPost::OtherPostSameMunicipality;
                if internal
                    && rng::uniform(&mut m.streams.market) < config.recruitment.acting_hired_probability
                {
                    m.confirm_acting(config, t, &recruit);
                } else {
                    m.appoint(config, t, recruit);
                }
                open -= 1;
            }
        }
        self.recent[t.month0() as usize] =
            events.iter().zip(&self.appeal).filter(|(ev, _)| ev.exit.is_some()).map(|(_, a)| a).sum();
        (self.weight, self.due) = (weight, due);
    }
}

/// The candidate whose weight's cumulative sum (leaving out `skip`) first exceeds `target`.
fn pick(weight: &[f64], skip: usize, target: f64) -> usize {
    let mut acc = 0.0;
    let mut last = None;
    for (j, w) in weight.iter().enumerate() {
        if j == skip || *w <= 0.0 {
            continue;
        }
        acc += w;
        last = Some(j);
        if target < acc {
            return j;
        }
    }
    // Rounding can leave the sum a hair below the target: the last candidate.
    last.expect("a sitting candidate exists when their weight is positive")
}

impl Municipality {
    /// A sitting director of municipality `from` takes up this post in month `t`: the person
    /// (age, background, network, dispositions) comes along; the contract is new.
    pub(crate) fn hire_from(&mut self, config: &Config, t: Month, mut mover: Director, from: u32) {
        let terms = Director::recruit(config, &mut self.streams.director, t, &self.traits.role_culture);
        mover.contract = terms.contract;
        mover.severance = terms.severance;
        mover.contract_clarity = terms.contract_clarity;
        mover.term_ends = terms.term_ends;
        mover.in_municipality_since = t;
        mover.previous_post = PreviousPost::SamePostOtherMunicipality;
        mover.previous_municipality = Some(from);
        mover.network = mover.network.max(config.recruitment.network_same_post);
        self.appoint(config, t, mover);
    }
}
