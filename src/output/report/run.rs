//! The report of a single run (`samspill run`): the headline outcomes with their intervals, the
//! key outcomes year by year with bands over the replications (charts), and as bars the
//! distribution of cooperation, why directors leave and how long they stayed.

use std::fmt::Write as _;

use ndarray::{Array2, Axis};

use super::{STYLE, html_escape, inline_figures};
use crate::model::exits::ExitReason;
use crate::output::charts::Figure;
use crate::output::labels::{Lang, cooperation_bin_labels, exit_reason_label, outcome_label, shown};
use crate::scenario::categories::Category;
use crate::sim::record::{COOPERATION_BIN_NAMES, TENURE_BIN0, TENURE_BINS, Tally};
use crate::sim::summary::HEADLINES;
use crate::stats::Estimate;

/// What the report of one run shows.
pub struct RunReport<'a> {
    /// The scenario's title (or name) and its description.
    pub title: &'a str,
    pub description: &'a str,
    pub file: &'a str,
    pub seed: u64,
    pub report_start: String,
    pub report_end: String,
    /// Each replication's tally of the reported period, one row per year.
    pub tallies: &'a [Array2<f64>],
    /// The headline outcomes over the whole period, with their intervals.
    pub headlines: &'a [(&'static str, Estimate)],
}

/// Per replication: `f` of the tally summed over the period.
fn per_replication(tallies: &[Array2<f64>], f: impl Fn(&[f64]) -> f64) -> Estimate {
    let samples: Vec<f64> = tallies
        .iter()
        .map(|t| f(t.sum_axis(Axis(0)).as_slice().expect("a summed tally is contiguous")))
        .collect();
    Estimate::from_samples(&samples)
}

/// A row of horizontal bars: label, bar (its width a share of `max`), value with interval.
fn bar_row(h: &mut String, lang: Lang, label: &str, e: &Estimate, max: f64, decimals: usize, unit: &str) {
    let mean = e.mean.unwrap_or(0.0);
    let interval = e.ci95.map_or_else(String::new, |[lo, hi]| {
        format!(
            " <small>({} {} {})</small>",
            lang.number(lo, decimals),
            lang.pick("til", "to"),
            lang.number(hi, decimals)
        )
    });
    let _ = writeln!(
        h,
        "<tr><td>{}</td><td class=\"bar\"><span style=\"width:{:.1}%\"></span></td><td>{}{unit}{interval}</td></tr>",
        html_escape(label),
        if max > 0.0 { 100.0 * mean / max } else { 0.0 },
        lang.number(mean, decimals)
    );
}

/// The HTML report of one run, with `figures` (`charts::run_figures`) inlined.
pub fn run_html(r: &RunReport, figures: &[Figure], lang: Lang, version: &str) -> String {
    let l = |nb, en| lang.pick(nb, en);
    let mut h = String::new();
    let replications = r.tallies.len();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}table.bars{{width:100%}}td.bar{{width:45%}}td.bar span{{display:block;height:1rem;background:#0072B2;border-radius:2px}}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        l("nb", "en"),
        html_escape(r.title),
        html_escape(r.title)
    );
    let what = match lang {
        Lang::Nb => format!(
            "Alle kommunene simulert {replications} ganger, rapportert {}–{} (frø {}; scenario {}).",
            r.report_start,
            r.report_end,
            r.seed,
            html_escape(r.file)
        ),
        Lang::En => format!(
            "Every municipality simulated {replications} times, reported {}–{} (seed {}; scenario {}). {}",
            r.report_start,
            r.report_end,
            r.seed,
            html_escape(r.file),
            html_escape(r.description)
        ),
    };
    let _ = writeln!(h, "<p>{what}</p>");

    // The headline outcomes.
    let _ = write!(
        h,
        "<h2 id=\"utfall\">{}</h2>\n<p class=\"muted\">{}</p>\n<table>\n<tr><th>{}</th><th>{}</th><th>{}</th></tr>\n",
        l("Hovedtall for hele perioden", "Headline figures for the whole period"),
        l(
            "Gjennomsnitt over replikasjonene med 95 % intervall (t-fordeling over replikasjonene: usikkerheten i simuleringen, ikke i modellens parametre).",
            "Mean over the replications with the 95 % interval (t over replications: the simulation's uncertainty, not the parameters')."
        ),
        l("Utfall", "Outcome"),
        l("Gjennomsnitt", "Mean"),
        l("95 % intervall", "95 % interval")
    );
    for (name, e) in r.headlines {
        let s = shown(name);
        let n = |x: f64| lang.number(s.scale * x, s.decimals);
        let interval = e.ci95.map_or_else(String::new, |[lo, hi]| format!("[{}, {}]", n(lo), n(hi)));
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{interval}</td></tr>",
            html_escape(&outcome_label(lang, name)),
            e.mean.map_or_else(|| "–".into(), n)
        );
    }
    let _ = writeln!(h, "</table>");

    let _ = writeln!(h, "<h2 id=\"over-tid\">{}</h2>", l("År for år", "Year by year"));
    inline_figures(&mut h, figures, |f| f.starts_with("yearly_"));

    // The distribution of cooperation at the turn of the year.
    let _ = write!(
        h,
        "<h2 id=\"fordeling\">{}</h2>\n<table class=\"bars\">\n",
        l(
            "Samarbeidskvalitet ved årsskiftet: andel kommuner (%)",
            "Cooperation at the turn of the year: share of municipalities (%)"
        )
    );
    let bins: Vec<Estimate> = (0..COOPERATION_BIN_NAMES.len())
        .map(|b| {
            per_replication(r.tallies, |t| {
                100.0 * t[Tally::YearEndBin0 as usize + b] / t[Tally::YearEndMunicipalities as usize]
            })
        })
        .collect();
    let max = bins.iter().filter_map(|e| e.mean).fold(0.0, f64::max);
    for (label, e) in cooperation_bin_labels(lang).iter().zip(&bins) {
        bar_row(&mut h, lang, label, e, max, 1, " %");
    }
    let _ = writeln!(h, "</table>");

    // Why directors leave.
    let _ = write!(
        h,
        "<h2 id=\"avganger\">{}</h2>\n<table class=\"bars\">\n",
        l(
            "Hvorfor kommunedirektøren slutter: per 100 kommuner per år",
            "Why the director leaves: per 100 municipalities per year"
        )
    );
    let reasons: Vec<Estimate> = (0..ExitReason::NAMES.len())
        .map(|k| {
            per_replication(r.tallies, |t| {
                100.0 * t[Tally::Exits0 as usize + k] / (t[Tally::MunicipalityMonths as usize] / 12.0)
            })
        })
        .collect();
    let max = reasons.iter().filter_map(|e| e.mean).fold(0.0, f64::max);
    for (name, e) in ExitReason::NAMES.iter().zip(&reasons) {
        bar_row(&mut h, lang, &exit_reason_label(lang, name), e, max, 2, "");
    }
    let _ = writeln!(h, "</table>");
    // How long they stayed: completed tenure of those who left, in whole years.
    let _ = write!(
        h,
        "<h2 id=\"tid\">{}</h2>\n<table class=\"bars\">\n",
        l(
            "Hvor lenge de ble: fullført tid i stillingen for dem som gikk av, andel (%)",
            "How long they stayed: completed tenure of those who left, share (%)"
        )
    );
    let tenure: Vec<Estimate> = (0..TENURE_BINS)
        .map(|b| {
            per_replication(r.tallies, |t| {
                let n: f64 = (0..TENURE_BINS).map(|k| t[TENURE_BIN0 + k]).sum();
                100.0 * t[TENURE_BIN0 + b] / n
            })
        })
        .collect();
    let max = tenure.iter().filter_map(|e| e.mean).fold(0.0, f64::max);
    for (b, e) in tenure.iter().enumerate() {
        let label = match b {
            0 => lang.pick("under 1 år", "under 1 year").to_string(),
            b if b == TENURE_BINS - 1 => format!("{b} {}", lang.pick("år og mer", "years and more")),
            b => format!("{b}–{} {}", b + 1, lang.pick("år", "years")),
        };
        bar_row(&mut h, lang, &label, e, max, 1, " %");
    }
    let _ = writeln!(h, "</table>");
    let _ = write!(
        h,
        "<p class=\"muted\">samspill {version}. {}</p>\n</body>\n</html>\n",
        l(
            "Tallene ligger i summary.json, yearly.csv og municipalities.csv i samme mappe.",
            "The numbers are in summary.json, yearly.csv and municipalities.csv in the same folder."
        )
    );
    h
}

/// Headline `name` of every replication's year `year` (a row of its tally).
pub(crate) fn yearly_headline(tallies: &[Array2<f64>], name: &str, year: usize) -> Estimate {
    let i = HEADLINES.iter().position(|h| *h == name).expect("a headline");
    let samples: Vec<f64> = tallies
        .iter()
        .map(|t| crate::sim::summary::headline_values(&t.row(year))[i] * shown(name).scale)
        .collect();
    Estimate::from_samples(&samples)
}
