//! The levers of the teaching page: each a short name for scenario keys (`Sets`), with its
//! positions and its words in bokmål and English as the KS booklets put them; the presets; and
//! how a request's settings become a TOML overlay on the base scenario.

use serde::Serialize;

use super::{DEFAULT_REPLICATIONS, DEFAULT_TERMS, MAX_REPLICATIONS, MAX_TERMS};
use super::{InputError, Request, TODAY, Window};
use crate::scenario::config::Config;
use crate::scenario::params::Climate as ClimateParams;
use crate::sim::record::round6;

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
    /// The scenario keys the lever sets.
    #[serde(skip)]
    pub sets: Sets,
}

/// What a lever's position sets in the scenario: the same keys a scenario file would set.
#[derive(Debug, Clone, Copy)]
pub enum Sets {
    /// The position, a whole number, is the value of the key.
    Number(&'static str),
    /// The position is a category of the distribution at the key: every municipality in it.
    Category(&'static str),
    /// The climate level at the key, shifted by the position's steps (`CULTURE_STEPS`) of the
    /// spread of council cultures; `level` reads the base's value.
    CultureShift { key: &'static str, level: fn(&ClimateParams) -> f64 },
    /// The share at the key: 1 in the position `all`, else 0.
    Share(&'static str),
    /// Role expectations in the grey zones of Svara's model (organisation and policy making):
    /// `shared`, mayor and director both expect dialogue; `apart`, the mayor expects loyalty
    /// and the director independence.
    GreyZoneRoles,
}

/// The zones between politics and administration where role expectations differ most.
const GREY_ZONES: [&str; 2] = ["organisation", "policy_making"];

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
pub const LEVERS: [Lever; 10] = [
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
        sets: Sets::Number("politics.fixed_coalition_parties"),
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
        sets: Sets::CultureShift { key: "climate.conduct_at_one_party", level: |c| c.conduct_at_one_party },
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
        sets: Sets::CultureShift { key: "climate.clarity_at_one_party", level: |c| c.clarity_at_one_party },
    },
    Lever {
        key: "roles",
        nb: "Rolleforventninger i gråsonen",
        en: "Role expectations in the grey zone",
        help_nb: "Hva ordfører og kommunedirektør venter av hverandre der politikk og administrasjon møtes: i utformingen av politikk og i hvordan administrasjonen organiseres (Svaras gråsone). Forventninger som spriker, gir friksjon med mindre en arbeidsavtale om rollene dekker dem.",
        help_en: "What mayor and director expect of each other where politics and administration meet: in making policy and in organising the administration (Svara's grey zone). Expectations that differ cause friction unless a working agreement on roles covers them.",
        choices: &[
            AS_TODAY,
            c("shared", "Felles: dialog", "Shared: dialogue"),
            c("apart", "Sprikende", "Far apart"),
        ],
        sets: Sets::GreyZoneRoles,
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
        sets: Sets::Category("practices.informal_contact"),
    },
    Lever {
        key: "delegation_review",
        nb: "Gjennomgang av delegeringsreglementet",
        en: "Review of the delegation rules",
        help_nb: "Hvor ofte kommunestyret går gjennom delegeringsreglementet sammen med administrasjonen. En gjennomgang avklarer roller og hvem som bestemmer hva; virkningen avtar med tiden.",
        help_en: "How often the council reviews its delegation rules with the administration. A review clarifies roles and who decides what; its effect fades with time.",
        choices: HOW_OFTEN,
        sets: Sets::Category("practices.delegation_review"),
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
        sets: Sets::Category("practices.development_conversation"),
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
        sets: Sets::Category("practices.leader_group_forum"),
    },
    Lever {
        key: "councillor_training",
        nb: "Folkevalgtopplæring",
        en: "Councillor training",
        help_nb: "Opplæring av de folkevalgte i roller og samspill ut over introduksjonen (som KS' folkevalgtprogram). Løfter saklighet og tydelighet en tid; virkningen avtar over et par år.",
        help_en: "Training councillors in roles and interplay beyond the introduction (like the KS programme). Lifts conduct and clarity for a while; the lift fades over a couple of years.",
        choices: HOW_OFTEN,
        sets: Sets::Category("practices.councillor_training"),
    },
    Lever {
        key: "severance",
        nb: "Sluttavtale med kommunedirektøren",
        en: "Severance agreement with the director",
        help_nb: "Om kommunedirektøren ansettes med sluttavtale (etterlønn mot å fraskrive seg stillingsvernet). Det gjør en forhandlet avgang lettere og en langvarig konflikt sjeldnere.",
        help_en: "Whether directors are hired with a severance agreement (severance pay in return for waiving employment protection). It makes a negotiated exit easier and a drawn-out conflict rarer.",
        choices: &[AS_TODAY, c("all", "Alle får", "Everyone"), c("none", "Ingen får", "No one")],
        sets: Sets::Share("recruitment.severance_share"),
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
        key: "som-i-dag",
        nb: "Som i dag",
        en: "As today",
        help_nb: "Landet slik det er: hver kommune med sin egen praksis.",
        help_en: "The country as it is: each municipality with its own practices.",
        levers: &[],
    },
    Preset {
        key: "godt-samspill",
        nb: "Godt samspill",
        en: "Good interplay",
        help_nb: "Et samlet styringsgrunnlag, saklig kultur, tydelige signaler, felles rolleforståelse og alle gode rutiner på plass.",
        help_en: "A united governing base, professional culture, clear signals, a shared understanding of roles and every good routine in place.",
        levers: &[
            ("parties", "2"),
            ("culture", "stronger"),
            ("clarity", "stronger"),
            ("roles", "shared"),
            ("informal", "daily"),
            ("delegation_review", "annual"),
            ("development_conversation", "employer_committee"),
            ("leader_group_forum", "monthly"),
            ("councillor_training", "annual"),
            ("severance", "all"),
        ],
    },
    Preset {
        key: "fragmentert",
        nb: "Fragmentert kommunestyre",
        en: "Fragmented council",
        help_nb: "Seks partier bak ordføreren, svakere kultur og uklare signaler; praksisen ellers som i dag.",
        help_en: "Six parties behind the mayor, a weaker culture and unclear signals; practices otherwise as today.",
        levers: &[("parties", "6"), ("culture", "weaker"), ("clarity", "weaker")],
    },
    Preset {
        key: "ks-anbefalingene",
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
            municipality: in_range(
                "municipality",
                request.municipality,
                0,
                base.population.municipalities - 1,
            )?,
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

/// Sets `value` at the dotted `path` (`table.key` or `table.sub.key`) of `table`.
fn set_path(table: &mut toml::Table, path: &str, value: toml::Value) {
    match path.split_once('.') {
        None => {
            table.insert(path.to_string(), value);
        }
        Some((head, rest)) => {
            let inner = table
                .entry(head)
                .or_insert_with(|| toml::Value::Table(toml::Table::new()))
                .as_table_mut()
                .expect("overlay tables are tables");
            set_path(inner, rest, value);
        }
    }
}

/// What the settings change: the keys a scenario file would set, for the municipalities to
/// adopt at the window's start (empty when every lever is "as today").
pub fn settings_changes(settings: &Settings, base: &Config) -> toml::Table {
    let mut changes = toml::Table::new();
    let set = |changes: &mut toml::Table, path: &str, value: toml::Value| set_path(changes, path, value);
    for (lever, (_, value)) in LEVERS.iter().zip(&settings.levers) {
        if *value == TODAY {
            continue;
        }
        match lever.sets {
            Sets::Number(key) => set(
                &mut changes,
                key,
                toml::Value::Integer(value.parse().expect("the positions of a number lever are numbers")),
            ),
            Sets::Category(key) => set(&mut changes, key, toml::Value::String(value.to_string())),
            Sets::CultureShift { key, level } => {
                let steps = CULTURE_STEPS.iter().find(|(v, _)| v == value).map_or(0.0, |(_, k)| *k);
                let shifted = level(&base.climate) + steps * base.climate.culture_sd;
                set(&mut changes, key, toml::Value::Float(round6(shifted)));
            }
            Sets::Share(key) => {
                set(&mut changes, key, toml::Value::Float(if *value == "all" { 1.0 } else { 0.0 }))
            }
            Sets::GreyZoneRoles => {
                let (mayor, director) =
                    if *value == "shared" { ("dialogue", "dialogue") } else { ("loyalty", "independence") };
                for zone in GREY_ZONES {
                    for (role, expects) in [("mayor", mayor), ("director", director)] {
                        let shares: toml::Table = ["independence", "dialogue", "loyalty"]
                            .iter()
                            .map(|r| {
                                (r.to_string(), toml::Value::Float(if *r == expects { 1.0 } else { 0.0 }))
                            })
                            .collect();
                        set(&mut changes, &format!("roles.{role}.{zone}"), toml::Value::Table(shares));
                    }
                }
            }
        }
    }
    changes
}

/// The overlay that puts `settings` on the base scenario: what the settings change, adopted by
/// every municipality at the window's start (`[adoption]`; before it the settings' world is the
/// baseline's, month for month), and the window as the reported period, the replications and
/// the municipalities.
pub fn settings_overlay(settings: &Settings, base: &Config, window: Window) -> toml::Table {
    let mut over = toml::Table::new();
    let changes = settings_changes(settings, base);
    if !changes.is_empty() {
        let mut adoption = toml::Table::new();
        adoption.insert("from".into(), toml::Value::String(window.start.to_string()));
        adoption.insert("changes".into(), toml::Value::Table(changes));
        over.insert("adoption".into(), toml::Value::Table(adoption));
    }
    set_path(&mut over, "calendar.report_start", toml::Value::String(window.start.to_string()));
    set_path(&mut over, "calendar.end", toml::Value::String(window.end.to_string()));
    set_path(
        &mut over,
        "population.municipalities",
        toml::Value::Integer(i64::from(settings.municipalities)),
    );
    over.insert("replications".into(), toml::Value::Integer(i64::from(settings.replications)));
    over
}
