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
