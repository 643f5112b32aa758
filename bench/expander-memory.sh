#!/bin/bash
# The figures of docs/benchmarks.md "Expander memory at the ceilings": the Native AOT expander, in a memory cgroup
# limited like its Deployment (512 MiB) and with the Deployment's GC setting, reconciles one values ConfigMap at the
# largest size the default policy allows (1,000 models, 5,000 objects) against the test control plane; peak resident
# memory against the limit (ExpanderMemoryBenchmarks in tests/Integration.Tests, Category=Benchmark). Needs root (a
# cgroup of its own). Asserts correctness and the limit; prints the figures. Not run by CI. Knobs: NICE (bench/session.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/session.sh
. bench/session.sh
bench_session bench/expander-memory.sh "$@"
hack/control-plane/build.sh
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
hack/publish.sh "$out" expander >/dev/null
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -r)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
EXPANDER_BINARY="$out/expander" dotnet test tests/Integration.Tests --filter "FullyQualifiedName~ExpanderMemoryBenchmarks" --logger "console;verbosity=detailed" "$@" | grep -E "models=|Passed|Failed|Total|Assert"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
