//! HTML text: one escaping function for every piece of text and every attribute value
//! that comes from the scanned tree (a card is untrusted input), and the few element
//! helpers the report is written with.

use std::fmt::Write as _;

/// Escape text for an HTML element or a double- or single-quoted attribute value.
/// Characters that reorder or hide text (bidirectional overrides and isolates, zero-width
/// characters, the byte order mark) and control characters are shown as `[U+202E]`, so a
/// card cannot make the page say something it does not.
pub(super) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' => out.push(c),
            c if hidden(c) => {
                let _ = write!(out, "[U+{:04X}]", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// Control characters, and format characters that change how text around them is shown.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}')
}

/// `<code>text</code>`, escaped.
pub(super) fn code(text: &str) -> String {
    format!("<code>{}</code>", esc(text))
}

/// A table: a header row and rows of cells that are already HTML.
pub(super) fn table(class: &str, head: &[&str], rows: &[Vec<String>], out: &mut String) {
    let _ = write!(out, "<table class=\"{class}\"><thead><tr>");
    for h in head {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(h));
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{cell}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_quotes_are_escaped() {
        assert_eq!(
            esc("<script>alert(\"x\")</script> & 'y' </table>"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39; &lt;/table&gt;"
        );
    }

    #[test]
    fn reordering_and_invisible_characters_are_shown() {
        assert_eq!(
            esc("a\u{202E}gpj.exe\u{200B}\u{2066}b\u{0007}"),
            "a[U+202E]gpj.exe[U+200B][U+2066]b[U+0007]"
        );
        // Letters of right-to-left scripts are text, not tricks.
        assert_eq!(esc("مرحبا שלום"), "مرحبا שלום");
    }
}
