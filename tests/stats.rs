//! The OLS of `samspill::stats` against statsmodels on the fixture in `tests/data/`
//! (`ols_fixture.py` made both files).

use std::path::Path;

fn column(rows: &[csv::StringRecord], headers: &csv::StringRecord, name: &str) -> Vec<f64> {
    let j = headers.iter().position(|h| h == name).unwrap();
    rows.iter().map(|r| if r[j].is_empty() { f64::NAN } else { r[j].parse().unwrap() }).collect()
}

fn close(what: &str, got: f64, want: f64) {
    assert!((got - want).abs() <= 1e-9 * want.abs().max(1.0), "{what}: got {got}, statsmodels {want}");
}

#[test]
fn ols_matches_statsmodels() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut reader = csv::Reader::from_path(dir.join("ols_fixture.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("ols_expected.json")).unwrap()).unwrap();

    let names = ["x1", "x2", "x3", "x4", "x5"];
    let cols: Vec<Vec<f64>> = names.iter().map(|n| column(&rows, &headers, n)).collect();
    let y = column(&rows, &headers, "y");
    let predictors: Vec<(&str, &[f64])> = names.iter().zip(&cols).map(|(n, c)| (*n, c.as_slice())).collect();
    let fit = samspill::stats::ols(&y, &predictors).unwrap();

    assert_eq!(fit.n as u64, expected["n"].as_u64().unwrap());
    close("r2", fit.r2, expected["r2"].as_f64().unwrap());
    close("adjusted r2", fit.r2_adjusted, expected["r2_adjusted"].as_f64().unwrap());
    close("intercept", fit.intercept, expected["intercept"].as_f64().unwrap());
    for (c, e) in fit.coefficients.iter().zip(expected["coefficients"].as_array().unwrap()) {
        assert_eq!(c.name, e["name"].as_str().unwrap());
        for (what, got) in [("b", c.b), ("beta", c.beta), ("se", c.se), ("t", c.t), ("p", c.p)] {
            close(&format!("{} {what}", c.name), got, e[what].as_f64().unwrap());
        }
    }

    let blocks: Vec<Vec<(&str, &[f64])>> = expected["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            b.as_array()
                .unwrap()
                .iter()
                .map(|n| predictors[names.iter().position(|x| *x == n.as_str().unwrap()).unwrap()])
                .collect()
        })
        .collect();
    let inc = samspill::stats::block_increments(&y, &blocks).unwrap();
    for (got, want) in inc.iter().zip(expected["block_increments"].as_array().unwrap()) {
        close("block increment", *got, want.as_f64().unwrap());
    }
}
