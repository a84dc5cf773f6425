//! Rebuild when the embedded knowledge base or catalogue changes: `include_dir!` does not
//! tell cargo which files it read, so a new or edited `licenses/*.yaml` would otherwise leave
//! a stale knowledge base in the binary and the tests.

fn main() {
    println!("cargo:rerun-if-changed=licenses");
    println!("cargo:rerun-if-changed=catalogue");
}
