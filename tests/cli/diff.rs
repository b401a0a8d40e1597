//! Tests of `obby diff` (to come with the subcommand).
