//! A text the knowledge-base phrases decide is identified without loading the standard
//! license similarity store (its own test binary, so no other test loads it first).

use weightlint::license::identify;

#[test]
fn phrases_decide_without_the_similarity_store() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/WL103-ok-matching/LICENSE");
    let text = std::fs::read_to_string(path).expect("fixture readable");
    let found = identify::identify(&text).expect("identified");
    assert_eq!(found.key.as_deref(), Some("llama-3.1"));
    assert!(
        !identify::store_loaded(),
        "the similarity store was loaded for a phrase-decided text"
    );
}

#[test]
fn a_common_standard_license_is_identified_without_the_similarity_store() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let text = std::fs::read_to_string(dir.join("WL500-readme-own-model-open-source/LICENSE"))
        .expect("fixture readable");
    let found = identify::identify(&text).expect("identified");
    assert_eq!(found.id, "MIT");
    assert!(
        !identify::store_loaded(),
        "the similarity store was loaded for a common license text"
    );
}

/// The SPDX text of a license, as the spdx crate carries it.
fn spdx_text(id: &str) -> &'static str {
    spdx::text::LICENSE_TEXTS
        .iter()
        .find(|(i, _)| *i == id)
        .map(|(_, t)| *t)
        .expect("an SPDX text")
}

#[test]
fn a_common_license_under_a_title_and_beside_others_needs_no_store() {
    // A vendored library's LICENSE: its name and copyright above the BSD text.
    let titled = format!(
        "xyzHash Library\nCopyright (c) 2012-2021 A. Author\nAll rights reserved.\n\nBSD 2-Clause License (https://www.opensource.org/licenses/bsd-license.php)\n\n{}",
        spdx_text("BSD-2-Clause")
    );
    let found = identify::identify(&titled).expect("identified");
    assert_eq!(
        (found.id.as_str(), found.fit),
        ("BSD-2-Clause", identify::Fit::Exact)
    );
    // Apache-2.0 with an MIT-licensed component's notice appended.
    let appended = format!(
        "{}\n\nThird-party component:\n\n{}",
        spdx_text("Apache-2.0"),
        spdx_text("MIT")
    );
    let found = identify::identify(&appended).expect("identified");
    assert_eq!(found.id, "Apache-2.0");
    assert_eq!(found.also, ["MIT"]);
    // A header template that sends the reader to the LICENSE file.
    let pointer = "Copyright (c) Example, Inc.\nAll rights reserved.\n\nThis source code is licensed under the terms described in the LICENSE file in\nthe root directory of this source tree.\n";
    let found = identify::identify(pointer).expect("identified");
    assert_eq!(found.method, identify::Method::Pointer);
    assert!(
        !identify::store_loaded(),
        "the similarity store was loaded for texts the phrases point at"
    );
}
