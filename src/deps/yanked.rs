//! Yanked releases, from the Rust registry's sparse index over HTTP (`--check-yanked`).
//!
//! The sparse index serves one file per crate (`se/rd/serde`, `3/s/syn`, `1/a`), one JSON line
//! per published version with its `yanked` flag. Each response is kept, trimmed to (version,
//! yanked) pairs, under the cache directory with its `ETag`/`Last-Modified` validators; the next
//! run asks again with `If-None-Match`/`If-Modified-Since` and a `304 Not Modified` answers from
//! the copy. When the registry cannot be reached, a kept copy still answers (marked stale); a
//! crate with neither is *unknown*, never "not yanked". Crates are fetched by a few threads
//! sharing one connection pool, as the index is one small request per crate.
//!
//! This is the only part of `obby deps` that uses the network, and only when asked.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The crates.io sparse index.
pub const DEFAULT_INDEX: &str = "https://index.crates.io/";

/// Concurrent requests.
const JOBS: usize = 8;

/// Why a crate's releases are unknown.
#[derive(Debug, Clone, thiserror::Error)]
pub enum IndexError {
    /// The index has no such crate (404/410/451).
    #[error("{name}: not in the index `{base}`")]
    NotFound {
        /// The crate.
        name: String,
        /// The index.
        base: String,
    },
    /// The name cannot be a crate name (so it has no index file).
    #[error("`{0}` is not a crate name")]
    BadName(String),
    /// The request failed and no copy is kept.
    #[error("{url}: {message}")]
    Http {
        /// The file asked for.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// The response is not a sparse index file.
    #[error("{url}:{line}: not an index entry: {message}")]
    Parse {
        /// The file.
        url: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// The published versions of one crate.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Releases {
    /// Every version with its yanked flag, in index order.
    pub versions: Vec<(String, bool)>,
    /// Set when the registry could not be asked and a kept copy answered: why.
    #[serde(skip)]
    pub stale: Option<String>,
}

impl Releases {
    /// Whether `version` is yanked; `None` when the index does not list it.
    #[must_use]
    pub fn is_yanked(&self, version: &str) -> Option<bool> {
        let parsed = semver::Version::parse(version).ok();
        self.versions
            .iter()
            .find(|(v, _)| {
                v == version || (parsed.is_some() && semver::Version::parse(v).ok() == parsed)
            })
            .map(|(_, y)| *y)
    }

    /// The smallest release above `version` that is not yanked (a pre-release only for a
    /// pre-release).
    #[must_use]
    pub fn next_unyanked(&self, version: &str) -> Option<String> {
        let installed = semver::Version::parse(version).ok()?;
        self.versions
            .iter()
            .filter(|(_, yanked)| !yanked)
            .filter_map(|(v, _)| semver::Version::parse(v).ok().map(|p| (p, v)))
            .filter(|(p, _)| *p > installed && (p.pre.is_empty() || !installed.pre.is_empty()))
            .min_by(|a, b| a.0.cmp(&b.0))
            .map(|(_, v)| v.clone())
    }
}

/// A kept response.
#[derive(Serialize, Deserialize)]
struct Kept {
    etag: Option<String>,
    last_modified: Option<String>,
    releases: Releases,
}

/// One line of an index file (other fields are ignored).
#[derive(Deserialize)]
struct Line {
    vers: String,
    #[serde(default)]
    yanked: bool,
}

/// The index file of a crate, relative to the index root: `1/a`, `2/ab`, `3/a/abc`,
/// `ab/cd/abcd...`, lower-cased.
#[must_use]
pub fn index_path(name: &str) -> Option<String> {
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return None;
    }
    let n = name.to_ascii_lowercase();
    Some(match n.len() {
        1 => format!("1/{n}"),
        2 => format!("2/{n}"),
        3 => format!("3/{}/{n}", &n[..1]),
        _ => format!("{}/{}/{n}", &n[..2], &n[2..4]),
    })
}

/// A sparse index with a local copy of what it answered.
pub struct SparseIndex {
    base: String,
    cache: PathBuf,
    agent: ureq::Agent,
    /// The first transport failure: once the index cannot be reached, the other crates are
    /// answered from kept copies without waiting for a request each.
    unreachable: Mutex<Option<String>>,
}

impl SparseIndex {
    /// An index at `base` (`https://index.crates.io/`), keeping responses under `cache_root`
    /// (in a folder per index), each request bounded by `timeout`.
    #[must_use]
    pub fn new(base: &str, cache_root: &Path, timeout: Duration) -> Self {
        let base = if base.ends_with('/') { base.to_owned() } else { format!("{base}/") };
        let folder: String = base
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' })
            .collect();
        // The platform's trust store (and SSL_CERT_FILE), as curl and cargo use: a registry
        // behind a company proxy is signed by a root that Mozilla's list does not hold.
        let tls = ureq::tls::TlsConfig::builder()
            .root_certs(ureq::tls::RootCerts::PlatformVerifier)
            .build();
        let config = ureq::Agent::config_builder()
            .tls_config(tls)
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .user_agent(format!("obby/{} (deps --check-yanked)", env!("CARGO_PKG_VERSION")))
            .build();
        Self {
            base,
            cache: cache_root.join(folder),
            agent: config.into(),
            unreachable: Mutex::new(None),
        }
    }

    /// The releases of each crate in `names`, asked concurrently; `done` is called after each.
    pub fn releases_many(
        &self,
        names: &[String],
        done: &(dyn Fn() + Sync),
    ) -> BTreeMap<String, Result<Releases, IndexError>> {
        let next = AtomicUsize::new(0);
        let out = Mutex::new(BTreeMap::new());
        std::thread::scope(|s| {
            for _ in 0..JOBS.min(names.len()) {
                s.spawn(|| {
                    while let Some(name) = names.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let r = self.releases(name);
                        done();
                        if let Ok(mut m) = out.lock() {
                            m.insert(name.clone(), r);
                        }
                    }
                });
            }
        });
        out.into_inner().unwrap_or_default()
    }

    /// The releases of one crate: revalidated against the kept copy, or fetched.
    ///
    /// # Errors
    /// Not a crate name, not in the index, or the index could not be asked and nothing is kept.
    pub fn releases(&self, name: &str) -> Result<Releases, IndexError> {
        let rel = index_path(name).ok_or_else(|| IndexError::BadName(name.to_owned()))?;
        let url = format!("{}{rel}", self.base);
        let file = self.cache.join(format!("{rel}.json"));
        let kept: Option<Kept> =
            std::fs::read(&file).ok().and_then(|b| serde_json::from_slice(&b).ok());
        let mut req = self.agent.get(&url);
        if let Some(k) = &kept {
            if let Some(e) = &k.etag {
                req = req.header("If-None-Match", e);
            }
            if let Some(m) = &k.last_modified {
                req = req.header("If-Modified-Since", m);
            }
        }
        let stale = |kept: Option<Kept>, message: String| match kept {
            Some(k) => Ok(Releases { stale: Some(message), ..k.releases }),
            None => Err(IndexError::Http { url: url.clone(), message }),
        };
        if let Some(first) = self.unreachable.lock().ok().and_then(|u| u.clone()) {
            return stale(kept, first);
        }
        let mut resp = match req.call() {
            Ok(r) => r,
            Err(e) => {
                let message = e.to_string();
                if let Ok(mut u) = self.unreachable.lock() {
                    u.get_or_insert_with(|| message.clone());
                }
                return stale(kept, message);
            }
        };
        let status = resp.status().as_u16();
        match status {
            304 => match kept {
                Some(k) => return Ok(k.releases),
                None => return stale(None, "304 Not Modified without a kept copy".into()),
            },
            404 | 410 | 451 => {
                return Err(IndexError::NotFound {
                    name: name.to_owned(),
                    base: self.base.clone(),
                });
            }
            200 => {}
            _ => return stale(kept, format!("HTTP {status}")),
        }
        let header =
            |h: &str| resp.headers().get(h).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let (etag, last_modified) = (header("etag"), header("last-modified"));
        let mut body = String::new();
        if let Err(e) = resp.body_mut().as_reader().read_to_string(&mut body) {
            return stale(kept, e.to_string());
        }
        let releases = parse(&url, &body)?;
        let kept = Kept { etag, last_modified, releases };
        if let Ok(bytes) = serde_json::to_vec(&kept) {
            // Best effort: without the copy the next run just asks again.
            super::write_by_rename(&file, &bytes);
        }
        Ok(kept.releases)
    }
}

/// Parses an index file: one JSON object per line.
///
/// # Errors
/// A line that is not an index entry.
pub fn parse(url: &str, body: &str) -> Result<Releases, IndexError> {
    let mut versions = Vec::new();
    for (i, line) in body.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let l: Line = serde_json::from_str(line).map_err(|e| IndexError::Parse {
            url: url.to_owned(),
            line: i + 1,
            message: e.to_string(),
        })?;
        versions.push((l.vers, l.yanked));
    }
    Ok(Releases { versions, stale: None })
}

#[cfg(test)]
mod tests {
    use super::{Releases, index_path, parse};

    #[test]
    fn index_paths_follow_the_sparse_layout() {
        assert_eq!(index_path("a").as_deref(), Some("1/a"));
        assert_eq!(index_path("ab").as_deref(), Some("2/ab"));
        assert_eq!(index_path("Syn").as_deref(), Some("3/s/syn"));
        assert_eq!(index_path("serde_json").as_deref(), Some("se/rd/serde_json"));
        assert_eq!(index_path("../etc"), None);
        assert_eq!(index_path(""), None);
    }

    #[test]
    fn yanked_versions_and_the_next_release_that_is_not() {
        let body = r#"{"name":"x","vers":"1.0.0","yanked":false}
{"name":"x","vers":"1.0.1","yanked":true,"deps":[]}
{"name":"x","vers":"1.0.2","yanked":true}
{"name":"x","vers":"1.1.0","yanked":false}
{"name":"x","vers":"2.0.0-rc.1"}
"#;
        let r: Releases = parse("u", body).unwrap();
        assert_eq!(r.is_yanked("1.0.1"), Some(true));
        assert_eq!(r.is_yanked("1.0.0"), Some(false));
        assert_eq!(r.is_yanked("9.9.9"), None);
        assert_eq!(r.next_unyanked("1.0.1").as_deref(), Some("1.1.0"));
        assert_eq!(r.next_unyanked("1.1.0"), None);
        assert_eq!(r.next_unyanked("2.0.0-alpha").as_deref(), Some("2.0.0-rc.1"));
        let bad = parse("u", "{\"vers\":\"1.0.0\"}\nnot json\n").unwrap_err();
        assert!(bad.to_string().starts_with("u:2: not an index entry"), "{bad}");
    }
}
