//! Shared code of the fuzz targets: the properties they assert
//! ([`checks`], also replayed by `tests/fuzz_regressions.rs`) and the
//! structured route generator ([`structured`]).

pub mod checks;
pub mod structured;
