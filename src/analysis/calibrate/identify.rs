//! Identification and uncertainty of the fitted mechanism parameters (`FREE`) at a scenario's
//! values, by the simulated method of moments:
//!
//! - the Jacobian `G` of the figures with respect to each parameter by central finite
//!   differences (±`STEP` of its plausible range, clipped to it), every evaluation of a block
//!   with the same seed (common random numbers), in units of each figure's survey standard
//!   error over the parameter's range: `J = G / se × range`; taken in `BLOCKS` blocks of
//!   independent seeds and averaged, their difference measuring the Jacobian's own noise;
//! - a parameter is identified when some figure moves by at least `MIN_Z_OVER_RANGE` standard
//!   errors over its range *and* by more than `NOISE_MULTIPLE` times the noise of its column
//!   (the root mean square over figures of the blocks' half-difference); the others are
//!   *fixed* (held at their values, said so);
//! - the covariance of the identified parameters is the sandwich for the weight matrix of the
//!   distance Σz² with the figures' errors taken as independent, `(1 + 1/S) (JᵀJ)⁻¹`, where
//!   `1 + 1/S` is the simulation-noise factor of `S` emulated surveys per evaluation; directions
//!   the figures do not inform (eigenvalues of `JᵀJ` below `MIN_EIGENVALUE`) get no information
//!   rather than an infinite variance, and are reported through `weak_directions`;
//! - the posterior sample is `POSTERIOR_DRAWS` draws from the normal with that covariance
//!   around the values, truncated to the ranges (by rejection), from a fixed seed.

use std::sync::atomic::Ordering;

use nalgebra::{DMatrix, DVector};
use serde::Serialize;

use super::{CalibrateError, Evaluator, FIXED, FREE, Free, get, set};
use crate::analysis::fit::{FitReport, SeBasis};
use crate::foundation::rng;
use crate::scenario::ScenarioFile;

/// Finite-difference step, as a share of a parameter's range.
pub const STEP: f64 = 0.05;
/// Independent seed blocks the Jacobian is taken in (seed, seed + 1, …).
pub const BLOCKS: u64 = 2;
/// How far above its own noise a figure's response must lie to count as information.
pub const NOISE_MULTIPLE: f64 = 4.0;
/// A parameter is identified when some figure moves by at least this many survey standard
/// errors as the parameter crosses its plausible range.
pub const MIN_Z_OVER_RANGE: f64 = 2.0;
/// Eigenvalues of the information `JᵀJ` (per unit range²) below this are uninformed directions.
pub const MIN_EIGENVALUE: f64 = 1e-3;
/// Draws of the posterior sample.
pub const POSTERIOR_DRAWS: usize = 400;
/// Figures named as informing each parameter.
const INFORMERS: usize = 3;

/// A figure that informs a parameter: how many standard errors it moves over the range.
#[derive(Debug, Clone, Serialize)]
pub struct Informer {
    pub figure: String,
    pub z_over_range: f64,
}

/// An identified parameter.
#[derive(Debug, Clone, Serialize)]
pub struct Identified {
    /// The scenario's dotted key.
    pub name: String,
    pub estimate: f64,
    /// Standard error from the sandwich (`None` where the figures leave it uninformed).
    pub se: Option<f64>,
    pub range: [f64; 2],
    pub informed_by: Vec<Informer>,
    /// The noise of the parameter's Jacobian column (z over the range).
    pub noise_z_over_range: f64,
}

/// A parameter no figure informs: held at its value.
#[derive(Debug, Clone, Serialize)]
pub struct Fixed {
    pub name: String,
    pub value: f64,
    pub range: [f64; 2],
    /// The most any figure moves over the parameter's range, in standard errors (not measured
    /// for a parameter held at a documented value).
    pub largest_z_over_range: Option<f64>,
    /// The noise of the parameter's Jacobian column, in the same units.
    pub noise_z_over_range: Option<f64>,
    pub reason: String,
}

/// What `identification.json` holds.
#[derive(Debug, Clone, Serialize)]
pub struct Identification {
    pub scenario: String,
    pub seed: u64,
    /// Emulated surveys per evaluation.
    pub replications: u32,
    pub evaluations: u64,
    pub method: String,
    pub parameters: Vec<Identified>,
    pub fixed: Vec<Fixed>,
    /// Eigenvalues of the information (per unit range²) below `MIN_EIGENVALUE`: combinations
    /// of parameters the figures do not pin down.
    pub weak_directions: usize,
    /// The figures the Jacobian was taken over.
    pub figures: usize,
}

/// The result: identification and the posterior sample (one row per draw, columns in the
/// order of `Identification::parameters`).
pub struct Estimated {
    pub identification: Identification,
    pub posterior: Vec<Vec<f64>>,
}

/// The figures the Jacobian is taken over: not labels, and not anchored ones (the calibration
/// re-solves those with their instrument parameters, so they carry no information on these).
fn figures(report: &FitReport) -> Vec<(&str, f64, f64)> {
    report
        .moments
        .iter()
        .filter(|m| m.se_basis != SeBasis::Label && !m.anchored)
        .map(|m| (m.id.as_str(), m.simulated, m.se))
        .collect()
}

impl Evaluator<'_> {
    /// Identification and posterior of `FREE` at the values of `file`.
    pub(super) fn identify(&self, file: &ScenarioFile, seed: u64) -> Result<Estimated, CalibrateError> {
        let values = get(file, FREE.iter().map(|f| f.path))?;
        for (f, x) in FREE.iter().zip(&values) {
            if !(f.lo..=f.hi).contains(x) {
                return Err(CalibrateError::Parameter(
                    f.path.into(),
                    format!(
                        "{x} lies outside its plausible range [{}, {}]: identify a calibrated scenario",
                        f.lo, f.hi
                    ),
                ));
            }
        }
        // Per block, the columns of J (z over the range), one per parameter.
        let mut blocks: Vec<Vec<Vec<f64>>> = Vec::new();
        let mut base = Vec::new();
        for b in 0..BLOCKS {
            let mut file = file.clone();
            file.seed = seed.wrapping_add(b);
            let at = self.evaluate(&file, "identification")?;
            base = figures(&at).iter().map(|(id, m, se)| ((*id).to_string(), *m, *se)).collect::<Vec<_>>();
            let mut columns: Vec<Vec<f64>> = Vec::with_capacity(FREE.len());
            for (f, &x) in FREE.iter().zip(&values) {
                let h = STEP * f.span();
                let (up, down) = ((x + h).min(f.hi), (x - h).max(f.lo));
                let moved = |v: f64| -> Result<Vec<f64>, CalibrateError> {
                    let report = self.evaluate(&set(&file, &[(f.path, v)])?, "identification")?;
                    Ok(figures(&report).iter().map(|m| m.1).collect())
                };
                let (hi, lo) = (moved(up)?, moved(down)?);
                let per_range = if up > down { f.span() / (up - down) } else { 0.0 };
                columns
                    .push(base.iter().enumerate().map(|(i, m)| (hi[i] - lo[i]) / m.2 * per_range).collect());
            }
            blocks.push(columns);
        }
        let n = base.len();
        // The mean over blocks, and each column's noise: the RMS over figures of the standard
        // error of that mean, from the blocks' spread.
        let blocks_n = blocks.len() as f64;
        let columns: Vec<Vec<f64>> = (0..FREE.len())
            .map(|j| (0..n).map(|i| blocks.iter().map(|b| b[j][i]).sum::<f64>() / blocks_n).collect())
            .collect();
        let noise: Vec<f64> = (0..FREE.len())
            .map(|j| {
                let var_of_mean: f64 = (0..n)
                    .map(|i| {
                        let m = columns[j][i];
                        blocks.iter().map(|b| (b[j][i] - m).powi(2)).sum::<f64>()
                            / (blocks_n - 1.0).max(1.0)
                            / blocks_n
                    })
                    .sum::<f64>()
                    / n as f64;
                var_of_mean.sqrt()
            })
            .collect();
        let largest = |j: usize| columns[j].iter().fold(0.0f64, |a, z| a.max(z.abs()));
        let informed: Vec<usize> = (0..FREE.len())
            .filter(|&j| largest(j) >= MIN_Z_OVER_RANGE.max(NOISE_MULTIPLE * noise[j]))
            .collect();
        let held = get(file, FIXED.iter().map(|h| h.path))?;
        let mut fixed: Vec<Fixed> = FIXED
            .iter()
            .zip(held)
            .map(|(h, value)| Fixed {
                name: h.path.to_string(),
                value,
                range: [h.lo, h.hi],
                largest_z_over_range: None,
                noise_z_over_range: None,
                reason: format!("held at a documented value, not fitted: {}", h.reason),
            })
            .collect();
        fixed.extend((0..FREE.len())
            .filter(|j| !informed.contains(j))
            .map(|j| Fixed {
                name: FREE[j].path.to_string(),
                value: values[j],
                range: [FREE[j].lo, FREE[j].hi],
                largest_z_over_range: Some(largest(j)),
                noise_z_over_range: Some(noise[j]),
                reason: format!(
                    "no published figure moves by more than {MIN_Z_OVER_RANGE} survey standard error and {NOISE_MULTIPLE} times the Jacobian's own noise as it crosses its range"
                ),
            }));

        // Information over the identified parameters, in units of their ranges.
        let k = informed.len();
        if k == 0 {
            return Err(CalibrateError::Parameter(
                "all".into(),
                "no parameter is identified: no figure responds to any beyond its noise".into(),
            ));
        }
        let j_matrix = DMatrix::from_fn(n, k, |i, c| columns[informed[c]][i]);
        let information = j_matrix.transpose() * &j_matrix;
        let eigen = information.clone().symmetric_eigen();
        let simulation_factor = 1.0 + 1.0 / f64::from(self.settings.replications);
        let mut cov = DMatrix::zeros(k, k);
        let mut weak = 0;
        // Parameters that load on an uninformed direction have no standard error; the draws
        // spread across the box there (the variance of a uniform over the range, 1/12).
        let mut uninformed = vec![false; k];
        for (e, value) in eigen.eigenvalues.iter().enumerate() {
            let v = eigen.eigenvectors.column(e);
            if *value < MIN_EIGENVALUE {
                weak += 1;
                for (c, loading) in v.iter().enumerate() {
                    uninformed[c] |= loading.abs() > 0.3;
                }
                cov += (v * v.transpose()) / 12.0;
                continue;
            }
            cov += (v * v.transpose()) * (simulation_factor / value);
        }
        let spans: Vec<f64> = informed.iter().map(|&j| FREE[j].span()).collect();
        let parameters: Vec<Identified> = informed
            .iter()
            .enumerate()
            .map(|(c, &j)| {
                let f: &Free = &FREE[j];
                let mut by: Vec<(usize, f64)> = columns[j].iter().copied().enumerate().collect();
                by.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
                let variance = cov[(c, c)];
                Identified {
                    name: f.path.to_string(),
                    estimate: values[j],
                    se: (variance > 0.0 && !uninformed[c]).then(|| variance.sqrt() * spans[c]),
                    range: [f.lo, f.hi],
                    informed_by: by
                        .iter()
                        .take(INFORMERS)
                        .map(|&(i, z)| Informer { figure: base[i].0.clone(), z_over_range: z })
                        .collect(),
                    noise_z_over_range: noise[j],
                }
            })
            .collect();

        // The posterior sample: normal around the values (in range units), truncated to the box.
        let centre =
            DVector::from_iterator(k, informed.iter().map(|&j| (values[j] - FREE[j].lo) / FREE[j].span()));
        let root = matrix_root(&cov);
        let mut stream = rng::stream(seed, 0, 0, rng::Process::Posterior);
        let mut posterior = Vec::with_capacity(POSTERIOR_DRAWS);
        let mut tries = 0usize;
        while posterior.len() < POSTERIOR_DRAWS {
            tries += 1;
            if tries > 1000 * POSTERIOR_DRAWS || self.cancel.load(Ordering::Relaxed) {
                return Err(CalibrateError::Parameter(
                    "posterior".into(),
                    format!("only {} of {tries} normal draws fell inside the ranges", posterior.len()),
                ));
            }
            let z = DVector::from_iterator(k, (0..k).map(|_| rng::normal(&mut stream)));
            let u = &centre + &root * z;
            if u.iter().all(|x| (0.0..=1.0).contains(x)) {
                posterior.push(
                    informed.iter().zip(u.iter()).map(|(&j, x)| FREE[j].lo + x * FREE[j].span()).collect(),
                );
            }
        }
        let identification = Identification {
            scenario: self.name.to_string(),
            seed,
            replications: self.settings.replications,
            evaluations: self.evaluations.load(Ordering::Relaxed),
            method: format!(
                "simulated method of moments at the scenario's values: Jacobian by central differences of ±{STEP} of each range under common random numbers, in survey standard errors, averaged over {BLOCKS} blocks of independent seeds (their spread is its noise); a parameter is identified when a figure moves by at least {MIN_Z_OVER_RANGE} SE over its range and {NOISE_MULTIPLE} times that noise; covariance (1 + 1/S)(JᵀJ)⁻¹ with S = {} surveys per evaluation, figures' errors taken as independent; posterior: {POSTERIOR_DRAWS} draws from that normal truncated to the ranges",
                self.settings.replications
            ),
            parameters,
            fixed,
            weak_directions: weak,
            figures: n,
        };
        Ok(Estimated { identification, posterior })
    }
}

/// A square root `R` of a covariance (`R Rᵀ = cov`), by its eigen decomposition (a covariance
/// with uninformed directions is only semi-definite).
fn matrix_root(cov: &DMatrix<f64>) -> DMatrix<f64> {
    let eigen = cov.clone().symmetric_eigen();
    let scale = DMatrix::from_diagonal(&eigen.eigenvalues.map(|v| v.max(0.0).sqrt()));
    &eigen.eigenvectors * scale
}

/// The posterior sample as CSV: one column per parameter (its dotted key), one row per draw.
pub fn posterior_csv(identification: &Identification, draws: &[Vec<f64>]) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(identification.parameters.iter().map(|p| p.name.as_str()))?;
    for d in draws {
        w.write_record(d.iter().map(|x| crate::output::export::csv_number(*x)))?;
    }
    let bytes = w.into_inner().map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8(bytes).expect("CSV of numbers is UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_matrix_root_reproduces_the_covariance() {
        let cov = DMatrix::from_row_slice(2, 2, &[4.0, 1.0, 1.0, 2.0]);
        let r = matrix_root(&cov);
        let back = &r * r.transpose();
        assert!((back - cov).abs().max() < 1e-12);
    }
}
