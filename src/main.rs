//! `graph-checkout-route`: classifies request lines, access logs or route
//! templates from a file or stdin: one JSON object (or a human-readable
//! line) per line, or a summary of them all.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Subcommand, ValueEnum};
use cli::json_log::Fields;
use cli::outcome::{Classifier, Input};
use cli::output::{Format, Output};
use cli::progress::Progress;
use cli::run::{Run, Source};
use graph_checkout_route::{Limits, Parser, DEFAULT_HOSTS, DEFAULT_VERSIONS};

mod cli;

const EXIT_STATUS: &str = "\
Exit status: 0 when every line was read, whatever the lines held; 1 when \
the input cannot be read or the output written; 2 with --fail-on-reject \
when any line was rejected (for `serve`: 2 for a policy file it cannot use).";

#[derive(clap::Parser)]
#[command(
    name = "graph-checkout-route",
    version,
    about = "Classify Microsoft Graph driveItem checkout requests",
    after_help = EXIT_STATUS
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Classify requests, one per line: `TARGET`, `METHOD TARGET`, an HTTP/1.1 request line, or an access log line (--input).
    #[command(after_help = EXIT_STATUS)]
    Classify(ClassifyOptions),
    /// Validate route templates such as `/drives/{drivesId}/root/checkout`, one per line.
    #[command(after_help = EXIT_STATUS)]
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
struct ClassifyOptions {
    #[command(flatten)]
    options: Options,
    /// How each line holds its request.
    #[arg(long, value_enum, default_value_t = InputFormat::Lines)]
    input: InputFormat,
    /// With --input json: the field of the method; each `.` steps into an object.
    #[arg(long, value_name = "PATH", default_value = "method")]
    method_field: String,
    /// With --input json: the field of the target; each `.` steps into an object.
    #[arg(long, value_name = "PATH", default_value = "path")]
    target_field: String,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum InputFormat {
    /// `TARGET`, `METHOD TARGET` or `METHOD TARGET HTTP/1.1`.
    Lines,
    /// nginx and Apache "combined" and "common" access logs: the request is the first quoted field.
    Combined,
    /// One JSON object per line (--method-field, --target-field).
    Json,
}

// Command-line flags are bools by nature.
#[allow(clippy::struct_excessive_bools)]
#[derive(Args)]
struct Options {
    /// Input file; `-` or nothing for standard input.
    file: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Add the line number (`"line":N`, from 1) to each result.
    #[arg(long)]
    line_numbers: bool,
    /// Print one summary at the end instead of one result per line: counts by template and by error kind.
    #[arg(long)]
    summary: bool,
    /// Exit with status 2 when any line was rejected.
    #[arg(long)]
    fail_on_reject: bool,
    /// Classify on N threads; the output keeps the input order [default: the number of cores].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// Reject valid routes that are not among the 20 documented ones.
    #[arg(long)]
    documented_only: bool,
    /// An accepted API version (repeat for several; replaces the defaults).
    #[arg(long = "api-version", value_name = "VERSION", default_values_t = DEFAULT_VERSIONS.map(String::from))]
    versions: Vec<String>,
    /// The old spelling of --api-version; alone, it prints the tool's version.
    #[arg(long = "version", value_name = "VERSION", hide = true, num_args = 0..=1, default_missing_value = "")]
    old_versions: Vec<String>,
    /// An accepted host for absolute URLs (repeat for several; replaces the defaults).
    #[arg(long = "host", value_name = "HOST", default_values_t = DEFAULT_HOSTS.map(String::from))]
    hosts: Vec<String>,
    /// Longest target in bytes. (`--max-length` is an old spelling.)
    #[arg(long, value_name = "BYTES", alias = "max-length", default_value_t = Limits::default().max_target_len)]
    max_target_len: usize,
    /// Most path segments.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_segments)]
    max_segments: usize,
    /// Longest decoded key in bytes. (`--max-key-length` is an old spelling.)
    #[arg(long, value_name = "BYTES", alias = "max-key-length", default_value_t = Limits::default().max_key_len)]
    max_key_len: usize,
    /// Longest decoded path-based address in characters.
    #[arg(long, value_name = "CHARS", default_value_t = Limits::default().max_path_chars)]
    max_path_chars: usize,
}

impl Options {
    /// The parser these options describe; `api_version_given` tells whether
    /// `--api-version` was on the command line (else its values are the
    /// defaults, which the old spelling `--version V` replaces).
    fn parser(&self, api_version_given: bool) -> Parser {
        let mut versions = self.versions.clone();
        if !self.old_versions.is_empty() {
            if !api_version_given {
                versions.clear();
            }
            versions.extend(self.old_versions.iter().cloned());
        }
        Parser::new()
            .documented_only(self.documented_only)
            .versions(versions)
            .hosts(self.hosts.clone())
            .max_target_len(self.max_target_len)
            .max_segments(self.max_segments)
            .max_key_len(self.max_key_len)
            .max_path_chars(self.max_path_chars)
    }

    /// Whether `--version` stood alone: print the tool's version.
    fn wants_tool_version(&self) -> bool {
        self.old_versions.iter().any(String::is_empty)
    }

    fn output(&self) -> Output {
        Output {
            format: self.format,
            line_numbers: self.line_numbers,
            summary_only: self.summary,
        }
    }

    fn jobs(&self) -> usize {
        self.jobs.map_or_else(thread_count, usize::from)
    }
}

fn thread_count() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    let (options, input, sub) = match &cli.command {
        Command::Classify(classify) => {
            let input = match classify.input {
                InputFormat::Lines => Input::Lines,
                InputFormat::Combined => Input::Combined,
                InputFormat::Json => {
                    Input::Json(Fields::new(&classify.method_field, &classify.target_field))
                }
            };
            (&classify.options, input, "classify")
        }
        Command::Template(options) => (options, Input::Templates, "template"),
        #[cfg(feature = "serve")]
        Command::Serve(options) => return serve(options),
    };
    if options.wants_tool_version() {
        println!("graph-checkout-route {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    let given = api_version_given(&matches, sub);
    match classify(options, input, given) {
        Ok(summary) if options.fail_on_reject && summary.rejected() > 0 => ExitCode::from(2),
        Ok(_) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("graph-checkout-route: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Whether `--api-version` was on the command line of subcommand `sub`.
fn api_version_given(matches: &ArgMatches, sub: &str) -> bool {
    matches
        .subcommand_matches(sub)
        .and_then(|sub| sub.value_source("versions"))
        == Some(clap::parser::ValueSource::CommandLine)
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

fn classify(
    options: &Options,
    input: Input,
    api_version_given: bool,
) -> io::Result<cli::summary::Summary> {
    let run = Run {
        classifier: Classifier {
            parser: options.parser(api_version_given),
            input,
        },
        output: options.output(),
        jobs: options.jobs(),
    };
    let source = open(options.file.as_deref())?;
    // Standard output flushes at every line end; the run flushes instead
    // when its input has nothing more at hand (see `Lines::drained`).
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    run.go(source, &mut out)
}

/// The input: a file, named in every error about it, or standard input.
fn open(path: Option<&Path>) -> io::Result<Source> {
    let Some(path) = path.filter(|path| *path != Path::new("-")) else {
        return Ok(Source {
            reader: Box::new(io::stdin()),
            progress: Progress::hidden(),
        });
    };
    let named = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", path.display()));
    let file = File::open(path).map_err(named)?;
    let metadata = file.metadata().map_err(named)?;
    if metadata.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{}: is a directory, not a file of lines", path.display()),
        ));
    }
    Ok(Source {
        reader: Box::new(Named {
            file,
            path: path.to_owned(),
        }),
        progress: Progress::of_file(metadata.len()),
    })
}

/// A file whose read errors name it.
struct Named {
    file: File,
    path: PathBuf,
}

impl Read for Named {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.file
            .read(buf)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", self.path.display())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_library() {
        let cli = <Cli as clap::Parser>::parse_from(["graph-checkout-route", "classify"]);
        let Command::Classify(classify) = cli.command else {
            panic!("classify");
        };
        let parser = classify.options.parser(false);
        assert_eq!(parser, Parser::new());
        assert_eq!(
            parser.accepted_versions().collect::<Vec<_>>(),
            DEFAULT_VERSIONS
        );
        assert_eq!(parser.accepted_hosts().collect::<Vec<_>>(), DEFAULT_HOSTS);
    }

    #[test]
    fn the_arguments_are_consistent() {
        Cli::command().debug_assert();
    }
}
