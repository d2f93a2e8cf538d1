//! Development measures: the practices KS recommends (Table 2.15 of the 2020 report, plus the
//! director's development conversation), when a municipality holds them, and what holding one
//! does to the relationship between mayor and director.
//!
//! A term's measures are scheduled at each election (`Schedule::plan_term`): annual ones in
//! their month every year; once-a-term ones (and "rarer" ones, with some chance) when such
//! measures come: the delegation review in the first full year after the election (the Local
//! Government Act asks for it then), councillor training in the first three months (the new
//! council's introduction), the others at any time of the term. Holding a measure
//! (`Municipality::hold_measure`) clarifies roles, leaves a working agreement on roles (nobody's
//! expectations change), repairs trust, widens the director's network or lifts the council's
//! climate, each as the measure does.

use std::ops::{Index, IndexMut};

use crate::foundation::calendar::Month;
use crate::foundation::rng::{self, Stream};
use crate::model::Municipality;
use crate::model::population::Traits;
use crate::model::relationship::Relationship;
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
    /// The earliest month in `next` (`i32::MAX` if none), so that most months need one comparison.
    soonest: i32,
}

impl Schedule {
    pub(crate) fn empty() -> Schedule {
        Schedule { next: PerMeasure([None; Measure::ALL.len()]), soonest: i32::MAX }
    }

    fn update_soonest(&mut self) {
        self.soonest = self.next.0.iter().flatten().map(|m| m.0).min().unwrap_or(i32::MAX);
    }

    /// Schedules the measures of the term that starts at election month `t`. Two draws per
    /// measure, whatever its frequency, so the stream's use does not depend on the practices.
    pub(crate) fn plan_term(
        &mut self,
        traits: &Traits,
        d: &Development,
        t: Month,
        term_months: i32,
        rng: &mut Stream,
    ) {
        let first_full_year = t.year() + 1;
        for &k in Measure::ALL {
            let u = rng::uniform(rng);
            let held_this_term = rng::uniform(rng) < d.rarer_per_term_probability;
            let when = match k {
                Measure::DelegationReview => Month(Month::new(first_full_year, 1).0 + (u * 12.0) as i32),
                Measure::CouncillorTraining => Month(t.0 + 1 + (u * 3.0) as i32),
                _ => Month(t.0 + 1 + (u * f64::from((term_months - 2).max(1))) as i32),
            };
            self.next[k] = match traits.measures[k] {
                HowOften::Annual => {
                    let this_year = Month::new(t.year(), 1).0 + i32::from(traits.measure_month[k]);
                    Some(Month(if this_year > t.0 { this_year } else { this_year + 12 }))
                }
                HowOften::PerTerm => Some(when),
                HowOften::Rarer if held_this_term => Some(when),
                HowOften::Rarer | HowOften::Never => None,
            };
        }
        self.update_soonest();
    }

    /// After the municipality's practices changed in month `t` (a reform adopted; `before` the
    /// frequencies it had): a measure now held yearly comes in its month from `t` on, one no
    /// longer held is dropped, and one now held once a term (or rarer) keeps what the term
    /// planned until the next election plans it anew.
    pub(crate) fn adopt(&mut self, before: &PerMeasure<HowOften>, traits: &Traits, t: Month) {
        for &k in Measure::ALL {
            if before[k] == traits.measures[k] {
                continue;
            }
            match traits.measures[k] {
                HowOften::Annual => {
                    let this_year = Month::new(t.year(), 1).0 + i32::from(traits.measure_month[k]);
                    self.next[k] = Some(Month(if this_year >= t.0 { this_year } else { this_year + 12 }));
                }
                HowOften::Never => self.next[k] = None,
                HowOften::PerTerm | HowOften::Rarer => {}
            }
        }
        self.update_soonest();
    }

    /// Whether any measure is held in month `t`.
    #[inline]
    pub(crate) fn any_due(&self, t: Month) -> bool {
        t.0 >= self.soonest && self.next.0.contains(&Some(t))
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
        self.update_soonest();
    }
}

impl Municipality {
    /// Holds development measure `k` this month.
    #[cold]
    #[inline(never)]
    pub(crate) fn hold_measure(&mut self, config: &Config, k: Measure) {
        let d = &config.development;
        match k {
            Measure::DelegationReview => {
                let pair = &mut self.pair;
                pair.agree(d.delegation_review_agreement);
                pair.role_clarity = pair.role_clarity.max(d.delegation_review_clarity);
                // Politicians delegate more to a director they trust.
                pair.discretion =
                    self.traits.discretion_base + d.discretion_trust_response * (pair.trust - 0.8);
            }
            Measure::MeetingRoutinesReview => {
                self.pair.role_clarity = (self.pair.role_clarity + d.routines_review_clarity).min(1.0);
            }
            Measure::RoleUnderstandingMeetings => self.pair.agree(d.role_meeting_agreement),
            Measure::InterMunicipalLearning | Measure::DirectorRelease => {
                self.director.network += d.network_gain;
            }
            Measure::CouncillorTraining => self.climate.train(&config.climate),
            Measure::DevelopmentConversation => {
                let effectiveness = match self.traits.conversation_form {
                    ConversationForm::EmployerCommittee => 1.0,
                    ConversationForm::Formannskap => d.conversation_formannskap_effectiveness,
                    ConversationForm::Other | ConversationForm::None => d.conversation_other_effectiveness,
                };
                self.pair.repair((d.conversation_repair * effectiveness).min(1.0));
                self.pair.agree((d.conversation_agreement * effectiveness).min(1.0));
            }
        }
    }
}

impl Relationship {
    /// A measure leaves a working agreement on roles of at least `level`.
    pub(crate) fn agree(&mut self, level: f64) {
        self.agreement = self.agreement.max(level);
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
        s.plan_term(&traits, &c.development, election, 48, &mut stream(1, 0, 0, Process::Events));
        let march = Month::parse("2020-03").unwrap();
        assert!(s.any_due(march));
        assert!(s.is_due(Measure::DelegationReview, march));
        s.held(Measure::DelegationReview, HowOften::Annual, march);
        assert!(s.is_due(Measure::DelegationReview, Month(march.0 + 12)));
    }

    #[test]
    fn the_delegation_review_falls_in_the_first_full_year_training_at_once_and_never_ones_never() {
        let c = test_config("");
        let mut traits = traits_with(Measure::DelegationReview, HowOften::PerTerm);
        traits.measures[Measure::CouncillorTraining] = HowOften::PerTerm;
        traits.measures[Measure::DirectorRelease] = HowOften::Never;
        let election = Month::parse("2019-09").unwrap();
        for seed in 0..20 {
            let mut s = Schedule::empty();
            s.plan_term(&traits, &c.development, election, 48, &mut stream(seed, 0, 0, Process::Events));
            let when = s.next[Measure::DelegationReview].expect("scheduled");
            assert_eq!(when.year(), 2020);
            let training = s.next[Measure::CouncillorTraining].expect("scheduled");
            assert!((1..=3).contains(&(training.0 - election.0)), "training {training}");
            assert_eq!(s.next[Measure::DirectorRelease], None);
            s.held(Measure::DelegationReview, HowOften::PerTerm, when);
            assert_eq!(s.next[Measure::DelegationReview], None, "once a term");
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
    fn a_delegation_review_clarifies_roles_and_leaves_an_agreement_without_changing_expectations() {
        let c = test_config("");
        let mut m = test_municipality(&c, 2);
        m.pair.role_clarity = 0.0;
        m.pair.agreement = 0.0;
        let (mayor, director) = (m.mayor.expectations, m.director.expectations);
        m.hold_measure(&c, Measure::DelegationReview);
        assert_eq!(m.pair.role_clarity, c.development.delegation_review_clarity);
        assert_eq!(m.pair.agreement, c.development.delegation_review_agreement);
        assert_eq!((m.mayor.expectations, m.director.expectations), (mayor, director));
    }
}
