//! Tests of `obby search` (to come with the subcommand).
