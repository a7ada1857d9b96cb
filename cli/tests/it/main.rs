//! Integration tests of the cunwu command line.
