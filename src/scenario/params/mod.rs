//! Mechanism parameters: every number the model's dynamics use, with its default, its
//! allowed range and a one-line explanation, declared once.
//!
//! Each group is a TOML table of the scenario file (`[politics]`, `[climate]`, …). The
//! `param_group!` macro turns one declaration into the serde struct, its `Default`, its range
//! check and its entry in the reference that `samspill check --explain` prints, so the
//! defaults, the validation and the documentation cannot drift apart.
//!
//! These structs are shared between the file format and the engine on purpose: they are flat
//! lists of numbers, and a second engine-side copy would only duplicate them. Everything that
//! needs converting (months, distributions, population bands) lives in `scenario` and `config`.

use serde::{Deserialize, Serialize};

/// One documented parameter, as listed by `samspill check --explain`.
#[derive(Debug, Clone)]
pub struct ParamDoc {
    pub group: &'static str,
    pub name: &'static str,
    pub default: String,
    pub min: f64,
    pub max: f64,
    pub doc: &'static str,
}

/// A value that fails its range check: the dotted field path, the value and the range.
#[derive(Debug, Clone)]
pub struct RangeProblem {
    pub path: String,
    pub value: f64,
    pub min: f64,
    pub max: f64,
    pub doc: &'static str,
}

/// Numbers the range check can read. Integers are checked as their `f64` value.
pub trait AsF64 {
    fn as_f64(&self) -> f64;
}
impl AsF64 for f64 {
    fn as_f64(&self) -> f64 {
        *self
    }
}
impl AsF64 for u32 {
    fn as_f64(&self) -> f64 {
        f64::from(*self)
    }
}

macro_rules! param_group {
    (
        $(#[doc = $gdoc:literal])*
        pub struct $name:ident in $table:literal {
            $(
                $(#[doc = $doc:literal])+
                $field:ident : $ty:ty = $default:expr, $min:literal ..= $max:literal;
            )+
        }
    ) => {
        $(#[doc = $gdoc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields, default)]
        pub struct $name {
            $( $(#[doc = $doc])+ pub $field: $ty, )+
        }

        impl Default for $name {
            fn default() -> Self {
                Self { $( $field: $default, )+ }
            }
        }

        impl $name {
            /// The TOML table this group is read from.
            pub const TABLE: &'static str = $table;

            /// Every field outside its documented range.
            pub fn range_problems(&self) -> Vec<RangeProblem> {
                let mut out = Vec::new();
                $(
                    let v = AsF64::as_f64(&self.$field);
                    if !($min..=$max).contains(&v) {
                        out.push(RangeProblem {
                            path: format!("{}.{}", $table, stringify!($field)),
                            value: v,
                            min: $min,
                            max: $max,
                            doc: concat!($($doc),+),
                        });
                    }
                )+
                out
            }

            /// The reference entries of this group, in declaration order.
            pub fn reference() -> Vec<ParamDoc> {
                let d = Self::default();
                vec![$(
                    ParamDoc {
                        group: $table,
                        name: stringify!($field),
                        default: format!("{}", d.$field),
                        min: $min,
                        max: $max,
                        doc: concat!($($doc),+).trim(),
                    },
                )+]
            }
        }
    };
}

mod costs;
mod survey;
pub use costs::Costs;
pub use survey::Survey;

param_group! {
    /// Elections, seats, the mayor's governing base and mayor turnover.
    pub struct Politics in "politics" {
        /// Mean number of party lists winning seats is intercept + slope × ln(council seats) (+ trend).
        parties_intercept: f64 = -2.5, -20.0..=20.0;
        /// Slope of the mean number of parties on the natural log of the council's seats.
        parties_per_log_seat: f64 = 2.9, 0.0..=10.0;
        /// Extra party lists per unit of log population above ~6 000 inhabitants, beyond what the council's size brings (more voters, more lists).
        parties_per_log_population: f64 = 0.0, -5.0..=5.0;
        /// Standard deviation of the number of parties around that mean, at each election.
        parties_noise_sd: f64 = 0.8, 0.0..=5.0;
        /// Long-run fragmentation trend: extra parties per decade after the reference year (fewer before).
        fragmentation_trend_per_decade: f64 = 0.3, -3.0..=3.0;
        /// Year in which the trend adds nothing (the fragmentation level of that year's councils).
        fragmentation_reference_year: f64 = 2019.0, 1900.0..=2200.0;
        /// Gamma shape of parties' electoral strength; small values give dominant parties and one-party majorities.
        party_strength_shape: f64 = 1.3, 0.05..=50.0;
        /// Chance that the governing base takes in a party more than a bare majority needs (asked up to three times).
        surplus_party_probability: f64 = 0.5, 0.0..=1.0;
        /// Parties added to every mayor's governing base (a lever for reforms; capped by the parties in council).
        extra_coalition_parties: u32 = 0, 0.0..=10.0;
        /// Parties in every mayor's governing base, whatever the election gives (0 = as the election gives; a lever for sweeps; the council gets at least as many parties).
        fixed_coalition_parties: u32 = 0, 0.0..=15.0;
        /// Chance of a new mayor at an election, before the governing base's size is considered.
        new_mayor_base: f64 = 0.30, 0.0..=1.0;
        /// Extra chance of a new mayor at an election per party in the governing base beyond the first.
        new_mayor_per_coalition_party: f64 = 0.04, 0.0..=1.0;
        /// Yearly chance that the mayor is replaced between elections (illness, resignation, new majority).
        mayor_exit_per_year: f64 = 0.02, 0.0..=1.0;
        /// Mean share of newly elected councillors (newcomers) in a council after an election.
        newcomer_share_mean: f64 = 0.55, 0.0..=1.0;
        /// Spread of that share from council to council and election to election.
        newcomer_share_sd: f64 = 0.12, 0.0..=0.5;
    }
}

param_group! {
    /// The council's latent political climate: party cooperation, professional conduct and
    /// clarity of signals, on a standardised scale (0 = typical, ±1 = a standard deviation).
    pub struct Climate in "climate" {
        /// Party cooperation of a council whose mayor governs with one party.
        cooperation_at_one_party: f64 = 0.4, -5.0..=5.0;
        /// Professional conduct (acting saklig, not micromanaging) with one governing party.
        conduct_at_one_party: f64 = 0.3, -5.0..=5.0;
        /// Clarity of political signals with one governing party.
        clarity_at_one_party: f64 = 0.45, -5.0..=5.0;
        /// Change in party cooperation per extra party in the governing base.
        cooperation_per_party: f64 = -0.20, -3.0..=3.0;
        /// Change in professional conduct per extra party in the governing base.
        conduct_per_party: f64 = -0.15, -3.0..=3.0;
        /// Change in clarity of signals per extra party in the governing base.
        clarity_per_party: f64 = -0.22, -3.0..=3.0;
        /// Spread of councils' persistent culture (the same council culture colours all three dimensions).
        culture_sd: f64 = 0.7, 0.0..=5.0;
        /// Share of culture variance common to all three dimensions (the rest is dimension-specific).
        culture_shared: f64 = 0.5, 0.0..=1.0;
        /// Correlation of a council's culture from one term to the next.
        culture_persistence: f64 = 0.8, 0.0..=1.0;
        /// Standard deviation of the climate shift each election brings.
        election_shock_sd: f64 = 0.4, 0.0..=5.0;
        /// Share of the election shock common to all three dimensions.
        election_shock_shared: f64 = 0.5, 0.0..=1.0;
        /// Monthly standard deviation of the climate's drift between elections.
        drift_sd: f64 = 0.05, 0.0..=2.0;
        /// Monthly persistence of that drift (AR(1) coefficient).
        drift_persistence: f64 = 0.97, 0.0..=0.9999;
        /// Lift of professional conduct and clarity from one round of councillor training beyond KS's programme.
        training_effect: f64 = 0.15, 0.0..=3.0;
        /// Half-life, in months, of a training round's lift.
        training_half_life_months: f64 = 24.0, 0.1..=600.0;
        /// Dip in professional conduct and clarity of a council of newcomers only, just after the election (inexperience; scaled by the newcomer share).
        newcomer_dip: f64 = 0.5, 0.0..=5.0;
        /// Half-life, in months, of that dip as the council gains experience.
        experience_half_life_months: f64 = 12.0, 0.1..=600.0;
        /// Share of the remaining inexperience a round of councillor training repairs.
        training_experience_repair: f64 = 0.5, 0.0..=1.0;
    }
}

param_group! {
    /// Cases arriving each month in Svara's four zones of the politics–administration dichotomy.
    pub struct Cases in "cases" {
        /// Cases per month in the administration zone (staffing, daily operations).
        administration: f64 = 6.0, 0.0..=100.0;
        /// Cases per month in the organisation zone (organisation design, management).
        organisation: f64 = 1.0, 0.0..=100.0;
        /// Cases per month in the policy-making zone (plans, budgets, development).
        policy_making: f64 = 3.0, 0.0..=100.0;
        /// Cases per month in the politics zone (political choices between alternatives).
        politics: f64 = 2.0, 0.0..=100.0;
    }
}

param_group! {
    /// How a case turns into friction between mayor and director: the logit of the chance per case.
    pub struct Friction in "friction" {
        /// Logit of the chance that one case becomes friction when every driver is neutral.
        base: f64 = -4.2, -20.0..=10.0;
        /// Added per step of mismatch between mayor's and director's role expectations in the case's zone (0–2 steps).
        role_mismatch: f64 = 0.8, 0.0..=10.0;
        /// Added per unit of unclear signals (minus the clarity climate), in every zone.
        unclear_signals: f64 = 0.5, 0.0..=10.0;
        /// Added per unit of poor conduct (minus professional conduct) in the administration and organisation zones: micromanagement.
        micromanagement: f64 = 0.6, 0.0..=10.0;
        /// Added per unit of party conflict (minus party cooperation) in the policy-making and politics zones.
        party_conflict: f64 = 0.6, 0.0..=10.0;
        /// Added per unit of lost trust (1 − trust): a strained relationship reads ambiguous cases uncharitably.
        distrust: f64 = 2.0, 0.0..=20.0;
        /// Subtracted per unit of the director's room for manoeuvre, in the administration zone.
        discretion: f64 = 0.4, 0.0..=10.0;
        /// Subtracted per step of office distance (same floor → other floor → other building), administration and organisation zones.
        office_distance: f64 = 0.3, 0.0..=10.0;
        /// Added in the policy-making zone where the director drafts the recommendations to the council.
        director_recommends: f64 = 0.3, -5.0..=10.0;
        /// Subtracted per unit of role clarity left by recent delegation and routine reviews (1 just after a review).
        role_clarity: f64 = 0.6, 0.0..=10.0;
        /// Half-life, in months, of the role clarity a review creates.
        role_clarity_half_life_months: f64 = 12.0, 0.1..=600.0;
        /// Closeness (log scale) per hierarchy level fewer than three: in flat administrations individual cases and politicians reach the director directly (scales administration and organisation cases and micromanagement).
        closeness_per_level: f64 = 0.3, 0.0..=3.0;
        /// Closeness (log scale) per unit of log population below ~6 000 inhabitants (small places are close).
        closeness_per_log_population: f64 = 0.2, 0.0..=3.0;
    }
}

param_group! {
    /// Contact between mayor and director: how much friction is caught early, before it costs trust.
    pub struct Contact in "contact" {
        /// Share of friction resolved early where mayor and director talk informally every day.
        informal_daily: f64 = 0.80, 0.0..=1.0;
        /// … several times a week.
        informal_several_per_week: f64 = 0.70, 0.0..=1.0;
        /// … weekly.
        informal_weekly: f64 = 0.50, 0.0..=1.0;
        /// … more rarely.
        informal_rarer: f64 = 0.25, 0.0..=1.0;
        /// Additional share resolved in weekly fixed meetings (formal meetings alone catch little).
        fixed_weekly: f64 = 0.05, 0.0..=1.0;
        /// Additional share resolved in monthly fixed meetings.
        fixed_monthly: f64 = 0.02, 0.0..=1.0;
    }
}

param_group! {
    /// Trust between mayor and director: the latent cooperation quality, 0 (none) to 1 (complete).
    pub struct Trust in "trust" {
        /// Logit of the level trust recovers to for a typical pair.
        base: f64 = 3.0, -10.0..=10.0;
        /// Spread (on the logit scale) of pairs' personal chemistry, drawn when a new pair forms.
        chemistry_sd: f64 = 0.8, 0.0..=5.0;
        /// Share of the gap to the resting level recovered each month.
        recovery_per_month: f64 = 0.03, 0.0..=1.0;
        /// Trust lost per unresolved friction event.
        unresolved_friction_cost: f64 = 0.06, 0.0..=1.0;
        /// Trust lost per friction event resolved early.
        resolved_friction_cost: f64 = 0.01, 0.0..=1.0;
        /// Monthly standard deviation of unexplained movements of trust.
        noise_sd: f64 = 0.01, 0.0..=0.5;
        /// Months over which a new pair (a new mayor or a new director) learns its match: the share of its chemistry known after m months is 1 − exp(−m / learning_months); until then trust rests at the typical pair's level.
        learning_months: f64 = 12.0, 0.1..=240.0;
    }
}

param_group! {
    /// Development measures: what a delegation review, a development conversation and the
    /// other measures of Table 2.15 do when they are held.
    pub struct Development in "development" {
        /// Working agreement a delegation review leaves (1: mismatched expectations cause no friction; it then fades). Nobody's expectations change.
        delegation_review_agreement: f64 = 0.5, 0.0..=1.0;
        /// Role clarity a delegation review leaves (1 = full; it then decays).
        delegation_review_clarity: f64 = 1.0, 0.0..=1.0;
        /// Role clarity a review of meeting routines adds.
        routines_review_clarity: f64 = 0.3, 0.0..=1.0;
        /// Working agreement a meeting on roles leaves.
        role_meeting_agreement: f64 = 0.3, 0.0..=1.0;
        /// Share of the gap to the resting level of trust closed by a development conversation held by a small employer committee.
        conversation_repair: f64 = 0.3, 0.0..=1.0;
        /// Working agreement a development conversation held by a small employer committee leaves.
        conversation_agreement: f64 = 0.2, 0.0..=1.0;
        /// Half-life, in months, of a working agreement.
        agreement_half_life_months: f64 = 18.0, 0.1..=600.0;
        /// Effectiveness of a conversation held by the whole executive committee, relative to a 3–5 person committee.
        conversation_formannskap_effectiveness: f64 = 0.5, 0.0..=2.0;
        /// Effectiveness of a conversation held in another form (mayor alone, ad hoc), relative to a 3–5 person committee.
        conversation_other_effectiveness: f64 = 0.7, 0.0..=2.0;
        /// Chance that a measure practised "more rarely than once a term" is held in a given term.
        rarer_per_term_probability: f64 = 0.4, 0.0..=1.0;
        /// How far a delegation review moves the director's room for manoeuvre per unit of trust above 0.8 (politicians delegate to directors they trust).
        discretion_trust_response: f64 = 0.5, 0.0..=10.0;
        /// Network reach a director gains from a round of inter-municipal learning or release for self-development.
        network_gain: f64 = 0.1, 0.0..=2.0;
    }
}

param_group! {
    /// Director exits: monthly hazards of each reason for leaving.
    pub struct Exits in "exits" {
        /// Age from which a director may retire on an early pension (AFP): the retirement window opens.
        early_pension_age: f64 = 62.0, 40.0..=80.0;
        /// Yearly chance of retiring at the early-pension age, for a director at full trust.
        retirement_at_early_pension_per_year: f64 = 0.12, 0.0..=5.0;
        /// Growth of that chance per year of age beyond the early-pension age (log scale).
        retirement_age_slope: f64 = 0.25, 0.0..=3.0;
        /// Extra retirement chance per unit of lost trust (1 − trust), as a multiple: a conflict makes the early pension attractive.
        retirement_distrust_effect: f64 = 2.0, 0.0..=20.0;
        /// Age at which every director retires (the public sector's age limit).
        max_age: f64 = 70.0, 50.0..=90.0;
        /// Yearly chance of leaving through illness or death at age 55.
        illness_per_year_at_55: f64 = 0.004, 0.0..=1.0;
        /// Growth of that chance per year of age (log scale).
        illness_age_slope: f64 = 0.08, 0.0..=1.0;
        /// Yearly chance that a director with a neutral intention (0) leaves for a post outside the market for directors (state, region, private sector); a move to another municipality's director post goes through the market.
        career_per_year: f64 = 0.012, 0.0..=1.0;
        /// Intention to move (log scale) per 10 years left before the early-pension age, beyond the 12 a director of 50 has (career stage: outside options).
        career_age_effect: f64 = 0.6, -5.0..=5.0;
        /// Intention per 10 years in the municipality (roots keep people).
        career_years_in_municipality_effect: f64 = -0.3, -5.0..=5.0;
        /// Intention per unit of the log of the director posts recently advertised that the director could move up to (the market as the director sees it, against one per municipality a year).
        career_market_effect: f64 = 0.5, -5.0..=5.0;
        /// Intention per unit of network reach with other municipalities.
        career_network_effect: f64 = 0.4, -5.0..=5.0;
        /// Intention of a university degree of more than four years.
        career_education_effect: f64 = 0.2, -5.0..=5.0;
        /// Intention per unit of lost trust (1 − trust): strained directors look elsewhere.
        career_distrust_effect: f64 = 2.0, -10.0..=10.0;
        /// Intention per unit of unclear signals (minus clarity).
        career_unclear_signals_effect: f64 = 0.3, -5.0..=5.0;
        /// Intention per step of leader-group forum frequency (none 0 … weekly 3).
        career_forum_effect: f64 = -0.1, -5.0..=5.0;
        /// Spread of directors' personal mobility (log scale), drawn at hiring.
        career_personal_sd: f64 = 0.6, 0.0..=5.0;
        /// Highest yearly chance that a director quits over conflict with the politicians.
        conflict_exit_max_per_year: f64 = 0.8, 0.0..=5.0;
        /// Trust at which that chance is half its highest.
        conflict_exit_trust_threshold: f64 = 0.45, 0.0..=1.0;
        /// Spread of that threshold (logistic scale).
        conflict_exit_trust_spread: f64 = 0.06, 0.001..=1.0;
        /// Highest yearly chance of dismissal or a negotiated exit when the council's trust has collapsed.
        dismissal_max_per_year: f64 = 0.5, 0.0..=5.0;
        /// Trust at which that chance is half its highest.
        dismissal_trust_threshold: f64 = 0.35, 0.0..=1.0;
        /// Spread of that threshold (logistic scale).
        dismissal_trust_spread: f64 = 0.06, 0.001..=1.0;
        /// Elasticity of the dismissal chance in 27 / council seats: a small collegial council turns a personal conflict into a majority quickly.
        dismissal_council_size_effect: f64 = 0.5, 0.0..=5.0;
        /// Multiplier of the dismissal chance in the months after an election or a new mayor.
        dismissal_after_election_multiplier: f64 = 2.0, 0.0..=20.0;
        /// How many months after an election or a new mayor count as "just after".
        after_election_months: f64 = 12.0, 0.0..=48.0;
        /// Multiplier of the dismissal chance where the director has a severance agreement (a clean exit is easier).
        severance_dismissal_multiplier: f64 = 2.0, 0.0..=20.0;
        /// Multiplier of the conflict-quit chance where the director has a severance agreement.
        severance_conflict_multiplier: f64 = 0.7, 0.0..=20.0;
        /// Yearly chance that a conflict within the administration breaks out (three hierarchy levels, no forum).
        admin_conflict_start_per_year: f64 = 0.04, 0.0..=5.0;
        /// Log-scale change of that chance per hierarchy level above three.
        admin_conflict_hierarchy_effect: f64 = 0.3, -5.0..=5.0;
        /// Log-scale change of that chance per step of leader-group forum frequency (none 0 … weekly 3).
        admin_conflict_forum_effect: f64 = -0.2, -5.0..=5.0;
        /// Mean duration, in months, of a conflict within the administration.
        admin_conflict_mean_months: f64 = 18.0, 1.0..=240.0;
        /// Yearly chance that the director leaves while such a conflict lasts.
        admin_conflict_exit_per_year: f64 = 0.3, 0.0..=5.0;
        /// Yearly chance of leaving for other reasons (family, health of others, a retreat post).
        other_per_year: f64 = 0.01, 0.0..=1.0;
        /// Length of a fixed-term (åremål) contract, in years.
        fixed_term_years: f64 = 6.0, 1.0..=20.0;
        /// Chance that a fixed-term contract is not renewed at its end, at full trust.
        fixed_term_nonrenewal: f64 = 0.2, 0.0..=1.0;
        /// Added chance of non-renewal per unit of lost trust (1 − trust).
        fixed_term_distrust_effect: f64 = 1.0, 0.0..=10.0;
        /// Chance that a merged municipality appoints a new director at the merger (the old one leaves).
        merger_new_director_probability: f64 = 0.5, 0.0..=1.0;
    }
}

param_group! {
    /// Filling a vacancy: the acting period and who is recruited.
    pub struct Recruitment in "recruitment" {
        /// Mean months an acting director holds the post before the recruit starts (0 = no acting period).
        acting_months_mean: f64 = 4.0, 0.0..=60.0;
        /// Chance that the acting director is appointed when the post goes to an internal candidate.
        acting_hired_probability: f64 = 0.5, 0.0..=1.0;
        /// Mean age of recruits from outside the municipality's own organisation and not sitting directors (who bring their own age).
        age_mean: f64 = 50.0, 25.0..=70.0;
        /// Years internal recruits (deputies, sector leaders) are older on average than other recruits.
        internal_age_offset: f64 = 2.0, -20.0..=20.0;
        /// Standard deviation of recruits' age.
        age_sd: f64 = 6.0, 0.0..=20.0;
        /// Youngest recruit.
        age_min: f64 = 33.0, 18.0..=70.0;
        /// Oldest recruit.
        age_max: f64 = 64.0, 18.0..=80.0;
        /// Share of women among recruits.
        women_share: f64 = 0.3, 0.0..=1.0;
        /// Share of recruits on a fixed-term (åremål) contract.
        fixed_term_share: f64 = 0.08, 0.0..=1.0;
        /// Share of recruits with a severance agreement (sluttavtale).
        severance_share: f64 = 0.6, 0.0..=1.0;
        /// Mean years an internal recruit has already worked in the municipality.
        internal_years_in_municipality_mean: f64 = 10.0, 0.0..=40.0;
        /// Network reach with other municipalities of a recruit who was director elsewhere.
        network_same_post: f64 = 1.0, 0.0..=5.0;
        /// Network reach of a recruit from another post in another municipality.
        network_other_municipality: f64 = 0.6, 0.0..=5.0;
        /// Network reach of other recruits (same municipality, state, private sector, organisations).
        network_other: f64 = 0.2, 0.0..=5.0;
    }
}

param_group! {
    /// The labour market for directors: vacancies, the candidates who apply, and vacancy chains.
    pub struct Market in "market" {
        /// Weight of the candidates who are not sitting directors (deputies, sector leaders, the state, the private sector), per municipality of the world, in units of one sitting director with a neutral intention to move.
        other_candidates: f64 = 14.0, 0.0..=100.0;
        /// Attraction of a post (log scale) per unit of log population it is larger than the candidate's own: directors move up.
        size_pull: f64 = 1.0, 0.0..=5.0;
        /// Attraction of a post per step of centrality (1–6) it is more central than the candidate's own.
        centrality_pull: f64 = 0.3, 0.0..=5.0;
        /// How much competing vacancies thin a vacancy's field: the search succeeds with chance field / (field + thin_field × open vacancies / municipalities); otherwise it runs on.
        thin_field: f64 = 10.0, 0.0..=1000.0;
        /// Mean months a search runs on when it fails (the post is advertised again).
        readvertise_months: f64 = 3.0, 1.0..=60.0;
        /// Chemistry (logit scale) a director recruited with a profile and choice anchored broadly in the council brings to the pair.
        broad_recruitment_match: f64 = 0.3, -5.0..=5.0;
    }
}

param_group! {
    /// Role expectations as dispositions: persistent per person, partly a local role culture,
    /// and a situational part in each vignette answer.
    pub struct Dispositions in "dispositions" {
        /// Share of a person's role disposition that is the municipality's role culture (shared by its mayor and director).
        shared_in_municipality: f64 = 0.3, 0.0..=1.0;
        /// Share of a vignette answer's variance that is the situation the vignette describes, not the disposition.
        situational_share: f64 = 0.25, 0.0..=0.95;
    }
}

/// The reference of every mechanism parameter, grouped by table.
pub fn reference() -> Vec<ParamDoc> {
    let mut all = Vec::new();
    all.extend(Politics::reference());
    all.extend(Climate::reference());
    all.extend(Cases::reference());
    all.extend(Friction::reference());
    all.extend(Contact::reference());
    all.extend(Trust::reference());
    all.extend(Development::reference());
    all.extend(Exits::reference());
    all.extend(Recruitment::reference());
    all.extend(Market::reference());
    all.extend(Dispositions::reference());
    all.extend(Survey::reference());
    all.extend(Costs::reference());
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_lie_within_their_ranges() {
        let problems: Vec<_> = [
            Politics::default().range_problems(),
            Climate::default().range_problems(),
            Cases::default().range_problems(),
            Friction::default().range_problems(),
            Contact::default().range_problems(),
            Trust::default().range_problems(),
            Development::default().range_problems(),
            Exits::default().range_problems(),
            Recruitment::default().range_problems(),
            Market::default().range_problems(),
            Dispositions::default().range_problems(),
            Survey::default().range_problems(),
            Costs::default().range_problems(),
        ]
        .concat();
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn an_out_of_range_value_is_reported_with_its_path() {
        let t = Trust { recovery_per_month: 1.5, ..Trust::default() };
        let p = t.range_problems();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].path, "trust.recovery_per_month");
    }

    #[test]
    fn every_parameter_has_a_doc_line() {
        for d in reference() {
            assert!(!d.doc.is_empty(), "{}.{} has no doc", d.group, d.name);
        }
    }
}
