//! The Poisson tail that says how unlikely a count is under a baseline.

/// P(X >= k) for X ~ Poisson(lambda), summed from `k` upward in log space.
pub fn poisson_sf(k: u64, lambda: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if lambda <= 0.0 {
        return 0.0;
    }
    if (k as f64) <= lambda {
        return 1.0; // not in the upper tail: never significant
    }
    let ln_lambda = lambda.ln();
    let mut term = -lambda + k as f64 * ln_lambda - ln_factorial(k);
    let mut sum = 0.0;
    let mut j = k;
    loop {
        let t = term.exp();
        sum += t;
        // Terms fall once j passes λ; stop when they no longer count (or
        // when the first one already underflowed to zero).
        if t <= sum * 1e-12 || j > k + 100_000 {
            break;
        }
        j += 1;
        term += ln_lambda - (j as f64).ln();
    }
    sum.min(1.0)
}

/// ln(k!) by Stirling's series (exact sum below 20).
fn ln_factorial(k: u64) -> f64 {
    if k < 20 {
        return (2..=k).map(|i| (i as f64).ln()).sum();
    }
    let x = k as f64;
    x * x.ln() - x + 0.5 * (2.0 * std::f64::consts::PI * x).ln() + 1.0 / (12.0 * x)
        - 1.0 / (360.0 * x.powi(3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_tail() {
        // P(X >= 1) = 1 - e^-λ.
        assert!((poisson_sf(1, 0.5) - (1.0 - (-0.5f64).exp())).abs() < 1e-9);
        // P(X >= 10 | λ = 1) ≈ 1.114e-7.
        assert!((poisson_sf(10, 1.0) / 1.114e-7 - 1.0).abs() < 0.01);
        assert_eq!(poisson_sf(0, 3.0), 1.0);
        assert_eq!(poisson_sf(5, 0.0), 0.0);
        assert!(poisson_sf(1000, 10.0) < 1e-300 || poisson_sf(1000, 10.0) == 0.0);
        assert!((ln_factorial(25) - (1..=25).map(|i| (i as f64).ln()).sum::<f64>()).abs() < 1e-9);
    }
}
