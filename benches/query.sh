#!/usr/bin/env bash
# Benchmark of obby query side by side with its peers (to come with the subcommand).
set -euo pipefail
echo "bench-query: not written yet"
