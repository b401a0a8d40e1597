#!/usr/bin/env bash
# Benchmark of obby deps side by side with its peers (to come with the subcommand).
set -euo pipefail
echo "bench-deps: not written yet"
