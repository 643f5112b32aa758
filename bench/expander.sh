#!/bin/bash
# The expander's figures of docs/benchmarks.md ("Expander"): time from ConfigMap create to every object applied and
# ready, the writes of that reconcile, and the writes of three no-op resyncs, for 1, 10 and 100 models, against the
# test control plane (ReconcileBenchmarks in tests/Integration.Tests, Category=Benchmark: not in the default test run).
# Asserts correctness only; prints the figures. Not run by CI. Knobs: NICE (bench/session.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/session.sh
. bench/session.sh
bench_session bench/expander.sh "$@"
hack/control-plane/build.sh
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet test tests/Integration.Tests --filter Category=Benchmark --logger "console;verbosity=detailed" "$@" | grep -E "models=|Passed|Failed|Total"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
