//! A subscriber's filters: `?path=GLOB` and `?kind=KIND` on `GET /events`.
//!
//! Several `path` (or `kind`) parameters, or comma-separated kinds, are alternatives; `path` and
//! `kind` together must both match. Globs use `/` as a separator (`*` stays within one name,
//! `**` crosses directories); a glob without a `/` matches the file name at any depth, as in
//! `.gitignore`. `rescan` events always pass: they tell the subscriber events may be missing,
//! whatever it filters on.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::http::{FilterError, percent_decode};
use super::ring::Frame;

/// What one subscriber wants; the default wants everything.
#[derive(Default)]
pub(crate) struct Filter {
    inner: Option<Box<Inner>>,
}

struct Inner {
    kinds: Vec<Box<str>>,
    globs: Option<GlobSet>,
}

impl Filter {
    /// Parses the query string of `GET /events` (unknown parameters are ignored).
    pub fn parse(query: &str) -> Result<Filter, FilterError> {
        let mut kinds: Vec<Box<str>> = Vec::new();
        let mut globs = GlobSetBuilder::new();
        let mut any_glob = false;
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_decode(value)?;
            match key {
                "kind" => {
                    for kind in value.split(',').map(str::trim) {
                        if kind.is_empty()
                            || !kind
                                .bytes()
                                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                        {
                            return Err(FilterError(format!("bad kind `{kind}`")));
                        }
                        kinds.push(kind.into());
                    }
                }
                "path" => {
                    if value.is_empty() {
                        return Err(FilterError("empty path glob".into()));
                    }
                    let pattern = if value.contains('/') {
                        value.trim_start_matches('/').to_owned()
                    } else {
                        format!("**/{value}")
                    };
                    let glob = GlobBuilder::new(&pattern)
                        .literal_separator(true)
                        .backslash_escape(true)
                        .build()
                        .map_err(|e| {
                            FilterError(format!("bad path glob `{value}`: {}", e.kind()))
                        })?;
                    globs.add(glob);
                    any_glob = true;
                }
                _ => {}
            }
        }
        if kinds.is_empty() && !any_glob {
            return Ok(Filter::default());
        }
        let globs = if any_glob {
            Some(globs.build().map_err(|e| FilterError(format!("bad path glob: {e}")))?)
        } else {
            None
        };
        Ok(Filter { inner: Some(Box::new(Inner { kinds, globs })) })
    }

    /// True when the subscriber wants this event.
    pub fn matches(&self, frame: &Frame) -> bool {
        let Some(inner) = &self.inner else { return true };
        if &*frame.kind == "rescan" {
            return true;
        }
        if !inner.kinds.is_empty() && !inner.kinds.iter().any(|k| **k == *frame.kind) {
            return false;
        }
        inner.globs.as_ref().is_none_or(|g| g.is_match(Path::new(OsStr::from_bytes(&frame.path))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(kind: &str, path: &str) -> Frame {
        Frame { seq: 1, kind: kind.into(), path: path.as_bytes().into(), bytes: Box::default() }
    }

    #[test]
    fn kinds_and_globs_combine() {
        let f = Filter::parse("kind=created,modified&path=src%2F**%2F*.rs").unwrap();
        assert!(f.matches(&frame("modified", "src/a/b.rs")));
        assert!(!f.matches(&frame("deleted", "src/a/b.rs")));
        assert!(!f.matches(&frame("modified", "docs/b.rs")));
        assert!(f.matches(&frame("rescan", "")));
    }

    #[test]
    fn a_glob_without_slash_matches_names_at_any_depth() {
        let f = Filter::parse("path=*.md&path=Cargo.toml").unwrap();
        assert!(f.matches(&frame("created", "README.md")));
        assert!(f.matches(&frame("created", "docs/x/serve.md")));
        assert!(f.matches(&frame("created", "Cargo.toml")));
        assert!(!f.matches(&frame("created", "src/lib.rs")));
        let g = Filter::parse("path=src/*.rs").unwrap();
        assert!(g.matches(&frame("created", "src/lib.rs")));
        assert!(!g.matches(&frame("created", "src/serve/mod.rs")));
    }

    #[test]
    fn bad_filters_are_refused() {
        assert!(Filter::parse("path=").is_err());
        assert!(Filter::parse("path=a[").is_err());
        assert!(Filter::parse("kind=a%0Ab").is_err());
        assert!(Filter::parse("path=%ZZ").is_err());
        assert!(Filter::parse("other=1").is_ok());
    }
}
