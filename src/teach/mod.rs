//! Teaching mode: the levers of the councillor-training page, what each changes in a scenario,
//! and the two views the page shows — one municipality followed month by month over a term or
//! two, and many municipalities with the same settings beside the national baseline.
//!
//! A lever is only a short name for lines a scenario file could hold: `settings_overlay` turns
//! the page's settings into a TOML overlay, `scenario::with_overlay` lays it over the base
//! scenario and validates it exactly as `extends` would. So a lever means what the same keys
//! mean in a file, the page can show that file, and `samspill run` on it reproduces the
//! page's numbers.
//!
//! The settings are adopted by every municipality at the window's start (`[adoption]`, an
//! election month): before it the settings' world is the baseline's month for month, so the
//! municipality followed really is the same one when the change comes, and what the page shows
//! is the change over the terms after it.
//!
//! Common random numbers: the settings and the baseline run with the base's seed, so the
//! municipality followed, its elections and its cases are the same in both; only what a lever
//! acts on differs. With every lever at "as today" the two are identical.
//!
//! Work per request is bounded here (`MAX_TERMS`, `MAX_REPLICATIONS`, the base's municipality
//! count); admission and queueing are the server's (`serve`).

mod levers;
mod many;
pub mod server;
mod story;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::foundation::calendar::Month;
use crate::model::exits::ExitReason;
use crate::scenario::categories::Category;
use crate::scenario::config::Config;
use crate::scenario::{self, Loaded};
use crate::sim::record::COOPERATION_BIN_NAMES;

pub use levers::{
    Choice, LEVERS, Lever, PRESETS, Preset, Sets, Settings, settings_changes, settings_overlay,
};
pub use many::{Summary, differences, run_many, summarise};
pub use story::{Event, Profile, Story, story};

/// Most election terms a request may follow.
pub const MAX_TERMS: u32 = 3;
/// Most replications of the national simulation a request may ask for.
pub const MAX_REPLICATIONS: u32 = 32;
pub const DEFAULT_TERMS: u32 = 2;
pub const DEFAULT_REPLICATIONS: u32 = 8;
/// Simulated history a window needs before it starts, so the burn-in has forgotten the
/// starting values (the shipped scenarios have decades).
const MIN_HISTORY_MONTHS: i32 = 20 * 12;
/// The value every lever takes unless set: the base scenario as it is.
pub const TODAY: &str = "today";

/// A request the page (or any client) sends to run the model.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// Lever key → position; levers left out are "as today".
    #[serde(default)]
    pub levers: BTreeMap<String, serde_json::Value>,
    /// The municipality followed month by month (0-based, below the base's count).
    #[serde(default)]
    pub municipality: u32,
    /// Election terms to follow (1 to `MAX_TERMS`).
    pub terms: Option<u32>,
    /// Replications of the national simulation (1 to `MAX_REPLICATIONS`).
    pub replications: Option<u32>,
    /// Municipalities in the national simulation (1 to the base's count).
    pub municipalities: Option<u32>,
}

/// A request that cannot be run, said in both languages.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct InputError {
    pub field: String,
    pub message: String,
    pub melding: String,
}

impl InputError {
    fn new(field: &str, en: String, nb: String) -> InputError {
        InputError { field: field.to_string(), message: en, melding: nb }
    }
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// The months followed: whole election terms ending before the base's calendar does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    pub start: Month,
    pub end: Month,
}

impl Window {
    /// The last `terms` whole election terms of the base's calendar, starting at an election.
    pub fn of(base: &Config, terms: u32) -> Result<Window, InputError> {
        let cal = &base.calendar;
        let months = cal.election_interval_months * terms as i32;
        let latest_start = cal.end.0 - months + 1;
        let start = (0..cal.election_interval_months)
            .map(|back| Month(latest_start - back))
            .find(|&m| cal.is_election(m))
            .expect("one month of every interval is an election month");
        if start.0 - cal.start.0 < MIN_HISTORY_MONTHS {
            return Err(InputError::new(
                "terms",
                format!(
                    "the scenario's calendar ({} to {}) is too short to follow {terms} terms after 20 years of history",
                    cal.start, cal.end
                ),
                format!(
                    "scenariets kalender ({} til {}) er for kort til å følge {terms} perioder etter 20 års forhistorie",
                    cal.start, cal.end
                ),
            ));
        }
        Ok(Window { start, end: Month(start.0 + months - 1) })
    }

    pub fn months(&self) -> usize {
        (self.end.0 - self.start.0 + 1) as usize
    }
}

/// The scenario of `settings` and the baseline it is compared with (the base scenario over the
/// same window, replications and municipalities), both validated.
pub fn scenarios(base: &Loaded, settings: &Settings) -> Result<(Config, Config, toml::Table), InputError> {
    let window = Window::of(&base.config, settings.terms)?;
    let today = Settings { levers: LEVERS.iter().map(|l| (l.key, TODAY)).collect(), ..settings.clone() };
    let build = |s: &Settings| -> Result<(Config, toml::Table), InputError> {
        let over = settings_overlay(s, &base.config, window);
        let (_, config) = scenario::with_overlay(base, over.clone()).map_err(|problems| {
            let p = &problems[0];
            let field = p.field.clone().unwrap_or_default();
            InputError::new(
                &field,
                format!("the settings give an invalid scenario: {}", p.message),
                format!("innstillingene gir et ugyldig scenario: {}", p.message),
            )
        })?;
        Ok((config, over))
    };
    let (config, over) = build(settings)?;
    let (baseline, _) = build(&today)?;
    Ok((config, baseline, over))
}

/// The settings as a scenario file that extends the base: what `samspill run` needs to
/// reproduce the page's figures. The settings' keys stand at the top as in any reform file, and
/// `[adoption]` says from when they hold (the file's own keys are what is adopted).
pub fn scenario_file(base_path: &str, over: &toml::Table) -> String {
    let mut doc = toml::Table::new();
    doc.insert("extends".into(), toml::Value::String(base_path.to_string()));
    doc.insert("description".into(), toml::Value::String("Settings from the samspill teaching page.".into()));
    let mut over = over.clone();
    if let Some(toml::Value::Table(adoption)) = over.get_mut("adoption")
        && let Some(toml::Value::Table(changes)) = adoption.remove("changes")
    {
        for (k, v) in changes {
            doc.insert(k, v);
        }
    }
    for (k, v) in over {
        doc.insert(k, v);
    }
    format!(
        "# Saved from `samspill serve`. Save it in the folder `extends` is relative to (the project's\n# folder for the default) and run it with `samspill run FILE`.\n{}",
        toml::to_string(&doc).expect("a TOML table serialises")
    )
}

/// The page's static description of the model's vocabulary: levers, presets, labels.
pub fn catalogue() -> serde_json::Value {
    use crate::output::labels::{Lang, cooperation_bin_labels, exit_reason_label, page_text};
    let reasons: Vec<serde_json::Value> = ExitReason::NAMES
        .iter()
        .map(|r| serde_json::json!({"key": r, "nb": exit_reason_label(Lang::Nb, r), "en": exit_reason_label(Lang::En, r)}))
        .collect();
    serde_json::json!({
        "levers": LEVERS,
        "presets": PRESETS,
        "exit_reasons": reasons,
        "cooperation_bins": {
            "keys": COOPERATION_BIN_NAMES,
            "labels": cooperation_bin_labels(Lang::Nb),
            "labels_en": cooperation_bin_labels(Lang::En),
        },
        "text": page_text(),
        "caps": {"terms": MAX_TERMS, "replications": MAX_REPLICATIONS},
        "defaults": {"terms": DEFAULT_TERMS, "replications": DEFAULT_REPLICATIONS},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Loaded {
        scenario::load(std::path::Path::new("scenarios/baseline.toml")).expect("the shipped baseline loads")
    }

    fn request(levers: &[(&str, &str)]) -> Request {
        Request {
            levers: levers
                .iter()
                .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.to_string())))
                .collect(),
            ..Request::default()
        }
    }

    #[test]
    fn every_lever_position_gives_a_valid_scenario() {
        let base = base();
        for lever in &LEVERS {
            for choice in lever.choices {
                let settings = Settings::from_request(&request(&[(lever.key, choice.value)]), &base.config)
                    .expect("a listed position is accepted");
                let (config, baseline, _) = scenarios(&base, &settings)
                    .unwrap_or_else(|e| panic!("{} = {}: {e}", lever.key, choice.value));
                assert_eq!(
                    config == baseline,
                    choice.value == TODAY,
                    "{} = {} changes the scenario exactly when it is not 'as today'",
                    lever.key,
                    choice.value
                );
            }
        }
    }

    #[test]
    fn presets_name_real_levers_and_positions() {
        let base = base();
        for preset in &PRESETS {
            let settings = Settings::from_request(&request(preset.levers), &base.config)
                .unwrap_or_else(|e| panic!("preset {}: {e}", preset.key));
            scenarios(&base, &settings).unwrap_or_else(|e| panic!("preset {}: {e}", preset.key));
        }
    }

    #[test]
    fn bad_requests_name_the_field() {
        let base = base();
        let e = Settings::from_request(&request(&[("partier", "3")]), &base.config).unwrap_err();
        assert_eq!(e.field, "levers.partier");
        assert!(e.message.contains("parties"), "lists the levers: {}", e.message);
        let e = Settings::from_request(&request(&[("parties", "9")]), &base.config).unwrap_err();
        assert_eq!(e.field, "levers.parties");
        assert!(e.melding.contains("velg en av"), "{}", e.melding);
        let e = Settings::from_request(
            &Request { replications: Some(MAX_REPLICATIONS + 1), ..Request::default() },
            &base.config,
        )
        .unwrap_err();
        assert_eq!(e.field, "replications");
        let e = Settings::from_request(&Request { terms: Some(0), ..Request::default() }, &base.config)
            .unwrap_err();
        assert_eq!(e.field, "terms");
        let e = Settings::from_request(&Request { municipality: 357, ..Request::default() }, &base.config)
            .unwrap_err();
        assert_eq!(e.field, "municipality");
        // A number is as good as its text.
        let mut r = Request::default();
        r.levers.insert("parties".into(), serde_json::json!(4));
        assert_eq!(Settings::from_request(&r, &base.config).unwrap().lever("parties"), "4");
    }

    #[test]
    fn the_window_is_whole_terms_from_an_election() {
        let base = base();
        let w = Window::of(&base.config, 2).unwrap();
        assert!(base.config.calendar.is_election(w.start));
        assert_eq!(w.months(), 96);
        assert!(w.end <= base.config.calendar.end);
        assert_eq!(w.start.to_string(), "2015-09");
    }

    #[test]
    fn the_story_marks_every_election_and_stays_on_the_scale() {
        let base = base();
        let settings = Settings::from_request(&request(&[("parties", "5")]), &base.config).unwrap();
        let (config, _, _) = scenarios(&base, &settings).unwrap();
        let window = Window::of(&config, 2).unwrap();
        let s = story(&config, 3, window);
        assert_eq!(s.cooperation.len(), 96);
        assert!(s.cooperation.iter().all(|c| (1.0..=5.0).contains(c)));
        let elections: Vec<_> = s
            .events
            .iter()
            .filter_map(|e| {
                if let Event::Election { month, parties_behind_mayor, .. } = e {
                    Some((*month, *parties_behind_mayor))
                } else {
                    None
                }
            })
            .collect();
        assert_eq!(elections.iter().map(|e| e.0).collect::<Vec<_>>(), vec![0, 48]);
        assert!(elections.iter().all(|e| e.1 == 5), "the lever fixes the governing base: {elections:?}");
    }
}
