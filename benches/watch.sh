#!/usr/bin/env bash
# Benchmark of obby watch side by side with its peers (to come with the subcommand).
set -euo pipefail
echo "bench-watch: not written yet"
