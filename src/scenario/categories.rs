//! The categories a scenario distributes municipalities, pairs and recruits over, as enums:
//! how often meetings and development measures happen, who holds the development
//! conversation, role expectations, a director's background. Each has the names the scenario
//! file and the outputs use, in the order the engine draws them by inversion (so a share table
//! reads the same whichever way a file lists it).

/// A closed set of named categories, in a fixed order.
pub trait Category: Copy + Eq + std::fmt::Debug + 'static {
    /// Every category, in order.
    const ALL: &'static [Self];
    /// The name of each category as scenario files and outputs write it, in the same order.
    const NAMES: &'static [&'static str];

    /// Position in `ALL`.
    fn index(self) -> usize;

    /// The name scenario files and outputs use.
    fn name(self) -> &'static str {
        Self::NAMES[self.index()]
    }
}

/// Declares category enums, each with its variants' names in order:
/// `/// doc` `Name { Variant = "name", … }`, one after another.
macro_rules! category {
    ($($(#[doc = $doc:literal])* $name:ident { $($(#[doc = $vdoc:literal])* $variant:ident = $text:literal),+ $(,)? })+) => {
        $(category!(@one $(#[doc = $doc])* $name { $($(#[doc = $vdoc])* $variant = $text),+ });)+
    };
    (@one $(#[doc = $doc:literal])* $name:ident { $($(#[doc = $vdoc:literal])* $variant:ident = $text:literal),+ }) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[doc = $vdoc])* $variant,)+
        }

        impl Category for $name {
            const ALL: &'static [Self] = &[$($name::$variant,)+];
            const NAMES: &'static [&'static str] = &[$($text,)+];
            #[inline]
            fn index(self) -> usize {
                self as usize
            }
        }
    };
}
pub(crate) use category;

category! {
    /// How often fixed meetings (mayor–director, or the political and administrative leader
    /// groups) are held.
    Frequency { Weekly = "weekly", Monthly = "monthly", Rarer = "rarer", None = "none" }
    /// How often mayor and director talk informally.
    InformalContact {
        Daily = "daily", SeveralPerWeek = "several_per_week", Weekly = "weekly", Rarer = "rarer",
    }
    /// How often a development measure is carried out (Table 2.15).
    HowOften { Annual = "annual", PerTerm = "per_term", Rarer = "rarer", Never = "never" }
    /// Who holds the development conversation with the director.
    ConversationForm {
        EmployerCommittee = "employer_committee", Formannskap = "formannskap", Other = "other", None = "none",
    }
    /// Who usually drafts the recommendation to the council.
    Recommender {
        Director = "director", FormannskapOrMayor = "formannskap_or_mayor",
        SectorCommittee = "sector_committee", Varies = "varies",
    }
    /// Distance between the mayor's and the director's offices.
    OfficeDistance {
        SameFloor = "same_floor", DifferentFloors = "different_floors",
        DifferentBuildings = "different_buildings",
    }
    /// A role expectation in a zone: what the official should do in the survey's vignette.
    Role {
        /// Professional independence.
        Independence = "independence",
        Dialogue = "dialogue",
        /// Political loyalty.
        Loyalty = "loyalty",
    }
    /// Svara's four zones of the politics–administration dichotomy.
    Zone {
        Administration = "administration", Organisation = "organisation", PolicyMaking = "policy_making",
        Politics = "politics",
    }
    /// A director's previous post (Table 3.6).
    PreviousPost {
        SamePostOtherMunicipality = "same_post_other_municipality",
        OtherPostSameMunicipality = "other_post_same_municipality",
        StateOrRegionalAdministration = "state_or_regional_administration",
        OtherPostOtherMunicipality = "other_post_other_municipality", PrivateSector = "private_sector",
        LabourAndBusinessOrganisations = "labour_and_business_organisations",
    }
    /// A director's education.
    Education {
        UpperSecondary = "upper_secondary", UniversityUpTo4Years = "university_up_to_4y",
        UniversityOver4Years = "university_over_4y",
    }
    /// A director's leadership education.
    LeadershipEducation { CreditBearing = "credit_bearing", NonCredit = "non_credit", None = "none" }
}

/// Role expectations in each of the four zones, in `Zone` order.
pub type Expectations = [Role; 4];

/// The most categories any distribution has (`PreviousPost`).
pub const MAX_CATEGORIES: usize = 6;

/// A distribution over the categories `C`, sampled by inversion from one uniform draw (so
/// overriding a distribution never shifts later draws of the same stream).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Categorical<C: Category> {
    /// Shares in `C::ALL` order; entries beyond `C::ALL.len()` are zero.
    shares: [f64; MAX_CATEGORIES],
    category: std::marker::PhantomData<C>,
}

impl<C: Category> Categorical<C> {
    /// A distribution from shares in `C::ALL` order (missing trailing shares count as 0).
    pub fn new(shares: &[f64]) -> Self {
        assert!(C::ALL.len() <= MAX_CATEGORIES && shares.len() <= C::ALL.len(), "one share per category");
        let mut s = [0.0; MAX_CATEGORIES];
        s[..shares.len()].copy_from_slice(shares);
        Categorical { shares: s, category: std::marker::PhantomData }
    }

    /// Every municipality (pair, recruit) in one category.
    pub fn all(category: C) -> Self {
        let mut shares = [0.0; MAX_CATEGORIES];
        shares[category.index()] = 1.0;
        Categorical { shares, category: std::marker::PhantomData }
    }

    /// The shares, in `C::ALL` order.
    pub fn shares(&self) -> &[f64] {
        &self.shares[..C::ALL.len()]
    }

    /// The category a uniform draw `u` in [0, 1) falls into.
    #[inline]
    pub fn pick(&self, u: f64) -> C {
        let shares = self.shares();
        let mut acc = 0.0;
        for (i, s) in shares.iter().enumerate() {
            acc += s;
            if u < acc {
                return C::ALL[i];
            }
        }
        // Rounding can leave the last cumulative share a hair below 1.
        let n = shares.len();
        C::ALL[(0..n).rev().find(|&i| shares[i] > 0.0).unwrap_or(n - 1)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pick_inverts_the_cumulative_shares() {
        let c = Categorical::<Frequency>::new(&[0.2, 0.0, 0.5, 0.3]);
        assert_eq!(c.pick(0.0), Frequency::Weekly);
        assert_eq!(c.pick(0.1999), Frequency::Weekly);
        assert_eq!(c.pick(0.2), Frequency::Rarer);
        assert_eq!(c.pick(0.6999), Frequency::Rarer);
        assert_eq!(c.pick(0.7), Frequency::None);
        assert_eq!(c.pick(0.99999999), Frequency::None);
        let d = Categorical::<Frequency>::new(&[0.5, 0.5 - 1e-12, 0.0, 0.0]);
        assert_eq!(
            d.pick(0.9999999999999),
            Frequency::Monthly,
            "rounding falls back to the last non-empty category"
        );
    }

    #[test]
    fn names_and_indices_line_up() {
        fn check<C: Category>() {
            assert_eq!(C::ALL.len(), C::NAMES.len());
            assert!(C::ALL.len() <= MAX_CATEGORIES);
            for (i, c) in C::ALL.iter().enumerate() {
                assert_eq!(c.index(), i);
                assert_eq!(c.name(), C::NAMES[i]);
            }
        }
        check::<Frequency>();
        check::<InformalContact>();
        check::<HowOften>();
        check::<ConversationForm>();
        check::<Recommender>();
        check::<OfficeDistance>();
        check::<Role>();
        check::<Zone>();
        check::<PreviousPost>();
        check::<Education>();
        check::<LeadershipEducation>();
    }

    #[test]
    fn all_puts_every_share_in_one_category() {
        let c = Categorical::all(HowOften::Annual);
        assert_eq!(c.shares(), &[1.0, 0.0, 0.0, 0.0]);
        assert_eq!(c.pick(0.99), HowOften::Annual);
    }
}
