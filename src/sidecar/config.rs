//! The sidecar's configuration file (docs/DESIGN.md §11 "The policy
//! file"): TOML, read with the `toml` crate into the types below, every
//! field checked, every error given with its line and column.

use std::fmt;
use std::net::SocketAddr;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use crate::gate::{ErrorFormat, NonCheckout, UnseenBatch};
use crate::{InsertError, Limits, Parser, RouteTable};

use super::policy::{Action, Policy, Rule};

/// A configuration file that cannot be used: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    path: PathBuf,
    /// 1-based line and column, when the problem has a place in the file.
    place: Option<(usize, usize)>,
    message: String,
}

impl ConfigError {
    fn at(path: &Path, text: &str, span: Option<Range<usize>>, message: String) -> ConfigError {
        ConfigError {
            path: path.to_owned(),
            place: span.map(|span| line_and_column(text, span.start)),
            message,
        }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The 1-based line and column of the problem, when it has a place.
    pub fn line_and_column(&self) -> Option<(usize, usize)> {
        self.place
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.place {
            Some((line, column)) => write!(
                f,
                "{}:{line}:{column}: {}",
                self.path.display(),
                self.message
            ),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// The 1-based line and column (in characters) of byte `at` of `text`.
fn line_and_column(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at.min(text.len())];
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// Everything the file sets: how the server runs (read once, at start)
/// and the policy (read again on every reload).
#[derive(Debug)]
pub(crate) struct Config {
    pub(crate) server: Server,
    pub(crate) policy: Policy,
}

/// How the server runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Server {
    pub(crate) listen: SocketAddr,
    pub(crate) header_read_timeout: Duration,
    pub(crate) request_timeout: Duration,
    pub(crate) max_header_bytes: usize,
    pub(crate) max_connections: usize,
    pub(crate) max_batch_body: usize,
    pub(crate) shutdown_grace: Duration,
    pub(crate) headers: Headers,
    pub(crate) log_allows: bool,
}

/// Which headers of a check request carry the original request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Headers {
    pub(crate) nginx_method: http::HeaderName,
    pub(crate) nginx_uri: http::HeaderName,
    pub(crate) forwarded_method: http::HeaderName,
    pub(crate) forwarded_uri: http::HeaderName,
    pub(crate) envoy_prefix: String,
}

/// The file as TOML has it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    server: ServerFile,
    #[serde(default)]
    headers: HeadersFile,
    #[serde(default)]
    policy: PolicyFile,
    #[serde(default, rename = "rule")]
    rules: Vec<RuleFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
struct ServerFile {
    listen: Spanned<String>,
    header_read_timeout_ms: u64,
    request_timeout_ms: u64,
    max_header_bytes: Spanned<usize>,
    max_connections: Spanned<usize>,
    max_batch_body: usize,
    shutdown_grace_ms: u64,
    log_allows: bool,
}

impl Default for ServerFile {
    fn default() -> Self {
        ServerFile {
            listen: Spanned::new(0..0, "127.0.0.1:9090".to_owned()),
            header_read_timeout_ms: 5_000,
            request_timeout_ms: 5_000,
            max_header_bytes: Spanned::new(0..0, 16 * 1024),
            max_connections: Spanned::new(0..0, 1024),
            max_batch_body: crate::DEFAULT_MAX_BATCH_BODY,
            shutdown_grace_ms: 10_000,
            log_allows: false,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
struct HeadersFile {
    nginx_method: Spanned<String>,
    nginx_uri: Spanned<String>,
    forwarded_method: Spanned<String>,
    forwarded_uri: Spanned<String>,
    envoy_prefix: Spanned<String>,
}

impl Default for HeadersFile {
    fn default() -> Self {
        let unplaced = |text: &str| Spanned::new(0..0, text.to_owned());
        HeadersFile {
            nginx_method: unplaced("X-Original-Method"),
            nginx_uri: unplaced("X-Original-URI"),
            forwarded_method: unplaced("X-Forwarded-Method"),
            forwarded_uri: unplaced("X-Forwarded-Uri"),
            envoy_prefix: unplaced("/envoy"),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct PolicyFile {
    versions: Option<Vec<String>>,
    hosts: Option<Vec<String>>,
    documented_only: bool,
    default: ActionFile,
    non_checkout: ChoiceFile,
    batch: ChoiceFile,
    error_format: FormatFile,
    max_target_len: Option<usize>,
    max_segments: Option<usize>,
    max_key_len: Option<usize>,
    max_path_chars: Option<usize>,
}

#[derive(Deserialize, Default, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum ActionFile {
    #[default]
    Allow,
    Deny,
}

/// `non_checkout` and `batch`: let such requests pass, or refuse them.
#[derive(Deserialize, Default, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum ChoiceFile {
    Allow,
    #[default]
    Deny,
}

#[derive(Deserialize, Default, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum FormatFile {
    #[default]
    Problem,
    Graph,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    template: Spanned<String>,
    action: ActionFile,
    labels: Option<Spanned<std::collections::BTreeMap<String, String>>>,
}

/// Reads and checks the file at `path`.
pub(crate) fn load(path: &Path) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|error| ConfigError {
        path: path.to_owned(),
        place: None,
        message: format!("cannot read the file: {error}"),
    })?;
    parse(path, &text)
}

/// Checks the text of a configuration file; `path` names it in errors.
pub(crate) fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
    let error =
        |span: Option<Range<usize>>, message: String| ConfigError::at(path, text, span, message);
    let file: File = toml::from_str(text).map_err(|e| error(e.span(), e.message().to_owned()))?;
    let server = server(&file.server, &file.headers, &error)?;
    let policy = policy(text, &file.policy, &file.rules, &error)?;
    Ok(Config { server, policy })
}

fn server(
    file: &ServerFile,
    headers: &HeadersFile,
    error: &impl Fn(Option<Range<usize>>, String) -> ConfigError,
) -> Result<Server, ConfigError> {
    let listen = file.listen.get_ref().parse().map_err(|_| {
        error(
            Some(file.listen.span()),
            format!(
                "`listen` must be an address and port, such as `127.0.0.1:9090`, not `{}`",
                file.listen.get_ref()
            ),
        )
    })?;
    // hyper reads a request head into a buffer of at least 8 KiB.
    if *file.max_header_bytes.get_ref() < 8192 {
        return Err(error(
            Some(file.max_header_bytes.span()),
            "`max_header_bytes` must be at least 8192".to_owned(),
        ));
    }
    if *file.max_connections.get_ref() == 0 {
        return Err(error(
            Some(file.max_connections.span()),
            "`max_connections` must be at least 1".to_owned(),
        ));
    }
    let header = |name: &Spanned<String>, what: &str| {
        http::HeaderName::from_bytes(name.get_ref().as_bytes()).map_err(|_| {
            error(
                Some(name.span()),
                format!("`{what}` is not a header name: `{}`", name.get_ref()),
            )
        })
    };
    let prefix = headers.envoy_prefix.get_ref();
    if !prefix.starts_with('/') || prefix.ends_with('/') || prefix.len() < 2 {
        return Err(error(
            Some(headers.envoy_prefix.span()),
            format!("`envoy_prefix` must start with `/` and not end with one, such as `/envoy`, not `{prefix}`"),
        ));
    }
    Ok(Server {
        listen,
        header_read_timeout: Duration::from_millis(file.header_read_timeout_ms),
        request_timeout: Duration::from_millis(file.request_timeout_ms),
        max_header_bytes: *file.max_header_bytes.get_ref(),
        max_connections: *file.max_connections.get_ref(),
        max_batch_body: file.max_batch_body,
        shutdown_grace: Duration::from_millis(file.shutdown_grace_ms),
        headers: Headers {
            nginx_method: header(&headers.nginx_method, "nginx_method")?,
            nginx_uri: header(&headers.nginx_uri, "nginx_uri")?,
            forwarded_method: header(&headers.forwarded_method, "forwarded_method")?,
            forwarded_uri: header(&headers.forwarded_uri, "forwarded_uri")?,
            envoy_prefix: prefix.clone(),
        },
        log_allows: file.log_allows,
    })
}

fn policy(
    text: &str,
    file: &PolicyFile,
    rules: &[RuleFile],
    error: &impl Fn(Option<Range<usize>>, String) -> ConfigError,
) -> Result<Policy, ConfigError> {
    let mut parser = Parser::new().documented_only(file.documented_only);
    if let Some(versions) = &file.versions {
        parser = parser.versions(versions.clone());
    }
    if let Some(hosts) = &file.hosts {
        parser = parser.hosts(hosts.clone());
    }
    let defaults = Limits::default();
    parser = parser.limits(Limits {
        max_target_len: file.max_target_len.unwrap_or(defaults.max_target_len),
        max_segments: file.max_segments.unwrap_or(defaults.max_segments),
        max_key_len: file.max_key_len.unwrap_or(defaults.max_key_len),
        max_path_chars: file.max_path_chars.unwrap_or(defaults.max_path_chars),
    });
    let mut table = RouteTable::with_parser(parser);
    for rule in rules {
        let empty = std::collections::BTreeMap::new();
        let (labels, labels_span) = match &rule.labels {
            Some(labels) => (labels.get_ref(), labels.span()),
            None => (&empty, rule.template.span()),
        };
        if let Some(name) = labels.keys().find(|name| !is_label_name(name)) {
            return Err(error(
                Some(labels_span.clone()),
                format!("the label name `{name}` is not one of `A-Z a-z 0-9 -`"),
            ));
        }
        if let Some((name, _)) = labels
            .iter()
            .find(|(_, value)| http::HeaderValue::from_str(value).is_err())
        {
            return Err(error(
                Some(labels_span),
                format!(
                    "the value of the label `{name}` cannot be a header value (visible ASCII only)"
                ),
            ));
        }
        let value = Rule {
            action: action(rule.action),
            labels: labels
                .iter()
                .map(|(name, value)| (name.clone(), value.clone()))
                .collect(),
        };
        table.insert(rule.template.get_ref(), value).map_err(|refused| match refused {
            InsertError::Invalid(invalid) => {
                // Point at the byte of the template, where the file holds it
                // as written (a string without escapes).
                let span = rule.template.span();
                let written = text.get(span.clone()).is_some_and(|quoted| {
                    quoted.len() == rule.template.get_ref().len() + 2
                        && quoted[1..quoted.len() - 1] == *rule.template.get_ref()
                });
                let at = if written { span.start + 1 + invalid.offset() } else { span.start };
                error(
                    Some(at..at),
                    format!(
                        "the template `{}` is not a valid checkout template: {invalid}",
                        rule.template.get_ref()
                    ),
                )
            }
            InsertError::Duplicate { template, existing } => error(
                Some(rule.template.span()),
                format!("the template `{template}` has the same shape as the earlier rule's `{existing}`"),
            ),
        })?;
    }
    Ok(Policy {
        table,
        default: action(file.default),
        non_checkout: match file.non_checkout {
            ChoiceFile::Allow => NonCheckout::Allow,
            ChoiceFile::Deny => NonCheckout::Deny,
        },
        unseen_batch: match file.batch {
            ChoiceFile::Allow => UnseenBatch::Allow,
            ChoiceFile::Deny => UnseenBatch::Deny,
        },
        format: match file.error_format {
            FormatFile::Problem => ErrorFormat::Problem,
            FormatFile::Graph => ErrorFormat::Graph,
        },
    })
}

fn action(file: ActionFile) -> Action {
    match file {
        ActionFile::Allow => Action::Allow,
        ActionFile::Deny => Action::Deny,
    }
}

/// A label becomes the header `X-Graph-Label-<name>`.
fn is_label_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_their_line_and_column() {
        let cases = [
            ("[server]\nlisten = 9090\n", (2, 10), "invalid type"),
            ("[server]\nlisten = \"nowhere\"\n", (2, 10), "`listen` must be"),
            ("[policy]\ndefault = \"maybe\"\n", (2, 11), "unknown variant"),
            ("[policy]\nversion = [\"v1.0\"]\n", (2, 1), "unknown field"),
            (
                "[[rule]]\ntemplate = \"/me/drive/bogus/checkout\"\naction = \"deny\"\n",
                (2, 23),
                "not a valid checkout template",
            ),
            (
                "[[rule]]\ntemplate = \"/drives/{a}/root/checkout\"\naction = \"deny\"\n[[rule]]\ntemplate = \"/drives/{b}/root/checkout\"\naction = \"allow\"\n",
                (5, 12),
                "same shape",
            ),
            ("[[rule]]\ntemplate = \"/me/drive/root/checkout\"\n", (1, 1), "missing field `action`"),
        ];
        for (text, place, message) in cases {
            let err = parse(Path::new("policy.toml"), text).unwrap_err();
            assert_eq!(err.line_and_column(), Some(place), "{text}: {err}");
            assert!(err.message().contains(message), "{text}: {err}");
            assert!(err
                .to_string()
                .starts_with(&format!("policy.toml:{}:{}: ", place.0, place.1)));
        }
    }

    #[test]
    fn an_empty_file_is_the_defaults() {
        let config = parse(Path::new("empty.toml"), "").unwrap();
        assert_eq!(config.server.listen, "127.0.0.1:9090".parse().unwrap());
        assert_eq!(config.policy.default, Action::Allow);
        assert_eq!(config.policy.non_checkout, NonCheckout::Deny);
    }
}
