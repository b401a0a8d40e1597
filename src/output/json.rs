//! The JSON Lines envelope shared by every subcommand.
//!
//! Each line on stdout in `--json` mode is one object:
//!
//! ```json
//! {"type":"change","data":{...}}
//! ```
//!
//! `type` names the record (`change`, `hunk`, `event`, `row`, `match`, `finding`, `package`,
//! `error`, ...) and `data` carries it. Every run ends with exactly one `summary` record whose
//! `data` holds `schema` (this format's version, [`SCHEMA_VERSION`]), `command`, `exit_code`,
//! `elapsed_ms` and the command's own counters, also when the run failed (an `error` record with
//! `message`, `causes` and `hint` comes before it). Keys within an object are in a fixed order.
//!
//! Paths are JSON strings when they are valid UTF-8 and `{"bytes": "<base64>"}` otherwise, so a
//! non-UTF-8 file name survives a round trip exactly ([`path_value`]).

use base64::Engine as _;
use serde::Serialize;

/// Version of the JSON Lines format; bumped on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

/// Serialises one record as a single line (without the newline).
///
/// # Errors
/// Fails when `data` cannot be serialised.
pub fn envelope(kind: &str, data: &impl Serialize) -> std::io::Result<String> {
    #[derive(Serialize)]
    struct Envelope<'a, T> {
        #[serde(rename = "type")]
        kind: &'a str,
        data: &'a T,
    }
    serde_json::to_string(&Envelope { kind, data }).map_err(std::io::Error::other)
}

/// A path as JSON: a string when it is UTF-8, else `{"bytes": base64}`.
#[must_use]
pub fn path_value(bytes: &[u8]) -> serde_json::Value {
    match std::str::from_utf8(bytes) {
        Ok(s) => serde_json::Value::String(s.to_owned()),
        Err(_) => {
            serde_json::json!({ "bytes": base64::engine::general_purpose::STANDARD.encode(bytes) })
        }
    }
}

/// Decodes a path written by [`path_value`].
#[must_use]
pub fn path_from_value(value: &serde_json::Value) -> Option<Vec<u8>> {
    match value {
        serde_json::Value::String(s) => Some(s.as_bytes().to_vec()),
        serde_json::Value::Object(map) => map
            .get("bytes")
            .and_then(serde_json::Value::as_str)
            .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_utf8_paths_round_trip() {
        let raw = b"caf\xe9.md".to_vec();
        let v = path_value(&raw);
        assert!(v.get("bytes").is_some());
        assert_eq!(path_from_value(&v), Some(raw));
        assert_eq!(path_value(b"a/b.md"), serde_json::json!("a/b.md"));
    }

    #[test]
    fn envelope_has_type_then_data() {
        let line = envelope("row", &serde_json::json!({"a": 1})).unwrap();
        assert_eq!(line, r#"{"type":"row","data":{"a":1}}"#);
    }
}
