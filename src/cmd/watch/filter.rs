//! The command-line filters of `obby watch`: `--glob`, `--ext`, `--kinds`. They apply to what is
//! printed and recorded; the scope rules (`.obbywatch`, ignore files) have applied already.
//! `rescan` events always pass: an overflow is never hidden.

use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::error::ResultExt as _;
use crate::watch::{Event, EventKind};

/// The filters of one run.
#[derive(Debug)]
pub struct Filter {
    globs: Option<GlobSet>,
    exts: Vec<String>,
    kinds: Vec<EventKind>,
}

impl Filter {
    /// Builds the filters from the flags.
    ///
    /// # Errors
    /// A bad glob or an unknown kind.
    pub fn new(globs: &[String], exts: &[String], kinds: &[String]) -> anyhow::Result<Self> {
        let globs = if globs.is_empty() {
            None
        } else {
            let mut b = GlobSetBuilder::new();
            for g in globs {
                b.add(Glob::new(g).map_err(|e| anyhow::anyhow!("bad --glob `{g}`: {}", e.kind()))?);
            }
            Some(b.build()?)
        };
        let exts = exts
            .iter()
            .map(|e| e.trim().trim_start_matches('.').to_ascii_lowercase())
            .filter(|e| !e.is_empty())
            .collect();
        let kinds = kinds
            .iter()
            .map(|k| {
                EventKind::parse(k.trim())
                    .ok_or_else(|| anyhow::anyhow!("unknown event kind `{k}`"))
            })
            .collect::<anyhow::Result<Vec<_>>>()
            .hint("kinds are created, modified, deleted, renamed, rescan")?;
        Ok(Self { globs, exts, kinds })
    }

    /// True when the event should be printed and recorded.
    pub fn pass(&self, e: &Event, root: &Path) -> bool {
        if e.kind == EventKind::Rescan {
            return true;
        }
        if !self.kinds.is_empty() && !self.kinds.contains(&e.kind) {
            return false;
        }
        let paths = std::iter::once(e.path.as_path()).chain(e.old_path.as_deref());
        let matches = |p: &Path| self.path_matches(p, root, e.is_dir);
        paths.into_iter().any(matches)
    }

    fn path_matches(&self, path: &Path, root: &Path, is_dir: bool) -> bool {
        if !self.exts.is_empty() {
            if is_dir {
                return false;
            }
            let ext = path.extension().map(|x| x.as_bytes().to_ascii_lowercase());
            if !ext.is_some_and(|x| self.exts.iter().any(|e| e.as_bytes() == x.as_slice())) {
                return false;
            }
        }
        if let Some(globs) = &self.globs {
            let rel = path.strip_prefix(root).unwrap_or(path);
            let name = path.file_name().map(Path::new);
            return globs.is_match(rel) || name.is_some_and(|n| globs.is_match(n));
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(kind: EventKind, path: &str) -> Event {
        Event { kind, path: path.into(), old_path: None, is_dir: false, time_ms: 0 }
    }

    #[test]
    fn ext_glob_and_kinds() {
        let f = Filter::new(&["notes/**".into()], &["MD".into()], &["created".into()]).unwrap();
        let root = Path::new("/r");
        assert!(f.pass(&ev(EventKind::Created, "/r/notes/a.md"), root));
        assert!(!f.pass(&ev(EventKind::Created, "/r/notes/a.txt"), root));
        assert!(!f.pass(&ev(EventKind::Created, "/r/other/a.md"), root));
        assert!(!f.pass(&ev(EventKind::Deleted, "/r/notes/a.md"), root));
        assert!(f.pass(&ev(EventKind::Rescan, "/r"), root));
        assert!(Filter::new(&[], &[], &["nope".into()]).is_err());
    }
}
