//! The integration tests, as one binary: one link instead of ten, which is most of a cold
//! `cargo test`. `store_lazy` stays a binary of its own because it asserts on
//! process-wide state (the similarity store must not be loaded).

mod common;

mod architecture;
mod bom;
mod classify;
mod cli;
mod config;
mod fixtures;
mod hostile;
mod lock;
mod presets;
mod props;
mod report;
mod sarif;
