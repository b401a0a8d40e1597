//! Tests of `obby export-import` (to come with the subcommand).
