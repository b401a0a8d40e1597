//! Turning result cells into text for tables, CSV, TSV and JSON.
//!
//! Text cells are shown as they are; blob cells (non-UTF-8 paths, binary content) are escaped
//! as `\xNN` for humans and written as `{"bytes": base64}` in JSON, like paths everywhere else.

use rusqlite::types::Value;
use serde::ser::{Serialize, SerializeMap, Serializer};

/// A cell as text: NULL is empty, numbers in their shortest form.
#[must_use]
pub fn cell_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Integer(i) => i.to_string(),
        Value::Real(x) => x.to_string(),
        Value::Text(t) => t.clone(),
        Value::Blob(b) => crate::paths::escape_bytes(b),
    }
}

/// A cell as JSON.
#[must_use]
pub fn cell_json(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Integer(i) => (*i).into(),
        Value::Real(x) => {
            serde_json::Number::from_f64(*x).map_or(serde_json::Value::Null, Into::into)
        }
        Value::Text(t) => t.clone().into(),
        Value::Blob(b) => crate::output::json::path_value(b),
    }
}

/// One row as a JSON object whose keys are in column order.
#[derive(Debug)]
pub struct JsonRow<'a> {
    /// Column names.
    pub columns: &'a [String],
    /// Values, one per column.
    pub values: &'a [Value],
}

impl Serialize for JsonRow<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.columns.len()))?;
        for (name, value) in self.columns.iter().zip(self.values) {
            map.serialize_entry(name, &cell_json(value))?;
        }
        map.end()
    }
}

/// One CSV record (RFC 4180: fields with a comma, quote or line break are quoted).
#[must_use]
pub fn csv_line<'a>(fields: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if f.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
    out
}

/// One TSV record: tabs, line breaks and backslashes escaped as `\t`, `\n`, `\r`, `\\`.
#[must_use]
pub fn tsv_line<'a>(fields: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push('\t');
        }
        for c in f.chars() {
            match c {
                '\t' => out.push_str("\\t"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\\' => out.push_str("\\\\"),
                c => out.push(c),
            }
        }
    }
    out
}

/// A cell shortened for a table: at most `max_lines` lines of at most `max_chars` characters.
#[must_use]
pub fn clip(text: &str, max_lines: usize, max_chars: usize) -> String {
    let mut lines = text.lines();
    let mut out: Vec<String> = lines
        .by_ref()
        .take(max_lines)
        .map(|l| crate::output::table::truncate(l, max_chars))
        .collect();
    let rest = lines.count();
    if rest > 0 {
        out.push(format!("… {rest} more line{}", if rest == 1 { "" } else { "s" }));
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_and_tsv_escape_what_they_must() {
        assert_eq!(
            csv_line(["a", "b,c", "say \"hi\"", "x\ny"]),
            "a,\"b,c\",\"say \"\"hi\"\"\",\"x\ny\""
        );
        assert_eq!(tsv_line(["a\tb", "c\nd", "e\\f"]), "a\\tb\tc\\nd\te\\\\f");
    }

    #[test]
    fn json_rows_keep_column_order_and_bytes() {
        let columns = vec!["z".to_owned(), "a".to_owned()];
        let values = vec![Value::Integer(1), Value::Blob(b"caf\xe9".to_vec())];
        let json = serde_json::to_string(&JsonRow { columns: &columns, values: &values }).unwrap();
        assert_eq!(json, r#"{"z":1,"a":{"bytes":"Y2Fm6Q=="}}"#);
    }

    #[test]
    fn clip_limits_lines() {
        assert_eq!(clip("a\nb\nc", 2, 10), "a\nb\n… 1 more line");
    }
}
