//! Splitting a card into YAML front matter and body. Tolerates a BOM, CRLF line ends and
//! trailing spaces on fences; an unclosed or empty block is reported, never guessed at.

/// The result of looking for a `---` block at the top of a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FrontMatter<'a> {
    /// The text does not start with a `---` fence.
    Absent,
    /// An opening fence with no closing `---` (or `...`): `rest` is the text after the
    /// fence, starting on line `first_line`.
    Unclosed { rest: &'a str, first_line: usize },
    /// A block with nothing but blank lines or comments in it, opening on the line before
    /// `first_line` and closing on `close_line`.
    Empty {
        first_line: usize,
        close_line: usize,
    },
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
/// Whitespace and blank lines may come before the opening fence: the Hub's own client
/// (`huggingface_hub`'s `REGEX_YAML_BLOCK`, `^(\s*---[\r\n]+)…`) reads such a README as a
/// card.
pub fn split(text: &str) -> FrontMatter<'_> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let body = text.trim_start();
    // Lines before the fence's line.
    let skipped = text[..text.len() - body.len()].matches('\n').count();
    let text = body;
    let mut lines = text.split_inclusive('\n');
    let Some(first) = lines.next() else {
        return FrontMatter::Absent;
    };
    if !is_fence(first, &["---"]) {
        return FrontMatter::Absent;
    }
    let start = first.len();
    let first_line = skipped + 2;
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
            let close_line = first_line + i;
            let meaningful = yaml.lines().any(|l| {
                let t = l.trim();
                !t.is_empty() && !t.starts_with('#')
            });
            return if meaningful {
                FrontMatter::Block {
                    yaml,
                    first_line,
                    body_line: close_line + 1,
                }
            } else {
                FrontMatter::Empty {
                    first_line,
                    close_line,
                }
            };
        }
        offset += line.len();
    }
    FrontMatter::Unclosed {
        rest: &text[start..],
        first_line,
    }
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
        assert_eq!(
            split("---\nlicense: mit\n"),
            FrontMatter::Unclosed {
                rest: "license: mit\n",
                first_line: 2
            }
        );
        assert_eq!(
            split("---\n---\n"),
            FrontMatter::Empty {
                first_line: 2,
                close_line: 2
            }
        );
        assert_eq!(
            split("---\n---\n# Title\n"),
            FrontMatter::Empty {
                first_line: 2,
                close_line: 2
            }
        );
        assert_eq!(
            split("---\n# only a comment\n\n---\n"),
            FrontMatter::Empty {
                first_line: 2,
                close_line: 4
            }
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
    fn whitespace_and_blank_lines_may_come_before_the_fence() {
        assert_eq!(
            split("\n\n  \n---\nlicense: mit\n---\n# Title\n"),
            FrontMatter::Block {
                yaml: "license: mit\n",
                first_line: 5,
                body_line: 7
            }
        );
        assert_eq!(
            split("\u{feff}\r\n \t---\r\nlicense: mit\r\n---\r\n"),
            FrontMatter::Block {
                yaml: "license: mit\r\n",
                first_line: 3,
                body_line: 5
            }
        );
        assert_eq!(
            split("\n---\n---\n"),
            FrontMatter::Empty {
                first_line: 3,
                close_line: 3
            }
        );
        assert_eq!(
            split("\n\n---\nlicense: mit\n"),
            FrontMatter::Unclosed {
                rest: "license: mit\n",
                first_line: 4
            }
        );
        assert_eq!(split("\n# README\n---\n"), FrontMatter::Absent);
        assert_eq!(split(" \n\n"), FrontMatter::Absent);
    }
}
