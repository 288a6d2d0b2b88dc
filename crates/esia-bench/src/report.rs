//! What the benchmark prints: one row per figure (value, the peer or ceiling it is compared
//! with, the ratio, the goal of issue 12 and whether it is met) under a header naming the machine
//! and the command, as a text table for stdout and as JSON for `--json`. It formats figures
//! already measured; it must not measure anything.

use serde::Serialize;

/// The goal of issue 12 for one figure.
#[derive(Debug, Clone, Copy, Serialize)]
pub enum Goal {
    /// The value must be at most this (memory, start time).
    AtMost(f64),
    /// The ratio to the reference must be at least this.
    RatioAtLeast(f64),
}

impl Goal {
    fn text(&self, unit: &str) -> String {
        match self {
            Goal::AtMost(v) => format!("≤ {} {unit}", number(*v)),
            Goal::RatioAtLeast(r) => format!("≥ {}×", number(*r)),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub name: String,
    pub value: f64,
    pub unit: String,
    /// What the value is compared with: a peer's rate or the harness ceiling.
    pub reference: Option<Reference>,
    pub ratio: Option<f64>,
    pub goal: Option<String>,
    /// `None` when the goal cannot be judged in this run (no peer started).
    pub met: Option<bool>,
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub errors: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reference {
    pub name: String,
    pub value: f64,
}

impl Figure {
    pub fn new(name: impl Into<String>, value: f64, unit: &str) -> Figure {
        Figure {
            name: name.into(),
            value,
            unit: unit.into(),
            reference: None,
            ratio: None,
            goal: None,
            met: None,
            p50_ms: None,
            p99_ms: None,
            errors: 0,
        }
    }

    /// A rate measured by one load run (`/s`), with its latencies and errors.
    pub fn rate(name: impl Into<String>, s: &crate::stats::Summary) -> Figure {
        let mut f = Figure::new(name, s.rate(), "/s");
        f.p50_ms = Some(s.p50_ms);
        f.p99_ms = Some(s.p99_ms);
        f.errors = s.errors;
        f
    }

    /// Compares with `value` of `name` (a peer or the ceiling); call before [`Figure::goal`].
    pub fn against(mut self, name: impl Into<String>, value: f64) -> Figure {
        self.ratio = (value > 0.0).then(|| self.value / value);
        self.reference = Some(Reference {
            name: name.into(),
            value,
        });
        self
    }

    pub fn goal(mut self, goal: Goal) -> Figure {
        self.goal = Some(goal.text(&self.unit));
        self.met = match goal {
            Goal::AtMost(max) => Some(self.value <= max),
            Goal::RatioAtLeast(min) => self.ratio.map(|r| r >= min),
        };
        self
    }
}

/// The machine the figures were taken on.
#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    pub nproc: usize,
    pub loadavg: String,
}

impl Machine {
    pub fn here() -> Machine {
        Machine {
            nproc: std::thread::available_parallelism().map_or(1, |n| n.get()),
            loadavg: std::fs::read_to_string("/proc/loadavg")
                .unwrap_or_default()
                .trim()
                .to_string(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub command: String,
    pub machine: Machine,
    pub backend: String,
    pub quick: bool,
    pub figures: Vec<Figure>,
    /// Figures or peers left out of this run, with why.
    pub skipped: Vec<String>,
}

impl Report {
    pub fn errors(&self) -> u64 {
        self.figures.iter().map(|f| f.errors).sum()
    }
}

/// A number as people read it: no decimals from 100 on, one below, two below 10.
pub fn number(v: f64) -> String {
    if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

fn opt_ms(v: Option<f64>) -> String {
    v.map(number).unwrap_or_else(|| "-".into())
}

/// The text table: a header (machine, command, backend), then one aligned row per figure.
pub fn render(report: &Report) -> String {
    let head = [
        "figure",
        "value",
        "p50 ms",
        "p99 ms",
        "errors",
        "peer/ceiling",
        "ratio",
        "goal",
        "met",
    ];
    let mut rows: Vec<Vec<String>> = vec![head.iter().map(|s| s.to_string()).collect()];
    for f in &report.figures {
        rows.push(vec![
            f.name.clone(),
            format!("{} {}", number(f.value), f.unit),
            opt_ms(f.p50_ms),
            opt_ms(f.p99_ms),
            f.errors.to_string(),
            f.reference
                .as_ref()
                .map(|r| format!("{} {}", r.name, number(r.value)))
                .unwrap_or_else(|| "-".into()),
            f.ratio
                .map(|r| format!("{}×", number(r)))
                .unwrap_or_else(|| "-".into()),
            f.goal.clone().unwrap_or_else(|| "-".into()),
            match f.met {
                Some(true) => "met".into(),
                Some(false) => "NOT MET".into(),
                None => "-".into(),
            },
        ]);
    }
    let widths: Vec<usize> = (0..head.len())
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = format!(
        "machine: nproc {}, load average {}\ncommand: {}\nbackend: {}{}\n\n",
        report.machine.nproc,
        report.machine.loadavg,
        report.command,
        report.backend,
        if report.quick { " (quick mode)" } else { "" }
    );
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell}{}", " ".repeat(w - cell.chars().count())))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    for s in &report.skipped {
        out.push_str(&format!("SKIPPED: {s}\n"));
    }
    out.push_str(&format!("errors: {}\n", report.errors()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(figures: Vec<Figure>) -> Report {
        Report {
            command: "esia-bench all --quick".into(),
            machine: Machine {
                nproc: 2,
                loadavg: "0.50 0.40 0.30 1/100 42".into(),
            },
            backend: "sqlite".into(),
            quick: true,
            figures,
            skipped: vec!["peers: node not found".into()],
        }
    }

    #[test]
    fn goals_are_judged_on_value_or_ratio() {
        let rss = Figure::new("idle RSS", 18.5, "MiB").goal(Goal::AtMost(20.0));
        assert_eq!(rss.met, Some(true));
        let rs = Figure::new("rs", 400.0, "/s")
            .against("health", 1000.0)
            .goal(Goal::RatioAtLeast(0.5));
        assert_eq!((rs.ratio, rs.met), (Some(0.4), Some(false)));
        let no_peer = Figure::new("te", 900.0, "/s").goal(Goal::RatioAtLeast(2.5));
        assert_eq!(no_peer.met, None, "no peer: not judged");
        let zero_ref = Figure::new("te", 900.0, "/s").against("peer", 0.0);
        assert_eq!(zero_ref.ratio, None);
    }

    #[test]
    fn table_aligns_columns_and_names_machine_goals_and_errors() {
        let mut te = Figure::new("v3 te RS256", 1234.4, "/s")
            .against("oauth2-mock-server", 500.0)
            .goal(Goal::RatioAtLeast(2.5));
        te.p50_ms = Some(3.456);
        te.errors = 0;
        let start = Figure::new("cold start", 14.0, "ms").goal(Goal::AtMost(12.0));
        let text = render(&report(vec![te, start]));
        assert!(text.starts_with("machine: nproc 2, load average 0.50 0.40 0.30"));
        assert!(text.contains("command: esia-bench all --quick"));
        let lines: Vec<&str> = text.lines().collect();
        let header = lines.iter().find(|l| l.starts_with("figure")).unwrap();
        let te_row = lines.iter().find(|l| l.starts_with("v3 te RS256")).unwrap();
        let start_row = lines.iter().find(|l| l.starts_with("cold start")).unwrap();
        // Every row puts its value under the header's "value" column.
        let col = header.find("value").unwrap();
        assert_eq!(te_row.find("1234 /s"), Some(col));
        assert_eq!(start_row.find("14.0 ms"), Some(col));
        assert!(te_row.contains("oauth2-mock-server 500"));
        assert!(te_row.contains("2.47×") && te_row.contains("≥ 2.50×"));
        assert!(te_row.trim_end().ends_with("NOT MET"));
        assert!(start_row.contains("≤ 12.0 ms") && start_row.ends_with("NOT MET"));
        assert!(text.contains("SKIPPED: peers: node not found"));
        assert!(text.trim_end().ends_with("errors: 0"));
    }

    #[test]
    fn json_has_every_figure_and_the_machine() {
        let r = report(vec![
            Figure::new("idle RSS", 9.0, "MiB").goal(Goal::AtMost(20.0))
        ]);
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["machine"]["nproc"], 2);
        assert_eq!(v["figures"][0]["name"], "idle RSS");
        assert_eq!(v["figures"][0]["met"], true);
        assert_eq!(v["figures"][0]["goal"], "≤ 20.0 MiB");
    }
}
