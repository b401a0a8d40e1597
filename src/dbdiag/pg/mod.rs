//! The PostgreSQL driver: the same check ids as SQLite, answered from the catalogs and the
//! statistics views (`pg_class`, `pg_index`, `pg_stat_user_tables`, `pg_stat_activity`,
//! `pg_sequences`, `pg_stat_statements` when it is loaded).
//!
//! Sessions are read-only (`default_transaction_read_only=on`) with a `statement_timeout`; only
//! `--apply --allow-write` opens a second, writable session for `CREATE INDEX CONCURRENTLY`. The
//! target is a DSN or the PG* environment variables; what is shown of it never has the password,
//! and neither do error messages (they are built from the server's message or the I/O error).
//! The index shape checks (foreign keys without index, duplicate and redundant indexes) reuse
//! the SQLite implementations on a schema read from the catalogs.

mod advice;
mod catalog;
mod checks;

use std::time::Duration;

use postgres::{Client, Config, NoTls};

use catalog::{Catalog, Q};

use super::declared::{self, DeclaredIndex};
use super::{DbDiagError, Driver, Engine, Options, Outcome, Profile};

/// One line describing a PostgreSQL error, without secrets.
#[must_use]
pub fn describe(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return db.message().to_owned();
    }
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text = format!("{text}: {more}");
        }
        source = s.source();
    }
    text
}

/// Where the server is.
#[derive(Clone, Debug)]
pub struct PgTarget {
    config: Config,
    /// The target as shown to the user: `postgres://user@host:port/db`, no password.
    pub display: String,
}

impl PgTarget {
    /// From a `postgres://` URL or a `key=value` connection string.
    ///
    /// # Errors
    /// A malformed DSN (the message never repeats the DSN).
    pub fn from_dsn(dsn: &str) -> Result<Self, DbDiagError> {
        let config: Config = dsn.parse().map_err(|e: postgres::Error| DbDiagError::PgConnect {
            target: "the given DSN".into(),
            detail: describe(&e),
        })?;
        Ok(Self::with_config(config))
    }

    /// From PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE (libpq's defaults otherwise).
    ///
    /// # Errors
    /// A PGPORT that is not a number.
    pub fn from_env() -> Result<Self, DbDiagError> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let mut config = Config::new();
        config.host(var("PGHOST").as_deref().unwrap_or("localhost"));
        if let Some(port) = var("PGPORT") {
            let port = port.parse().map_err(|_| {
                DbDiagError::Invalid(format!("PGPORT `{port}` is not a port number"))
            })?;
            config.port(port);
        }
        let user = var("PGUSER").or_else(|| var("USER")).unwrap_or_else(|| "postgres".into());
        config.user(&user);
        if let Some(pw) = var("PGPASSWORD") {
            config.password(pw);
        }
        config.dbname(var("PGDATABASE").as_deref().unwrap_or(&user));
        Ok(Self::with_config(config))
    }

    fn with_config(config: Config) -> Self {
        let host = config.get_hosts().first().map_or_else(
            || "localhost".into(),
            |h| match h {
                postgres::config::Host::Tcp(h) => h.clone(),
                #[cfg(unix)]
                postgres::config::Host::Unix(p) => p.display().to_string(),
            },
        );
        let port = config.get_ports().first().copied().unwrap_or(5432);
        let user = config.get_user().unwrap_or("");
        let db = config.get_dbname().unwrap_or(user);
        let display = format!("postgres://{user}@{host}:{port}/{db}");
        Self { config, display }
    }
}

/// A PostgreSQL database under diagnosis.
pub struct Postgres {
    catalog: Catalog,
    target: PgTarget,
    schema: Option<super::sqlite::Schema>,
    /// The run's catalog queries were sent (before its first check).
    prefetched: bool,
}

fn connect(target: &PgTarget, options: &str) -> Result<Client, DbDiagError> {
    let mut config = target.config.clone();
    config.options(options);
    config.application_name("obby db-diag");
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(5));
    }
    config.connect(NoTls).map_err(|e| DbDiagError::PgConnect {
        target: target.display.clone(),
        detail: describe(&e),
    })
}

impl Postgres {
    /// Connects read-only with a statement timeout.
    ///
    /// # Errors
    /// [`DbDiagError::PgConnect`]: unreachable, refused, authentication failed.
    pub fn connect(target: &PgTarget, statement_timeout: Duration) -> Result<Self, DbDiagError> {
        let options = format!(
            "-c default_transaction_read_only=on -c statement_timeout={}",
            statement_timeout.as_millis().max(1)
        );
        // Nothing else is sent until the first check: the session settings travel in the startup
        // packet, the rest in the catalog batch (see `catalog`).
        let client = connect(target, &options)?;
        Ok(Self {
            catalog: Catalog::new(client),
            target: target.clone(),
            schema: None,
            prefetched: false,
        })
    }

    /// The declared indexes the database lacks, as `CREATE INDEX CONCURRENTLY IF NOT EXISTS`,
    /// run when `apply` on a writable session, each one's validity checked afterwards.
    ///
    /// # Errors
    /// Catalog queries or the DDL failed; an index left invalid.
    pub fn apply(
        &mut self,
        decl: &[DeclaredIndex],
        apply: bool,
    ) -> Result<Vec<(String, bool)>, DbDiagError> {
        self.catalog.prefetch(&[Q::Relations, Q::Indexes]);
        let tables = checks::table_names(&mut self.catalog)?;
        let actual = checks::actual_indexes(&mut self.catalog)?;
        let ddl: Vec<(String, String)> = declared::missing(decl, &actual, &tables)
            .into_iter()
            .map(|d| (d.name.clone(), declared::create_sql(d, true)))
            .collect();
        if !apply || ddl.is_empty() {
            return Ok(ddl.into_iter().map(|(_, sql)| (sql, false)).collect());
        }
        let mut writer = connect(&self.target, "-c default_transaction_read_only=off")?;
        let mut out = Vec::new();
        for (name, sql) in ddl {
            writer.batch_execute(&sql)?;
            let valid: Option<bool> = writer
                .query_opt(
                    "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
                     WHERE c.relname = $1 AND pg_table_is_visible(c.oid)",
                    &[&name],
                )?
                .map(|r| r.get(0));
            if valid == Some(false) {
                return Err(DbDiagError::Pg(format!(
                    "index `{name}` was created but is invalid; drop it and apply again"
                )));
            }
            out.push((sql, true));
        }
        // The checks after this must see the new indexes.
        self.catalog.invalidate();
        Ok(out)
    }
}

impl Driver for Postgres {
    fn engine(&self) -> Engine {
        Engine::Postgres
    }

    fn run_check(
        &mut self,
        id: &'static str,
        profile: Profile,
        opts: &Options,
    ) -> Result<Outcome, DbDiagError> {
        if !self.prefetched {
            self.prefetched = true;
            self.catalog.prefetch(&checks::wanted(opts));
        }
        let c = &mut self.catalog;
        match id {
            "table_stats" => checks::table_stats(c, profile),
            "space" => checks::space(c),
            "integrity" => checks::integrity(c),
            "stale_stats" => checks::stale_stats(c),
            "missing_index" => advice::missing_index(c, opts),
            "fk_without_index" | "duplicate_index" | "redundant_index" => {
                if self.schema.is_none() {
                    self.schema = Some(checks::schema(c)?);
                }
                let schema = self.schema.as_ref().map_or_else(Default::default, Clone::clone);
                Ok(match id {
                    "fk_without_index" => super::sqlite::checks::fk_without_index(&schema),
                    "duplicate_index" => super::sqlite::checks::duplicate_index(&schema),
                    _ => super::sqlite::checks::redundant_index(&schema),
                })
            }
            "unused_index" => checks::unused_index(c),
            "connections" => checks::connections(c),
            "sequence_exhaustion" => checks::sequence_exhaustion(c),
            "xid_wraparound" => checks::xid_wraparound(c),
            "cache_hit_rate" => checks::cache_hit_rate(c),
            "slow_queries" => checks::statements(c, false),
            "top_queries" => checks::statements(c, true),
            "n_plus_one" => checks::n_plus_one(c, opts),
            "declared_indexes" => {
                let Some(decl) = &opts.declared else {
                    return Ok(Outcome::skipped("needs --indexes FILE"));
                };
                let tables = checks::table_names(c)?;
                let actual = checks::actual_indexes(c)?;
                Ok(Outcome::findings(declared::compare(decl, &actual, &tables)))
            }
            other => Ok(Outcome::skipped(format!("`{other}` is not a PostgreSQL check"))),
        }
    }
}
