//! Ordinary least squares as the survey report computed it: listwise deletion, standardised
//! betas, and the change in adjusted R² as blocks of predictors enter in order (Appendix 3 of
//! the KS report). Solved by QR decomposition (nalgebra, pure Rust), which is numerically
//! sound where the normal equations are not. Checked against statsmodels in
//! `tests/stats.rs` on the fixture in `tests/data/`.

use nalgebra::{DMatrix, DVector};
use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::stats::sd;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StatsError {
    #[error("only {complete} complete cases for {predictors} predictors and an intercept")]
    TooFewCases { complete: usize, predictors: usize },
    #[error("the predictors are collinear (predictor `{0}` adds nothing)")]
    Collinear(String),
    #[error("`{0}` has no variance among the complete cases")]
    NoVariance(String),
}

/// One predictor's estimates.
#[derive(Debug, Clone, PartialEq)]
pub struct Coefficient {
    pub name: String,
    /// Unstandardised coefficient.
    pub b: f64,
    /// Standardised beta: b × sd(x) / sd(y), over the complete cases.
    pub beta: f64,
    /// Standard error of the standardised beta (that of b, scaled the same way).
    pub se: f64,
    pub t: f64,
    /// Two-sided p-value from Student's t with n − k − 1 degrees of freedom.
    pub p: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ols {
    /// Complete cases used.
    pub n: usize,
    pub intercept: f64,
    pub coefficients: Vec<Coefficient>,
    pub r2: f64,
    pub r2_adjusted: f64,
}

/// OLS of `y` on the named predictor columns with an intercept. A case missing (NaN) in `y`
/// or any predictor is dropped (listwise deletion), as the report did.
pub fn ols(y: &[f64], predictors: &[(&str, &[f64])]) -> Result<Ols, StatsError> {
    let k = predictors.len();
    let rows: Vec<usize> = (0..y.len())
        .filter(|&i| y[i].is_finite() && predictors.iter().all(|(_, x)| x[i].is_finite()))
        .collect();
    let n = rows.len();
    if n < k + 2 {
        return Err(StatsError::TooFewCases { complete: n, predictors: k });
    }
    let yc: Vec<f64> = rows.iter().map(|&i| y[i]).collect();
    let cols: Vec<Vec<f64>> = predictors.iter().map(|(_, x)| rows.iter().map(|&i| x[i]).collect()).collect();
    let sd_y = sd(&yc);
    if sd_y.is_nan() || sd_y <= 0.0 {
        return Err(StatsError::NoVariance("the dependent variable".into()));
    }
    for (j, c) in cols.iter().enumerate() {
        let s = sd(c);
        if s.is_nan() || s <= 0.0 {
            return Err(StatsError::NoVariance(predictors[j].0.to_string()));
        }
    }
    let x = DMatrix::from_fn(n, k + 1, |i, j| if j == 0 { 1.0 } else { cols[j - 1][i] });
    let yv = DVector::from_vec(yc.clone());
    let qr = x.clone().qr();
    let r = qr.r();
    let q = qr.q();
    let scale = r.diagonal().iter().fold(0.0f64, |m, v| m.max(v.abs()));
    for j in 0..=k {
        if r[(j, j)].abs() <= 1e-10 * scale {
            return Err(StatsError::Collinear(if j == 0 {
                "intercept".into()
            } else {
                predictors[j - 1].0.to_string()
            }));
        }
    }
    let coef =
        r.solve_upper_triangular(&(q.transpose() * &yv)).ok_or_else(|| StatsError::Collinear("?".into()))?;
    let resid = &yv - &x * &coef;
    let rss = resid.norm_squared();
    let mean_y = yc.iter().sum::<f64>() / n as f64;
    let tss: f64 = yc.iter().map(|v| (v - mean_y).powi(2)).sum();
    let df = (n - k - 1) as f64;
    let sigma2 = rss / df;
    let r_inv = r
        .solve_upper_triangular(&DMatrix::identity(k + 1, k + 1))
        .ok_or_else(|| StatsError::Collinear("?".into()))?;
    let cov_diag: Vec<f64> = (0..=k).map(|j| sigma2 * r_inv.row(j).norm_squared()).collect();
    let tdist = StudentsT::new(0.0, 1.0, df).expect("df > 0");
    let coefficients = (0..k)
        .map(|j| {
            let b = coef[j + 1];
            let se_b = cov_diag[j + 1].sqrt();
            let t = b / se_b;
            let s = sd(&cols[j]) / sd_y;
            Coefficient {
                name: predictors[j].0.to_string(),
                b,
                beta: b * s,
                se: se_b * s,
                t,
                p: 2.0 * (1.0 - tdist.cdf(t.abs())),
            }
        })
        .collect();
    let r2 = 1.0 - rss / tss;
    Ok(Ols { n, intercept: coef[0], coefficients, r2, r2_adjusted: 1.0 - (1.0 - r2) * (n as f64 - 1.0) / df })
}

/// Adjusted R² as blocks of predictors enter in order, each model fitted on the cases complete
/// in *all* blocks (so every step compares the same respondents): the increments, the first
/// relative to zero.
pub fn block_increments(y: &[f64], blocks: &[Vec<(&str, &[f64])>]) -> Result<Vec<f64>, StatsError> {
    let all: Vec<(&str, &[f64])> = blocks.iter().flatten().copied().collect();
    let complete: Vec<bool> =
        (0..y.len()).map(|i| y[i].is_finite() && all.iter().all(|(_, x)| x[i].is_finite())).collect();
    let y_c: Vec<f64> = y.iter().zip(&complete).map(|(v, c)| if *c { *v } else { f64::NAN }).collect();
    let mut entered: Vec<(&str, &[f64])> = Vec::new();
    let mut last = 0.0;
    let mut out = Vec::new();
    for b in blocks {
        entered.extend(b.iter().copied());
        let fit = ols(&y_c, &entered)?;
        out.push(fit.r2_adjusted - last);
        last = fit.r2_adjusted;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exact_line_is_recovered() {
        let x: Vec<f64> = (0..20).map(f64::from).collect();
        let z: Vec<f64> = (0..20).map(|i| f64::from((i * 7) % 5)).collect();
        let y: Vec<f64> = x.iter().zip(&z).map(|(a, b)| 1.0 + 2.0 * a - 0.5 * b).collect();
        let fit = ols(&y, &[("x", &x), ("z", &z)]).unwrap();
        assert!((fit.intercept - 1.0).abs() < 1e-10);
        assert!((fit.coefficients[0].b - 2.0).abs() < 1e-10);
        assert!((fit.coefficients[1].b + 0.5).abs() < 1e-10);
        assert!((fit.r2 - 1.0).abs() < 1e-12);
    }

    #[test]
    fn missing_values_drop_the_case() {
        let x = [1.0, 2.0, 3.0, f64::NAN, 5.0, 6.0];
        let y = [2.1, 3.9, 6.2, 100.0, 9.8, 12.1];
        assert_eq!(ols(&y, &[("x", &x)]).unwrap().n, 5);
    }

    #[test]
    fn collinear_predictors_are_an_error() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let x2 = [2.0, 4.0, 6.0, 8.0, 10.0];
        let y = [1.0, 3.0, 2.0, 5.0, 4.0];
        assert_eq!(ols(&y, &[("x", &x), ("x2", &x2)]), Err(StatsError::Collinear("x2".into())));
    }
}
