//! The kommunedirektør: who is recruited (background by the career-path shares, age, contract,
//! role expectations), and the dates that make up a career in the post.

use crate::foundation::calendar::Month;
use crate::foundation::rng::{self, Stream};
use crate::model::relationship;
use crate::scenario::categories::{
    Category, Education, Expectations, LeadershipEducation, PreviousPost, category,
};
use crate::scenario::config::Config;

category! {
    /// The director's contract.
    Contract {
        Permanent = "permanent",
        /// Åremål: a fixed term, renewed or not when it ends.
        FixedTerm = "fixed_term",
        /// Konstituert: acting while the post is vacant.
        Acting = "acting",
    }
}

/// The kommunedirektør (or the acting director while the post is vacant).
#[derive(Debug, Clone, PartialEq)]
pub struct Director {
    pub(crate) birth: Month,
    pub(crate) in_post_since: Month,
    pub(crate) in_municipality_since: Month,
    pub(crate) woman: bool,
    pub(crate) education: Education,
    pub(crate) leadership_education: LeadershipEducation,
    pub(crate) previous_post: PreviousPost,
    pub(crate) contract: Contract,
    pub(crate) severance: bool,
    /// Reach into other municipalities' networks: pulls toward career moves.
    pub(crate) network: f64,
    /// Personal mobility (log scale), fixed at hiring.
    pub(crate) mobility: f64,
    /// How clearly the contract states result requirements and tasks (standardised), fixed at hiring.
    pub(crate) contract_clarity: f64,
    /// The director's role dispositions per zone (standard normal, persistent: they move with
    /// the person); `expectations` are their categories.
    pub(crate) dispositions: [f64; 4],
    /// What the director expects of the role in each zone.
    pub(crate) expectations: Expectations,
    /// Where a director recruited from another municipality's director post came from (its index
    /// in the world).
    pub(crate) previous_municipality: Option<u32>,
    /// End of a fixed-term contract or of the acting period.
    pub(crate) term_ends: Option<Month>,
}

impl Director {
    pub fn age(&self, t: Month) -> f64 {
        f64::from(t.0 - self.birth.0) / 12.0
    }
    pub fn years_in_post(&self, t: Month) -> f64 {
        f64::from(t.0 - self.in_post_since.0) / 12.0
    }
    pub fn years_in_municipality(&self, t: Month) -> f64 {
        f64::from(t.0 - self.in_municipality_since.0) / 12.0
    }
    pub fn is_acting(&self) -> bool {
        self.contract == Contract::Acting
    }
    pub fn contract(&self) -> Contract {
        self.contract
    }
    pub fn expectations(&self) -> &Expectations {
        &self.expectations
    }
    pub fn previous_post(&self) -> PreviousPost {
        self.previous_post
    }
    pub fn severance(&self) -> bool {
        self.severance
    }
    /// Whether a fixed term or acting period has run out by month `t`.
    pub(crate) fn term_over(&self, t: Month) -> bool {
        self.term_ends.is_some_and(|end| t >= end)
    }

    /// Draws a recruit for the post from the candidates who are not sitting directors (those
    /// come through the labour market), background by the career-path shares. `culture` is the
    /// municipality's role culture, which an internal recruit shares. Every recruit consumes the
    /// same number of draws, whatever their background, so later draws of the stream do not
    /// depend on who was recruited.
    pub(crate) fn recruit(config: &Config, rng: &mut Stream, t: Month, culture: &[f64; 4]) -> Director {
        let previous_post = config.careers.previous_post.pick(rng::uniform(rng));
        Director::recruit_from(config, rng, t, culture, previous_post)
    }

    /// As `recruit`, with the background given (an acting director is an internal candidate).
    pub(crate) fn recruit_as(
        config: &Config,
        rng: &mut Stream,
        t: Month,
        culture: &[f64; 4],
        previous_post: PreviousPost,
    ) -> Director {
        rng::uniform(rng);
        Director::recruit_from(config, rng, t, culture, previous_post)
    }

    fn recruit_from(
        config: &Config,
        rng: &mut Stream,
        t: Month,
        culture: &[f64; 4],
        previous_post: PreviousPost,
    ) -> Director {
        let r = &config.recruitment;
        let c = &config.careers;
        let internal = previous_post == PreviousPost::OtherPostSameMunicipality;
        let age_mean = r.age_mean + if internal { r.internal_age_offset } else { 0.0 };
        let age = (age_mean + r.age_sd * rng::normal(rng)).clamp(r.age_min, r.age_max);
        let woman = rng::uniform(rng) < r.women_share;
        let education = c.education.pick(rng::uniform(rng));
        let leadership_education = c.leadership_education.pick(rng::uniform(rng));
        let fixed_term = rng::uniform(rng) < r.fixed_term_share;
        let severance = rng::uniform(rng) < r.severance_share;
        let mobility = config.exits.career_personal_sd * rng::normal(rng);
        let contract_clarity = rng::normal(rng);
        // A home-grown director shares the local role culture; others bring their own.
        let shared = if internal { config.dispositions.shared_in_municipality } else { 0.0 };
        let dispositions: [f64; 4] =
            std::array::from_fn(|z| shared.sqrt() * culture[z] + (1.0 - shared).sqrt() * rng::normal(rng));
        let expectations = relationship::expectations(&dispositions, &config.roles.director);
        let internal_years = -r.internal_years_in_municipality_mean * (1.0 - rng::uniform(rng)).ln();
        let birth = Month(t.0 - (age * 12.0).round() as i32);
        // Internal recruits (another post in the same municipality) arrive with years there
        // already, but not from before they were 20.
        let years_before = if internal { internal_years.min(age - 20.0).max(0.0) } else { 0.0 };
        let network = match previous_post {
            PreviousPost::SamePostOtherMunicipality => r.network_same_post,
            PreviousPost::OtherPostOtherMunicipality => r.network_other_municipality,
            _ => r.network_other,
        };
        Director {
            birth,
            in_post_since: t,
            in_municipality_since: Month(t.0 - (years_before * 12.0).round() as i32),
            woman,
            education,
            leadership_education,
            previous_post,
            contract: if fixed_term { Contract::FixedTerm } else { Contract::Permanent },
            severance,
            network,
            mobility,
            contract_clarity,
            dispositions,
            expectations,
            previous_municipality: None,
            term_ends: fixed_term.then(|| Month(t.0 + fixed_term_months(config))),
        }
    }
}

/// Length of a fixed-term (åremål) contract in whole months.
pub(crate) fn fixed_term_months(config: &Config) -> i32 {
    (config.exits.fixed_term_years * 12.0).round() as i32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::foundation::rng::{Process, stream};
    use crate::scenario::config::Config;
    use crate::scenario::test_config;

    const INTERNAL: &str = "[careers]\nprevious_post = \"other_post_same_municipality\"\n";
    const CULTURE: [f64; 4] = [0.0; 4];
    const PRIVATE: &str = "[careers]\nprevious_post = \"private_sector\"\n";

    /// `n` recruits of the scenario `extra` in January 2020, from the director stream of `seed`.
    fn recruits(extra: &str, seed: u64, n: usize) -> (Config, Month, Vec<Director>) {
        let c = test_config(extra);
        let t = Month::new(2020, 1);
        let mut rng = stream(seed, 0, 0, Process::Director);
        let recruits = (0..n).map(|_| Director::recruit(&c, &mut rng, t, &CULTURE)).collect();
        (c, t, recruits)
    }

    #[test]
    fn recruits_respect_the_age_bounds_and_their_contract() {
        let (c, t, recruits) = recruits("", 4, 2_000);
        for d in recruits {
            let age = d.age(t);
            let bounds = c.recruitment.age_min - 0.05..=c.recruitment.age_max + 0.05;
            assert!(bounds.contains(&age), "age {age}");
            assert!(d.in_municipality_since <= d.in_post_since);
            assert!(d.age(d.in_municipality_since) >= 19.9, "came at {}", d.age(d.in_municipality_since));
            match d.contract {
                Contract::FixedTerm => assert_eq!(d.term_ends, Some(Month(t.0 + fixed_term_months(&c)))),
                Contract::Permanent => assert_eq!(d.term_ends, None),
                Contract::Acting => panic!("recruits are never acting"),
            }
        }
    }

    #[test]
    fn only_internal_recruits_bring_years_in_the_municipality() {
        let (_, t, outsiders) = recruits(PRIVATE, 5, 200);
        assert!(outsiders.iter().all(|d| d.years_in_municipality(t) == 0.0));
        let (_, t, insiders) = recruits(INTERNAL, 5, 200);
        assert!(insiders.iter().map(|d| d.years_in_municipality(t)).sum::<f64>() > 0.0);
    }

    #[test]
    fn every_recruit_uses_the_same_number_of_draws() {
        // Two scenarios that differ in career paths recruit with the stream in the same place.
        let (a, b) = (test_config(PRIVATE), test_config(INTERNAL));
        let t = Month::new(2020, 1);
        let (mut ra, mut rb) = (stream(6, 0, 0, Process::Director), stream(6, 0, 0, Process::Director));
        Director::recruit(&a, &mut ra, t, &CULTURE);
        Director::recruit(&b, &mut rb, t, &CULTURE);
        assert_eq!(rng::uniform(&mut ra), rng::uniform(&mut rb));
    }
}
