//! Shared code of the fuzz targets: the properties they assert
//! ([`checks`], also replayed by `tests/fuzz_regressions.rs`), the
//! structured route generator ([`structured`]), the comparison with the
//! independent reference ([`differential`]) and the model of the stores
//! behind Graph ([`readers`]).

pub mod checks;
pub mod differential;
pub mod structured;

/// The independent reference implementation of DESIGN, from the parent
/// crate's tests.
#[path = "../../tests/reference/mod.rs"]
pub mod reference;

/// The model of the stores behind Graph, from the parent crate's tests.
#[path = "../../tests/backends/readers.rs"]
pub mod readers;
