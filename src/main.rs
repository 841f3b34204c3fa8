//! `graph-checkout-route`: classifies request lines (or route templates) from
//! a file or stdin, one JSON object (or a human-readable line) per line.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser as _, Subcommand, ValueEnum};
use cli::lines::{Line, Lines};
use graph_checkout_route::{Error, Parser, Route};
use serde::Serialize;

mod cli;

#[derive(clap::Parser)]
#[command(
    name = "graph-checkout-route",
    about = "Classify Microsoft Graph driveItem checkout requests"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Classify request lines: `TARGET` or `METHOD TARGET`, one per line.
    Classify(Options),
    /// Validate route templates such as `/drives/{drivesId}/root/checkout`, one per line.
    Template(Options),
    /// Run the authorization sidecar for nginx, Caddy, Envoy and Traefik.
    #[cfg(feature = "serve")]
    Serve(ServeOptions),
}

#[cfg(feature = "serve")]
#[derive(Args)]
struct ServeOptions {
    /// The policy file (TOML).
    #[arg(long, value_name = "FILE")]
    config: PathBuf,
    /// Only check the file, then exit: 0 when it is good, 2 when it is not.
    #[arg(long)]
    check: bool,
}

#[derive(Args)]
struct Options {
    /// Input file; standard input when absent.
    file: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Reject valid routes that are not among the 20 documented ones.
    #[arg(long)]
    documented_only: bool,
    /// An accepted API version (repeat for several; replaces the defaults v1.0, beta, localtest).
    #[arg(long = "version", value_name = "VERSION")]
    versions: Vec<String>,
    /// An accepted host for absolute URLs (repeat for several; replaces the defaults).
    #[arg(long = "host", value_name = "HOST")]
    hosts: Vec<String>,
    /// Longest target in bytes [default: 2048]. (`--max-length` is an old spelling.)
    #[arg(long, value_name = "BYTES", alias = "max-length")]
    max_target_len: Option<usize>,
    /// Most path segments [default: 64].
    #[arg(long, value_name = "N")]
    max_segments: Option<usize>,
    /// Longest decoded key in bytes [default: 1024]. (`--max-key-length` is an old spelling.)
    #[arg(long, value_name = "BYTES", alias = "max-key-length")]
    max_key_len: Option<usize>,
    /// Longest decoded path-based address in characters [default: 400].
    #[arg(long, value_name = "CHARS")]
    max_path_chars: Option<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// One JSON object per line.
    Json,
    /// One line per result, with a caret under each error.
    Text,
}

impl Options {
    fn parser(&self) -> Parser {
        let mut parser = Parser::new().documented_only(self.documented_only);
        if !self.versions.is_empty() {
            parser = parser.versions(self.versions.clone());
        }
        if !self.hosts.is_empty() {
            parser = parser.hosts(self.hosts.clone());
        }
        let defaults = parser.current_limits();
        parser
            .max_target_len(self.max_target_len.unwrap_or(defaults.max_target_len))
            .max_segments(self.max_segments.unwrap_or(defaults.max_segments))
            .max_key_len(self.max_key_len.unwrap_or(defaults.max_key_len))
            .max_path_chars(self.max_path_chars.unwrap_or(defaults.max_path_chars))
    }
}

#[derive(Serialize)]
struct Accepted<'r, 'a> {
    ok: bool,
    #[serde(flatten)]
    route: &'r Route<'a>,
}

#[derive(Serialize)]
struct Rejected<'e> {
    ok: bool,
    error: &'e Error,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (options, templates) = match &cli.command {
        Command::Classify(options) => (options, false),
        Command::Template(options) => (options, true),
        #[cfg(feature = "serve")]
        Command::Serve(options) => return serve(options),
    };
    match run(options, templates) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("graph-checkout-route: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The sidecar: exit code 2 for a configuration file it cannot use, 1 when
/// it cannot run.
#[cfg(feature = "serve")]
fn serve(options: &ServeOptions) -> ExitCode {
    use graph_checkout_route::sidecar::{self, RunError};
    let result = if options.check {
        sidecar::check_config(&options.config).map_err(RunError::Config)
    } else {
        sidecar::run(&options.config)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("graph-checkout-route: {error}");
            match error {
                RunError::Config(_) => ExitCode::from(2),
                RunError::Io(_) => ExitCode::FAILURE,
            }
        }
    }
}

fn run(options: &Options, templates: bool) -> io::Result<()> {
    let parser = options.parser();
    let input: Box<dyn BufRead> = match &options.file {
        Some(path) => Box::new(BufReader::with_capacity(
            1 << 16,
            File::open(path)
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?,
        )),
        None => Box::new(io::stdin().lock()),
    };
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let mut lines = Lines::new(input, parser.current_limits().max_target_len);
    while let Some(line) = lines.next_line()? {
        let (shown, result) = match line {
            Line::Kept(line) => {
                let result = if templates {
                    parser.classify_template_line(line)
                } else {
                    parser.classify_line(line)
                };
                (line, result)
            }
            Line::Long(long) => {
                let result = if let Err(error) = parser.check_target_len(long.target_len) {
                    Err(error)
                } else {
                    // The target fits: the line is long for its method, far
                    // longer than `POST`, whose check comes next.
                    let method = long.method_len.unwrap_or(0).min(long.head.len());
                    parser.classify_bytes(&long.head[..method], b"")
                };
                (long.head, result)
            }
        };
        match options.format {
            Format::Json => write_json(&mut out, &result)?,
            Format::Text => write_text(&mut out, shown, &result)?,
        }
    }
    out.flush()
}

fn write_json(out: &mut impl Write, result: &Result<Route<'_>, Error>) -> io::Result<()> {
    match result {
        Ok(route) => serde_json::to_writer(&mut *out, &Accepted { ok: true, route }),
        Err(error) => serde_json::to_writer(&mut *out, &Rejected { ok: false, error }),
    }
    .map_err(io::Error::from)?;
    out.write_all(b"\n")
}

fn write_text(
    out: &mut impl Write,
    line: &[u8],
    result: &Result<Route<'_>, Error>,
) -> io::Result<()> {
    match result {
        Ok(route) => {
            let documented = if route.is_documented() {
                "documented"
            } else {
                "undocumented"
            };
            write!(out, "ok {} ({documented})", route.template())?;
            for (name, value) in route.params() {
                write!(out, " {name}={value}")?;
            }
            writeln!(out)
        }
        Err(error) => {
            let (_, target) = graph_checkout_route::split_request_line(line);
            writeln!(out, "{}", error.caret(target))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use graph_checkout_route::{DEFAULT_HOSTS, DEFAULT_VERSIONS};

    #[test]
    fn defaults_match_the_library() {
        let options = Options {
            file: None,
            format: Format::Json,
            documented_only: false,
            versions: vec![],
            hosts: vec![],
            max_target_len: None,
            max_segments: None,
            max_key_len: None,
            max_path_chars: None,
        };
        let parser = options.parser();
        assert_eq!(parser, Parser::new());
        assert_eq!(
            parser.accepted_versions().collect::<Vec<_>>(),
            DEFAULT_VERSIONS
        );
        assert_eq!(parser.accepted_hosts().collect::<Vec<_>>(), DEFAULT_HOSTS);
    }
}
