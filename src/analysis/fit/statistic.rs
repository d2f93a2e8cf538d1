//! The simulated counterpart of each published figure: the statistic the report computed,
//! computed the same way on one emulated survey's respondents.

use super::targets::Targets;
use crate::model::climate::Dimension;
use crate::scenario::categories::{
    Category, Education, Frequency, InformalContact, LeadershipEducation, PreviousPost, Recommender,
};
use crate::stats::{correlation, cronbach_alpha, mean, sd, share};
use crate::survey::{self, SurveyReplication, Table};

/// One replication's survey, ready to be measured.
pub(super) struct Measured<'a> {
    pub(super) rep: &'a SurveyReplication,
    pub(super) regressions: survey::Regressions,
}

impl Measured<'_> {
    fn table(&self, mayor: bool) -> &Table {
        if mayor { &self.rep.mayors } else { &self.rep.directors }
    }
    fn col(&self, mayor: bool, name: &str) -> Option<Vec<f64>> {
        self.table(mayor).column(name)
    }
    fn dir(&self, name: &str) -> Option<Vec<f64>> {
        self.col(false, name)
    }
}

fn index_of(names: &[&str], name: &str) -> Option<f64> {
    names.iter().position(|n| *n == name).map(|i| i as f64)
}

/// The items of a climate index, reversed where the report reversed them.
fn climate_index_items(m: &Measured, index: &str) -> Option<Vec<Vec<f64>>> {
    let dim = match index {
        "political_cooperation" => Dimension::PartyCooperation,
        "professional_conduct" => Dimension::ProfessionalConduct,
        "clear_signals" => Dimension::ClearSignals,
        _ => return None,
    };
    let items = survey::CLIMATE_ITEMS
        .iter()
        .filter(|(name, _, d, _)| *d == dim && *name != "creative_ideas")
        .map(|(_, column, _, reversed)| {
            let c = m.dir(column).expect("climate item column");
            if *reversed { c.iter().map(|x| 6.0 - x).collect() } else { c }
        })
        .collect();
    Some(items)
}

fn coefficient(ols: &crate::stats::Ols, name: &str) -> Option<f64> {
    ols.coefficients.iter().find(|c| c.name == name).map(|c| c.beta)
}

/// The simulated counterpart of figure `id` in one replication.
pub(super) fn statistic(id: &str, m: &Measured, targets: &Targets) -> Option<f64> {
    let p: Vec<&str> = id.split('.').collect();
    let idx = |s: &str| s.parse::<usize>().ok();
    let who = |s: &str| match s {
        "mayor" => Some(true),
        "director" => Some(false),
        _ => None,
    };
    let v = match p.as_slice() {
        ["population", "size_bands", "share", i] => {
            let (lo, hi) = *targets.bands.get(idx(i)?)?;
            let reg = &m.rep.register;
            reg.iter().filter(|r| r.population >= lo && r.population < hi).count() as f64 / reg.len() as f64
        }
        ["population", "size_bands", "log_population_mean"] => mean(&m.dir("log_population")?),
        ["population", "size_bands", "log_population_std"] => sd(&m.dir("log_population")?),
        ["population", "context", "centrality_mean"] => mean(&m.dir("centrality")?),
        ["population", "context", "centrality_std"] => sd(&m.dir("centrality")?),
        ["population", "context", "merged_share"] => mean(&m.dir("merged")?),
        ["population", "context", "parties_in_council_corr_council_size"] => {
            let reg = &m.rep.register;
            let parties: Vec<f64> = reg.iter().map(|r| f64::from(r.parties_in_council)).collect();
            correlation(&parties, &reg.iter().map(|r| f64::from(r.council_seats)).collect::<Vec<_>>())
        }
        ["population", "context", "parties_in_council_corr_population"] => {
            let reg = &m.rep.register;
            let parties: Vec<f64> = reg.iter().map(|r| f64::from(r.parties_in_council)).collect();
            // Against log population: the report's size variable (Appendix 1) is the log.
            correlation(&parties, &reg.iter().map(|r| r.log_population).collect::<Vec<_>>())
        }
        // Category labels of Table 2.16, not figures: reported as themselves.
        ["population", "governing_coalition", "parties", _] => targets.value(id)?,
        ["population", "governing_coalition", "share", i] => {
            let c: Vec<f64> = m.dir("coalition_parties")?.iter().map(|x| x.min(7.0)).collect();
            share(&c, idx(i)? as f64 + 1.0)
        }
        ["population", "governing_coalition", "mean"] => mean(&m.dir("coalition_parties")?),
        ["population", "governing_coalition", "std"] => sd(&m.dir("coalition_parties")?),
        ["director", "women_share"] => 1.0 - mean(&m.dir("director_male")?),
        ["director", "age_mean"] => mean(&m.dir("director_age")?),
        ["director", "age_std"] => sd(&m.dir("director_age")?),
        ["director", "education_share", cat] => {
            share(&m.dir("director_education")?, index_of(Education::NAMES, cat)? + 1.0)
        }
        ["director", "years_in_municipality_mean"] => mean(&m.dir("years_in_municipality")?),
        ["director", "years_in_municipality_std"] => sd(&m.dir("years_in_municipality")?),
        ["director", "years_in_post_mean"] => mean(&m.dir("years_in_post")?),
        ["director", "years_in_post_std"] => sd(&m.dir("years_in_post")?),
        ["director", "leadership_education_share", cat] => {
            share(&m.dir("leadership_education")?, 3.0 - index_of(LeadershipEducation::NAMES, cat)?)
        }
        ["director", "previous_post", cat] => {
            share(&m.dir("previous_post")?, index_of(PreviousPost::NAMES, cat)?)
        }
        ["director", "contract", cat] => {
            let code = match *cat {
                "permanent" => 0.0,
                "fixed_term_aremal" => 1.0,
                "acting" => 2.0,
                _ => return None,
            };
            share(&m.dir("contract")?, code)
        }
        ["director", "contract_clarity", item @ ("result_requirements" | "task_specification"), i] => {
            share(&m.dir(&format!("contract_{item}"))?, idx(i)? as f64 + 1.0)
        }
        ["director", "contract_clarity", "clear_contract_index_mean"] => mean(&m.dir("clear_contract")?),
        ["director", "contract_clarity", "clear_contract_index_std"] => sd(&m.dir("clear_contract")?),
        ["director", "discretion", "index_mean"] => mean(&m.dir("director_discretion")?),
        ["director", "discretion", "index_std"] => sd(&m.dir("director_discretion")?),
        ["director", "discretion", item, stat] => {
            let c = m.dir(&format!("discretion_{item}"))?;
            match *stat {
                "mean" => mean(&c),
                "std" => sd(&c),
                _ => return None,
            }
        }
        ["director", "who_recommends", cat] => {
            share(&m.dir("who_recommends")?, index_of(Recommender::NAMES, cat)?)
        }
        ["meetings", "fixed_mayor_director", cat] => {
            share(&m.dir("fixed_meetings_mayor_director")?, 4.0 - index_of(Frequency::NAMES, cat)?)
        }
        ["meetings", "informal_mayor_director", cat] => {
            share(&m.dir("informal_meetings_mayor_director")?, 4.0 - index_of(InformalContact::NAMES, cat)?)
        }
        ["meetings", "political_and_administrative_leader_groups", cat] => {
            share(&m.dir("leader_group_meetings")?, 4.0 - index_of(Frequency::NAMES, cat)?)
        }
        ["development", "conversation", "held_share"] => mean(&m.dir("development_conversation")?),
        ["development", "conversation", "participants_given_held", part] => {
            mean(&m.dir(&format!("conversation_{part}"))?)
        }
        ["development", "measures", name, i] => {
            let (base, mayor) = match name.strip_suffix("_mayor") {
                Some(b) => (b, true),
                None => (*name, false),
            };
            let column = if base == "councillor_training_beyond_ks" { "councillor_training" } else { base };
            share(&m.col(mayor, column)?, 4.0 - idx(i)? as f64)
        }
        ["climate", "items", item, w] => mean(&m.col(who(w)?, survey::climate_column(item)?)?),
        ["climate", "indices", index, stat] => match *stat {
            "mean" => mean(&m.dir(index)?),
            "std" => sd(&m.dir(index)?),
            "alpha" => cronbach_alpha(&climate_index_items(m, index)?),
            _ => return None,
        },
        ["climate", "correlations", pair] => {
            let (a, b) = pair.split_once("__")?;
            correlation(&m.dir(a)?, &m.dir(b)?)
        }
        ["cooperation", "items", item, w, i] => {
            let c = m.col(who(w)?, item)?;
            match *i {
                "0" => mean(&c),
                "1" => sd(&c),
                _ => return None,
            }
        }
        ["cooperation", "index", stat] => match *stat {
            "alpha" => cronbach_alpha(
                &survey::COOPERATION_ITEMS.iter().map(|n| m.dir(n).expect("item")).collect::<Vec<_>>(),
            ),
            "mean" | "director_mean" => mean(&m.dir("cooperation_index")?),
            "std" => sd(&m.dir("cooperation_index")?),
            "mayor_mean" => mean(&m.col(true, "cooperation_index")?),
            _ => return None,
        },
        ["roles", "vignettes", "role_index_mean"] => mean(&m.dir("role_understanding_political_loyalty")?),
        ["roles", "vignettes", "role_index_std"] => sd(&m.dir("role_understanding_political_loyalty")?),
        ["roles", "vignettes", v, w, i] => share(&m.col(who(w)?, v)?, idx(i)? as f64 + 1.0),
        ["regression", "cooperation", "r2"] => m.regressions.cooperation.r2,
        ["regression", "cooperation", "r2_adjusted"] => m.regressions.cooperation.r2_adjusted,
        ["regression", "cooperation", "betas", name] => coefficient(&m.regressions.cooperation, name)?,
        ["regression", "cooperation_blocks", "delta_r2", i] => {
            *m.regressions.cooperation_blocks.get(idx(i)?)?
        }
        ["regression", "quit_plans", "r2"] => m.regressions.quit_plans.r2,
        ["regression", "quit_plans", "r2_adjusted"] => m.regressions.quit_plans.r2_adjusted,
        ["regression", "quit_plans", "betas", name] => coefficient(&m.regressions.quit_plans, name)?,
        ["turnover", "quit_plans", cat] => {
            let code = match *cat {
                "will_not" => 1.0,
                "maybe" => 2.0,
                "certainly" => 3.0,
                _ => return None,
            };
            share(&m.dir("quit_plans")?, code)
        }
        ["turnover", "predecessor_exit_reasons", reason] => mean(&m.dir(reason)?),
        ["turnover", "job_offer_factors", factor] => mean(&m.dir(&format!("offer_{factor}"))?),
        _ => return None,
    };
    Some(v)
}
