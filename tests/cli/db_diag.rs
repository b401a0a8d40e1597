//! Tests of `obby db-diag` (to come with the subcommand).
