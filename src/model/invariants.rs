//! What must hold of every municipality in every month, checked by the tests after every step
//! (test-only: the engine does not pay for it).

use crate::foundation::calendar::Month;
use crate::model::Municipality;
use crate::model::director::Contract;
use crate::scenario::config::Config;

impl Municipality {
    /// Checks the state's invariants in month `t`.
    pub(crate) fn check_invariants(&self, config: &Config, t: Month) -> Result<(), String> {
        let d = &self.director;
        let fail = |what: String| Err(format!("municipality {} at {t}: {what}", self.traits.id));
        match (d.contract, d.term_ends) {
            (Contract::Acting | Contract::FixedTerm, None) => {
                return fail(format!("a {:?} director without an end to the term", d.contract));
            }
            (Contract::Permanent, Some(_)) => return fail("a permanent director with a term end".into()),
            _ => {}
        }
        if d.in_post_since > t || d.in_municipality_since > d.in_post_since {
            return fail(format!(
                "director in post since {} and in the municipality since {}",
                d.in_post_since, d.in_municipality_since
            ));
        }
        let age = d.age(t);
        if !(18.0..=config.exits.max_age + 1.0).contains(&age) {
            return fail(format!("director aged {age:.1}"));
        }
        if d.age(d.in_municipality_since) < 18.0 {
            return fail("director came to the municipality before turning 18".into());
        }
        let pair = &self.pair;
        if !(0.0..=1.0).contains(&pair.trust) || !(0.0..=1.0).contains(&pair.resting_trust) {
            return fail(format!("trust {} (resting {})", pair.trust, pair.resting_trust));
        }
        if pair.mismatch != self.role_mismatch() {
            return fail(format!(
                "the pair's mismatch {:?} is not its members' {:?}",
                pair.mismatch,
                self.role_mismatch()
            ));
        }
        let council = &self.council;
        if !(1..=council.parties_in_council).contains(&council.coalition_parties)
            || council.parties_in_council > self.traits.council_seats
        {
            return fail(format!(
                "{} parties in a base of {} with {} seats",
                council.coalition_parties, council.parties_in_council, self.traits.council_seats
            ));
        }
        if self.mayor.since > t || council.last_election > t {
            return fail("mayor or election in the future".into());
        }
        if self.climate().iter().any(|c| !c.is_finite()) {
            return fail("climate not finite".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Derived;
    use crate::scenario::test_config;
    use crate::sim::run::simulate_world_until;

    #[test]
    fn invariants_hold_every_month_in_every_municipality() {
        let c = test_config("");
        let d = Derived::new(&c);
        for rep in 0..2 {
            simulate_world_until(&c, &d, rep, c.calendar.end, |w, t| {
                for m in w.municipalities() {
                    if let Err(e) = m.check_invariants(&c, t) {
                        panic!("{e}");
                    }
                }
            });
        }
    }

    #[test]
    fn the_check_catches_a_broken_state() {
        let c = test_config("");
        let mut m = crate::model::test_municipality(&c, 0);
        let t = c.calendar.start;
        assert!(m.check_invariants(&c, t).is_ok());
        m.pair.trust = 1.5;
        assert!(m.check_invariants(&c, t).unwrap_err().contains("trust"));
    }
}
