//! Tests of `obby deps` (to come with the subcommand).
