//! The one CSV writer: `accord score --to csv`, the inbox's export and the
//! console's export of calls all write their rows through it.
//!
//! Rows follow RFC 4180: cells holding a comma, a quote or a line break are
//! quoted with quotes doubled, and each row ends with CRLF. The files are
//! opened in spreadsheets, and a lead's answers are untrusted, so a cell a
//! spreadsheet would run as a formula (one starting with `=`, `+`, `-`, `@`,
//! a tab or a carriage return) is written with a leading `'`, which shows
//! the text as typed instead of evaluating it (the OWASP advice against CSV
//! injection). Plain numbers such as `-15` are left as they are: they are
//! not formulas, and a negative score must stay a number.

/// Appends one row of `cells` to `out`, ending it with CRLF.
pub fn push_csv_row<I, S>(out: &mut String, cells: I)
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_cell(out, cell.as_ref());
    }
    out.push_str("\r\n");
}

fn push_cell(out: &mut String, cell: &str) {
    let guard = starts_like_a_formula(cell);
    if guard || cell.contains([',', '"', '\n', '\r']) {
        out.push('"');
        if guard {
            out.push('\'');
        }
        out.push_str(&cell.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(cell);
    }
}

/// Whether a spreadsheet would read `cell` as a formula (or, for a leading
/// tab or carriage return, strip them and then maybe do so).
fn starts_like_a_formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_plain_number(cell)
}

/// `-15`, `+3`, `-0.5`: a sign, digits and at most one decimal point.
fn is_plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next();
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> String {
        let mut out = String::new();
        push_csv_row(&mut out, cells);
        out
    }

    #[test]
    fn plain_cells_are_written_as_they_are() {
        assert_eq!(
            row(&["a", "b c", "", "42", "-15", "+3", "-0.5"]),
            "a,b c,,42,-15,+3,-0.5\r\n"
        );
    }

    #[test]
    fn commas_quotes_and_line_breaks_are_quoted() {
        assert_eq!(
            row(&["a,b", "say \"hi\"", "two\nlines", "cr\rx"]),
            "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rx\"\r\n"
        );
    }

    #[test]
    fn formulas_are_neutralised() {
        for formula in [
            "=1+1",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "=HYPERLINK(\"http://x\",\"y\")",
            "-",
            "+",
            "-1.",
            "--1",
        ] {
            let written = row(&[formula]);
            let inner = formula.replace('"', "\"\"");
            assert_eq!(written, format!("\"'{inner}\"\r\n"), "{formula:?}");
        }
    }

    #[test]
    fn only_whole_plain_numbers_escape_the_guard() {
        for number in ["-15", "+3", "-0.25", "0", "-007"] {
            assert!(is_plain_number(number), "{number}");
        }
        for text in ["-", "-.5", "-1.", "-1e3", "-1-1", "- 1", "", "1.2.3"] {
            assert!(!is_plain_number(text), "{text}");
        }
    }
}
