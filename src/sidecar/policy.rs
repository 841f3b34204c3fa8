//! The sidecar's policy: which checkout routes go on (docs/DESIGN.md §11
//! "The policy file"). Rules name templates; a route takes the action of
//! the most specific rule that matches it (the route table's order), or
//! the default action when none does.

use std::collections::BTreeMap;

use crate::gate::{Denial, ErrorFormat, NonCheckout, Options, Rules, UnseenBatch};
use crate::{Parser, Route, RouteTable};

/// What a rule does with the routes it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    Allow,
    Deny,
}

/// One rule of the file: its action, and the labels an allowed route
/// carries on as `X-Graph-Label-<name>` headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rule {
    pub(crate) action: Action,
    pub(crate) labels: BTreeMap<String, String>,
}

/// The policy in force: replaced whole on a reload.
#[derive(Debug)]
pub(crate) struct Policy {
    pub(crate) table: RouteTable<Rule>,
    pub(crate) default: Action,
    pub(crate) non_checkout: NonCheckout,
    pub(crate) unseen_batch: UnseenBatch,
    pub(crate) format: ErrorFormat,
}

/// What an allowed checkout carries on: the template of the rule that
/// allowed it (`None` for the default action) and its labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Allowed {
    pub(crate) rule: Option<String>,
    pub(crate) labels: BTreeMap<String, String>,
}

impl Policy {
    pub(crate) fn parser(&self) -> &Parser {
        self.table.parser()
    }

    pub(crate) fn options(&self) -> Options {
        Options {
            non_checkout: self.non_checkout,
            unseen_batch: self.unseen_batch,
        }
    }
}

impl Rules for Policy {
    type Allowed = Allowed;

    fn judge(&self, route: &Route<'_>) -> Result<Allowed, Denial> {
        let (rule, action, labels) = match self.table.find(route) {
            Some((template, rule)) => (Some(template), rule.action, rule.labels.clone()),
            None => (None, self.default, BTreeMap::new()),
        };
        match action {
            Action::Allow => Ok(Allowed {
                rule: rule.map(str::to_owned),
                labels,
            }),
            Action::Deny => Err(Denial::Policy(route.template().into_owned())),
        }
    }
}
