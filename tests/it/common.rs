//! What the integration tests share: the binary, run away from the machine's Hugging Face
//! cache and colour settings, and scratch files.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

/// The built binary, with no colour, no Hugging Face cache and no fixed build date: the
/// machine it runs on must never change an outcome.
pub fn weightlint() -> Command {
    let mut cmd = Command::cargo_bin("weightlint").expect("binary built");
    cmd.env("NO_COLOR", "1")
        .env("HF_HUB_CACHE", "/nonexistent")
        .env_remove("HF_HOME")
        .env_remove("SOURCE_DATE_EPOCH");
    cmd
}

/// Write a file below `root`, creating its directories.
pub fn write(root: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    fs::write(p, bytes).expect("write");
}
