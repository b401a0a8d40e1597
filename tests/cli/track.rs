//! Tests of `obby track` (to come with the subcommand).
