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
//! Common random numbers: the settings and the baseline run with the base's seed, so the
//! municipality followed, its elections and its cases are the same in both; only what a lever
//! acts on differs. With every lever at "as today" the two are identical.
//!
//! Work per request is bounded here (`MAX_TERMS`, `MAX_REPLICATIONS`, the base's municipality
//! count); admission and queueing are the server's (`serve`).

pub mod server;

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

use ndarray::Axis;
use serde::Serialize;

use crate::analysis::compare::{self, OutcomeRow, ScenarioResult};
use crate::foundation::calendar::Month;
use crate::model::development::Measure;
use crate::model::exits::ExitReason;
use crate::model::{Derived, Municipality};
use crate::scenario::categories::Category;
use crate::scenario::config::Config;
use crate::scenario::{self, Loaded};
use crate::sim::record::{COOPERATION_BIN_NAMES, Tally, round6};
use crate::sim::run::{self, RunError, RunStats};
use crate::sim::summary::HEADLINES;
use crate::stats::Estimate;

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

/// One position of a lever.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Choice {
    pub value: &'static str,
    pub nb: &'static str,
    pub en: &'static str,
}

/// A control on the page.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Lever {
    pub key: &'static str,
    pub nb: &'static str,
    pub en: &'static str,
    /// What it means, in the words of the KS booklets.
    pub help_nb: &'static str,
    pub help_en: &'static str,
    pub choices: &'static [Choice],
}

const fn c(value: &'static str, nb: &'static str, en: &'static str) -> Choice {
    Choice { value, nb, en }
}

const AS_TODAY: Choice = c(TODAY, "Som i dag", "As today");

/// How often a development measure is held (`config::categories::MEASURE`).
const HOW_OFTEN: &[Choice] = &[
    AS_TODAY,
    c("annual", "Hvert år", "Every year"),
    c("per_term", "Hver valgperiode", "Every term"),
    c("rarer", "Sjeldnere", "Rarer"),
    c("never", "Aldri", "Never"),
];

/// Positions of the two culture levers, in steps of the spread between municipalities.
const CULTURE_STEPS: [(&str, f64); 5] =
    [("much_weaker", -2.0), ("weaker", -1.0), (TODAY, 0.0), ("stronger", 1.0), ("much_stronger", 2.0)];

/// Every lever, in the order the page shows them.
pub const LEVERS: [Lever; 9] = [
    Lever {
        key: "parties",
        nb: "Partier bak ordføreren",
        en: "Parties behind the mayor",
        help_nb: "Hvor mange partier ordførerens styringsgrunnlag består av. Flere partier gir et mer fragmentert kommunestyre: svakere samarbeid mellom partiene, mindre saklig opptreden og mindre tydelige signaler til administrasjonen.",
        help_en: "How many parties make up the mayor's governing base. More parties make a more fragmented council: weaker cooperation between parties, less professional conduct and less clear signals to the administration.",
        choices: &[
            AS_TODAY,
            c("1", "1", "1"),
            c("2", "2", "2"),
            c("3", "3", "3"),
            c("4", "4", "4"),
            c("5", "5", "5"),
            c("6", "6", "6"),
            c("7", "7", "7"),
        ],
    },
    Lever {
        key: "culture",
        nb: "Kultur i kommunestyret: saklig opptreden",
        en: "Council culture: professional conduct",
        help_nb: "Opptrer de folkevalgte saklig og ryddig, eller blander de seg i enkeltsaker (detaljstyring)? Ett steg er forskjellen mellom en typisk kommune og en blant den svakeste sjettedelen.",
        help_en: "Do the councillors act professionally, or do they meddle in single cases (micromanagement)? One step is the gap between a typical municipality and one among the weakest sixth.",
        choices: &[
            c("much_weaker", "Mye svakere", "Much weaker"),
            c("weaker", "Svakere", "Weaker"),
            AS_TODAY,
            c("stronger", "Bedre", "Stronger"),
            c("much_stronger", "Mye bedre", "Much stronger"),
        ],
    },
    Lever {
        key: "clarity",
        nb: "Tydelige politiske signaler",
        en: "Clear political signals",
        help_nb: "Gir kommunestyret klare bestillinger og prioriterer, eller må kommunedirektøren gjette hva flertallet vil? Ett steg er forskjellen mellom en typisk kommune og en blant den svakeste sjettedelen.",
        help_en: "Does the council give clear instructions and set priorities, or must the director guess what the majority wants? One step is the gap between a typical municipality and one among the weakest sixth.",
        choices: &[
            c("much_weaker", "Mye uklarere", "Much less clear"),
            c("weaker", "Uklarere", "Less clear"),
            AS_TODAY,
            c("stronger", "Tydeligere", "Clearer"),
            c("much_stronger", "Mye tydeligere", "Much clearer"),
        ],
    },
    Lever {
        key: "informal",
        nb: "Uformelle møter ordfører–kommunedirektør",
        en: "Informal meetings, mayor and director",
        help_nb: "Hvor ofte ordfører og kommunedirektør snakker sammen uformelt – «snakke sammen i fredstid». Uenighet som tas tidlig, blir sjeldnere til en sak som tærer på tilliten.",
        help_en: "How often mayor and director talk informally – 'talking in peacetime'. Disagreement raised early seldom becomes a case that wears down trust.",
        choices: &[
            AS_TODAY,
            c("daily", "Daglig", "Daily"),
            c("several_per_week", "Flere ganger i uka", "Several times a week"),
            c("weekly", "Ukentlig", "Weekly"),
            c("rarer", "Sjeldnere", "Rarer"),
        ],
    },
    Lever {
        key: "delegation_review",
        nb: "Gjennomgang av delegeringsreglementet",
        en: "Review of the delegation rules",
        help_nb: "Hvor ofte kommunestyret går gjennom delegeringsreglementet sammen med administrasjonen. En gjennomgang avklarer roller og hvem som bestemmer hva; virkningen avtar med tiden.",
        help_en: "How often the council reviews its delegation rules with the administration. A review clarifies roles and who decides what; its effect fades with time.",
        choices: HOW_OFTEN,
    },
    Lever {
        key: "development_conversation",
        nb: "Utviklingssamtale med kommunedirektøren",
        en: "Development conversation with the director",
        help_nb: "En årlig, forberedt samtale der arbeidsgiver avklarer forventninger og gir tilbakemelding. KS anbefaler et arbeidsgiverutvalg på 3–5 personer (ordfører, varaordfører og en annen ledende folkevalgt).",
        help_en: "A yearly, prepared conversation in which the employer clarifies expectations and gives feedback. KS recommends an employer committee of 3–5 (mayor, deputy and another leading councillor).",
        choices: &[
            AS_TODAY,
            c("employer_committee", "Arbeidsgiverutvalg", "Employer committee"),
            c("formannskap", "Formannskapet", "Executive committee"),
            c("none", "Ingen", "None"),
        ],
    },
    Lever {
        key: "leader_group_forum",
        nb: "Møteplass for politisk og administrativ ledelse",
        en: "Forum of political and administrative leaders",
        help_nb: "Faste møter mellom den politiske ledelsen og kommunedirektørens ledergruppe. Demper konflikter i administrasjonen og gir kommunedirektøren grunn til å bli.",
        help_en: "Regular meetings of the political leadership and the director's leader group. Dampens conflicts within the administration and gives the director reason to stay.",
        choices: &[
            AS_TODAY,
            c("weekly", "Ukentlig", "Weekly"),
            c("monthly", "Månedlig", "Monthly"),
            c("rarer", "Sjeldnere", "Rarer"),
            c("none", "Ingen", "None"),
        ],
    },
    Lever {
        key: "councillor_training",
        nb: "Folkevalgtopplæring",
        en: "Councillor training",
        help_nb: "Opplæring av de folkevalgte i roller og samspill ut over introduksjonen (som KS' folkevalgtprogram). Løfter saklighet og tydelighet en tid; virkningen avtar over et par år.",
        help_en: "Training councillors in roles and interplay beyond the introduction (like the KS programme). Lifts conduct and clarity for a while; the lift fades over a couple of years.",
        choices: HOW_OFTEN,
    },
    Lever {
        key: "severance",
        nb: "Sluttavtale med kommunedirektøren",
        en: "Severance agreement with the director",
        help_nb: "Om kommunedirektøren ansettes med sluttavtale (etterlønn mot å fraskrive seg stillingsvernet). Det gjør en forhandlet avgang lettere og en langvarig konflikt sjeldnere.",
        help_en: "Whether directors are hired with a severance agreement (severance pay in return for waiving employment protection). It makes a negotiated exit easier and a drawn-out conflict rarer.",
        choices: &[AS_TODAY, c("all", "Alle får", "Everyone"), c("none", "Ingen får", "No one")],
    },
];

/// A named set of lever positions.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Preset {
    pub key: &'static str,
    pub nb: &'static str,
    pub en: &'static str,
    pub help_nb: &'static str,
    pub help_en: &'static str,
    /// Levers not listed stay "as today".
    pub levers: &'static [(&'static str, &'static str)],
}

pub const PRESETS: [Preset; 4] = [
    Preset {
        key: "today",
        nb: "Som i dag",
        en: "As today",
        help_nb: "Landet slik det er: hver kommune med sin egen praksis.",
        help_en: "The country as it is: each municipality with its own practices.",
        levers: &[],
    },
    Preset {
        key: "good",
        nb: "Godt samspill",
        en: "Good interplay",
        help_nb: "Et samlet styringsgrunnlag, saklig kultur, tydelige signaler og alle gode rutiner på plass.",
        help_en: "A united governing base, professional culture, clear signals and every good routine in place.",
        levers: &[
            ("parties", "2"),
            ("culture", "stronger"),
            ("clarity", "stronger"),
            ("informal", "daily"),
            ("delegation_review", "annual"),
            ("development_conversation", "employer_committee"),
            ("leader_group_forum", "monthly"),
            ("councillor_training", "annual"),
            ("severance", "all"),
        ],
    },
    Preset {
        key: "fragmented",
        nb: "Fragmentert kommunestyre",
        en: "Fragmented council",
        help_nb: "Seks partier bak ordføreren, svakere kultur og uklare signaler; praksisen ellers som i dag.",
        help_en: "Six parties behind the mayor, a weaker culture and unclear signals; practices otherwise as today.",
        levers: &[("parties", "6"), ("culture", "weaker"), ("clarity", "weaker")],
    },
    Preset {
        key: "ks",
        nb: "KS-anbefalingene",
        en: "The KS recommendations",
        help_nb: "Det KS anbefaler at kommunene gjør: årlig utviklingssamtale i et arbeidsgiverutvalg, jevnlig uformell kontakt, gjennomgang av delegeringsreglementet, møteplasser, folkevalgtopplæring og sluttavtale. Politikken er som i dag.",
        help_en: "What KS recommends municipalities do: a yearly development conversation in an employer committee, regular informal contact, a review of the delegation rules, meeting places, councillor training and a severance agreement. The politics are as today.",
        levers: &[
            ("informal", "several_per_week"),
            ("delegation_review", "annual"),
            ("development_conversation", "employer_committee"),
            ("leader_group_forum", "monthly"),
            ("councillor_training", "annual"),
            ("severance", "all"),
        ],
    },
];

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

/// A request checked against the caps and the levers, ready to run.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Lever key → position, every lever present (in `LEVERS` order).
    pub levers: Vec<(&'static str, &'static str)>,
    pub municipality: u32,
    pub terms: u32,
    pub replications: u32,
    pub municipalities: u32,
}

impl Settings {
    /// Checks a request against the levers and caps; every problem names its field.
    pub fn from_request(request: &Request, base: &Config) -> Result<Settings, InputError> {
        for key in request.levers.keys() {
            if !LEVERS.iter().any(|l| l.key == key) {
                let known: Vec<&str> = LEVERS.iter().map(|l| l.key).collect();
                return Err(InputError::new(
                    &format!("levers.{key}"),
                    format!("unknown lever `{key}`; the levers are {}", known.join(", ")),
                    format!("ukjent spak «{key}»; spakene er {}", known.join(", ")),
                ));
            }
        }
        let mut levers = Vec::with_capacity(LEVERS.len());
        for lever in &LEVERS {
            let value = match request.levers.get(lever.key) {
                None | Some(serde_json::Value::Null) => TODAY.to_string(),
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Number(n)) => n.to_string(),
                Some(other) => other.to_string(),
            };
            let Some(choice) = lever.choices.iter().find(|c| c.value == value) else {
                let allowed: Vec<&str> = lever.choices.iter().map(|c| c.value).collect();
                return Err(InputError::new(
                    &format!("levers.{}", lever.key),
                    format!(
                        "`{value}` is not a position of the lever `{}`; choose one of {}",
                        lever.key,
                        allowed.join(", ")
                    ),
                    format!(
                        "«{value}» er ikke en stilling for spaken «{}»; velg en av {}",
                        lever.key,
                        allowed.join(", ")
                    ),
                ));
            };
            levers.push((lever.key, choice.value));
        }
        let in_range = |field: &str, value: u32, low: u32, high: u32| -> Result<u32, InputError> {
            if (low..=high).contains(&value) {
                Ok(value)
            } else {
                Err(InputError::new(
                    field,
                    format!("{field} is {value}; it must be from {low} to {high}"),
                    format!("{field} er {value}; den må være fra {low} til {high}"),
                ))
            }
        };
        let municipalities = in_range(
            "municipalities",
            request.municipalities.unwrap_or(base.population.municipalities),
            1,
            base.population.municipalities,
        )?;
        Ok(Settings {
            levers,
            municipality: in_range("municipality", request.municipality, 0, municipalities - 1)?,
            terms: in_range("terms", request.terms.unwrap_or(DEFAULT_TERMS), 1, MAX_TERMS)?,
            replications: in_range(
                "replications",
                request.replications.unwrap_or(DEFAULT_REPLICATIONS),
                1,
                MAX_REPLICATIONS,
            )?,
            municipalities,
        })
    }

    pub fn lever(&self, key: &str) -> &'static str {
        self.levers.iter().find(|(k, _)| *k == key).map_or(TODAY, |(_, v)| v)
    }

    /// Whether every lever is "as today".
    pub fn is_today(&self) -> bool {
        self.levers.iter().all(|(_, v)| *v == TODAY)
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

/// The overlay that puts `settings` on the base scenario: the keys a scenario file would set.
/// It also fixes the reported period to the window, the replications, the municipalities.
pub fn settings_overlay(settings: &Settings, base: &Config, window: Window) -> toml::Table {
    let mut over = toml::Table::new();
    let mut set = |path: &str, value: toml::Value| {
        let (table, key) = path.split_once('.').expect("overlay keys are table.key");
        over.entry(table)
            .or_insert_with(|| toml::Value::Table(toml::Table::new()))
            .as_table_mut()
            .expect("overlay tables are tables")
            .insert(key.to_string(), value);
    };
    for (key, value) in &settings.levers {
        if *value == TODAY {
            continue;
        }
        let text = |v: &str| toml::Value::String(v.to_string());
        let culture_shift = || {
            CULTURE_STEPS.iter().find(|(v, _)| v == value).map_or(0.0, |(_, k)| k * base.climate.culture_sd)
        };
        match *key {
            "parties" => set(
                "politics.fixed_coalition_parties",
                toml::Value::Integer(value.parse().expect("parties positions are numbers")),
            ),
            "culture" => set(
                "climate.conduct_at_one_party",
                toml::Value::Float(round6(base.climate.conduct_at_one_party + culture_shift())),
            ),
            "clarity" => set(
                "climate.clarity_at_one_party",
                toml::Value::Float(round6(base.climate.clarity_at_one_party + culture_shift())),
            ),
            "informal" => set("practices.informal_contact", text(value)),
            "delegation_review" => set("practices.delegation_review", text(value)),
            "development_conversation" => set("practices.development_conversation", text(value)),
            "leader_group_forum" => set("practices.leader_group_forum", text(value)),
            "councillor_training" => set("practices.councillor_training", text(value)),
            "severance" => set(
                "recruitment.severance_share",
                toml::Value::Float(if *value == "all" { 1.0 } else { 0.0 }),
            ),
            other => unreachable!("lever {other} has no mapping"),
        }
    }
    set("calendar.report_start", toml::Value::String(window.start.to_string()));
    set("calendar.end", toml::Value::String(window.end.to_string()));
    set("population.municipalities", toml::Value::Integer(i64::from(settings.municipalities)));
    over.insert("replications".into(), toml::Value::Integer(i64::from(settings.replications)));
    over
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
/// reproduce the page's figures.
pub fn scenario_file(base_path: &str, over: &toml::Table) -> String {
    let mut doc = toml::Table::new();
    doc.insert("extends".into(), toml::Value::String(base_path.to_string()));
    doc.insert("description".into(), toml::Value::String("Settings from the samspill teaching page.".into()));
    for (k, v) in over {
        doc.insert(k.clone(), v.clone());
    }
    format!(
        "# Saved from `samspill serve`: run it with `samspill run FILE`.\n{}",
        toml::to_string(&doc).expect("a TOML table serialises")
    )
}

// ------------------------------------------------------------------------------ one municipality

/// Something that happened to the municipality followed, at month index `month` of the window.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    Election { month: usize, parties_in_council: u32, parties_behind_mayor: u32, new_mayor: bool },
    NewMayor { month: usize },
    DirectorLeaves { month: usize, reason: &'static str, years_in_post: f64, age: f64, acting_follows: bool },
    DirectorAppointed { month: usize },
}

/// The municipality followed: who it is when the window opens.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Profile {
    pub id: u32,
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
    /// Who the municipality is when the window opens (`None` only for an empty window).
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
            return;
        }
        let i = (t.0 - window.start.0) as usize;
        if i == 0 {
            profile = Some(Profile::at(m, t));
        }
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
                s.events.push(Event::DirectorAppointed { month: i });
            }
        } else if was_acting && !acting {
            s.events.push(Event::DirectorAppointed { month: i });
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

// ------------------------------------------------------------------------------ many municipalities

/// Many municipalities under one scenario, over the window.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Summary {
    pub cooperation_mean: Estimate,
    pub poor_cooperation_share: Estimate,
    /// Director exits per 100 municipalities per year.
    pub exits_per_100_per_year: Estimate,
    /// Share of municipality-years in each bin of year-end cooperation (`record::COOPERATION_BIN_NAMES`).
    pub cooperation_bins: Vec<f64>,
    /// Exits per 100 municipalities per year, by reason (`model::ExitReason::NAMES` order).
    pub exits_by_reason_per_100_per_year: Vec<f64>,
}

fn headline(result: &ScenarioResult, name: &str, scale: f64) -> Estimate {
    let i = HEADLINES.iter().position(|h| *h == name).expect("a headline");
    let samples: Vec<f64> = result.headlines.iter().map(|h| h[i] * scale).collect();
    Estimate::from_samples(&samples)
}

/// The figures the page shows for one scenario's runs.
pub fn summarise(result: &ScenarioResult) -> Summary {
    let total = result.tally.sum_axis(Axis(0));
    let year_ends = total[Tally::YearEndMunicipalities as usize];
    let years = total[Tally::MunicipalityMonths as usize] / 12.0;
    Summary {
        cooperation_mean: headline(result, "cooperation_mean", 1.0),
        poor_cooperation_share: headline(result, "poor_cooperation_share", 1.0),
        exits_per_100_per_year: headline(result, "director_exit_rate_per_year", 100.0),
        cooperation_bins: (0..COOPERATION_BIN_NAMES.len())
            .map(|b| if year_ends > 0.0 { total[Tally::YearEndBin0 as usize + b] / year_ends } else { 0.0 })
            .collect(),
        exits_by_reason_per_100_per_year: (0..ExitReason::NAMES.len())
            .map(|r| if years > 0.0 { 100.0 * total[Tally::Exits0 as usize + r] / years } else { 0.0 })
            .collect(),
    }
}

/// Settings − baseline for the outcomes the page reports, paired by replication.
pub fn differences(baseline: &ScenarioResult, settings: &ScenarioResult) -> Vec<OutcomeRow> {
    compare::paired_outcomes(baseline, settings)
        .into_iter()
        .filter(|o| {
            ["cooperation_mean", "poor_cooperation_share", "director_exit_rate_per_year"].contains(&o.outcome)
        })
        .map(|mut o| {
            if o.outcome == "director_exit_rate_per_year" {
                let [low, high] = &mut o.ci95;
                for x in [&mut o.base, &mut o.reform, &mut o.difference, low, high] {
                    *x *= 100.0;
                }
                o.outcome = "exits_per_100_per_year";
            }
            o
        })
        .collect()
}

/// Runs the national simulation of one scenario for the page.
pub fn run_many(
    label: &str,
    config: &Config,
    threads: usize,
) -> Result<(ScenarioResult, RunStats), RunError> {
    let cancel = AtomicBool::new(false);
    compare::run_scenario(label, config, threads, &|_| {}, &cancel)
}

/// The page's static description of the model's vocabulary: levers, presets, labels.
pub fn catalogue() -> serde_json::Value {
    use crate::output::labels::{Lang, exit_reason_label};
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
            "labels": ["< 2", "2–3", "3–3,5", "3,5–4", "4–4,5", "≥ 4,5"],
            "labels_en": ["< 2", "2–3", "3–3.5", "3.5–4", "4–4.5", "≥ 4.5"],
        },
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
        let e = Settings::from_request(&Request { municipality: 356, ..Request::default() }, &base.config)
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
