//! Tests of `obby log` (to come with the subcommand).
