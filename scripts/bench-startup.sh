#!/usr/bin/env bash
# Cold start to the first 200 on /emulator/health with an existing database, and idle RSS.
# Usage: scripts/bench-startup.sh [runs]   (builds the release binary first)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
BIN="$PWD/target/release/esia-emulator"
RUNS="${1:-10}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
PORT=18099
# First start creates the database, keys and demo data; it is not measured.
"$BIN" serve --bind 127.0.0.1:$PORT >/dev/null 2>&1 & PID=$!
until curl -fs "http://127.0.0.1:$PORT/emulator/health" >/dev/null; do sleep 0.05; done
kill $PID; wait $PID 2>/dev/null || true
for i in $(seq 1 "$RUNS"); do
  start=$(date +%s%N)
  "$BIN" serve --bind 127.0.0.1:$PORT >/dev/null 2>&1 & PID=$!
  until curl -fs "http://127.0.0.1:$PORT/emulator/health" >/dev/null 2>&1; do :; done
  end=$(date +%s%N)
  echo "start $i: $(( (end - start) / 1000000 )) ms"
  if [ "$i" = "$RUNS" ]; then
    sleep 1
    echo "idle RSS: $(awk '/VmRSS/ {print $2, $3}' /proc/$PID/status)"
  fi
  kill $PID; wait $PID 2>/dev/null || true
done
