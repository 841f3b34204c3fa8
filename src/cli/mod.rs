//! The CLI's parts beside its argument handling in `main.rs`, in the order
//! a line goes through them: read (`lines`), its request taken out by its
//! format (`combined`, `json_log`, errors in `log_format`), classified
//! (`outcome`), written or counted (`output`, `summary`), on one thread or
//! several (`run`), with a progress line (`progress`).

pub(crate) mod combined;
pub(crate) mod json_log;
pub(crate) mod lines;
pub(crate) mod log_format;
pub(crate) mod outcome;
pub(crate) mod output;
pub(crate) mod progress;
pub(crate) mod run;
pub(crate) mod summary;
