//! Known facts about one real municipality, laid over its simulated state (`samspill profile
//! --set KEY=VALUE`): the governing base, the director's age, years in post and severance
//! agreement, the pair's informal contact and any practice. What is not set stays as the
//! simulation drew it.

use crate::foundation::calendar::Month;
use crate::model::Municipality;
use crate::model::development::Measure;
use crate::scenario::categories::{
    Category, ConversationForm, Frequency, HowOften, InformalContact, OfficeDistance, Recommender,
};
use crate::scenario::config::Config;

/// Every key `set_fact` knows, with what it takes.
pub const FACTS: [(&str, &str); 17] = [
    ("coalition_parties", "parties in the mayor's governing base, 1–15"),
    ("director_age", "the director's age in years, 25–75"),
    ("director_years_in_post", "the director's years in post, 0–40"),
    ("director_severance_agreement", "true or false"),
    ("informal_contact", "daily, several_per_week, weekly, rarer"),
    ("fixed_meetings", "weekly, monthly, rarer, none"),
    ("leader_group_forum", "weekly, monthly, rarer, none"),
    ("office_distance", "same_floor, different_floors, different_buildings"),
    ("delegation_review", "annual, per_term, rarer, never"),
    ("meeting_routines_review", "annual, per_term, rarer, never"),
    ("role_understanding_meetings", "annual, per_term, rarer, never"),
    ("inter_municipal_learning", "annual, per_term, rarer, never"),
    ("councillor_training", "annual, per_term, rarer, never"),
    ("director_release", "annual, per_term, rarer, never"),
    ("development_conversation", "employer_committee, formannskap, other, none"),
    ("who_recommends", "director, formannskap_or_mayor, sector_committee, varies"),
    ("mayor_years_in_post", "the mayor's years in post, 0–40"),
];

/// The category called `name`.
fn named<C: Category>(name: &str) -> Option<C> {
    C::ALL.iter().zip(C::NAMES).find(|(_, n)| **n == name).map(|(c, _)| *c)
}

fn number(value: &str, lo: f64, hi: f64) -> Option<f64> {
    value.trim().parse::<f64>().ok().filter(|v| (lo..=hi).contains(v))
}

impl Municipality {
    /// Sets the known fact `key` to `value` at the start of month `t`. An error says what the
    /// key takes (or which keys there are).
    pub fn set_fact(&mut self, config: &Config, key: &str, value: &str, t: Month) -> Result<(), String> {
        let takes = FACTS.iter().find(|(k, _)| *k == key).map(|(_, takes)| *takes).ok_or_else(|| {
            let keys: Vec<&str> = FACTS.iter().map(|(k, _)| *k).collect();
            format!("`{key}` is not a fact samspill can set; known: {}", keys.join(", "))
        })?;
        let bad = || format!("{key} = {value:?}: {key} takes {takes}");
        let before = self.traits.measures;
        let measure = |m: Measure| (m, named::<HowOften>(value));
        let months = |years: f64| (years * 12.0).round() as i32;
        match key {
            "coalition_parties" => {
                let n = number(value, 1.0, 15.0).filter(|v| v.fract() == 0.0).ok_or_else(bad)? as u32;
                self.council.coalition_parties = n;
                self.council.parties_in_council = self.council.parties_in_council.max(n);
            }
            "director_age" => {
                let age = number(value, 25.0, 75.0).ok_or_else(bad)?;
                self.director.birth = Month(t.0 - months(age));
            }
            "director_years_in_post" => {
                let years = number(value, 0.0, 40.0).ok_or_else(bad)?;
                let d = &mut self.director;
                d.in_post_since = Month(t.0 - months(years));
                d.in_municipality_since = d.in_municipality_since.min(d.in_post_since);
            }
            "mayor_years_in_post" => {
                let years = number(value, 0.0, 40.0).ok_or_else(bad)?;
                self.mayor.since = Month(t.0 - months(years));
            }
            "director_severance_agreement" => {
                self.director.severance = value.trim().parse::<bool>().map_err(|_| bad())?;
            }
            "informal_contact" => {
                self.pair.informal_contact = named::<InformalContact>(value).ok_or_else(bad)?;
            }
            "fixed_meetings" => self.traits.fixed_meetings = named::<Frequency>(value).ok_or_else(bad)?,
            "leader_group_forum" => {
                self.traits.leader_group_forum = named::<Frequency>(value).ok_or_else(bad)?
            }
            "office_distance" => {
                self.traits.office_distance = named::<OfficeDistance>(value).ok_or_else(bad)?
            }
            "who_recommends" => self.traits.who_recommends = named::<Recommender>(value).ok_or_else(bad)?,
            "development_conversation" => {
                let form = named::<ConversationForm>(value).ok_or_else(bad)?;
                self.traits.conversation_form = form;
                self.traits.measures[Measure::DevelopmentConversation] =
                    if form == ConversationForm::None { HowOften::Never } else { HowOften::Annual };
            }
            _ => {
                let (m, how) = match key {
                    "delegation_review" => measure(Measure::DelegationReview),
                    "meeting_routines_review" => measure(Measure::MeetingRoutinesReview),
                    "role_understanding_meetings" => measure(Measure::RoleUnderstandingMeetings),
                    "inter_municipal_learning" => measure(Measure::InterMunicipalLearning),
                    "councillor_training" => measure(Measure::CouncillorTraining),
                    _ => measure(Measure::DirectorRelease),
                };
                self.traits.measures[m] = how.ok_or_else(bad)?;
            }
        }
        self.practices_changed(&config.exits, &before, t);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::world::World;
    use crate::scenario::test_config;

    #[test]
    fn facts_set_the_state_and_bad_ones_say_what_the_key_takes() {
        let c = test_config("[population]\nmunicipalities = 4\n");
        let mut world = World::new(&c, 0);
        let t = Month::new(1961, 1);
        let m = world.municipality_mut(0);
        m.set_fact(&c, "director_age", "61", t).unwrap();
        assert!((m.director.age(t) - 61.0).abs() < 0.1);
        m.set_fact(&c, "coalition_parties", "4", t).unwrap();
        assert_eq!(m.council.coalition_parties, 4);
        m.set_fact(&c, "delegation_review", "annual", t).unwrap();
        assert_eq!(m.traits.measures[Measure::DelegationReview], HowOften::Annual);
        let e = m.set_fact(&c, "delegation_review", "weekly", t).unwrap_err();
        assert!(e.contains("annual, per_term"), "{e}");
        let e = m.set_fact(&c, "mayor_mood", "1", t).unwrap_err();
        assert!(e.contains("known: coalition_parties"), "{e}");
    }
}
