//! The sidecar's metrics, in the Prometheus text format of
//! `prometheus-client` (the Prometheus project's own Rust client):
//!
//! | metric | labels | what |
//! |---|---|---|
//! | `graph_checkout_decisions_total` | `outcome` (`allow`, `pass`, `deny`), `template` | every decision; `template` is the route's, `-` for none |
//! | `graph_checkout_denials_total` | `kind` | denials by kind (`nesting`, `policy`, `batch`, ...) |
//! | `graph_checkout_decision_seconds` | | a histogram of the time from the check request's head to the answer |
//! | `graph_checkout_reloads_total` | `result` (`ok`, `error`) | policy reloads |
//!
//! Templates are the documented and rule templates and the shapes the
//! graph allows: a bounded set, so the label stays low-cardinality.

use std::time::Duration;

use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

/// A decision's outcome, as the `outcome` label spells it.
#[derive(Debug, Clone, Copy, Hash, PartialEq, Eq, EncodeLabelValue)]
#[allow(non_camel_case_types)] // The label values, as Prometheus shows them.
pub(crate) enum Outcome {
    allow,
    pass,
    deny,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DecisionLabels {
    outcome: Outcome,
    template: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabels {
    kind: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResultLabels {
    result: &'static str,
}

/// The metrics and their registry.
#[derive(Debug)]
pub(crate) struct Metrics {
    registry: Registry,
    decisions: Family<DecisionLabels, Counter>,
    denials: Family<KindLabels, Counter>,
    latency: Histogram,
    reloads: Family<ResultLabels, Counter>,
}

impl Metrics {
    pub(crate) fn new() -> Metrics {
        let mut registry = Registry::default();
        let decisions = Family::<DecisionLabels, Counter>::default();
        let denials = Family::<KindLabels, Counter>::default();
        // 10 µs to about 2.6 s.
        let latency = Histogram::new(exponential_buckets(0.000_01, 4.0, 10));
        let reloads = Family::<ResultLabels, Counter>::default();
        registry.register(
            "graph_checkout_decisions",
            "Decisions by outcome and route template",
            decisions.clone(),
        );
        registry.register("graph_checkout_denials", "Denials by kind", denials.clone());
        registry.register(
            "graph_checkout_decision_seconds",
            "Time from a check request's head to its answer",
            latency.clone(),
        );
        registry.register(
            "graph_checkout_reloads",
            "Policy reloads by result",
            reloads.clone(),
        );
        Metrics {
            registry,
            decisions,
            denials,
            latency,
            reloads,
        }
    }

    pub(crate) fn decided(&self, outcome: Outcome, template: Option<&str>, took: Duration) {
        let template = template.unwrap_or("-").to_owned();
        self.decisions
            .get_or_create(&DecisionLabels { outcome, template })
            .inc();
        self.latency.observe(took.as_secs_f64());
    }

    pub(crate) fn denied(&self, kind: &'static str) {
        self.denials.get_or_create(&KindLabels { kind }).inc();
    }

    pub(crate) fn reloaded(&self, ok: bool) {
        let result = if ok { "ok" } else { "error" };
        self.reloads.get_or_create(&ResultLabels { result }).inc();
    }

    /// The text exposition of every metric.
    pub(crate) fn encode(&self) -> String {
        let mut text = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}
