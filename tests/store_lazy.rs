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
