//! Every label a reader sees, in bokmål and English: `labels.toml` (the headline outcomes, the
//! exit reasons, the subgroups, the cooperation bins, the months) and `page_words.toml` (the
//! teaching page's own words, read only by the page), compiled in and read once; how numbers
//! are written in each language; and how each outcome is shown (`shown`). The reports, the
//! charts, the workbooks and the teaching page all take their words from here.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::{Map, Value};

/// The language of reports and chart labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Norwegian bokmål.
    #[default]
    Nb,
    /// English.
    En,
}

impl Lang {
    /// The words in this language.
    pub fn pick(self, nb: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Nb => nb,
            Lang::En => en,
        }
    }

    /// `pick` for words that are not static.
    pub(crate) fn pick_owned(self, nb: &str, en: &str) -> String {
        match self {
            Lang::Nb => nb.to_string(),
            Lang::En => en.to_string(),
        }
    }

    /// A number with `decimals` decimals, with a decimal comma in bokmål and a proper minus sign.
    pub fn number(self, x: f64, decimals: usize) -> String {
        if !x.is_finite() {
            return "–".into();
        }
        let s = format!("{x:.decimals$}");
        let s = if s.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') {
            s.trim_start_matches('-').to_string()
        } else {
            s
        };
        let s = s.replace('-', "−");
        // Digits grouped in threes from five on (10 000; 5692 stays whole), as Språkrådet
        // recommends: a narrow no-break space in bokmål, a comma in English.
        let (sign, rest) = s.strip_prefix('−').map_or(("", s.as_str()), |r| ("−", r));
        let (whole, fraction) = rest.split_once('.').map_or((rest, None), |(w, f)| (w, Some(f)));
        let grouped = if whole.len() < 5 {
            whole.to_string()
        } else {
            let separator = self.pick("\u{202f}", ",");
            let digits: Vec<char> = whole.chars().collect();
            let groups: Vec<String> = digits.rchunks(3).rev().map(|g| g.iter().collect()).collect();
            groups.join(separator)
        };
        let point = self.pick(",", ".");
        match fraction {
            Some(f) => format!("{sign}{grouped}{point}{f}"),
            None => format!("{sign}{grouped}"),
        }
    }
}

/// Something said in both languages: a word, or a list of words.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Both<T> {
    nb: T,
    en: T,
}

impl<T> Both<T> {
    fn get(&self, lang: Lang) -> &T {
        match lang {
            Lang::Nb => &self.nb,
            Lang::En => &self.en,
        }
    }
}

type Word = Both<String>;
type Words = Both<Vec<String>>;

/// `labels.toml`, read.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    outcomes: BTreeMap<String, Word>,
    exit_reasons: BTreeMap<String, Word>,
    groups: BTreeMap<String, Word>,
    cooperation_bins: Words,
    months: Words,
}

/// The teaching page's words (`page_words.toml`), parsed on first use by the page alone.
fn page_words() -> &'static BTreeMap<String, Word> {
    static WORDS: OnceLock<BTreeMap<String, Word>> = OnceLock::new();
    WORDS.get_or_init(|| {
        toml::from_str(include_str!("page_words.toml")).expect("page_words.toml is valid (tested)")
    })
}

/// The table, parsed on first use. It is compiled in and its tests parse it, so it cannot fail
/// at run time.
fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| toml::from_str(include_str!("labels.toml")).expect("labels.toml is valid (tested)"))
}

/// The word for `key` in `section`, or `key` itself if the table has none.
fn word(section: &BTreeMap<String, Word>, key: &str, lang: Lang) -> String {
    section.get(key).map_or(key, |w| w.get(lang).as_str()).to_string()
}

/// The label of a headline outcome (see `summary::HEADLINES`), or the name itself if unknown.
pub fn outcome_label(lang: Lang, name: &str) -> String {
    word(&table().outcomes, name, lang)
}

/// The label of an exit reason (see `model::exits::ExitReason`), or the name itself if unknown.
pub fn exit_reason_label(lang: Lang, name: &str) -> String {
    word(&table().exit_reasons, name, lang)
}

/// The label of a subgroup (`analysis::transition::group_name`), or the name itself if unknown.
pub fn group_label(lang: Lang, name: &str) -> String {
    word(&table().groups, name, lang)
}

/// Labels of the year-end cooperation bins (`sim::record::COOPERATION_BIN_NAMES`) in `lang`.
pub fn cooperation_bin_labels(lang: Lang) -> &'static [String] {
    table().cooperation_bins.get(lang).as_slice()
}

/// The teaching page's words as the page reads them: `{"nb": {key: text, …, "months": […]},
/// "en": {…}}` (the page's `t(key)` looks a key up in its language).
pub fn page_text() -> Value {
    let t = table();
    let language = |lang: Lang| {
        let mut words: Map<String, Value> =
            page_words().iter().map(|(k, w)| (k.clone(), Value::from(w.get(lang).as_str()))).collect();
        words.insert("months".into(), Value::from(t.months.get(lang).clone()));
        Value::Object(words)
    };
    serde_json::json!({"nb": language(Lang::Nb), "en": language(Lang::En)})
}

/// How a reader sees an outcome's values: multiplied by `scale` (rates per municipality become
/// per 100 municipalities, shares become percent), with `decimals` for a level and
/// `diff_decimals` for a difference, whose unit is `unit`. The labels of `labels.toml` name the
/// scaled unit, so every surface that writes a label beside a number scales it here.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shown {
    pub scale: f64,
    pub decimals: usize,
    pub diff_decimals: usize,
    pub unit: Unit,
}

/// The unit of a difference as a reader is told it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Points on the survey's 1–5 scale.
    ScalePoints,
    /// A share's difference, in percentage points.
    PercentagePoints,
    /// Events per 100 municipalities per year (or per election).
    Per100,
    Years,
    Months,
    Kroner,
    /// Counts per municipality (friction cases, parties).
    Count,
    /// Standard deviations of the climate between municipalities.
    StandardDeviations,
}

/// How `outcome` (one of `summary::HEADLINES`) is shown.
pub fn shown(outcome: &str) -> Shown {
    let s = |scale, decimals, diff_decimals, unit| Shown { scale, decimals, diff_decimals, unit };
    match outcome {
        "cooperation_mean" | "cooperation_sd" => s(1.0, 2, 3, Unit::ScalePoints),
        "poor_cooperation_share" | "acting_director_share" => s(100.0, 1, 1, Unit::PercentagePoints),
        "director_exit_rate_per_year"
        | "exits_conflict_with_politicians_per_year"
        | "forced_exit_rate_per_year"
        | "mayor_change_rate_per_election"
        | "mayor_changes_between_elections_per_year" => s(100.0, 1, 2, Unit::Per100),
        "mean_completed_tenure_years" | "mean_elapsed_tenure_years" | "director_age_mean" => {
            s(1.0, 1, 2, Unit::Years)
        }
        "vacancy_months_per_exit" => s(1.0, 1, 2, Unit::Months),
        "turnover_cost_nok_per_year" => s(1.0, 0, 0, Unit::Kroner),
        "party_cooperation_mean" | "professional_conduct_mean" | "clear_signals_mean" => {
            s(1.0, 2, 3, Unit::StandardDeviations)
        }
        _ => s(1.0, 2, 3, Unit::Count),
    }
}

/// The outcomes a comparison report puts first.
pub const KEY_OUTCOMES: [&str; 5] = [
    "cooperation_mean",
    "poor_cooperation_share",
    "director_exit_rate_per_year",
    "exits_conflict_with_politicians_per_year",
    "mean_completed_tenure_years",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::exits::ExitReason;
    use crate::scenario::categories::Category;

    #[test]
    fn every_word_of_the_table_has_both_languages() {
        let t = table();
        for section in [&t.outcomes, &t.exit_reasons, page_words()] {
            for (key, w) in section {
                assert!(!w.nb.is_empty() && !w.en.is_empty(), "{key}");
            }
        }
        for words in [&t.cooperation_bins, &t.months] {
            assert_eq!(words.nb.len(), words.en.len());
        }
        assert_eq!(t.months.nb.len(), 12);
        assert_eq!(cooperation_bin_labels(Lang::Nb).len(), crate::sim::record::COOPERATION_BIN_NAMES.len());
        let text = page_text();
        assert_eq!(text["nb"]["months"][4], "mai");
        assert_eq!(text["en"]["run"], "Run");
        assert_eq!(text["nb"].as_object().unwrap().len(), page_words().len() + 1);
    }

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(Lang::Nb.number(-0.1234, 3), "−0,123");
        assert_eq!(Lang::En.number(4.5, 1), "4.5");
        assert_eq!(Lang::Nb.number(-0.00001, 3), "0,000");
        assert_eq!(Lang::En.number(f64::NAN, 2), "–");
        assert_eq!(Lang::Nb.number(5692.0, 0), "5692");
        assert_eq!(Lang::Nb.number(-183_447.2, 0), "−183\u{202f}447");
        assert_eq!(Lang::En.number(1_234_567.891, 2), "1,234,567.89");
    }

    #[test]
    fn every_headline_and_exit_reason_has_labels_in_both_languages() {
        for name in crate::sim::summary::HEADLINES {
            assert_ne!(outcome_label(Lang::Nb, name), name);
            assert_ne!(outcome_label(Lang::En, name), name);
        }
        for name in ExitReason::NAMES {
            assert_ne!(exit_reason_label(Lang::Nb, name), *name);
        }
        for g in 0..crate::sim::record::GROUPS {
            let name = crate::analysis::transition::group_name(g).1;
            assert_ne!(group_label(Lang::Nb, name), name);
            assert_ne!(group_label(Lang::En, name), name);
        }
    }
}
