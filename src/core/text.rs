//! Text helpers shared by every layer: the one normaliser (with a map back to original
//! offsets), the number formatter of messages, and truncation for quoted lines.

/// Text normalised for matching, with a map back to the original byte offsets. Runs of
/// characters outside the kept class become one space; there is no leading or trailing
/// space.
pub struct Normalised {
    pub text: String,
    /// For every byte of `text`, the byte offset in the original it came from.
    origin: Vec<u32>,
}

impl Normalised {
    /// For phrase matching: lower case, letters, digits and `+` (as in `GPL-2.0+`) kept.
    pub fn new(original: &str) -> Self {
        Self::build(original, |c| c.is_alphanumeric() || c == '+', true)
    }

    /// Words only: lower case, letters and digits kept (display strings, name prefixes).
    pub fn words(original: &str) -> Self {
        Self::build(original, char::is_alphanumeric, true)
    }

    /// Whitespace runs collapsed to one space; case and punctuation kept (term patterns).
    pub fn whitespace(original: &str) -> Self {
        Self::build(original, |c| !c.is_whitespace(), false)
    }

    fn build(original: &str, keep: impl Fn(char) -> bool, lower: bool) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len());
        let mut gap = false;
        for (offset, c) in original.char_indices() {
            if !keep(c) {
                gap = true;
                continue;
            }
            if gap && !text.is_empty() {
                text.push(' ');
                origin.push(offset as u32);
            }
            gap = false;
            let before = text.len();
            if lower {
                text.extend(c.to_lowercase());
            } else {
                text.push(c);
            }
            origin.extend(std::iter::repeat_n(offset as u32, text.len() - before));
        }
        Normalised { text, origin }
    }

    /// The original byte offset of a normalised offset.
    pub fn original_offset(&self, at: usize) -> usize {
        self.origin.get(at).copied().unwrap_or(0) as usize
    }

    pub fn word_count(&self) -> usize {
        if self.text.is_empty() {
            0
        } else {
            self.text.bytes().filter(|&b| b == b' ').count() + 1
        }
    }
}

/// Normalise a phrase the way [`Normalised::new`] normalises texts.
pub fn normalise(phrase: &str) -> String {
    Normalised::new(phrase).text
}

/// A count as messages print it: `700M`, `1.5B`, `100k`; exact digits when a short form
/// would round.
pub fn fmt_count(n: u64) -> String {
    for (unit, suffix) in [(1_000_000_000, "B"), (1_000_000, "M"), (1_000, "k")] {
        if n >= unit {
            let whole = n / unit;
            let tenth = (n % unit) * 10 / unit;
            return match (tenth, n % (unit / 10)) {
                (0, 0) if n.is_multiple_of(unit) => format!("{whole}{suffix}"),
                (t, 0) => format!("{whole}.{t}{suffix}"),
                _ => n.to_string(),
            };
        }
    }
    n.to_string()
}

/// At most `max` characters: a longer text keeps `max - 3` and ends in `…`.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(3)).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_markdown_and_wrapping() {
        let n = Normalised::new("# **LLAMA 3.1 COMMUNITY\n  LICENSE** — Agreement");
        assert_eq!(n.text, "llama 3 1 community license agreement");
        assert_eq!(n.word_count(), 6);
        assert_eq!(&"# **LLAMA"[n.original_offset(0)..], "LLAMA");
        assert_eq!(normalise("GPL-2.0+"), "gpl 2 0+");
    }

    #[test]
    fn words_drop_punctuation() {
        assert_eq!(
            Normalised::words("Built  with\nLLAMA!").text,
            "built with llama"
        );
        assert_eq!(
            Normalised::words("Llama-3.1 Instruct").text,
            "llama 3 1 instruct"
        );
        assert_eq!(Normalised::words("GPL-2.0+").text, "gpl 2 0");
    }

    #[test]
    fn whitespace_keeps_case_and_maps_back() {
        let s = Normalised::whitespace("  A\n\n  b-C ");
        assert_eq!(s.text, "A b-C");
        assert_eq!(s.original_offset(2), 7);
    }

    #[test]
    fn short_figures() {
        assert_eq!(fmt_count(700_000_000), "700M");
        assert_eq!(fmt_count(1_000_000), "1M");
        assert_eq!(fmt_count(1_500_000_000), "1.5B");
        assert_eq!(fmt_count(100_000), "100k");
        assert_eq!(fmt_count(999), "999");
        assert_eq!(fmt_count(1_234_567), "1234567");
    }

    #[test]
    fn clips_long_lines() {
        assert_eq!(clip("short", 10), "short");
        assert_eq!(clip("abcdefghijk", 10), "abcdefg…");
    }
}
