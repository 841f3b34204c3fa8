//! Parser options for the properties: the defaults, or now and then
//! others.

use crate::reference::Options;
use crate::tape::Tape;

/// Non-default options now and then: small limits, other versions and
/// hosts (some overlapping keywords, some empty), documented-only.
pub fn options(tape: &mut Tape, template: bool) -> Options {
    let mut o = Options {
        template,
        ..Options::default()
    };
    if !tape.chance(40) {
        return o;
    }
    o.documented_only = tape.chance(25);
    if tape.chance(15) {
        o.max_target_len = tape.below(300);
    }
    if tape.chance(25) {
        o.max_segments = tape.below(20);
    }
    if tape.chance(25) {
        o.max_key_len = tape.below(50);
    }
    if tape.chance(25) {
        o.max_path_chars = tape.below(25);
    }
    if tape.chance(25) {
        let lists: &[&[&str]] = &[
            &[],
            &["v1.0"],
            &["V2.0", "Beta"],
            &["me", "v1.0"],
            &["drive"],
            &["x_y-z~1", "BETA"],
            // Decision (h): the v1.0 graph for a configured `V1.0` too.
            &["V1.0", "beta"],
        ];
        o.versions = tape.pick(lists).iter().map(ToString::to_string).collect();
    }
    if tape.chance(25) {
        let lists: &[&[&str]] = &[
            &[],
            &["example.com"],
            &["GRAPH.MICROSOFT.COM", "localhost"],
            &["graph.microsoft.com:443"],
            &["a-b.example"],
        ];
        o.hosts = tape.pick(lists).iter().map(ToString::to_string).collect();
    }
    o
}
