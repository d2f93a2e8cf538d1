//! Workbooks (`.xlsx`) for analysts who work in a spreadsheet: one sheet per table, numbers
//! stored as numbers (so a Norwegian-locale spreadsheet shows them with its own decimal comma),
//! headings in the reader's language. Written with `rust_xlsxwriter` (pure Rust).

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

use crate::analysis::compare::Comparison;
use crate::analysis::paired::Paired;
use crate::analysis::transition::group_name;
use crate::model::exits::ExitReason;
use crate::output::charts::parse_csv;
use crate::output::labels::{Lang, exit_reason_label, group_label, outcome_label, shown};
use crate::output::report::OVERVIEW;
use crate::scenario::categories::Category;
use crate::sim::record::GROUPS;
use crate::sim::summary::HEADLINES;

/// One cell of a sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Number(f64),
    Text(String),
    Empty,
}

impl From<f64> for Cell {
    fn from(x: f64) -> Cell {
        if x.is_finite() { Cell::Number(x) } else { Cell::Empty }
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

/// One sheet: its name (at most 31 characters), a header row and the rows.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// The workbook of `sheets` as `.xlsx` bytes: a bold, frozen header row on every sheet, columns
/// wide enough for their headings.
pub fn xlsx(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // A fixed creation time (the zip format's epoch), so that the same results give the same
    // bytes; when the run happened is in the folder's manifest.
    book.set_properties(&DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(1980, 1, 1)?));
    let bold = Format::new().set_bold().set_text_wrap();
    for s in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&s.name)?;
        for (c, h) in s.header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)?;
            ws.set_column_width(c as u16, (h.chars().count() as f64 * 0.6).clamp(10.0, 40.0))?;
        }
        ws.set_freeze_panes(1, 0)?;
        for (r, row) in s.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 1, c as u16);
                match cell {
                    Cell::Number(x) => ws.write_number(r, c, *x).map(|_| ())?,
                    Cell::Text(t) => ws.write_string(r, c, t).map(|_| ())?,
                    Cell::Empty => {}
                }
            }
        }
    }
    book.save_to_buffer()
}

/// An effect's columns (base, reform, difference, 95 % interval), scaled by `k`.
fn effect_cells(e: &Paired, k: f64) -> [Cell; 5] {
    [e.base, e.reform, e.difference, e.ci95[0], e.ci95[1]].map(|x| Cell::from(k * x))
}

/// The sheets of a comparison: the overview (every measure's effects on the key outcomes, in the
/// report's units), every outcome, the survey power, exits by reason and, where there are any,
/// the effects year by year and by subgroup.
pub fn comparison_sheets(c: &Comparison, lang: Lang) -> Vec<Sheet> {
    let l = |nb: &str, en: &str| lang.pick_owned(nb, en);
    let name = |label: &str| {
        std::iter::once(&c.base)
            .chain(&c.reforms)
            .find(|s| s.label == label)
            .map_or(label.to_string(), |s| s.display_name().to_string())
    };
    let effect_columns = |lang: Lang| -> Vec<String> {
        vec![
            lang.pick_owned("Grunnlag", "Base"),
            lang.pick_owned("Tiltak", "Measure"),
            lang.pick_owned("Forskjell", "Difference"),
            lang.pick_owned("95 % nedre", "95 % lower"),
            lang.pick_owned("95 % øvre", "95 % upper"),
        ]
    };
    // Overview: one row per measure, three columns (difference, interval) per outcome of the
    // report's overview.
    let mut header = vec![l("Tiltak", "Measure"), l("Fil", "File")];
    for o in OVERVIEW {
        let label = outcome_label(lang, o);
        header.push(format!("{label}: {}", l("forskjell", "difference")));
        header.push(format!("{label}: {}", l("95 % nedre", "95 % lower")));
        header.push(format!("{label}: {}", l("95 % øvre", "95 % upper")));
    }
    header.push(l("Styrke i en spørreundersøkelse (andel)", "Survey power (share)"));
    let mut rows = Vec::new();
    let mut base_row: Vec<Cell> = vec![
        format!("{} ({})", c.base.display_name(), l("nivå", "level")).into(),
        c.base.label.as_str().into(),
    ];
    for o in OVERVIEW {
        let k = shown(o).scale;
        let level = c.outcomes.iter().find(|r| r.outcome == o).map_or(f64::NAN, |r| r.effect.base);
        base_row.extend([Cell::from(k * level), Cell::Empty, Cell::Empty]);
    }
    base_row.push(Cell::Empty);
    rows.push(base_row);
    for r in &c.reforms {
        let mut row: Vec<Cell> = vec![r.display_name().into(), r.label.as_str().into()];
        for o in OVERVIEW {
            let k = shown(o).scale;
            match c.outcomes.iter().find(|x| x.scenario == r.label && x.outcome == o) {
                Some(x) => row.extend([
                    Cell::from(k * x.effect.difference),
                    Cell::from(k * x.effect.ci95[0]),
                    Cell::from(k * x.effect.ci95[1]),
                ]),
                None => row.extend([Cell::Empty, Cell::Empty, Cell::Empty]),
            }
        }
        row.push(c.power.iter().find(|p| p.scenario == r.label).map_or(Cell::Empty, |p| p.power.into()));
        rows.push(row);
    }
    let mut sheets = vec![Sheet { name: l("Oversikt", "Overview"), header, rows }];

    // Every outcome of every measure.
    let mut header = vec![l("Tiltak", "Measure"), l("Utfall", "Outcome"), l("Nøkkel", "Key")];
    header.extend(effect_columns(lang));
    let rows = c
        .outcomes
        .iter()
        .map(|o| {
            let mut row: Vec<Cell> =
                vec![name(&o.scenario).into(), outcome_label(lang, o.outcome).into(), o.outcome.into()];
            row.extend(effect_cells(&o.effect, shown(o.outcome).scale));
            row
        })
        .collect();
    sheets.push(Sheet { name: l("Utfall", "Outcomes"), header, rows });

    // Year by year.
    if !c.transition.is_empty() {
        let mut header = vec![l("Tiltak", "Measure"), l("År", "Year"), l("Utfall", "Outcome")];
        header.extend(effect_columns(lang));
        let rows = c
            .transition
            .iter()
            .map(|t| {
                let mut row: Vec<Cell> = vec![
                    name(&t.scenario).into(),
                    f64::from(t.year).into(),
                    outcome_label(lang, t.outcome).into(),
                ];
                row.extend(effect_cells(&t.effect, shown(t.outcome).scale));
                row
            })
            .collect();
        sheets.push(Sheet { name: l("År for år", "Year by year"), header, rows });
    }
    if !c.subgroups.is_empty() {
        let mut header = vec![l("Tiltak", "Measure"), l("Gruppe", "Group"), l("Utfall", "Outcome")];
        header.extend(effect_columns(lang));
        let order = |g: &str| (0..GROUPS).position(|i| group_name(i).1 == g).unwrap_or(GROUPS);
        let mut subgroups: Vec<_> = c.subgroups.iter().collect();
        subgroups.sort_by_key(|s| (s.scenario.clone(), order(s.group)));
        let rows = subgroups
            .iter()
            .map(|s| {
                let mut row: Vec<Cell> = vec![
                    name(&s.scenario).into(),
                    group_label(lang, s.group).into(),
                    outcome_label(lang, s.outcome).into(),
                ];
                row.extend(effect_cells(&s.effect, shown(s.outcome).scale));
                row
            })
            .collect();
        sheets.push(Sheet { name: l("Grupper", "Subgroups"), header, rows });
    }
    let header = vec![
        l("Tiltak", "Measure"),
        l("Styrke (andel)", "Power (share)"),
        l("95 % nedre", "95 % lower"),
        l("95 % øvre", "95 % upper"),
        l("Emulerte undersøkelser", "Emulated surveys"),
    ];
    let rows = c
        .power
        .iter()
        .map(|p| {
            vec![
                name(&p.scenario).into(),
                p.power.into(),
                p.ci95[0].into(),
                p.ci95[1].into(),
                (p.surveys as f64).into(),
            ]
        })
        .collect();
    sheets.push(Sheet { name: l("Styrke", "Power"), header, rows });
    let mut header = vec![l("Scenario", "Scenario"), l("År", "Year")];
    header.extend(ExitReason::NAMES.iter().map(|r| exit_reason_label(lang, r)));
    let mut rows = Vec::new();
    for s in std::iter::once(&c.base).chain(&c.reforms) {
        let by_reason: Vec<Vec<(i32, f64)>> =
            (0..ExitReason::NAMES.len()).map(|r| s.exits_by_year(r)).collect();
        for (i, (year, _)) in by_reason[0].iter().enumerate() {
            let mut row: Vec<Cell> = vec![s.display_name().into(), f64::from(*year).into()];
            row.extend(by_reason.iter().map(|r| Cell::from(r[i].1)));
            rows.push(row);
        }
    }
    sheets.push(Sheet { name: l("Avganger per 100 per år", "Exits per 100 per year"), header, rows });
    sheets
}

/// The sheet of a sweep, from its `sweep.csv` text: one row per point, headline outcomes in the
/// report's units under their labels, the other columns as named in the CSV.
pub fn sweep_sheets(csv_text: &str, lang: Lang) -> Vec<Sheet> {
    let (columns, rows) = parse_csv(csv_text);
    let mut header = Vec::with_capacity(columns.len());
    let mut scale = Vec::with_capacity(columns.len());
    for c in &columns {
        let (outcome, suffix) = match c.rsplit_once("_ci95_") {
            Some((o, side)) => (o, Some(side)),
            None => (c.as_str(), None),
        };
        if HEADLINES.contains(&outcome) {
            let label = outcome_label(lang, outcome);
            header.push(match suffix {
                Some("low") => format!("{label}: {}", lang.pick("95 % nedre", "95 % lower")),
                Some(_) => format!("{label}: {}", lang.pick("95 % øvre", "95 % upper")),
                None => label,
            });
            scale.push(shown(outcome).scale);
        } else {
            header.push(c.clone());
            scale.push(1.0);
        }
    }
    let rows = rows.iter().map(|r| r.iter().zip(&scale).map(|(x, k)| Cell::from(x * k)).collect()).collect();
    vec![Sheet { name: lang.pick_owned("Sveip", "Sweep"), header, rows }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workbook_is_a_zip_with_one_sheet_per_table() {
        let sheets = vec![
            Sheet {
                name: "A".into(),
                header: vec!["x".into(), "y".into()],
                rows: vec![vec![1.5.into(), "t".into()]],
            },
            Sheet {
                name: "B".into(),
                header: vec!["z".into()],
                rows: vec![vec![Cell::Empty], vec![f64::NAN.into()]],
            },
        ];
        let bytes = xlsx(&sheets).expect("a workbook is written");
        assert_eq!(&bytes[..2], b"PK", "an xlsx file is a zip archive");
        assert_eq!(bytes, xlsx(&sheets).unwrap(), "the same sheets give the same bytes");
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("xl/worksheets/sheet2.xml"), "two sheets");
    }

    #[test]
    fn a_sweep_sheet_scales_rates_to_the_labels_units() {
        let csv = "point,politics.x,replications,director_exit_rate_per_year\n1,2,4,0.25\n";
        let s = &sweep_sheets(csv, Lang::Nb)[0];
        assert_eq!(s.header[3], "Kommunedirektørskifter per 100 kommuner per år");
        assert_eq!(s.rows[0][3], Cell::Number(25.0));
        assert_eq!(s.rows[0][1], Cell::Number(2.0));
    }
}
