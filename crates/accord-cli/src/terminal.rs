//! Text for a person's terminal: everything a rulebook, a record or a lead
//! file says is untrusted, and an id with ANSI escapes printed raw can
//! recolour, hide or rewrite what the terminal shows. Control characters
//! (other than the line breaks this tool writes itself) are shown escaped,
//! as `\u{1b}`. JSON output needs none of this: serde escapes them.

use std::borrow::Cow;
use std::io::{self, Write};

/// `text` with every control character but `\n` written as `\u{..}`.
pub fn escaped(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` on one line: [`escaped`], and line breaks escaped too. For a
/// value inside a line of output (a label, an id), which must not start a
/// line of its own that looks like the tool's.
pub fn one_line(text: &str) -> String {
    escaped(text).replace('\n', "\\n")
}

fn is_unsafe(c: char) -> bool {
    c.is_control() && c != '\n'
}

/// A writer for human-readable output that escapes what it is given.
pub struct Terminal<W: Write>(pub W);

impl<W: Write> Write for Terminal<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.0.write_all(escaped(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_escaped_and_line_breaks_kept() {
        assert_eq!(escaped("plain id\n"), "plain id\n");
        assert!(matches!(escaped("plain"), Cow::Borrowed(_)));
        assert_eq!(escaped("x\u{1b}[31mred\u{7}"), "x\\u{1b}[31mred\\u{7}");
        assert_eq!(escaped("a\rb\tc\u{9b}d"), "a\\u{d}b\\u{9}c\\u{9b}d");
        let mut out = Terminal(Vec::new());
        let id = "\u{1b}]0;owned\u{7}";
        writeln!(out, "id {id}").unwrap();
        assert_eq!(
            String::from_utf8(out.0).unwrap(),
            "id \\u{1b}]0;owned\\u{7}\n"
        );
    }
}
