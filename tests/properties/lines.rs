//! CLI lines (DESIGN §6 "CLI lines", decisions (j), (k) and (s)): a target
//! written as a line, in every form the line entry points read, and
//! changes to a line with a known outcome.

use crate::generation::Generated;
use crate::reference::{Options, Outcome};
use crate::running::err;
use crate::tape::Tape;

/// A line that carries `target` and means the same: `TARGET` or
/// `METHOD TARGET`, after a method now and then an HTTP/1.1 request line's
/// ` HTTP/d.d`, now and then the `\r` of a CRLF line ending. `method` is
/// the method to write, if any.
pub fn line(tape: &mut Tape, method: Option<&[u8]>, target: &[u8]) -> Vec<u8> {
    let mut line = Vec::new();
    if let Some(m) = method {
        line.extend_from_slice(m);
        line.push(b' ');
    }
    line.extend_from_slice(target);
    if method.is_some() && tape.chance(50) {
        const VERSIONS: [&[u8]; 4] = [b" HTTP/1.1", b" HTTP/1.0", b" HTTP/2.0", b" HTTP/9.9"];
        line.extend_from_slice(VERSIONS[tape.below(VERSIONS.len())]);
    }
    if tape.chance(50) {
        line.push(b'\r');
    }
    line
}

/// A changed line and what it must give.
#[derive(Debug)]
pub struct LineMutant {
    pub what: String,
    pub line: Vec<u8>,
    pub expected: Outcome,
}

/// The text after a target that a line entry point must leave in it (the
/// target then holds a bad byte where this text starts): decision (k) and
/// (s).
const SUFFIXES_THAT_STAY: &[&[u8]] = &[
    b" HTTP/1.10",
    b" http/1.1",
    b"  HTTP/1.1",
    b" HTTP/1",
    b" HTTP/1.1 ",
    b"\tHTTP/1.1",
    b" HTTP/a.1",
    b" HTTP/1.1\r\n",
    b" HTTP/1.1\r\r",
    b"\r\r",
    b"\r ",
];

/// One change to the line form of `g` with the outcome DESIGN gives it, or
/// `None` when the chosen change does not apply. Every change leaves a bad
/// byte in the target at a known place, so a trailing query expression
/// (which must end the template, decision (m)) rules the changes that
/// write after the target out.
pub fn mutate_line(tape: &mut Tape, g: &Generated, opts: &Options) -> Option<LineMutant> {
    let t = g.target.as_bytes();
    let limit = |target_len: usize, expected: Outcome| {
        if target_len > opts.max_target_len {
            err("limit", opts.max_target_len)
        } else {
            expected
        }
    };
    let mut r = tape.rng();
    let mutant = match tape.below(5) {
        // `METHOD TARGET` + text that stays in the target.
        0 => {
            g.expression.is_none().then_some(())?;
            let suffix = *r.pick(SUFFIXES_THAT_STAY);
            let mut line = b"POST ".to_vec();
            line.extend_from_slice(t);
            line.extend_from_slice(suffix);
            // One `\r` that ends the line is the line ending's.
            let kept = suffix.len() - usize::from(suffix.ends_with(b"\r"));
            LineMutant {
                what: format!("suffix {:?}", String::from_utf8_lossy(suffix)),
                line,
                expected: limit(t.len() + kept, err("syntax", t.len())),
            }
        }
        // The HTTP/1.1 suffix without a method stays.
        1 => {
            g.expression.is_none().then_some(())?;
            let mut line = t.to_vec();
            line.extend_from_slice(b" HTTP/1.1\r");
            LineMutant {
                what: "` HTTP/1.1` without a method".into(),
                line,
                expected: limit(t.len() + 9, err("syntax", t.len())),
            }
        }
        // A `\r` that does not end the line stays: a bad byte.
        2 => {
            let points: Vec<usize> = (0..t.len())
                .filter(|&i| (i < 1 || t[i - 1] != b'%') && (i < 2 || t[i - 2] != b'%'))
                .filter(|&i| g.expression.is_none_or(|e| i <= e))
                .collect();
            let at = *tape.pick(&points);
            let mut target = t.to_vec();
            target.insert(at, b'\r');
            let method = tape.chance(50).then_some(&b"POST"[..]);
            LineMutant {
                what: format!("`\\r` at {at}"),
                line: line(tape, method, &target),
                expected: limit(target.len(), err("syntax", at)),
            }
        }
        // A method in lower case is no method: the line is the target.
        3 => {
            let mut line = b"post ".to_vec();
            line.extend_from_slice(t);
            LineMutant {
                what: "method `post`".into(),
                line,
                expected: limit(t.len() + 5, err("syntax", 4)),
            }
        }
        // Another method in a request line.
        _ => {
            let method = *r.pick(&[&b"GET"[..], b"PUT", b"PATCH", b"POSTX"]);
            LineMutant {
                what: format!("method {}", String::from_utf8_lossy(method)),
                line: line(tape, Some(method), t),
                expected: limit(t.len(), err("method", 0)),
            }
        }
    };
    Some(mutant)
}
