//! The CLI's parts beside its argument handling in `main.rs`.

pub(crate) mod lines;
