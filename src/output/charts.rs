//! The charts of a comparison and of a sweep, as SVG documents (drawn by `plot`), with their
//! captions in the reader's language. A sweep's charts are drawn from its `sweep.csv` text, so
//! a merged sweep and an unsharded one get the same charts.

use crate::analysis::compare::{Comparison, ScenarioResult};
use crate::analysis::transition::TRANSITION_OUTCOMES;
use crate::model::exits::ExitReason;
use crate::output::labels::{KEY_OUTCOMES, Lang, exit_reason_label, outcome_label, shown};
use crate::output::plot::{self, Series, XAxis};
use crate::scenario::categories::Category;
use crate::sim::record::TENURE_BINS;

/// One chart of a report: its file name (when written beside the report), caption and SVG.
#[derive(Debug, Clone)]
pub struct Figure {
    pub file: String,
    pub caption: String,
    pub svg: String,
}

/// The charts of a comparison.
pub fn comparison_figures(c: &Comparison, lang: Lang) -> Result<Vec<Figure>, String> {
    let l = |nb, en| lang.pick(nb, en);
    let mut figures = Vec::new();
    let all: Vec<&ScenarioResult> = std::iter::once(&c.base).chain(&c.reforms).collect();

    for outcome in ["cooperation_mean", "director_exit_rate_per_year"] {
        let rows: Vec<(String, f64, [f64; 2])> = c
            .outcomes
            .iter()
            .filter(|o| o.outcome == outcome)
            .map(|o| {
                let k = shown(outcome).scale;
                let name = all
                    .iter()
                    .find(|s| s.label == o.scenario)
                    .map_or(o.scenario.as_str(), |s| s.display_name());
                (name.to_string(), k * o.effect.difference, [k * o.effect.ci95[0], k * o.effect.ci95[1]])
            })
            .collect();
        let title = format!("{}: {}", l("Effekt", "Effect"), outcome_label(lang, outcome));
        figures.push(Figure {
            file: format!("effect_{outcome}.svg"),
            caption: format!(
                "{} {}",
                outcome_label(lang, outcome),
                l(
                    "– reform minus grunnlag, med 95 % konfidensintervall for den parede differansen.",
                    "– reform minus base, with the 95 % confidence interval of the paired difference."
                )
            ),
            svg: plot::forest(&title, l("endring", "change"), &rows, lang == Lang::Nb)?,
        });
    }

    // The transition: each reform's effect year by year, with the adoption date marked.
    if c.reforms.iter().any(|r| r.adopted_from.is_some()) {
        for outcome in TRANSITION_OUTCOMES {
            let mut series: Vec<Series> = c
                .reforms
                .iter()
                .map(|r| {
                    let rows: Vec<_> = c
                        .transition
                        .iter()
                        .filter(|t| t.scenario == r.label && t.outcome == outcome)
                        .collect();
                    let k = shown(outcome).scale;
                    Series {
                        label: r.display_name().to_string(),
                        points: rows.iter().map(|t| (f64::from(t.year), k * t.effect.difference)).collect(),
                        band: Some(
                            rows.iter()
                                .map(|t| (f64::from(t.year), k * t.effect.ci95[0], k * t.effect.ci95[1]))
                                .collect(),
                        ),
                    }
                })
                .collect();
            let (lo, hi) = series
                .iter()
                .flat_map(|s| s.band.iter().flatten())
                .fold((0.0f64, 0.0f64), |(lo, hi), (_, a, b)| (lo.min(*a), hi.max(*b)));
            let mut dates: Vec<i32> =
                c.reforms.iter().filter_map(|r| r.adopted_from.map(|m| m.year())).collect();
            dates.sort_unstable();
            dates.dedup();
            for year in dates {
                series.push(Series {
                    label: format!("{} {year}", l("innført", "adopted")),
                    points: vec![(f64::from(year), lo), (f64::from(year), hi)],
                    band: None,
                });
            }
            figures.push(Figure {
                file: format!("transition_{outcome}.svg"),
                caption: format!(
                    "{} {}",
                    outcome_label(lang, outcome),
                    l(
                        "– reform minus grunnlag år for år, med 95 %-intervall; den loddrette streken er året reformen innføres. Før det er forskjellen null.",
                        "– reform minus base year by year, with the 95 % interval; the vertical line is the year the reform is adopted. Before it the difference is zero."
                    )
                ),
                svg: plot::line_chart(
                    &format!("{}: {}", l("Overgangen", "The transition"), outcome_label(lang, outcome)),
                    l("År", "Year"),
                    l("endring", "change"),
                    &series,
                    XAxis::Integer,
                    lang == Lang::Nb,
                )?,
            });
        }
    }

    let cooperation: Vec<Series> = all
        .iter()
        .map(|s| Series {
            label: s.display_name().to_string(),
            points: pairs(&s.cooperation_by_year()),
            band: None,
        })
        .collect();
    figures.push(Figure {
        file: "cooperation_by_year.svg".into(),
        caption: l(
            "Samarbeidskvalitet (1–5) per år, gjennomsnitt over kommuner og replikasjoner.",
            "Cooperation quality (1–5) by year, mean over municipalities and replications.",
        )
        .into(),
        // Half a point of the 1–5 scale at least, so that hundredths do not look large.
        svg: plot::line_chart_spanning(
            l("Samarbeidskvalitet per år", "Cooperation quality by year"),
            l("År", "Year"),
            l("samarbeid (1–5)", "cooperation (1–5)"),
            &cooperation,
            XAxis::Integer,
            lang == Lang::Nb,
            0.5,
        )?,
    });

    // Exits by reason over time in the base (every scenario's period means are a table in the report).
    {
        let s = &c.base;
        let series: Vec<Series> = ExitReason::NAMES
            .iter()
            .enumerate()
            .map(|(r, name)| Series {
                label: exit_reason_label(lang, name),
                points: pairs(&s.exits_by_year(r)),
                band: None,
            })
            .collect();
        figures.push(Figure {
            file: format!("exits_by_reason_{}.svg", s.label),
            caption: format!(
                "{} {}. {}",
                l("Avganger etter årsak per 100 kommuner per år:", "Exits by reason per 100 municipalities per year:"),
                s.display_name(),
                l(
                    "Toppen i «Annet» i 2020 er sammenslåtte kommuner som tilsatte ny kommunedirektør ved sammenslåingen.",
                    "The peak of “Other” in 2020 is merged municipalities that appointed a new director at the merger."
                )
            ),
            svg: plot::line_chart(
                &format!("{} – {}", l("Avganger etter årsak", "Exits by reason"), s.display_name()),
                l("År", "Year"),
                l("per 100 kommuner", "per 100 municipalities"),
                &series,
                XAxis::Integer,
                lang == Lang::Nb,
            )?,
        });
    }

    let tenure: Vec<Series> = all
        .iter()
        .map(|s| Series {
            label: s.display_name().to_string(),
            points: s.tenure_distribution().iter().enumerate().map(|(b, v)| (b as f64, *v)).collect(),
            band: None,
        })
        .collect();
    figures.push(Figure {
        file: "completed_tenure.svg".into(),
        caption: format!(
            "{} {}",
            l("Fordeling av fullført tid i stillingen for kommunedirektører som gikk av i perioden, i hele år; siste punkt er", "Distribution of completed tenure of directors who left in the period, in whole years; the last point is"),
            format_args!("{} {}", TENURE_BINS - 1, l("år og mer.", "years and more."))
        ),
        svg: plot::line_chart(l("Fullført tid i stillingen", "Completed tenure"), l("år i stillingen", "years in post"), l("andel av avgangene", "share of exits"), &tenure, XAxis::Integer, lang == Lang::Nb)?,
    });
    Ok(figures)
}

fn pairs(v: &[(i32, f64)]) -> Vec<(f64, f64)> {
    v.iter().map(|(y, x)| (f64::from(*y), *x)).collect()
}

/// Parsed `sweep.csv` text: the header's columns and every row's numbers (NaN where empty).
pub fn parse_csv(text: &str) -> (Vec<String>, Vec<Vec<f64>>) {
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap_or_default().split(',').map(str::to_string).collect();
    let rows = lines
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').map(|x| x.parse().unwrap_or(f64::NAN)).collect())
        .collect();
    (header, rows)
}

/// The charts of a sweep, from its `sweep.csv` text: every key outcome against every swept
/// parameter, as `(file name, svg)`, in the units a reader is told (`labels::shown`). With one
/// parameter, a line with its 95 % band; with several, one line with its band for each
/// combination of the other parameters' values, labelled with them.
pub fn sweep_charts(
    csv_text: &str,
    parameters: &[String],
    lang: Lang,
) -> Result<Vec<(String, String)>, String> {
    let (header, rows) = parse_csv(csv_text);
    let col = |name: &str| {
        header.iter().position(|h| h == name).ok_or_else(|| format!("sweep.csv has no column `{name}`"))
    };
    let columns: Vec<usize> = parameters.iter().map(|p| col(p)).collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for (pi, p) in parameters.iter().enumerate() {
        let x = columns[pi];
        let others: Vec<(usize, &String)> = columns
            .iter()
            .copied()
            .zip(parameters)
            .enumerate()
            .filter(|(i, _)| *i != pi)
            .map(|(_, c)| c)
            .collect();
        // The rows of each combination of the other parameters, in the order they first appear.
        let mut groups: Vec<(Vec<f64>, Vec<&Vec<f64>>)> = Vec::new();
        for r in &rows {
            let key: Vec<f64> = others.iter().map(|(c, _)| r[*c]).collect();
            match groups.iter_mut().find(|(k, _)| k.iter().zip(&key).all(|(a, b)| a.total_cmp(b).is_eq())) {
                Some((_, members)) => members.push(r),
                None => groups.push((key, vec![r])),
            }
        }
        groups.sort_by(|a, b| {
            a.0.iter()
                .zip(&b.0)
                .map(|(x, y)| x.total_cmp(y))
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        for outcome in KEY_OUTCOMES {
            let (m, lo, hi) =
                (col(outcome)?, col(&format!("{outcome}_ci95_low"))?, col(&format!("{outcome}_ci95_high"))?);
            let k = shown(outcome).scale;
            let series: Vec<Series> = groups
                .iter()
                .map(|(key, members)| {
                    let mut pts: Vec<(f64, f64, f64, f64)> =
                        members.iter().map(|r| (r[x], k * r[m], k * r[lo], k * r[hi])).collect();
                    pts.sort_by(|a, b| a.0.total_cmp(&b.0));
                    let label = others
                        .iter()
                        .zip(key)
                        .map(|((_, name), v)| format!("{name} = {}", lang.number(*v, decimals_of(*v))))
                        .collect::<Vec<_>>()
                        .join(", ");
                    Series {
                        label,
                        points: pts.iter().map(|p| (p.0, p.1)).collect(),
                        band: Some(pts.iter().map(|p| (p.0, p.2, p.3)).collect()),
                    }
                })
                .collect();
            let integer = rows.iter().all(|r| r[x].fract() == 0.0);
            let label = outcome_label(lang, outcome);
            let svg = plot::line_chart(
                &label,
                p,
                &label,
                &series,
                if integer { XAxis::Integer } else { XAxis::Decimal },
                lang == Lang::Nb,
            )?;
            out.push((format!("{outcome}_vs_{}.svg", p.replace('.', "_")), svg));
        }
    }
    Ok(out)
}

/// Decimals that show a swept value as written (at most four): the fewest at which it is whole.
pub fn decimals_of(v: f64) -> usize {
    (0..4)
        .find(|d| {
            let scaled = v * 10f64.powi(*d as i32);
            (scaled - scaled.round()).abs() < 1e-9 * scaled.abs().max(1.0)
        })
        .unwrap_or(4)
}

/// The charts of a single run: cooperation, and director exits with the forced ones among
/// them, year by year (means over the replications with their 95 % bands). The distributions
/// (cooperation, exit reasons, tenure) are bars in the report itself.
pub fn run_figures(
    tallies: &[ndarray::Array2<f64>],
    first_year: i32,
    lang: Lang,
) -> Result<Vec<Figure>, String> {
    use crate::output::report::yearly_headline;
    let l = |nb, en| lang.pick(nb, en);
    let years = tallies.first().map_or(0, |t| t.nrows());
    let yearly = |outcome: &str, label: String| {
        let estimates: Vec<(f64, crate::stats::Estimate)> = (0..years)
            .map(|y| (f64::from(first_year + y as i32), yearly_headline(tallies, outcome, y)))
            .collect();
        Series {
            label,
            points: estimates.iter().filter_map(|(x, e)| e.mean.map(|m| (*x, m))).collect(),
            band: Some(estimates.iter().filter_map(|(x, e)| e.ci95.map(|[a, b]| (*x, a, b))).collect()),
        }
    };
    let caption = l(
        "gjennomsnitt per år over replikasjonene; det skyggelagte feltet er 95 %-intervallet.",
        "mean by year over the replications; the shaded band is the 95 % interval.",
    );
    let cooperation = outcome_label(lang, "cooperation_mean");
    let exits = l(
        "Skifter av kommunedirektør per 100 kommuner per år",
        "Director exits per 100 municipalities per year",
    );
    Ok(vec![
        Figure {
            file: "yearly_cooperation.svg".into(),
            caption: format!("{cooperation} – {caption}"),
            svg: plot::year_bands(
                &cooperation,
                l("samarbeid (1–5)", "cooperation (1–5)"),
                &[yearly("cooperation_mean", String::new())],
                0.5,
                lang == Lang::Nb,
            ),
        },
        Figure {
            file: "yearly_exits.svg".into(),
            caption: format!(
                "{exits}: {} – {caption}",
                l("alle skifter og de tvungne blant dem", "every exit and the forced ones among them")
            ),
            svg: plot::year_bands(
                exits,
                l("per 100 kommuner", "per 100 municipalities"),
                &[
                    yearly("director_exit_rate_per_year", l("alle skifter", "every exit").into()),
                    yearly(
                        "forced_exit_rate_per_year",
                        l(
                            "tvungne (konflikt, oppsigelse, forhandlet avgang)",
                            "forced (conflict, dismissal, negotiated exit)",
                        )
                        .into(),
                    ),
                ],
                0.0,
                lang == Lang::Nb,
            ),
        },
    ])
}
