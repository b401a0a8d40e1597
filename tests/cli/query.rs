//! Tests of `obby query` (to come with the subcommand).
