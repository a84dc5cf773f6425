//! The parts of a Python file worth parsing. A byte-level lexer (strings, comments, brackets
//! and line continuations; `memchr` across string bodies and comments) finds the logical
//! lines that hold a candidate, and they are copied, without their indentation, into one
//! small module for tree-sitter: a decorator brings the definition it decorates, and a
//! compound statement's header gets a `pass` body. Every construct the scan reads (a call
//! and its arguments, a keyword, a default and its function, an assignment, a docstring) lies
//! within one logical line, so the parse of the parts names what the parse of the whole file
//! names, at a fraction of the cost on a file of thousands of lines.

use memchr::{memchr, memchr2, memchr3};

/// The module to parse and where each of its pieces came from.
pub(super) struct Regions {
    pub text: String,
    /// (offset in `text`, offset in the file) where each copied piece starts, in `text` order.
    map: Vec<(usize, usize)>,
}

impl Regions {
    /// The logical lines of `file` that hold any of the `wanted` offsets (sorted).
    pub fn around(file: &str, wanted: &[usize]) -> Regions {
        let lines = logical_lines(file.as_bytes(), wanted.last().copied().unwrap_or(0));
        let mut regions = Regions {
            text: String::new(),
            map: Vec::new(),
        };
        let mut next = 0; // the first line not yet copied
        let mut at = 0;
        for &offset in wanted {
            at = lines[at..]
                .iter()
                .position(|l| l.end >= offset)
                .map_or(lines.len(), |i| at + i);
            let Some(line) = lines.get(at) else { break };
            if at < next || offset < line.start {
                continue;
            }
            // A decorator's line brings the next ones up to the definition's header.
            let mut last = at;
            while lines[last].decorator && last + 1 < lines.len() {
                last += 1;
            }
            for l in &lines[at..=last] {
                regions.push(file, l);
            }
            next = last + 1;
        }
        regions
    }

    fn push(&mut self, file: &str, line: &Line) {
        let (code_end, end) = (line.code_end, line.end);
        self.copy(file, line.start, code_end);
        if line.header {
            self.text.push_str(" pass ");
        }
        if code_end < end {
            self.copy(file, code_end, end);
        }
        self.text.push('\n');
    }

    fn copy(&mut self, file: &str, from: usize, to: usize) {
        if let Some(piece) = file.get(from..to) {
            self.map.push((self.text.len(), from));
            self.text.push_str(piece);
        }
    }

    /// The file offset of an offset in `text`.
    pub fn original(&self, at: usize) -> usize {
        let i = self.map.partition_point(|&(start, _)| start <= at);
        match i.checked_sub(1).and_then(|i| self.map.get(i)) {
            Some(&(start, from)) => from + (at - start),
            None => at,
        }
    }
}

/// One logical line: `start` at its first non-blank byte, `code_end` where its trailing
/// comment starts (or `end`), `end` at its newline.
struct Line {
    start: usize,
    code_end: usize,
    end: usize,
    /// Ends in `:` (a compound statement's header, whose body is on the next lines).
    header: bool,
    /// Starts with `@`.
    decorator: bool,
}

/// The logical lines of a text up to the one holding `until` (and the definition it
/// decorates).
fn logical_lines(text: &[u8], until: usize) -> Vec<Line> {
    let mut lines = Vec::new();
    let (mut start, mut depth, mut comment) = (0, 0usize, None);
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'\n' if depth == 0 => {
                let line = line(text, start, comment, i);
                let decorator = line.decorator;
                lines.push(line);
                if i >= until && !decorator {
                    return lines;
                }
                (start, comment) = (i + 1, None);
                i += 1;
            }
            b'#' => {
                comment.get_or_insert(i);
                i = memchr(b'\n', &text[i..]).map_or(text.len(), |n| i + n);
            }
            quote @ (b'"' | b'\'') => i = string_end(text, i, quote),
            // A line continuation (or an escape outside a string, which is an error anyway).
            b'\\' if text.get(i + 1) == Some(&b'\r') => i += 3,
            b'\\' => i += 2,
            b'(' | b'[' | b'{' => {
                depth += 1;
                i += 1;
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    if start < text.len() {
        lines.push(line(text, start, comment, text.len()));
    }
    lines
}

fn line(text: &[u8], start: usize, comment: Option<usize>, end: usize) -> Line {
    let blank = |b: &u8| b.is_ascii_whitespace();
    let start = text[start..end]
        .iter()
        .position(|b| !blank(b))
        .map_or(end, |n| start + n);
    let code_end = comment.filter(|&c| c >= start).unwrap_or(end);
    let last = text[start..code_end].iter().rposition(|b| !blank(b));
    Line {
        start,
        code_end,
        end,
        header: last.is_some_and(|n| text[start + n] == b':'),
        decorator: text.get(start) == Some(&b'@'),
    }
}

/// The offset after the string that opens at `at` with `quote`. A one-line string ends at
/// its line's end if unclosed (the newline is left to the caller).
fn string_end(text: &[u8], at: usize, quote: u8) -> usize {
    let triple = text.get(at + 1) == Some(&quote) && text.get(at + 2) == Some(&quote);
    let mut i = if triple { at + 3 } else { at + 1 };
    loop {
        let rest = text.get(i..).unwrap_or_default();
        let found = if triple {
            memchr2(quote, b'\\', rest)
        } else {
            memchr3(quote, b'\\', b'\n', rest)
        };
        let Some(n) = found else {
            return text.len();
        };
        i += n;
        match text[i] {
            b'\\' => i += 2,
            b'\n' => return i,
            _ if !triple => return i + 1,
            _ if text.get(i + 1) == Some(&quote) && text.get(i + 2) == Some(&quote) => {
                return i + 3
            }
            _ => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(file: &str, needles: &[&str]) -> String {
        let mut wanted: Vec<usize> = needles.iter().filter_map(|n| file.find(n)).collect();
        wanted.sort_unstable();
        Regions::around(file, &wanted).text
    }

    #[test]
    fn a_candidate_brings_its_logical_line_without_indentation() {
        let file = "import x\n\ndef f():\n    m = A.from_pretrained(\n        \"a/b\",  # c\n    )\n    return m\n";
        assert_eq!(
            parts(file, &["a/b"]),
            "m = A.from_pretrained(\n        \"a/b\",  # c\n    )\n"
        );
    }

    #[test]
    fn strings_and_comments_hide_brackets_and_newlines() {
        let file = "s = \"\"\"(\nx = 'a/b'\n\"\"\"\nt = '(' # (\nu = \"a/c\"\n";
        // The first candidate is inside the docstring: the whole assignment comes.
        assert_eq!(
            parts(file, &["a/b", "a/c"]),
            "s = \"\"\"(\nx = 'a/b'\n\"\"\"\nu = \"a/c\"\n"
        );
    }

    #[test]
    fn a_header_gets_a_body_and_a_decorator_its_definition() {
        let file = "class A:\n    @doc(checkpoint=\"a/b\")\n    def f(self, m=\"a/c\"):  # why\n        pass\n";
        assert_eq!(
            parts(file, &["a/b"]),
            "@doc(checkpoint=\"a/b\")\ndef f(self, m=\"a/c\"):   pass # why\n"
        );
        let regions = Regions::around(file, &[file.find("a/c").unwrap_or(0)]);
        let at = regions.text.find("a/c").unwrap_or(0);
        assert_eq!(regions.original(at), file.find("a/c").unwrap_or(0));
    }

    #[test]
    fn unclosed_strings_and_brackets_end_safely() {
        for file in [
            "x = 'a/b\ny = 1\n",
            "f(\"a/b\"",
            "s = '''a/b",
            "x = \\",
            "\\",
        ] {
            let text = parts(file, &["a/b", "x", "\\"]);
            assert!(text.len() <= file.len() + 8, "{file:?} gave {text:?}");
        }
    }
}
