//! Scenario definitions (data, see `grammars/scenarios.conf`) and how a
//! burst's features are scored against them.

use std::collections::BTreeMap;

use super::features::{is_feature, REGISTRY};

/// The scenarios shipped with the binary.
pub const BUILTIN: &str = include_str!("../../grammars/scenarios.conf");

/// How a condition compares a feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `>=`
    AtLeast,
    /// `<=`
    AtMost,
}

/// One `need` or `when` row.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// Feature name.
    pub feature: String,
    /// Comparison.
    pub op: Op,
    /// Threshold.
    pub value: f64,
    /// Weight (`None` for `need`).
    pub weight: Option<f64>,
}

impl Condition {
    /// Whether `value` meets the condition.
    pub fn holds(&self, value: f64) -> bool {
        match self.op {
            Op::AtLeast => value >= self.value,
            Op::AtMost => value <= self.value,
        }
    }
}

/// A known failure scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Label (`post_deploy`).
    pub name: String,
    /// What it is, in one line.
    pub title: String,
    /// What to check next, with `{placeholders}`.
    pub next: String,
    /// Conditions, in file order.
    pub conditions: Vec<Condition>,
}

/// Reads scenario definitions; `origin` names the text in errors.
pub fn parse(text: &str, origin: &str) -> Result<Vec<Scenario>, String> {
    let mut out: Vec<Scenario> = Vec::new();
    for (no, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at = |msg: String| format!("{origin}:{}: {msg}", no + 1);
        let (word, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let rest = rest.trim();
        if word == "scenario" {
            if rest.is_empty() || rest.contains(char::is_whitespace) {
                return Err(at("expected `scenario NAME`".into()));
            }
            out.push(Scenario {
                name: rest.to_string(),
                title: String::new(),
                next: String::new(),
                conditions: Vec::new(),
            });
            continue;
        }
        let Some(current) = out.last_mut() else {
            return Err(at(format!("`{word}` before any `scenario NAME`")));
        };
        match word {
            "title" => current.title = rest.to_string(),
            "next" => current.next = rest.to_string(),
            "need" | "when" => {
                let parts: Vec<&str> = rest.split_whitespace().collect();
                let want = if word == "need" { 3 } else { 4 };
                if parts.len() != want {
                    return Err(at(format!(
                        "expected `{word} FEATURE >=|<= VALUE{}`",
                        if word == "when" { " WEIGHT" } else { "" }
                    )));
                }
                if !is_feature(parts[0]) {
                    let known: Vec<&str> = REGISTRY.iter().map(|f| f.name).collect();
                    return Err(at(format!(
                        "unknown feature `{}`; known: {}",
                        parts[0],
                        known.join(", ")
                    )));
                }
                let op = match parts[1] {
                    ">=" => Op::AtLeast,
                    "<=" => Op::AtMost,
                    other => return Err(at(format!("unknown comparison `{other}`: use >= or <="))),
                };
                let number = |s: &str| {
                    s.parse::<f64>()
                        .map_err(|_| at(format!("`{s}` is not a number")))
                };
                let value = number(parts[2])?;
                let weight = if word == "when" {
                    Some(number(parts[3])?)
                } else {
                    None
                };
                if weight.is_some_and(|w| w <= 0.0) {
                    return Err(at("a weight must be positive".into()));
                }
                current.conditions.push(Condition {
                    feature: parts[0].to_string(),
                    op,
                    value,
                    weight,
                });
            }
            other => {
                return Err(at(format!(
                    "unknown keyword `{other}`: use scenario, title, next, need or when"
                )))
            }
        }
    }
    for s in &out {
        if s.conditions.is_empty() {
            return Err(format!(
                "{origin}: scenario `{}` has no `need` or `when`",
                s.name
            ));
        }
        if s.name == "unclassified" {
            return Err(format!(
                "{origin}: `unclassified` is kept for bursts that fit no scenario"
            ));
        }
    }
    Ok(out)
}

/// The built-in scenarios with `extra` ones. A name may have several
/// variants (the best-fitting one labels a burst); extra scenarios with a
/// built-in's name replace all its variants, in place of the first; new
/// ones come first, so that they win ties against the built-ins.
pub fn load(extra: Option<(&str, &str)>) -> Result<Vec<Scenario>, String> {
    let builtin = parse(BUILTIN, "grammars/scenarios.conf")?;
    let Some((text, origin)) = extra else {
        return Ok(builtin);
    };
    let extra = parse(text, origin)?;
    let replaces = |name: &str| builtin.iter().any(|b| b.name == name);
    let mut all: Vec<Scenario> = extra
        .iter()
        .filter(|s| !replaces(&s.name))
        .cloned()
        .collect();
    let mut done: Vec<&str> = Vec::new();
    for b in &builtin {
        if !extra.iter().any(|s| s.name == b.name) {
            all.push(b.clone());
        } else if !done.contains(&b.name.as_str()) {
            done.push(&b.name);
            all.extend(extra.iter().filter(|s| s.name == b.name).cloned());
        }
    }
    Ok(all)
}

/// How well a burst fits a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// Confidence in 0..=1.
    pub confidence: f64,
    /// The conditions that held, in file order.
    pub held: Vec<Condition>,
}

/// Scores a burst's features (missing = unknown) against a scenario.
pub fn score(s: &Scenario, features: &BTreeMap<&'static str, f64>) -> Fit {
    let (mut got, mut total) = (0.0, 0.0);
    let mut held = Vec::new();
    for c in &s.conditions {
        let value = features.get(c.feature.as_str()).copied();
        let holds = value.is_some_and(|v| c.holds(v));
        match c.weight {
            None if !holds => {
                return Fit {
                    confidence: 0.0,
                    held: Vec::new(),
                }
            }
            None => held.push(c.clone()),
            Some(w) => {
                if value.is_some() {
                    total += w;
                }
                if holds {
                    got += w;
                    held.push(c.clone());
                }
            }
        }
    }
    let confidence = if total > 0.0 { got / total } else { 1.0 };
    Fit { confidence, held }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_scenarios_parse() {
        let all = load(None).unwrap();
        let names: Vec<&str> = all.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "route_misconfig",
                "upstream_node",
                "upstream_node",
                "unsupported_method",
                "unsupported_method",
                "device_specific",
                "traffic_spike",
                "post_deploy",
                "post_deploy"
            ]
        );
        assert!(all
            .iter()
            .all(|s| !s.title.is_empty() && !s.next.is_empty()));
    }

    #[test]
    fn extra_scenarios_add_and_replace() {
        let extra = "scenario bot_storm\n  title bots\n  next block them\n  need device_share >= 0.9\n\nscenario post_deploy\n  title mine\n  next roll back\n  when deploy_gap <= 60 1\n";
        let all = load(Some((extra, "mine.conf"))).unwrap();
        // One added; both post_deploy variants replaced by the one given.
        assert_eq!(all.len(), 9);
        assert_eq!(all[0].name, "bot_storm");
        let pd: Vec<&Scenario> = all.iter().filter(|s| s.name == "post_deploy").collect();
        assert_eq!(pd.len(), 1);
        assert_eq!(pd[0].title, "mine");
    }

    #[test]
    fn errors_name_the_line() {
        for (text, want) in [
            ("when routes >= 2 1", "mine.conf:1: `when` before any"),
            (
                "scenario x\n need nosuch >= 1",
                "mine.conf:2: unknown feature `nosuch`",
            ),
            ("scenario x\n need routes > 1", "unknown comparison `>`"),
            ("scenario x\n when routes >= 1", "expected `when FEATURE"),
            (
                "scenario x\n when routes >= 1 -2",
                "weight must be positive",
            ),
            ("scenario x\n title t", "has no `need` or `when`"),
            ("scenario x\n colour red", "unknown keyword `colour`"),
        ] {
            let err = parse(text, "mine.conf").unwrap_err();
            assert!(err.contains(want), "{text}: {err}");
        }
    }

    #[test]
    fn scoring() {
        let s = &parse("scenario x\n need a_x >= 1\n", "t")
            .err()
            .map(|_| ())
            .is_some();
        assert!(s);
        let s = parse(
            "scenario x\n need routes >= 2\n when rate >= 0.5 3\n when upstream_lift >= 2 1\n",
            "t",
        )
        .unwrap();
        let f = |pairs: &[(&'static str, f64)]| pairs.iter().copied().collect::<BTreeMap<_, _>>();
        assert_eq!(
            score(&s[0], &f(&[("routes", 1.0), ("rate", 0.9)])).confidence,
            0.0
        );
        // Upstream unknown: out of the denominator.
        assert_eq!(
            score(&s[0], &f(&[("routes", 2.0), ("rate", 0.9)])).confidence,
            1.0
        );
        assert_eq!(
            score(
                &s[0],
                &f(&[("routes", 2.0), ("rate", 0.9), ("upstream_lift", 1.0)])
            )
            .confidence,
            0.75
        );
        assert_eq!(
            score(
                &s[0],
                &f(&[("routes", 2.0), ("rate", 0.1), ("upstream_lift", 5.0)])
            )
            .confidence,
            0.25
        );
    }
}
