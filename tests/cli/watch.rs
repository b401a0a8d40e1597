//! Tests of `obby watch` (to come with the subcommand).
