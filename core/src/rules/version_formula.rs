// Shared by `rules/mod.rs` and `core/build.rs` (by `include!`): only `sha2` may be used here.

/// The version of a rule set: SHA-256 over path, NUL, text, NUL of each file in the order given
/// (callers sort by path); the first 8 bytes in hex, as `rules+<hex>`.
fn version_of<'a>(files: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for (path, text) in files {
        hasher.update(path.as_bytes());
        hasher.update([0]);
        hasher.update(text.as_bytes());
        hasher.update([0]);
    }
    let hex: String = hasher.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("rules+{hex}")
}
