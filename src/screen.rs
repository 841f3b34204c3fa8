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

use unicode_normalization::UnicodeNormalization;

use crate::{Error, Parser, Route};

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
        let folded = fold(target);
        if contains(&folded, b"checkout") {
            return match self.classify_bytes(method, target) {
                Ok(route) => Screened::Checkout(route),
                Err(err) => Screened::Rejected(err),
            };
        }
        if contains(&folded, b"$batch") {
            return Screened::Batch;
        }
        Screened::NotCheckout
    }
}

/// `bytes` with every escape decoded until none is left, then folded: ASCII
/// lower case, and NFKC first where the result is UTF-8 but not ASCII.
///
/// One pass, left to right, over an output buffer: whenever the output ends
/// with `%` and two hex digits, they are replaced by the byte they encode,
/// which may complete another escape before it (`%25` + `36` + `F`...). Each
/// replacement shortens the output, so the work is linear in the input.
pub(crate) fn fold(bytes: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    for &byte in bytes {
        out.push(byte);
        while let [.., b'%', high, low] = out[..] {
            let (Some(high), Some(low)) = (hex(high), hex(low)) else {
                break;
            };
            out.truncate(out.len() - 3);
            out.push(high << 4 | low);
        }
    }
    if !out.is_ascii() {
        if let Ok(text) = std::str::from_utf8(&out) {
            out = text.nfkc().collect::<String>().into_bytes();
        }
    }
    out.make_ascii_lowercase();
    out
}

fn hex(byte: u8) -> Option<u8> {
    char::from(byte)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
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
    fn folding_decodes_every_layer_and_every_case() {
        let cases: [(&[u8], &[u8]); 8] = [
            (b"/me/drive/root/checkout", b"/me/drive/root/checkout"),
            (b"/CHECK%6Fut", b"/checkout"),
            (b"/check%256Fut", b"/checkout"),
            (b"/check%25%36%46ut", b"/checkout"),
            (b"/check%25256Fut", b"/checkout"),
            (b"/%%36F%zz%4", b"/o%zz%4"),
            ("/ｃｈｅｃｋｏｕｔ".as_bytes(), b"/checkout"),
            (b"/%FF%C3", b"/\xff\xc3"),
        ];
        for (input, folded) in cases {
            assert_eq!(fold(input), folded, "{}", String::from_utf8_lossy(input));
        }
    }
}
