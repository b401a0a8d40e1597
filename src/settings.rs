//! Settings resolved once per run, in this order: command-line flags (applied by the command
//! that owns them), `OBBY_*` environment variables, the project's `.obby/config.toml`, the user's
//! `$XDG_CONFIG_HOME/obby/config.toml`, then built-in defaults. `obby config` prints each
//! effective value with where it came from.
//!
//! Keys are dotted (`watch.debounce`); in TOML they are written as tables (`[watch]` then
//! `debounce = "200ms"`); the environment variable is the key upper-cased with dots as
//! underscores after `OBBY_` (`OBBY_WATCH_DEBOUNCE`). Every key is declared in [`KEYS`] with its
//! default and help; an unknown key in a file is warned about, never silently ignored.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;

/// A setting this build knows.
#[derive(Clone, Copy, Debug)]
pub struct KeyDef {
    /// Dotted key.
    pub key: &'static str,
    /// Default value, as text.
    pub default: &'static str,
    /// What it does.
    pub help: &'static str,
}

/// Every setting, with its default.
pub const KEYS: &[KeyDef] = &[
    KeyDef {
        key: "store.busy_timeout",
        default: "60s",
        help: "how long a writer waits for another writer",
    },
    KeyDef {
        key: "store.max_blob_size",
        default: "256MiB",
        help: "content larger than this is hashed and versioned but not kept",
    },
    KeyDef {
        key: "track.follow_symlinks",
        default: "false",
        help: "follow symbolic links instead of recording them as links",
    },
    KeyDef { key: "track.threads", default: "0", help: "hashing threads (0: one per core)" },
    KeyDef { key: "track.batch_rows", default: "4000", help: "rows written per store transaction" },
    KeyDef {
        key: "scope.no_ignore",
        default: "false",
        help: "disregard .obbyignore and .gitignore",
    },
    KeyDef {
        key: "watch.debounce",
        default: "500ms",
        help: "quiet time before an event is emitted",
    },
    KeyDef { key: "watch.poll_interval", default: "1s", help: "interval of the polling fallback" },
    KeyDef { key: "search.limit", default: "20", help: "results shown by `obby search`" },
    KeyDef {
        key: "search.max_file_size",
        default: "4MiB",
        help: "content indexed per file; the rest is noted",
    },
    KeyDef { key: "dbdiag.profile", default: "quick", help: "default `obby db-diag` profile" },
    KeyDef {
        key: "dbdiag.busy_timeout",
        default: "5s",
        help: "how long db-diag waits on a locked database",
    },
    KeyDef {
        key: "deps.db_dir",
        default: "",
        help: "advisory cache directory (default: the XDG cache dir)",
    },
    KeyDef {
        key: "deps.max_db_age",
        default: "7d",
        help: "advisory data older than this fails `deps check`",
    },
    KeyDef {
        key: "deps.fail_on",
        default: "critical",
        help: "lowest severity that fails `deps check`",
    },
    KeyDef {
        key: "deps.policy.unsound",
        default: "warn",
        help: "deny|warn|allow[:direct] for unsound-API advisories",
    },
    KeyDef {
        key: "deps.policy.unmaintained",
        default: "warn",
        help: "deny|warn|allow[:direct] for unmaintained-package advisories",
    },
    KeyDef {
        key: "deps.policy.notice",
        default: "warn",
        help: "deny|warn|allow[:direct] for other informational advisories",
    },
    KeyDef {
        key: "deps.policy.yanked",
        default: "warn",
        help: "deny|warn|allow[:direct] for yanked releases",
    },
    KeyDef {
        key: "deps.policy.vulnerability",
        default: "deny",
        help: "deny|warn|allow[:direct] for vulnerabilities",
    },
    KeyDef {
        key: "import.busy_timeout",
        default: "5s",
        help: "how long `obby import` waits for a source database another program holds locked",
    },
    KeyDef {
        key: "import.timezone",
        default: "",
        help: "zone of the original obby's local timestamps (default: this machine's)",
    },
];

/// Where a value came from.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum Source {
    /// The built-in default.
    Default,
    /// The user's config file.
    UserConfig(PathBuf),
    /// The project's `.obby/config.toml`.
    ProjectConfig(PathBuf),
    /// An environment variable.
    Env(String),
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Default => f.write_str("default"),
            Self::UserConfig(p) | Self::ProjectConfig(p) => write!(f, "{}", p.display()),
            Self::Env(name) => write!(f, "env {name}"),
        }
    }
}

/// A setting value that does not have the expected type.
#[derive(Debug, thiserror::Error)]
#[error("setting `{key}` = `{value}` (from {source_desc}) is not {expected}")]
pub struct BadValue {
    key: String,
    value: String,
    source_desc: String,
    expected: &'static str,
}

/// The resolved settings of one run.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    values: BTreeMap<&'static str, (String, Source)>,
    /// Warnings found while loading (unknown keys), shown once by the caller.
    pub warnings: Vec<String>,
}

/// The environment variable of a key.
#[must_use]
pub fn env_name(key: &str) -> String {
    format!("OBBY_{}", key.replace('.', "_").to_uppercase())
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut Vec<(String, String)>) {
    for (k, v) in table {
        let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
        match v {
            toml::Value::Table(t) => flatten(&key, t, out),
            toml::Value::String(s) => out.push((key, s.clone())),
            other => out.push((key, other.to_string())),
        }
    }
}

impl Settings {
    /// Loads defaults, the user's and the project's config files, and the environment.
    ///
    /// # Errors
    /// A config file that exists but cannot be read or is not valid TOML (the message names the
    /// file, line and column).
    pub fn load(project_dir: Option<&Path>) -> anyhow::Result<Self> {
        let mut s = Self::default();
        for def in KEYS {
            s.values.insert(def.key, (def.default.to_owned(), Source::Default));
        }
        let user = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
            .map(|d| d.join("obby").join("config.toml"));
        if let Some(user) = user {
            s.load_file(&user, &Source::UserConfig(user.clone()))?;
        }
        if let Some(dir) = project_dir {
            let project = dir.join("config.toml");
            s.load_file(&project, &Source::ProjectConfig(project.clone()))?;
        }
        for def in KEYS {
            let name = env_name(def.key);
            if let Ok(v) = std::env::var(&name) {
                s.values.insert(def.key, (v, Source::Env(name)));
            }
        }
        Ok(s)
    }

    fn load_file(&mut self, path: &Path, source: &Source) -> anyhow::Result<()> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("cannot read config file `{}`", path.display()));
            }
        };
        let table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| anyhow::anyhow!("{}", e.to_string().trim_end()))
            .with_context(|| format!("config file `{}` is not valid TOML", path.display()))?;
        let mut flat = Vec::new();
        flatten("", &table, &mut flat);
        for (key, value) in flat {
            match KEYS.iter().find(|d| d.key == key) {
                Some(def) => {
                    self.values.insert(def.key, (value, source.clone()));
                }
                None => {
                    self.warnings.push(format!("unknown setting `{key}` in `{}`", path.display()));
                }
            }
        }
        Ok(())
    }

    /// Every key with its value and source, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str, &Source)> {
        self.values.iter().map(|(k, (v, s))| (*k, v.as_str(), s))
    }

    /// The raw text of a key (empty for an unknown key).
    #[must_use]
    pub fn get(&self, key: &str) -> &str {
        self.values.get(key).map_or("", |(v, _)| v.as_str())
    }

    fn bad(&self, key: &str, expected: &'static str) -> BadValue {
        let (value, source) = self.values.get(key).cloned().unwrap_or_default_pair();
        BadValue { key: key.to_owned(), value, source_desc: source.to_string(), expected }
    }

    /// A boolean setting.
    ///
    /// # Errors
    /// [`BadValue`] when it is not `true`/`false`.
    pub fn get_bool(&self, key: &str) -> Result<bool, BadValue> {
        match self.get(key) {
            "true" | "1" | "yes" | "on" => Ok(true),
            "false" | "0" | "no" | "off" | "" => Ok(false),
            _ => Err(self.bad(key, "true or false")),
        }
    }

    /// An unsigned integer setting.
    ///
    /// # Errors
    /// [`BadValue`] when it is not a whole number.
    pub fn get_u64(&self, key: &str) -> Result<u64, BadValue> {
        self.get(key).trim().parse().map_err(|_| self.bad(key, "a whole number"))
    }

    /// A duration setting (`500ms`, `2h`).
    ///
    /// # Errors
    /// [`BadValue`] when it is not a duration.
    pub fn get_duration(&self, key: &str) -> Result<Duration, BadValue> {
        crate::timeparse::parse_duration(self.get(key))
            .map_err(|_| self.bad(key, "a duration such as 500ms or 2h"))
    }

    /// A byte size setting (`4MiB`, `1GB`, `512`).
    ///
    /// # Errors
    /// [`BadValue`] when it is not a size.
    pub fn get_size(&self, key: &str) -> Result<u64, BadValue> {
        parse_size(self.get(key)).ok_or_else(|| self.bad(key, "a size such as 4MiB"))
    }
}

trait DefaultPair {
    fn unwrap_or_default_pair(self) -> (String, Source);
}

impl DefaultPair for Option<(String, Source)> {
    fn unwrap_or_default_pair(self) -> (String, Source) {
        self.unwrap_or((String::new(), Source::Default))
    }
}

/// Parses a byte size: a number with an optional unit (B, K/KB/KiB, M/MB/MiB, G/GB/GiB).
#[must_use]
pub fn parse_size(text: &str) -> Option<u64> {
    let s = text.trim();
    let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
    let value: f64 = s[..split].parse().ok()?;
    let mult: f64 = match s[split..].trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "kib" => 1024.0,
        "m" | "mb" => 1e6,
        "mib" => 1024.0 * 1024.0,
        "g" | "gb" => 1e9,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    let bytes = value * mult;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    (bytes.is_finite() && bytes >= 0.0).then_some(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("4MiB"), Some(4 * 1024 * 1024));
        assert_eq!(parse_size("1GB"), Some(1_000_000_000));
        assert_eq!(parse_size("512"), Some(512));
        assert_eq!(parse_size("lots"), None);
    }

    #[test]
    fn project_file_overrides_defaults_and_unknown_keys_warn() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("config.toml"), "[watch]\ndebounce = \"200ms\"\ntypo = 1\n")
            .unwrap();
        let s = Settings::load(Some(tmp.path())).unwrap();
        assert_eq!(s.get_duration("watch.debounce").unwrap(), Duration::from_millis(200));
        assert!(s.warnings.iter().any(|w| w.contains("watch.typo")));
        let src = s.iter().find(|(k, _, _)| *k == "watch.debounce").unwrap().2;
        assert!(matches!(src, Source::ProjectConfig(_)));
    }

    #[test]
    fn malformed_toml_names_the_file() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("config.toml"), "[watch\n").unwrap();
        let err = Settings::load(Some(tmp.path())).unwrap_err();
        assert!(format!("{err:#}").contains("config.toml"));
    }
}
