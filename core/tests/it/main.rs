//! Integration tests of cunwu-core.
