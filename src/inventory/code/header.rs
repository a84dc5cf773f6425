//! A source file's header that puts the file under a model license: "This software may be
//! used and distributed according to the terms of the Llama 2 Community License
//! Agreement" (Meta's header on Llama code, copied into many repositories).

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use crate::license::kb::kb;

/// Header lines read.
const HEADER_LINES: usize = 30;

/// What puts a file under a license, in lower case.
const UNDER: &[&str] = &["according to the terms of the ", "licensed under the "];

/// The 1-based line and knowledge-base key of a license a header names that is not
/// OSI-approved (a permissive header is the ordinary case and says nothing here).
pub fn model_license(text: &str) -> Option<(usize, String)> {
    static UNDER_AC: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    let header = memchr::memchr_iter(b'\n', text.as_bytes())
        .nth(HEADER_LINES - 1)
        .map_or(text, |end| &text[..end]);
    let under = UNDER_AC
        .get_or_init(|| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(UNDER)
                .ok()
        })
        .as_ref()?;
    for m in under.find_iter(header) {
        let rest = &header[m.end()..];
        let rest = &rest[..memchr::memchr(b'\n', rest.as_bytes()).unwrap_or(rest.len())];
        if let Some(key) = named(rest) {
            let line = memchr::memchr_iter(b'\n', &header.as_bytes()[..m.start()]).count();
            return Some((line + 1, key));
        }
    }
    None
}

/// The key of the non-OSI license the words after "licensed under the" name, remembered
/// per wording: thousands of files carry the same header.
fn named(rest: &str) -> Option<String> {
    thread_local! {
        static SEEN: RefCell<HashMap<String, Option<String>>> = RefCell::new(HashMap::new());
    }
    if let Some(known) = SEEN.with(|seen| seen.borrow().get(rest).cloned()) {
        return known;
    }
    let words: Vec<&str> = rest
        .split_whitespace()
        .map(|w| w.trim_end_matches(['.', ',', ';', ':']))
        .take(8)
        .collect();
    let mut found = None;
    for k in (1..=words.len()).rev() {
        let Some(entry) = kb().name(&words[..k].join(" ")) else {
            continue;
        };
        if !(entry.osi_approved || entry.ambiguous) {
            found = Some(entry.key.clone());
        }
        break;
    }
    SEEN.with(|seen| seen.borrow_mut().insert(rest.to_string(), found.clone()));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_s_header_names_the_llama_license() {
        let text = "# Taken from llama code and lightly modified\n# Copyright (c) Meta Platforms, Inc. and affiliates.\n# This software may be used and distributed according to the terms of the Llama 2 Community License Agreement.\n\nimport os\n";
        assert_eq!(model_license(text), Some((3, "llama-2".to_string())));
        assert_eq!(
            model_license("# Licensed under the Apache License, Version 2.0 (the \"License\");\n"),
            None
        );
        assert_eq!(model_license("x = 1\n"), None);
    }
}
