//! Splitting a card into YAML front matter and body. Tolerates a BOM, CRLF line ends and
//! trailing spaces on fences; an unclosed or empty block is reported, never guessed at.

/// The result of looking for a `---` block at the top of a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FrontMatter<'a> {
    /// The text does not start with a `---` fence.
    Absent,
    /// An opening fence with no closing `---` (or `...`).
    Unclosed,
    /// A block with nothing but blank lines or comments in it; `line` is the closing fence.
    Empty { close_line: usize },
    /// The YAML between the fences. `first_line` is the 1-based line of its first line in
    /// the file; `body_line` the first line after the closing fence.
    Block {
        yaml: &'a str,
        first_line: usize,
        body_line: usize,
    },
}

fn is_fence(line: &str, marks: &[&str]) -> bool {
    let trimmed = line.trim_end_matches(['\r', '\n', ' ', '\t']);
    marks.contains(&trimmed)
}

/// Find the front matter of `text` (any BOM must already be removed or is skipped here).
pub fn split(text: &str) -> FrontMatter<'_> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let Some(first) = lines.next() else {
        return FrontMatter::Absent;
    };
    if !is_fence(first, &["---"]) {
        return FrontMatter::Absent;
    }
    let start = first.len();
    let mut offset = start;
    for (i, line) in lines.enumerate() {
        // `---` twice at the top: the Hub reads the second as a YAML document start and the
        // block runs on to the next fence, so do the same.
        if i == 0 && is_fence(line, &["---"]) && text[start + line.len()..].contains("\n---") {
            offset += line.len();
            continue;
        }
        if is_fence(line, &["---", "..."]) {
            let yaml = &text[start..offset];
            let close_line = i + 2;
            let meaningful = yaml.lines().any(|l| {
                let t = l.trim();
                !t.is_empty() && !t.starts_with('#')
            });
            return if meaningful {
                FrontMatter::Block {
                    yaml,
                    first_line: 2,
                    body_line: close_line + 1,
                }
            } else {
                FrontMatter::Empty { close_line }
            };
        }
        offset += line.len();
    }
    FrontMatter::Unclosed
}

/// The 1-based line (within the YAML block) of each top-level key, first occurrence.
/// Top-level keys are the lines that start in column 1 with a key followed by `:`.
pub fn top_level_key_lines(yaml: &str) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for (i, line) in yaml.lines().enumerate() {
        let Some(first) = line.chars().next() else {
            continue;
        };
        if first.is_whitespace() || matches!(first, '#' | '-' | '[' | '{' | '}' | ']') {
            continue;
        }
        let Some(colon) = find_key_colon(line) else {
            continue;
        };
        let key = line[..colon].trim().trim_matches(['"', '\'']).to_string();
        if !out.iter().any(|(k, _)| *k == key) {
            out.push((key, i + 1));
        }
    }
    out
}

/// The colon that ends a plain or quoted key: followed by a space or the line end.
fn find_key_colon(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if (b == b'"' || b == b'\'') && i == 0 => quote = Some(b),
            None if b == b':' => {
                let next = bytes.get(i + 1);
                if next.is_none() || matches!(next, Some(b' ' | b'\t' | b'\r')) {
                    return Some(i);
                }
            }
            None => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_plain_block() {
        let fm = split("---\nlicense: mit\n---\n# Title\n");
        assert_eq!(
            fm,
            FrontMatter::Block {
                yaml: "license: mit\n",
                first_line: 2,
                body_line: 4
            }
        );
    }

    #[test]
    fn tolerates_bom_crlf_and_trailing_spaces() {
        let fm = split("\u{feff}--- \r\nlicense: mit\r\n---\r\nbody");
        assert!(
            matches!(
                fm,
                FrontMatter::Block {
                    yaml: "license: mit\r\n",
                    ..
                }
            ),
            "{fm:?}"
        );
    }

    #[test]
    fn unclosed_empty_and_absent() {
        assert_eq!(split("---\nlicense: mit\n"), FrontMatter::Unclosed);
        assert_eq!(split("---\n---\n"), FrontMatter::Empty { close_line: 2 });
        assert_eq!(
            split("---\n---\n# Title\n"),
            FrontMatter::Empty { close_line: 2 }
        );
        assert_eq!(
            split("---\n# only a comment\n\n---\n"),
            FrontMatter::Empty { close_line: 4 }
        );
        assert_eq!(split("# README\n---\n"), FrontMatter::Absent);
        assert_eq!(split(""), FrontMatter::Absent);
        assert_eq!(split("----\nx: 1\n----\n"), FrontMatter::Absent);
    }

    #[test]
    fn a_doubled_opening_fence_is_read_as_the_hub_reads_it() {
        let fm = split("---\n---\nlicense: mit\n---\nbody\n");
        assert_eq!(
            fm,
            FrontMatter::Block {
                yaml: "---\nlicense: mit\n",
                first_line: 2,
                body_line: 5
            }
        );
    }

    #[test]
    fn dots_close_a_block() {
        assert!(matches!(
            split("---\na: 1\n...\n"),
            FrontMatter::Block { .. }
        ));
    }

    #[test]
    fn key_lines() {
        let yaml = "# comment\nlicense: mit\ntags:\n- a\n\"quoted key\": 1\nurl: http://x\nlicense: again\n";
        let keys = top_level_key_lines(yaml);
        assert_eq!(
            keys,
            vec![
                ("license".to_string(), 2),
                ("tags".to_string(), 3),
                ("quoted key".to_string(), 5),
                ("url".to_string(), 6),
            ]
        );
    }
}
