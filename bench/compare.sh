#!/bin/bash
# Two builds side by side, in one run: the size of both published binaries, whole-process `expander render` (start-up
# included) with hyperfine, both binaries in one hyperfine call per size, peak resident memory of `render` (five runs
# each, alternately), and the webhook's resident memory at idle without a cluster.
#   hack/publish.sh /tmp/before expander webhook      # on the base commit (e.g. a git archive of it)
#   hack/publish.sh /tmp/after expander webhook
#   bench/compare.sh /tmp/before /tmp/after           # results into $BENCH_OUT (default: a temp dir)
# Knobs: SIZES="10 100 1000", RUNS=40, NICE (bench/session.sh), VALUES_DIR (values-N.yaml to use instead of generating
# them, when the older build's engine cannot read what this tree's generator writes). Not run by CI.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/session.sh
. bench/session.sh
bench_session bench/compare.sh "$@"
before="${1:?usage: bench/compare.sh BEFORE_DIR AFTER_DIR}"
after="${2:?usage: bench/compare.sh BEFORE_DIR AFTER_DIR}"
out="${BENCH_OUT:-$(mktemp -d /tmp/bench-compare.XXXXXX)}"
sizes="${SIZES:-10 100 1000}"
runs="${RUNS:-40}"
mkdir -p "$out"
hack/install-deps.sh bench

{
  echo "date: $(date -u +%FT%TZ); commit: $(git rev-parse --short HEAD)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "measured at: nice ${nice_level}${BENCH_SESSION:+, in a session of its own ($(cat /proc/self/autogroup))}"
} | tee "$out/machine.txt"

echo "== size (bytes)" | tee -a "$out/results.txt"
for program in expander webhook; do
  echo "$program: before $(stat -c %s "$before/$program"), after $(stat -c %s "$after/$program")" | tee -a "$out/results.txt"
done

if [ -n "${VALUES_DIR:-}" ]; then
  for n in $sizes; do cp "$VALUES_DIR/values-$n.yaml" "$out/values-$n.yaml"; done
else
  dotnet build bench/Benchmarks -c Release -nologo -v q >/dev/null
  for n in $sizes; do dotnet bench/Benchmarks/bin/Release/net10.0/Benchmarks.dll generate "$n" "$out/values-$n.yaml" >/dev/null; done
fi
for n in $sizes; do
  for side in before after; do
    dir=$([ "$side" = before ] && echo "$before" || echo "$after")
    "$dir/expander" render -f "$out/values-$n.yaml" >"$out/rendered-$n-$side.yaml" 2>"$out/render-$n-$side.err" \
      || { head -n 5 "$out/render-$n-$side.err" >&2; echo "bench/compare.sh: the $side build cannot render $n models (VALUES_DIR: values its engine reads)" >&2; exit 1; }
  done
  cmp -s "$out/rendered-$n-before.yaml" "$out/rendered-$n-after.yaml" \
    || { echo "bench/compare.sh: before and after render $n models differently" >&2; exit 1; }
done

echo "== render (hyperfine -N, $runs runs after 3 warm-ups, both binaries in one call per size)" | tee -a "$out/results.txt"
for n in $sizes; do
  hyperfine -N --warmup 3 --runs "$runs" --output=null --style basic --export-markdown "$out/render-$n.md" \
    -n "before $n" "$before/expander render -f $out/values-$n.yaml" -n "after $n" "$after/expander render -f $out/values-$n.yaml" >/dev/null
  tail -n 2 "$out/render-$n.md" | tee -a "$out/results.txt"
done

echo "== peak RSS of render (KiB; /usr/bin/time -v, 5 runs each, alternately: min median max)" | tee -a "$out/results.txt"
for n in $sizes; do
  declare -A rss=([before]="" [after]="")
  for _ in 1 2 3 4 5; do
    for side in before after; do
      dir=$([ "$side" = before ] && echo "$before" || echo "$after")
      /usr/bin/time -v "$dir/expander" render -f "$out/values-$n.yaml" >/dev/null 2>"$out/time.txt"
      rss[$side]+="$(awk -F': ' '/Maximum resident/ {print $2}' "$out/time.txt") "
    done
  done
  for side in before after; do
    read -r -a v <<<"$(tr ' ' '\n' <<<"${rss[$side]}" | sed '/^$/d' | sort -n | tr '\n' ' ')"
    echo "render $n $side: ${v[0]} ${v[2]} ${v[4]}" | tee -a "$out/results.txt"
  done
done

echo "== webhook resident memory at idle (MiB, --no-cluster, after 5 requests to /healthz)" | tee -a "$out/results.txt"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$out/tls.key" -out "$out/tls.crt" \
  -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
for side in before after; do
  dir=$([ "$side" = before ] && echo "$before" || echo "$after")
  "$dir/webhook" --urls https://127.0.0.1:18444 --tls-cert-file "$out/tls.crt" --tls-key-file "$out/tls.key" --no-cluster true >"$out/webhook-$side.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do curl -sk https://127.0.0.1:18444/healthz >/dev/null && break; sleep 0.1; done
  for _ in 1 2 3 4 5; do curl -sk https://127.0.0.1:18444/healthz >/dev/null; done
  sleep 1
  echo "webhook $side: $(awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$pid/status") MiB" | tee -a "$out/results.txt"
  kill "$pid"
  wait "$pid" || true
done

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"
echo "results: $out/results.txt"
