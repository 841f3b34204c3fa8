//! Reading the conformance case files of `tests/cases/` (format in
//! `tests/cases/README.md`).

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use graph_checkout_route::Parser;

/// One case: an input line and what must come of it.
#[derive(Debug)]
pub struct Case {
    /// `file:line`, for failure reports.
    pub origin: String,
    /// The input line (method prefix included), unescaped.
    pub input: Vec<u8>,
    pub expect: Expect,
    /// The parser in force for the case.
    pub parser: Parser,
    /// Whether the case goes through the template entry points.
    pub template: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    Ok {
        template: String,
        documented: bool,
        params: Vec<(String, String)>,
        /// `+version=`, `+query=`, `+canonical=` checks: `None` when the case
        /// does not check it, `Some(None)` for `-`.
        #[allow(clippy::option_option)]
        version: Option<Option<String>>,
        #[allow(clippy::option_option)]
        query: Option<Option<String>>,
        canonical: Option<String>,
    },
    Err {
        kind: String,
        offset: usize,
    },
}

/// Reads every `*.txt` file of a folder, in name order.
pub fn read_dir(dir: &Path) -> Vec<Case> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for file in files {
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        cases.extend(read_cases(&name, &text));
    }
    cases
}

/// Reads one case file. A malformed line panics with its origin: a broken
/// case must never be skipped silently.
pub fn read_cases(name: &str, text: &str) -> Vec<Case> {
    let mut parser = Parser::new();
    let mut template = false;
    let mut cases = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let origin = format!("{name}:{}", index + 1);
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(words) = trimmed.strip_prefix('@') {
            (parser, template) = directive(words, &origin);
            continue;
        }
        let Some((input, expect)) = line.rsplit_once(" => ") else {
            panic!("{origin}: a case is `INPUT => EXPECTED`: {line}");
        };
        let input = input.trim();
        let input = if input == "\"\"" {
            Vec::new()
        } else {
            unescape(input, &origin)
        };
        cases.push(Case {
            expect: expectation(expect.trim(), &origin),
            origin,
            input,
            parser: parser.clone(),
            template,
        });
    }
    cases
}

fn directive(words: &str, origin: &str) -> (Parser, bool) {
    let mut parser = Parser::new();
    let mut template = false;
    for word in words.split_whitespace() {
        let (key, value) = word.split_once('=').unwrap_or((word, ""));
        let number = || -> usize {
            value
                .parse()
                .unwrap_or_else(|_| panic!("{origin}: `{word}` needs a number"))
        };
        let list = || -> Vec<String> { value.split(',').map(str::to_owned).collect() };
        parser = match key {
            "request" => parser,
            "template" => {
                template = true;
                parser
            }
            "documented-only" => parser.documented_only(true),
            "max-target-len" => parser.max_target_len(number()),
            "max-segments" => parser.max_segments(number()),
            "max-key-len" => parser.max_key_len(number()),
            "max-path-chars" => parser.max_path_chars(number()),
            "versions" => parser.versions(list()),
            "hosts" => parser.hosts(list()),
            _ => panic!("{origin}: unknown directive word `{word}`"),
        };
    }
    (parser, template)
}

fn expectation(text: &str, origin: &str) -> Expect {
    let mut words = text.split_whitespace();
    match words.next() {
        Some("err") => {
            let kind = words
                .next()
                .unwrap_or_else(|| panic!("{origin}: `err` needs a kind"));
            let offset = words
                .next()
                .and_then(|w| w.strip_prefix('@'))
                .and_then(|w| w.parse().ok())
                .unwrap_or_else(|| panic!("{origin}: `err KIND` needs `@OFFSET`"));
            assert!(
                words.next().is_none(),
                "{origin}: extra words after the offset"
            );
            Expect::Err {
                kind: kind.to_owned(),
                offset,
            }
        }
        Some("ok") => {
            let template = words
                .next()
                .unwrap_or_else(|| panic!("{origin}: `ok` needs a template"));
            let documented = match words.next() {
                Some("documented") => true,
                Some("undocumented") => false,
                other => panic!("{origin}: expected documented|undocumented, found {other:?}"),
            };
            let mut params = Vec::new();
            let (mut version, mut query, mut canonical) = (None, None, None);
            for word in words {
                let (key, value) = word
                    .split_once('=')
                    .unwrap_or_else(|| panic!("{origin}: expected NAME=VALUE, found `{word}`"));
                let value = String::from_utf8(unescape(value, origin))
                    .unwrap_or_else(|_| panic!("{origin}: `{word}` is not UTF-8 once unescaped"));
                let optional = || (value != "-").then(|| value.clone());
                match key {
                    "+version" => version = Some(optional()),
                    "+query" => query = Some(optional()),
                    "+canonical" => canonical = Some(value.clone()),
                    _ if key.starts_with('+') => panic!("{origin}: unknown check `{key}`"),
                    _ => params.push((key.to_owned(), value)),
                }
            }
            Expect::Ok {
                template: template.to_owned(),
                documented,
                params,
                version,
                query,
                canonical,
            }
        }
        _ => panic!("{origin}: EXPECTED starts with `ok` or `err`: {text}"),
    }
}

/// `\xHH` bytes and `\[TEXT]*N` repeats; any other backslash is literal.
pub fn unescape(text: &str, origin: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            if let Some(hex) = text
                .get(i + 2..i + 4)
                .filter(|_| bytes.get(i + 1) == Some(&b'x'))
            {
                if let Ok(byte) = u8::from_str_radix(hex, 16) {
                    out.push(byte);
                    i += 4;
                    continue;
                }
            }
            if bytes.get(i + 1) == Some(&b'[') {
                let close = text[i..]
                    .find("]*")
                    .unwrap_or_else(|| panic!("{origin}: `\\[` without `]*N`"));
                let inner = &text[i + 2..i + close];
                let digits: String = text[i + close + 2..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                let count: usize = digits
                    .parse()
                    .unwrap_or_else(|_| panic!("{origin}: `\\[TEXT]*` needs a count"));
                let piece = unescape(inner, origin);
                for _ in 0..count {
                    out.extend_from_slice(&piece);
                }
                i += close + 2 + digits.len();
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// Shows bytes the way case files write them.
pub fn escape(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_control() || c == ' ' {
                let _ = write!(out, "\\x{:02X}", c as u32);
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02X}");
        }
    }
    out
}
