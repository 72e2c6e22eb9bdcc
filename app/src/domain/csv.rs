//! CSV for spreadsheets (RFC 4180, CRLF line ends), safe to open: a text cell that a
//! spreadsheet would run as a formula gets a leading apostrophe.

/// A plain decimal number ("-6.00", "+3", "12"), which no spreadsheet runs as a formula.
fn is_plain_number(value: &str) -> bool {
    let digits = value.strip_prefix(['-', '+']).unwrap_or(value);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// One field: formulas defused (cells starting with `=`, `+`, `-`, `@`, a tab or a carriage
/// return, unless they are a plain number), then quoted when it holds a comma, quote or line end.
pub fn field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_plain_number(value) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// One record, ending in CRLF.
pub fn record<S: AsRef<str>>(fields: &[S]) -> String {
    let mut line = fields.iter().map(|f| field(f.as_ref())).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("A-1"), "A-1");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("+SUM(A1)"), "'+SUM(A1)");
        assert_eq!(field("@cmd"), "'@cmd");
        assert_eq!(field("-2+3"), "'-2+3");
        assert_eq!(field("-inf"), "'-inf", "only plain decimals count as numbers");
        assert_eq!(field("\tx"), "'\tx");
        assert_eq!(field("-6.00"), "-6.00", "negative numbers stay numbers");
        assert_eq!(field("+3"), "+3");
        assert_eq!(field("-"), "'-");
        assert_eq!(field("-.5"), "'-.5");
        assert_eq!(record(&["a", "b,c", "=1"]), "a,\"b,c\",'=1\r\n");
    }
}
