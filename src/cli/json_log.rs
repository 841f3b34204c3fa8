//! `--input json`: one JSON object per line, the method and the target in
//! two of its fields (`method` and `path` by default, as Envoy's JSON
//! access log names them), each named by a dotted path (`request.uri`
//! steps into the object `request`).
//!
//! Only the fields asked for are decoded; every other value is skipped by
//! serde's `IgnoredAny`, and the fields' raw values are slices of the line,
//! so a value's offset is where it starts in the line.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::log_format::{JsonProblem, LogFormatError, Reason};

/// The two fields a JSON log line is read for.
#[derive(Debug, Clone)]
pub(crate) struct Fields {
    method: Vec<String>,
    target: Vec<String>,
}

/// A line's method and target, borrowed from it unless they held escapes.
#[derive(Debug)]
pub(crate) struct Request<'a> {
    pub(crate) method: Cow<'a, str>,
    pub(crate) target: Cow<'a, str>,
}

impl Fields {
    /// The fields at the dotted paths `method` and `target`.
    pub(crate) fn new(method: &str, target: &str) -> Fields {
        let split = |path: &str| path.split('.').map(str::to_owned).collect();
        Fields {
            method: split(method),
            target: split(target),
        }
    }

    /// Reads the method and the target from one line.
    pub(crate) fn read<'a>(&self, line: &'a [u8]) -> Result<Request<'a>, LogFormatError> {
        let text = std::str::from_utf8(line).map_err(|e| LogFormatError {
            offset: e.valid_up_to(),
            reason: Reason::NotJson(JsonProblem::Syntax),
        })?;
        let start = text.len() - text.trim_start().len();
        if !text[start..].starts_with('{') {
            let reason = match serde_json::from_str::<IgnoredAny>(text) {
                Ok(_) => Reason::NotAnObject,
                Err(err) => return Err(json_error(text, &err)),
            };
            return Err(LogFormatError {
                offset: start,
                reason,
            });
        }
        let paths = [&self.method[..], &self.target[..]];
        let [method, target] = find(text, text, paths)?;
        Ok(Request {
            method: string_at(text, method, &self.method)?,
            target: string_at(text, target, &self.target)?,
        })
    }
}

/// The values at `paths` in the object `object` (a slice of `line`), each
/// the raw value or the error that says why it is not there.
fn find<'a>(
    line: &'a str,
    object: &'a str,
    paths: [&[String]; 2],
) -> Result<[Option<&'a RawValue>; 2], LogFormatError> {
    let mut pick = Pick {
        names: [paths[0].first(), paths[1].first()].map(|name| name.map(String::as_str)),
        found: [None, None],
        repeated: None,
    };
    let mut deserializer = serde_json::Deserializer::from_str(object);
    (&mut pick)
        .deserialize(&mut deserializer)
        .and_then(|()| deserializer.end())
        .map_err(|err| json_error(line, &err).shifted(offset_of(line, object)))?;
    if let Some((index, raw)) = pick.repeated {
        return Err(LogFormatError {
            offset: offset_of(line, raw.get()),
            reason: Reason::RepeatedField {
                field: paths[index].join("."),
            },
        });
    }
    let mut values = [None, None];
    for (i, path) in paths.iter().enumerate() {
        let Some(raw) = pick.found[i] else {
            continue;
        };
        if path.len() == 1 {
            values[i] = Some(raw);
            continue;
        }
        // The rest of the path goes on in this value, which must be an object.
        if !raw.get().starts_with('{') {
            return Err(not_a_string(line, raw, path, false));
        }
        let mut inner: [&[String]; 2] = [&[], &[]];
        inner[i] = &path[1..];
        values[i] = find(line, raw.get(), inner)?[i];
    }
    Ok(values)
}

/// The string at `raw`, the value found at `path`.
fn string_at<'a>(
    line: &'a str,
    raw: Option<&'a RawValue>,
    path: &[String],
) -> Result<Cow<'a, str>, LogFormatError> {
    let Some(raw) = raw else {
        return Err(LogFormatError {
            offset: 0,
            reason: Reason::MissingField {
                field: path.join("."),
            },
        });
    };
    if !raw.get().starts_with('"') {
        return Err(not_a_string(line, raw, path, true));
    }
    let Text(text) = serde_json::from_str(raw.get())
        .map_err(|err| json_error(line, &err).shifted(offset_of(line, raw.get())))?;
    Ok(text)
}

/// A value at `path` that is not a string (`whole`) or not an object that
/// the rest of the path could step into.
fn not_a_string(line: &str, raw: &RawValue, path: &[String], whole: bool) -> LogFormatError {
    let found = match raw.get().as_bytes().first() {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    };
    let field = if whole {
        path.join(".")
    } else {
        format!("{} (to step into for `{}`)", path[0], path.join("."))
    };
    LogFormatError {
        offset: offset_of(line, raw.get()),
        reason: Reason::NotAString { field, found },
    }
}

/// One pass over an object's members: the raw values of the members named
/// `names`, the other values skipped.
struct Pick<'n, 'a> {
    names: [Option<&'n str>; 2],
    found: [Option<&'a RawValue>; 2],
    /// The first wanted member that appears twice (its index in `names`)
    /// and its later value.
    repeated: Option<(usize, &'a RawValue)>,
}

impl<'de> DeserializeSeed<'de> for &mut Pick<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for &mut Pick<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        while let Some(wanted) = map.next_key_seed(Key(self.names))? {
            if wanted == [false, false] {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let value: &'de RawValue = map.next_value()?;
            for (index, (slot, wanted)) in self.found.iter_mut().zip(wanted).enumerate() {
                if !wanted {
                    continue;
                }
                if slot.is_some() {
                    self.repeated.get_or_insert((index, value));
                }
                *slot = Some(value);
            }
        }
        Ok(())
    }
}

/// A member name, read only to tell which of the wanted names it is.
struct Key<'n>([Option<&'n str>; 2]);

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = [bool; 2];

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<[bool; 2], D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for Key<'_> {
    type Value = [bool; 2];

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E>(self, name: &str) -> Result<[bool; 2], E> {
        Ok(self.0.map(|wanted| wanted == Some(name)))
    }
}

/// A JSON string, borrowed from the line unless it held an escape.
struct Text<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(text)))
            }
            fn visit_str<E>(self, text: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(text.to_owned())))
            }
        }
        deserializer.deserialize_str(TextVisitor)
    }
}

impl LogFormatError {
    /// The same error, for a piece of the line that starts `by` bytes in.
    fn shifted(mut self, by: usize) -> LogFormatError {
        self.offset += by;
        self
    }
}

/// Where `part`, a slice of `line`, starts in it.
fn offset_of(line: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(line.as_ptr() as usize)
}

/// serde_json's error in a one-line text, at the byte it names.
fn json_error(text: &str, err: &serde_json::Error) -> LogFormatError {
    let problem = match err.classify() {
        serde_json::error::Category::Eof => JsonProblem::Eof,
        serde_json::error::Category::Data => JsonProblem::Data,
        serde_json::error::Category::Syntax | serde_json::error::Category::Io => {
            JsonProblem::Syntax
        }
    };
    // serde_json names the last byte it read; an early end is at the end.
    let offset = if problem == JsonProblem::Eof {
        text.len()
    } else {
        err.column().saturating_sub(1).min(text.len())
    };
    LogFormatError {
        offset,
        reason: Reason::NotJson(problem),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(line: &str, method: &str, target: &str) -> Result<(String, String), (usize, Reason)> {
        Fields::new(method, target)
            .read(line.as_bytes())
            .map(|r| (r.method.into_owned(), r.target.into_owned()))
            .map_err(|e| (e.offset, e.reason))
    }

    #[test]
    fn fields_are_found_at_their_paths() {
        let line =
            r#"{"start":"2026","method":"POST","path":"/me/drive/root/checkout","n":[1,{"a":2}]}"#;
        assert_eq!(
            read(line, "method", "path"),
            Ok(("POST".into(), "/me/drive/root/checkout".into()))
        );
        let nested = r#"{"request":{"method":"GET","uri":"/a\u002Fb"},"status":204}"#;
        assert_eq!(
            read(nested, "request.method", "request.uri"),
            Ok(("GET".into(), "/a/b".into()))
        );
    }

    #[test]
    fn each_problem_has_its_reason_and_offset() {
        let line = r#"{"method":"POST","path":7}"#;
        assert_eq!(
            read(line, "method", "path"),
            Err((
                24,
                Reason::NotAString {
                    field: "path".into(),
                    found: "a number"
                }
            ))
        );
        let twice = r#"{"path":"/a","method":"POST","path":"/b"}"#;
        assert_eq!(
            read(twice, "method", "path"),
            Err((
                36,
                Reason::RepeatedField {
                    field: "path".into()
                }
            ))
        );
        assert_eq!(
            read(r#"{"method":"POST"}"#, "method", "path"),
            Err((
                0,
                Reason::MissingField {
                    field: "path".into()
                }
            ))
        );
        assert_eq!(
            read(r#"{"r":{"m":"POST","u":null}}"#, "r.m", "r.u"),
            Err((
                21,
                Reason::NotAString {
                    field: "r.u".into(),
                    found: "null"
                }
            ))
        );
        assert_eq!(
            read(r#"{"method":"POST","path":"/a""#, "method", "path"),
            Err((28, Reason::NotJson(JsonProblem::Eof)))
        );
        assert_eq!(
            read("  [1]", "method", "path"),
            Err((2, Reason::NotAnObject))
        );
        assert_eq!(
            read("127.0.0.1 - -", "method", "path"),
            Err((5, Reason::NotJson(JsonProblem::Syntax)))
        );
        assert_eq!(
            read(r#"{"method":"POST","path":"/a"} x"#, "method", "path"),
            Err((30, Reason::NotJson(JsonProblem::Syntax)))
        );
    }
}
