#!/usr/bin/env bash
# Benchmark of obby dbdiag side by side with its peers (to come with the subcommand).
set -euo pipefail
echo "bench-dbdiag: not written yet"
