#!/usr/bin/env bash
# Benchmark of obby track side by side with its peers (to come with the subcommand).
set -euo pipefail
echo "bench-track: not written yet"
