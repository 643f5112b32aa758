#!/bin/bash
# Reproduces the figures of docs/benchmarks.md (not run by CI; takes about 10 minutes on 2 cores):
#   1. generates values of 10, 100 and 1,000 models into a work directory and checks that they are valid, and values of
#      1,000 models with per-client token limits for each engine (Kuadrant, EnvoyGateway: GeneratedLimits),
#   2. publishes the expander CLI as Native AOT (hack/publish.sh) and, for comparison, as a framework-dependent (JIT) dll,
#   3. times whole-process `expander render` with hyperfine and measures peak RSS with /usr/bin/time -v,
#   4. runs the in-process BenchmarkDotNet suite (short job with 15 iterations).
# Results (hyperfine JSON/Markdown, RSS, BenchmarkDotNet reports, machine facts) land in $BENCH_OUT (default: a temp dir).
# Knobs: SIZES="10 100 1000", LIMIT_SIZES="1000" (sizes of the values with limits, on both engines), RUNS=30 (hyperfine runs per size), BDN_ARGS="--filter * --job short --iterationCount 15 --warmupCount 5" (BenchmarkDotNet),
# WAIT_IDLE=60: before each timing phase, wait up to that many seconds for the CPUs to be idle (0 to not wait),
# NICE=-20: as root, the script runs in a session of its own whose scheduler autogroup (and processes) get this nice
# level, so that on a shared machine other work yields the CPU to the measured processes (it cannot make them faster
# than on an idle machine: caches and memory bandwidth are still shared). NICE=0 turns it off.
# The figures mean most on an otherwise idle machine: the CPU use of everything else is recorded per phase.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/session.sh
. bench/session.sh
bench_session bench/run.sh "$@"
out="${BENCH_OUT:-$(mktemp -d /tmp/bench.XXXXXX)}"
sizes="${SIZES:-10 100 1000}"
limit_sizes="${LIMIT_SIZES:-1000}"
engines="Kuadrant EnvoyGateway"
runs="${RUNS:-30}"
read -r -a bdn_args <<<"${BDN_ARGS:---filter * --job short --iterationCount 15 --warmupCount 5}"
wait_idle="${WAIT_IDLE:-60}"
prio=()
if [ "$(id -u)" -eq 0 ] && [ "$nice_level" != 0 ]; then prio=(nice -n "$nice_level"); fi
mkdir -p "$out"

# Percentage of all CPUs busy over $1 seconds, from /proc/stat.
busy() {
  local a b c d e f g h t1 i1 t2 i2
  read -r _ a b c d e f g h _ </proc/stat; t1=$((a + b + c + d + e + f + g + h)); i1=$((d + e))
  sleep "$1"
  read -r _ a b c d e f g h _ </proc/stat; t2=$((a + b + c + d + e + f + g + h)); i2=$((d + e))
  echo $((100 * ((t2 - t1) - (i2 - i1)) / (t2 - t1)))
}

# Waits until two 3-second samples in a row show under 15% busy (or WAIT_IDLE seconds pass), then records it.
settle() {
  local start=$SECONDS quiet=0 b
  while [ $((SECONDS - start)) -lt "$wait_idle" ] && [ $quiet -lt 2 ]; do
    b=$(busy 3)
    if [ "$b" -lt 15 ]; then quiet=$((quiet + 1)); else quiet=0; fi
  done
  echo "$1: started after waiting $((SECONDS - start)) s; other CPU use just before: $(busy 1)%" | tee -a "$out/machine.txt"
}

hack/install-deps.sh bench # hyperfine, /usr/bin/time

{
  echo "date: $(date -u +%FT%TZ)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src bench 2>/dev/null || echo ' (with uncommitted changes under src/ or bench/)')"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "cores: $(nproc)"
  echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
  echo "os: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "dotnet: sdk $(dotnet --version), runtime $(dotnet --list-runtimes | awk '/Microsoft.NETCore.App/ {v=$2} END {print v}')"
  echo "hyperfine: $(hyperfine --version)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "measured at: ${prio[*]:-default priority}${BENCH_SESSION:+, in a session of its own ($(cat /proc/self/autogroup))}"
} | tee "$out/machine.txt"

echo "== values"
dotnet build bench/Benchmarks -c Release -nologo -v q >/dev/null
for n in $sizes; do
  dotnet bench/Benchmarks/bin/Release/net10.0/Benchmarks.dll generate "$n" "$out/values-$n.yaml"
done
for n in $limit_sizes; do
  for e in $engines; do
    dotnet bench/Benchmarks/bin/Release/net10.0/Benchmarks.dll generate "$n" "$out/values-$e-$n.yaml" "$e"
  done
done

echo "== publish"
hack/publish.sh "$out/aot"
dotnet publish src/Expander -c Release -p:PublishAot=false -o "$out/jit" -nologo -v q >/dev/null
inputs=()
for n in $sizes; do inputs+=("$n"); done
for n in $limit_sizes; do for e in $engines; do inputs+=("$e-$n"); done; done
for i in "${inputs[@]}"; do
  # valid, and no findings at all: the timings are of the clean path
  "$out/aot/expander" validate -f "$out/values-$i.yaml" --name models --namespace team-a 2>&1 | tee "$out/validate-$i.txt"
  grep -q ': valid:' "$out/validate-$i.txt" && [ "$(wc -l <"$out/validate-$i.txt")" -eq 1 ]
done

echo "== whole process (hyperfine)"
for kind in aot jit; do
  settle "hyperfine $kind"
  cmds=()
  for n in $sizes; do
    if [ "$kind" = aot ]; then
      cmds+=(-n "aot render $n" "$out/aot/expander render -f $out/values-$n.yaml")
    else
      cmds+=(-n "jit render $n" "dotnet $out/jit/expander.dll render -f $out/values-$n.yaml")
    fi
  done
  if [ "$kind" = aot ]; then
    for n in $limit_sizes; do
      for e in $engines; do
        cmds+=(-n "aot render $n with $e limits" "$out/aot/expander render -f $out/values-$e-$n.yaml")
      done
    done
  fi
  "${prio[@]}" hyperfine -N --warmup 5 --runs "$runs" --output=null --style basic \
    --export-json "$out/hyperfine-$kind.json" --export-markdown "$out/hyperfine-$kind.md" "${cmds[@]}"
done

echo "== peak RSS"
settle "peak RSS"
for n in $sizes; do
  "${prio[@]}" /usr/bin/time -v "$out/aot/expander" render -f "$out/values-$n.yaml" >/dev/null 2>"$out/time-aot-$n.txt"
  "${prio[@]}" /usr/bin/time -v dotnet "$out/jit/expander.dll" render -f "$out/values-$n.yaml" >/dev/null 2>"$out/time-jit-$n.txt"
  echo "render $n: aot $(awk -F': ' '/Maximum resident/ {print $2}' "$out/time-aot-$n.txt") KB, jit $(awk -F': ' '/Maximum resident/ {print $2}' "$out/time-jit-$n.txt") KB"
done | tee "$out/rss.txt"
for n in $limit_sizes; do
  for e in $engines; do
    "${prio[@]}" /usr/bin/time -v "$out/aot/expander" render -f "$out/values-$e-$n.yaml" >/dev/null 2>"$out/time-aot-$e-$n.txt"
    echo "render $n with $e limits: aot $(awk -F': ' '/Maximum resident/ {print $2}' "$out/time-aot-$e-$n.txt") KB"
  done
done | tee -a "$out/rss.txt"

echo "== in-process (BenchmarkDotNet ${bdn_args[*]})"
settle "BenchmarkDotNet"
"${prio[@]}" dotnet run -c Release --project bench/Benchmarks --no-build -- --artifacts "$out/bdn" "${bdn_args[@]}" | tee "$out/bdn.log"

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); CPU use just after: $(busy 1)%" | tee -a "$out/machine.txt"
echo "results: $out (hyperfine-*.md, rss.txt, bdn/results/*.md, machine.txt)"
