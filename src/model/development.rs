//! Development measures: the practices KS recommends (Table 2.15 of the 2020 report, plus the
//! director's development conversation), when a municipality holds them, and what holding one
//! does to the relationship between mayor and director.
//!
//! A term's measures are scheduled at each election (`Schedule::plan_term`): annual ones in
//! their month every year, once-a-term ones in the first full year after the election, "rarer"
//! ones there too with some chance. Holding a measure (`Municipality::hold_measure`) clarifies
//! roles, realigns role expectations, repairs trust, widens the director's network or lifts
//! the council's climate, each as the measure does.

use std::ops::{Index, IndexMut};

use crate::foundation::calendar::Month;
use crate::foundation::rng::{self, Stream};
use crate::model::Municipality;
use crate::model::population::Traits;
use crate::scenario::categories::{Category, ConversationForm, HowOften, category};
use crate::scenario::config::Config;
use crate::scenario::params::Development;

category! {
    /// The development measures, in the order the engine schedules them.
    Measure {
        DelegationReview = "delegation_review", MeetingRoutinesReview = "meeting_routines_review",
        RoleUnderstandingMeetings = "role_understanding_meetings",
        InterMunicipalLearning = "inter_municipal_learning", CouncillorTraining = "councillor_training",
        DirectorRelease = "director_release", DevelopmentConversation = "development_conversation",
    }
}

impl Measure {
    /// Whether the mayor takes part in the measure. The administration's own measures (learning
    /// from other municipalities, the director's release for self-development) are the
    /// director's affairs; the mayor hears of them, if at all.
    pub fn involves_mayor(self) -> bool {
        !matches!(self, Measure::InterMunicipalLearning | Measure::DirectorRelease)
    }
}

/// One value per development measure, indexed by `Measure`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PerMeasure<T>(pub [T; Measure::ALL.len()]);

impl<T> Index<Measure> for PerMeasure<T> {
    type Output = T;
    #[inline]
    fn index(&self, m: Measure) -> &T {
        &self.0[m.index()]
    }
}

impl<T> IndexMut<Measure> for PerMeasure<T> {
    #[inline]
    fn index_mut(&mut self, m: Measure) -> &mut T {
        &mut self.0[m.index()]
    }
}

/// When each measure is next held (`None`: not this term).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Schedule {
    next: PerMeasure<Option<Month>>,
}

impl Schedule {
    pub(crate) fn empty() -> Schedule {
        Schedule { next: PerMeasure([None; Measure::ALL.len()]) }
    }

    /// Schedules the measures of the term that starts at election month `t`. Two draws per
    /// measure, whatever its frequency, so the stream's use does not depend on the practices.
    pub(crate) fn plan_term(&mut self, traits: &Traits, d: &Development, t: Month, rng: &mut Stream) {
        let first_full_year = t.year() + 1;
        for &k in Measure::ALL {
            let month_in_year = (rng::uniform(rng) * 12.0) as i32;
            let held_this_term = rng::uniform(rng) < d.rarer_per_term_probability;
            let in_first_year = Month(Month::new(first_full_year, 1).0 + month_in_year);
            self.next[k] = match traits.measures[k] {
                HowOften::Annual => {
                    let this_year = Month::new(t.year(), 1).0 + i32::from(traits.measure_month[k]);
                    Some(Month(if this_year > t.0 { this_year } else { this_year + 12 }))
                }
                HowOften::PerTerm => Some(in_first_year),
                HowOften::Rarer if held_this_term => Some(in_first_year),
                HowOften::Rarer | HowOften::Never => None,
            };
        }
    }

    /// Whether any measure is held in month `t`.
    #[inline]
    pub(crate) fn any_due(&self, t: Month) -> bool {
        self.next.0.contains(&Some(t))
    }

    /// Whether measure `k` is held in month `t`.
    #[inline]
    pub(crate) fn is_due(&self, k: Measure, t: Month) -> bool {
        self.next[k] == Some(t)
    }

    /// After holding `k` in month `t`: an annual measure comes back a year later, any other not
    /// before the next term is planned.
    pub(crate) fn held(&mut self, k: Measure, how_often: HowOften, t: Month) {
        self.next[k] = (how_often == HowOften::Annual).then_some(Month(t.0 + 12));
    }
}

impl Municipality {
    /// Holds development measure `k` this month.
    pub(crate) fn hold_measure(&mut self, config: &Config, k: Measure) {
        let d = &config.development;
        match k {
            Measure::DelegationReview => {
                self.realign(d.delegation_review_realign);
                let pair = &mut self.pair;
                pair.role_clarity = pair.role_clarity.max(d.delegation_review_clarity);
                // Politicians delegate more to a director they trust.
                pair.discretion =
                    self.traits.discretion_base + d.discretion_trust_response * (pair.trust - 0.8);
            }
            Measure::MeetingRoutinesReview => {
                self.pair.role_clarity = (self.pair.role_clarity + d.routines_review_clarity).min(1.0);
            }
            Measure::RoleUnderstandingMeetings => self.realign(d.role_meeting_realign),
            Measure::InterMunicipalLearning | Measure::DirectorRelease => {
                self.director.network += d.network_gain;
            }
            Measure::CouncillorTraining => self.climate.train(config.climate.training_effect),
            Measure::DevelopmentConversation => {
                let effectiveness = match self.traits.conversation_form {
                    ConversationForm::EmployerCommittee => 1.0,
                    ConversationForm::Formannskap => d.conversation_formannskap_effectiveness,
                    ConversationForm::Other | ConversationForm::None => d.conversation_other_effectiveness,
                };
                self.pair.repair((d.conversation_repair * effectiveness).min(1.0));
                self.realign((d.conversation_realign * effectiveness).min(1.0));
            }
        }
    }

    /// In each zone where mayor and director disagree, with chance `p` one adopts the other's
    /// view. Two draws per zone, whether or not they disagree.
    fn realign(&mut self, p: f64) {
        let rng = &mut self.streams.events;
        for z in 0..4 {
            let happens = rng::uniform(rng) < p;
            let mayor_yields = rng::uniform(rng) < 0.5;
            let (mayor, director) = (&mut self.mayor.expectations[z], &mut self.director.expectations[z]);
            if happens && *mayor != *director {
                if mayor_yields {
                    *mayor = *director;
                } else {
                    *director = *mayor;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::foundation::rng::{Process, stream};
    use crate::model::population;
    use crate::model::test_municipality;
    use crate::scenario::test_config;

    fn traits_with(measure: Measure, how: HowOften) -> Traits {
        let mut t = population::draw(&test_config(""), 0, 0);
        t.measures[measure] = how;
        t
    }

    #[test]
    fn annual_measures_come_in_their_month_and_return_a_year_later() {
        let c = test_config("");
        let mut traits = traits_with(Measure::DelegationReview, HowOften::Annual);
        traits.measure_month[Measure::DelegationReview] = 2;
        let mut s = Schedule::empty();
        let election = Month::parse("2019-09").unwrap();
        s.plan_term(&traits, &c.development, election, &mut stream(1, 0, 0, Process::Events));
        let march = Month::parse("2020-03").unwrap();
        assert!(s.any_due(march));
        assert!(s.is_due(Measure::DelegationReview, march));
        s.held(Measure::DelegationReview, HowOften::Annual, march);
        assert!(s.is_due(Measure::DelegationReview, Month(march.0 + 12)));
    }

    #[test]
    fn per_term_measures_fall_in_the_first_full_year_and_never_ones_never() {
        let c = test_config("");
        let mut traits = traits_with(Measure::CouncillorTraining, HowOften::PerTerm);
        traits.measures[Measure::DirectorRelease] = HowOften::Never;
        let election = Month::parse("2019-09").unwrap();
        for seed in 0..20 {
            let mut s = Schedule::empty();
            s.plan_term(&traits, &c.development, election, &mut stream(seed, 0, 0, Process::Events));
            let when = s.next[Measure::CouncillorTraining].expect("scheduled");
            assert_eq!(when.year(), 2020);
            assert_eq!(s.next[Measure::DirectorRelease], None);
            s.held(Measure::CouncillorTraining, HowOften::PerTerm, when);
            assert_eq!(s.next[Measure::CouncillorTraining], None, "once a term");
        }
    }

    #[test]
    fn a_development_conversation_repairs_trust_toward_its_resting_level() {
        let c = test_config("");
        let mut m = test_municipality(&c, 1);
        m.pair.resting_trust = 0.9;
        m.pair.trust = 0.5;
        m.traits.conversation_form = ConversationForm::EmployerCommittee;
        m.hold_measure(&c, Measure::DevelopmentConversation);
        assert!(m.pair.trust > 0.5 && m.pair.trust <= 0.9, "trust {}", m.pair.trust);
    }

    #[test]
    fn a_delegation_review_clarifies_roles() {
        let c = test_config("");
        let mut m = test_municipality(&c, 2);
        m.pair.role_clarity = 0.0;
        m.hold_measure(&c, Measure::DelegationReview);
        assert_eq!(m.pair.role_clarity, c.development.delegation_review_clarity);
    }
}
