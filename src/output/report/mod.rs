//! The HTML reports, for readers who are not programmers, in bokmål or English: a comparison's
//! (`comparison`, with its plain-language summary in `summary`) and a single run's (`run`).
//! Charts are inlined as SVG, so one file works offline and can be sent on.

use std::fmt::Write as _;

use crate::analysis::paired::Paired;
use crate::output::charts::Figure;
use crate::output::labels::Lang;

mod comparison;
mod run;
mod summary;

pub(crate) use comparison::OVERVIEW;
pub use comparison::comparison_html;
pub(crate) use run::yearly_headline;
pub use run::{RunReport, run_html};

/// Escapes text for HTML.
pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Strips the XML prologue, if any, so an SVG document can be inlined in HTML.
pub(crate) fn inline_svg(svg: &str) -> &str {
    svg.find("<svg").map_or(svg, |i| &svg[i..])
}

pub const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}\
h1{font-size:1.7rem}h2{margin-top:2.2rem;border-bottom:1px solid #ccc}table{border-collapse:collapse;margin:1rem 0;font-size:.92rem}\
th,td{padding:.3rem .6rem;border-bottom:1px solid #e3e3e3;text-align:right}th:first-child,td:first-child{text-align:left}\
td.sig{font-weight:600}.muted{color:#666;font-size:.9rem}\
#sammendrag{background:#f3f6fa;border-left:5px solid #0072B2;padding:.4rem 1.2rem;margin:1rem 0 1.5rem}#sammendrag h2{border:0;margin-top:.6rem}\
table.overview td,table.overview th{vertical-align:top}table.overview th{font-size:.85rem;font-weight:600}table.overview small{color:#555}\
td.better{background:#e3f4ea}td.worse{background:#fbe4dc}tr.base td{background:#f4f4f4}details{margin:.3rem 0}summary{cursor:pointer;font-weight:600}table.reasons{font-size:.82rem}figure{margin:1.5rem 0}figcaption{color:#555;font-size:.9rem}svg{max-width:100%;height:auto}";

/// Whether an effect's 95 % interval excludes zero.
pub(crate) fn clear(e: &Paired) -> bool {
    e.ci95[0] > 0.0 || e.ci95[1] < 0.0
}

/// A difference with its sign (+0,12; −0,30; 0,00).
pub(crate) fn signed(lang: Lang, x: f64, decimals: usize) -> String {
    let s = lang.number(x, decimals);
    if x > 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') { format!("+{s}") } else { s }
}

/// "januar 2027" / "January 2027".
pub(crate) fn month_words(lang: Lang, m: crate::foundation::calendar::Month) -> String {
    const NB: [&str; 12] = [
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let names = if lang == Lang::Nb { NB } else { EN };
    format!("{} {}", names[m.month0() as usize], m.year())
}

/// "a, b og c".
pub(crate) fn and_list(lang: Lang, items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {} {last}", rest.join(", "), lang.pick("og", "and")),
    }
}

/// The figures whose file names `keep` keeps, inlined with their captions.
pub(crate) fn inline_figures(h: &mut String, figures: &[Figure], keep: impl Fn(&str) -> bool) {
    for f in figures.iter().filter(|f| keep(&f.file)) {
        let _ = write!(
            h,
            "<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
            inline_svg(&f.svg),
            html_escape(&f.caption)
        );
    }
}
