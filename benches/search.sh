#!/usr/bin/env bash
# Benchmark of obby search side by side with its peers (to come with the subcommand).
set -euo pipefail
echo "bench-search: not written yet"
