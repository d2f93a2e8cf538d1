//! The posterior sample of the calibrated mechanism parameters (`calibration/posterior.csv`,
//! written by `samspill identify` and bundled into the binary), and a scenario under one of
//! its draws: the draw's values replace the scenario's for the parameters it names.

use crate::analysis::calibrate;
use crate::scenario::config::Config;
use crate::scenario::{self, ScenarioFile};

const BUNDLED: &str = include_str!("../../calibration/posterior.csv");

/// Draws of the parameters, one row per draw; columns named by the scenario's dotted keys.
#[derive(Debug, Clone)]
pub struct Posterior {
    pub names: Vec<String>,
    pub draws: Vec<Vec<f64>>,
    /// The mean of each column.
    means: Vec<f64>,
}

impl Posterior {
    /// The project's posterior sample of the baseline's calibration.
    pub fn bundled() -> Posterior {
        Posterior::parse(BUNDLED).expect("the bundled posterior parses")
    }

    /// Reads a posterior sample from CSV text.
    pub fn parse(text: &str) -> Result<Posterior, String> {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let names: Vec<String> =
            reader.headers().map_err(|e| e.to_string())?.iter().map(str::to_string).collect();
        let mut draws = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let record = record.map_err(|e| e.to_string())?;
            let row: Vec<f64> = record
                .iter()
                .map(|v| v.parse::<f64>().map_err(|e| format!("draw {}: `{v}`: {e}", i + 1)))
                .collect::<Result<_, _>>()?;
            draws.push(row);
        }
        if draws.is_empty() {
            return Err("the posterior has no draws".into());
        }
        let means =
            (0..names.len()).map(|j| draws.iter().map(|d| d[j]).sum::<f64>() / draws.len() as f64).collect();
        Ok(Posterior { names, draws, means })
    }

    /// The scenario `file` (called `name`) under draw `k`: each parameter the posterior names
    /// moves from the scenario's own value by the draw's deviation from the posterior mean, so
    /// a reform that sets a calibrated key keeps its own value, shifted as the base's is.
    pub fn config(&self, file: &ScenarioFile, name: &str, k: usize) -> Result<Config, String> {
        let own = calibrate::get(file, self.names.iter().map(String::as_str)).map_err(|e| e.to_string())?;
        let draw = &self.draws[k % self.draws.len()];
        let shifted: Vec<f64> = self
            .means
            .iter()
            .zip(draw)
            .zip(&own)
            .zip(&self.names)
            .map(|(((mean, x), own), name)| {
                // Within the parameter's plausible range, where it has one.
                let shifted = own + (x - mean);
                calibrate::FREE.iter().find(|f| f.path == name).map_or(shifted, |f| shifted.clamp(f.lo, f.hi))
            })
            .collect();
        let values: Vec<(&str, f64)> = self.names.iter().map(String::as_str).zip(shifted).collect();
        let drawn = calibrate::set(file, &values).map_err(|e| e.to_string())?;
        scenario::validate(&drawn, name).map_err(|p| {
            format!(
                "posterior draw {}: {}",
                k + 1,
                p.iter().map(|p| p.message.clone()).collect::<Vec<_>>().join("; ")
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_posterior_names_fitted_parameters_and_its_draws_validate() {
        let p = Posterior::bundled();
        assert!(p.draws.len() >= 200 && p.draws.iter().all(|d| d.len() == p.names.len()));
        for name in &p.names {
            assert!(calibrate::FREE.iter().any(|f| f.path == name), "{name} is a fitted parameter");
        }
        let base = scenario::load(std::path::Path::new("scenarios/baseline.toml")).unwrap();
        let c = p.config(&base.file, "baseline", 3).unwrap();
        let j = p.names.iter().position(|n| n == "friction.base").unwrap();
        let expected = base.config.friction.base + p.draws[3][j] - p.means[j];
        assert!((c.friction.base - expected).abs() < 1e-12, "{} vs {expected}", c.friction.base);
    }
}
