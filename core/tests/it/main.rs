//! Integration tests of cunwu-core: one binary, data-driven where the domain is data.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod compiled;
mod compliance;
mod conformance;
mod due;
mod generated;
mod host_log;
mod hostile;
mod lint;
mod no_silent_pass;
mod objection;
mod privacy;
mod procedure;
mod properties;
mod resolve;

use std::path::PathBuf;

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}
