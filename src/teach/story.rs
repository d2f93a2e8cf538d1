//! One municipality followed month by month through the window: cooperation, friction, the
//! acting periods and the events the page narrates (elections, new mayors, the director
//! leaving and a successor arriving).

use serde::Serialize;

use super::Window;
use crate::foundation::calendar::Month;
use crate::model::development::Measure;
use crate::model::{Derived, Municipality};
use crate::scenario::categories::Category;
use crate::scenario::config::Config;
use crate::sim::record::round6;
use crate::sim::run;

/// Something that happened to the municipality followed, at month index `month` of the window.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    Election {
        month: usize,
        parties_in_council: u32,
        parties_behind_mayor: u32,
        new_mayor: bool,
    },
    NewMayor {
        month: usize,
    },
    DirectorLeaves {
        month: usize,
        reason: &'static str,
        years_in_post: f64,
        age: f64,
        acting_follows: bool,
    },
    /// A new director takes up the post; `from` is where they came from
    /// (`categories::PreviousPost`: another municipality's director post, another post here, …).
    DirectorAppointed {
        month: usize,
        from: &'static str,
    },
}

/// The municipality followed: who it is when the window opens.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Profile {
    pub id: u32,
    /// Kommunenummer and name, as the register has them.
    pub number: String,
    pub name: &'static str,
    pub county: &'static str,
    pub population: u64,
    pub council_seats: u32,
    pub informal_contact: &'static str,
    pub delegation_review: &'static str,
    pub development_conversation: &'static str,
    pub leader_group_forum: &'static str,
    pub councillor_training: &'static str,
    pub severance: bool,
    pub director_age: f64,
    pub director_years_in_post: f64,
}

/// One municipality month by month over the window.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Story {
    /// Who the municipality is when the window opens, as of the month before (`None` only for
    /// a window that starts with the calendar).
    pub profile: Option<Profile>,
    /// "YYYY-MM" of each month.
    pub months: Vec<String>,
    /// Cooperation quality (1–5) at the end of each month.
    pub cooperation: Vec<f64>,
    pub friction: Vec<u32>,
    pub unresolved: Vec<u32>,
    /// Whether an acting director held the post that month.
    pub acting: Vec<bool>,
    pub events: Vec<Event>,
}

/// Follows municipality `id` of replication 0 through `window` under `config`.
pub fn story(config: &Config, id: u32, window: Window) -> Story {
    let derived = Derived::new(config);
    let n = window.months();
    let mut profile = None;
    let mut s = Story {
        profile: None,
        months: Vec::with_capacity(n),
        cooperation: Vec::with_capacity(n),
        friction: Vec::with_capacity(n),
        unresolved: Vec::with_capacity(n),
        acting: Vec::with_capacity(n),
        events: Vec::new(),
    };
    let mut was_acting = false;
    run::simulate_until(config, &derived, 0, id, window.end, |m, ev, t| {
        if t < window.start {
            was_acting = m.director.is_acting();
            // Who the municipality is as the window opens: at the end of the month before, so
            // the same in every scenario that changes from the window's start.
            if t.0 + 1 == window.start.0 {
                profile = Some(Profile::at(m, t));
            }
            return;
        }
        let i = (t.0 - window.start.0) as usize;
        s.months.push(t.to_string());
        s.cooperation.push(round6(m.cooperation()));
        s.friction.push(ev.friction);
        s.unresolved.push(ev.unresolved);
        let acting = m.director.is_acting();
        s.acting.push(acting);
        if ev.election {
            s.events.push(Event::Election {
                month: i,
                parties_in_council: m.council.parties_in_council,
                parties_behind_mayor: m.council.coalition_parties,
                new_mayor: ev.new_mayor_at_election,
            });
        }
        if ev.new_mayor_between_elections {
            s.events.push(Event::NewMayor { month: i });
        }
        if let Some(exit) = ev.exit {
            s.events.push(Event::DirectorLeaves {
                month: i,
                reason: exit.reason.name(),
                years_in_post: round1(f64::from(exit.tenure_months) / 12.0),
                age: round1(exit.age),
                acting_follows: acting,
            });
            if !acting {
                s.events.push(Event::DirectorAppointed { month: i, from: m.director.previous_post().name() });
            }
        } else if was_acting && !acting {
            s.events.push(Event::DirectorAppointed { month: i, from: m.director.previous_post().name() });
        }
        was_acting = acting;
    });
    s.profile = profile;
    s
}

impl Profile {
    /// Who municipality `m` is in month `t`.
    fn at(m: &Municipality, t: Month) -> Profile {
        let tr = &m.traits;
        Profile {
            id: tr.id,
            number: tr.entry.number_text(),
            name: tr.name(),
            county: &tr.entry.county,
            population: tr.population.round() as u64,
            council_seats: tr.council_seats,
            informal_contact: m.pair.informal_contact.name(),
            delegation_review: tr.measures[Measure::DelegationReview].name(),
            development_conversation: tr.conversation_form.name(),
            leader_group_forum: tr.leader_group_forum.name(),
            councillor_training: tr.measures[Measure::CouncillorTraining].name(),
            severance: m.director.severance,
            director_age: round1(m.director.age(t)),
            director_years_in_post: round1(m.director.years_in_post(t)),
        }
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
