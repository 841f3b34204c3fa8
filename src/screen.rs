//! Whether a request may pass without being classified (docs/DESIGN.md
//! §9 "Pass-through"): a gateway in front of a whole Graph API path sees
//! `GET /v1.0/me`, health checks and CORS preflights beside checkouts, and
//! must let those pass without letting a checkout slip past its rules.
//!
//! A request passes only when it **provably** is not a checkout: its target,
//! with every escape decoded over and over until none is left, folded to
//! ASCII lower case (and, where it is not ASCII, to its NFKC form first),
//! holds no `checkout`. So `check%6Fut`, `CHECK%256Fut` and fullwidth
//! `ｃｈｅｃｋｏｕｔ` are classified (and refused), never passed. A JSON batch
//! (`$batch`, however spelled) carries requests of its own and is never
//! "not a checkout" either.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::{lexical, Error, Parser, Route};

/// What a request is, for a gateway that lets other traffic pass.
#[derive(Debug)]
pub enum Screened<'a> {
    /// A valid checkout request.
    Checkout(Route<'a>),
    /// Provably not a checkout: its target, however decoded and folded,
    /// holds no `checkout` and no `$batch`.
    NotCheckout,
    /// A JSON batch (a `$batch` target with no `checkout` in it): the
    /// requests it carries are in its body (see `classify_batch`).
    Batch,
    /// It may be a checkout, and it is not a valid one.
    Rejected(Error),
}

impl Screened<'_> {
    /// The same, owning its route: for a request read from a buffer that
    /// does not outlive it.
    pub fn into_owned(self) -> Screened<'static> {
        match self {
            Screened::Checkout(route) => Screened::Checkout(route.into_owned()),
            Screened::NotCheckout => Screened::NotCheckout,
            Screened::Batch => Screened::Batch,
            Screened::Rejected(err) => Screened::Rejected(err),
        }
    }
}

impl Parser {
    /// Screens a request: a checkout route, "not a checkout", a batch, or
    /// the error that refuses it.
    ///
    /// ```
    /// use graph_checkout_route::{Parser, Screened};
    ///
    /// let parser = Parser::new();
    /// assert!(matches!(parser.screen("GET", "/v1.0/me"), Screened::NotCheckout));
    /// assert!(matches!(parser.screen("POST", "/v1.0/$batch"), Screened::Batch));
    /// assert!(matches!(parser.screen("POST", "/me/drive/root/checkout"), Screened::Checkout(_)));
    /// // Escapes and case never hide a checkout.
    /// let Screened::Rejected(err) = parser.screen("POST", "/me/drive/root/CHECK%256Fut") else { panic!() };
    /// assert_eq!(err.kind(), graph_checkout_route::ErrorKind::Encoding);
    /// ```
    pub fn screen<'a>(&self, method: &str, target: &'a str) -> Screened<'a> {
        self.screen_bytes(method.as_bytes(), target.as_bytes())
    }

    /// [`Parser::screen`] on raw bytes.
    pub fn screen_bytes<'a>(&self, method: &[u8], target: &'a [u8]) -> Screened<'a> {
        // Over the length limit nothing is proven: the error says so.
        if let Err(err) = self.check_target_len(target.len()) {
            return Screened::Rejected(err);
        }
        let readings = Readings::of(target);
        if readings.spell("checkout") {
            return match self.classify_bytes(method, target) {
                Ok(route) => Screened::Checkout(route),
                Err(err) => Screened::Rejected(err),
            };
        }
        if readings.spell("$batch") {
            return Screened::Batch;
        }
        Screened::NotCheckout
    }
}

/// The readings of a target that a component behind the gateway might
/// make, each folded as far as it goes; a request passes only when none of
/// them spells `checkout` (or `$batch`).
pub(crate) struct Readings {
    /// Every escape decoded until none is left, in ASCII lower case: the
    /// bytes as a store that compares them case-insensitively reads them.
    decoded: Vec<u8>,
    /// Where `decoded` is not ASCII: its UTF-8 text with what is not UTF-8
    /// left out, in compatibility decomposition (NFKD) with the combining
    /// marks dropped, in lower case. This is the widest Unicode reading: it
    /// spells `checkout` wherever the NFKC form does (fullwidth
    /// `ｃｈｅｃｋｏｕｔ`), and also where a best-fit mapping strips an accent
    /// (`c\u{301}heckout`) or a lossy decoder drops a byte that is not UTF-8
    /// (`check%FFout`).
    unicode: Option<String>,
}

impl Readings {
    /// Reads `target`.
    pub(crate) fn of(target: &[u8]) -> Readings {
        let mut decoded = decode_fully(target);
        let unicode = (!decoded.is_ascii()).then(|| {
            decoded
                .utf8_chunks()
                .flat_map(|chunk| chunk.valid().nfkd())
                .filter(|&c| !is_combining_mark(c))
                .flat_map(char::to_lowercase)
                .collect()
        });
        decoded.make_ascii_lowercase();
        Readings { decoded, unicode }
    }

    /// Whether some reading holds `needle` (ASCII, lower case).
    pub(crate) fn spell(&self, needle: &str) -> bool {
        contains(&self.decoded, needle.as_bytes())
            || self
                .unicode
                .as_deref()
                .is_some_and(|text| text.contains(needle))
    }
}

/// `bytes` with every escape decoded until none is left.
///
/// One pass, left to right, over an output buffer: whenever the output ends
/// with `%` and two hex digits, they are replaced by the byte they encode,
/// which may complete another escape before it (`%25` + `36` + `F`...). Each
/// replacement shortens the output, so the work is linear in the input.
fn decode_fully(bytes: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    for &byte in bytes {
        out.push(byte);
        while let Some(decoded) = out
            .len()
            .checked_sub(3)
            .and_then(|at| lexical::escape_at(&out, at))
        {
            out.truncate(out.len() - 3);
            out.push(decoded);
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_reaches_a_fixpoint_in_one_pass() {
        let cases: [(&[u8], &[u8]); 6] = [
            (b"/me/drive/root/checkout", b"/me/drive/root/checkout"),
            (b"/CHECK%6Fut", b"/CHECKout"),
            (b"/check%256Fut", b"/checkout"),
            (b"/check%25%36%46ut", b"/checkout"),
            (b"/check%25256Fut", b"/checkout"),
            (b"/%%36F%zz%4", b"/o%zz%4"),
        ];
        for (input, decoded) in cases {
            assert_eq!(
                decode_fully(input),
                decoded,
                "{}",
                String::from_utf8_lossy(input)
            );
        }
    }

    #[test]
    fn every_reading_is_searched() {
        for spelled in [
            "/CHECK%6Fut",
            "/ｃｈｅｃｋｏｕｔ",
            "/ＣＨＥＣＫＯＵＴ",
            "/c\u{301}heckout",
            "/checkout\u{308}",
            "/check%FFout",
            "/$batch\u{ff45}\u{ff43}\u{ff4b}\u{ff4f}\u{ff55}\u{ff54}%25%2563check",
        ] {
            assert!(
                Readings::of(spelled.as_bytes()).spell("checkout"),
                "{spelled}"
            );
        }
        for plain in [
            "/me/drive/root/children",
            "/%FF%C3",
            "/check/out",
            "/check\u{2010}out",
        ] {
            assert!(!Readings::of(plain.as_bytes()).spell("checkout"), "{plain}");
        }
    }
}
