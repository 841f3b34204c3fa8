//! Shared code of the fuzz targets: the properties they assert
//! ([`checks`], also replayed by `tests/fuzz_regressions.rs`), the
//! structured route generator ([`structured`]) and the comparison with the
//! independent reference ([`differential`]).

pub mod checks;
pub mod differential;
pub mod structured;

/// The independent reference implementation of DESIGN, from the parent
/// crate's tests.
#[path = "../../tests/reference/mod.rs"]
pub mod reference;
