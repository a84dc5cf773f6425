//! Property tests: the expression mapping never panics on any input, and what it produces
//! reads back the same (the card and front-matter properties are in `inventory::card`).

use proptest::prelude::*;

use weightlint::license::expr;

/// Ids and operators that license expressions are made of, in any order.
fn expression() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        Just("MIT".to_string()),
        Just("Apache-2.0".to_string()),
        Just("apache-2.0".to_string()),
        Just("llama3.1".to_string()),
        Just("GPL-3.0".to_string()),
        Just("GPL-2.0+".to_string()),
        Just("cc-by-nc-4.0".to_string()),
        Just("LicenseRef-acme".to_string()),
        Just("other".to_string()),
        Just("openrail".to_string()),
        "[A-Za-z0-9.+-]{1,12}",
    ];
    prop::collection::vec(
        (
            atom,
            prop_oneof![
                Just(" AND "),
                Just(" OR "),
                Just(" WITH "),
                Just(" / "),
                Just("(")
            ],
        ),
        1..5,
    )
    .prop_map(|parts| {
        parts
            .into_iter()
            .map(|(a, op)| format!("{a}{op}"))
            .collect::<String>()
    })
}

/// Well-formed expressions of ids weightlint knows.
fn known_expression() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        Just("MIT"),
        Just("Apache-2.0"),
        Just("BSD-3-Clause"),
        Just("CC-BY-4.0"),
        Just("CC-BY-NC-4.0"),
        Just("GPL-3.0-only"),
        Just("LicenseRef-scancode-llama-3.1-license-2024"),
    ];
    prop::collection::vec((atom, prop_oneof![Just(" AND "), Just(" OR ")]), 1..5).prop_map(
        |parts| {
            let n = parts.len();
            parts
                .into_iter()
                .enumerate()
                .map(|(i, (a, op))| {
                    if i + 1 < n {
                        format!("{a}{op}")
                    } else {
                        a.to_string()
                    }
                })
                .collect::<String>()
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn expressions_never_panic(s in "\\PC{0,80}") {
        let _ = expr::resolve_str(&s);
    }

    #[test]
    fn expression_shaped_text_never_panics(s in expression()) {
        let _ = expr::resolve_str(&s);
    }

    /// What an expression resolves to, written back as `A AND B`, resolves to the same
    /// licenses.
    #[test]
    fn resolved_expressions_round_trip(s in known_expression()) {
        let first = expr::resolve_str(&s);
        prop_assert!(!first.licenses.is_empty(), "{s}");
        prop_assert!(first.problems.is_empty(), "{s}: {:?}", first.problems);
        let written: Vec<&str> = first.licenses.iter().map(|n| n.id.as_str()).collect();
        let again = expr::resolve_str(&written.join(" AND "));
        let mut a: Vec<&str> = first.licenses.iter().map(|n| n.id.as_str()).collect();
        let mut b: Vec<&str> = again.licenses.iter().map(|n| n.id.as_str()).collect();
        a.sort_unstable();
        a.dedup();
        b.sort_unstable();
        b.dedup();
        prop_assert_eq!(a, b);
    }
}
