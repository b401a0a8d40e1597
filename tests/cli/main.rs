//! Integration tests: one binary, one module per subcommand, all through the real `obby`
//! executable (see `harness`).

mod harness;

mod cli_contract;
mod config;
mod db_diag;
mod deps;
mod diff;
mod export_import;
mod init;
mod log;
mod query;
mod search;
mod track;
mod watch;
