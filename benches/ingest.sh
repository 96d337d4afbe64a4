#!/usr/bin/env bash
# Ingest and hashing throughput and memory, against coreutils on the same files (warm cache).
#
#   bash benches/ingest.sh            # ~2 GiB zip and tar.gz with 40,000 entries, 1M-entry zip
#   SIZE_MB=512 ENTRIES=10000 bash benches/ingest.sh   # a quicker run
#
# Prints a table: the time of `linesift process` with the default hash (SHA-256) against
# `sha256sum`, with `--hash all` against `md5sum` (the slowest of the three), and peak memory
# (max RSS) for each run, including a zip of a million entries.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${SIZE_MB:-2048}
ENTRIES=${ENTRIES:-40000}
MILLION=${MILLION:-1000000}
W=${BENCH_DIR:-target/bench-ingest}
mkdir -p "$W"
cargo build --release -q -p linesift -p linesift-testdata
LS=target/release/linesift
GEN=target/release/linesift-gen
[ -f "$W/big.zip" ] || $GEN bulk "$W/big.zip" --layout zip --size-mb "$SIZE_MB" --entries "$ENTRIES"
[ -f "$W/big.tar.gz" ] || $GEN bulk "$W/big.tar.gz" --layout tar.gz --size-mb "$SIZE_MB" --entries "$ENTRIES"
[ -f "$W/million.zip" ] || $GEN bulk "$W/million.zip" --layout zip --size-mb 200 --entries "$MILLION"

secs() { # run a command, print wall seconds and max RSS (MB)
  /usr/bin/time -f "%e %M" -o "$W/time.txt" "$@" >/dev/null 2>&1 || true
  awk '{printf "%s %.0f", $1, $2/1024}' "$W/time.txt"
}
best() { # best of 3 runs: "seconds rss_mb"
  local b="" r
  for _ in 1 2 3; do
    r=$(secs "$@")
    if [ -z "$b" ] || awk -v a="${r%% *}" -v c="${b%% *}" 'BEGIN{exit !(a<c)}'; then b=$r; fi
  done
  echo "$b"
}

printf '| file | size | sha256sum s | process s | ratio | md5sum s | process --hash all s | ratio | process max RSS MB |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
for f in big.zip big.tar.gz million.zip; do
  p="$W/$f"
  cat "$p" >/dev/null   # warm the page cache
  s=$(best sha256sum "$p"); m=$(best md5sum "$p")
  a=$(best "$LS" process "$p" -o "$W/out" -q --force)
  b=$(best "$LS" process --hash all "$p" -o "$W/out" -q --force)
  size=$(du -h "$p" | cut -f1)
  awk -v f="$f" -v sz="$size" -v s="${s%% *}" -v a="${a%% *}" -v m="${m%% *}" -v b="${b%% *}" -v rss="${a##* }" -v rssb="${b##* }" \
    'BEGIN{printf "| %s | %s | %.2f | %.2f | %.2fx | %.2f | %.2f | %.2fx | %s / %s |\n", f, sz, s, a, a/s, m, b, b/m, rss, rssb}'
done
