#!/bin/bash
# Reproduces the webhook figures of docs/benchmarks.md (not run by CI; about 3 minutes on 2 cores):
#   1. publishes the webhook as Native AOT (hack/publish.sh, as the image has it) and builds bench/WebhookLoad,
#   2. makes a throw-away ECDSA P-256 serving certificate for 127.0.0.1,
#   3. for each scenario starts a fresh webhook (no cluster: the engine's rules and the policy, no cross-object checks),
#      runs the load generator against it and records the server's peak resident memory (VmHWM) and its GC figures.
# Scenarios: closed loop (100 clients send as fast as answers come) and open loop (2,000 reviews/s offered over 100
# keep-alive clients), each with the same values (the evaluation cache answers) and with distinct values (the engine
# evaluates every request), and closed loop with large values (distinct ~850 KB reviews, valid and invalid alternately:
# the memory bound of docs/security.md, target peak RSS < 150 MiB; a review that finds no room within the webhook's
# wait is answered 429 and counted as busy). Knobs: SCENARIOS="closed:same open:same ..." (a
# subset, in order), SECONDS_PER_RUN=15, CLIENTS=100, MODELS=100, RATE=2000, NICE=-20 (as root: a
# session of its own with this autogroup nice level, as bench/run.sh does), SERVER_ENV="DOTNET_gcServer=0 ..." (extra
# environment for the webhook, to compare GC settings), WEBHOOK_BIN=path (a webhook already published with
# hack/publish.sh, to spare a second publish). Results land in $BENCH_OUT (default: a temp dir).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/session.sh
. bench/session.sh
bench_session bench/webhook-load.sh "$@"
out="${BENCH_OUT:-$(mktemp -d /tmp/webhook-bench.XXXXXX)}"
seconds="${SECONDS_PER_RUN:-15}"
clients="${CLIENTS:-100}"
models="${MODELS:-100}"
rate="${RATE:-2000}"
read -r -a server_env <<<"${SERVER_ENV:-}"
port=18443
mkdir -p "$out"

hack/install-deps.sh bench # openssl, curl
if [ -n "${WEBHOOK_BIN:-}" ]; then
  mkdir -p "$out/bin" && cp "$WEBHOOK_BIN" "$out/bin/webhook"
else
  hack/publish.sh "$out/bin" webhook
fi
dotnet build bench/WebhookLoad -c Release -nologo -v q >/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$out/tls.key" -out "$out/tls.crt" \
  -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null

{
  echo "date: $(date -u +%FT%TZ)"
  echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench 2>/dev/null || echo ' (with uncommitted changes under src/ or bench/)')"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores"
  echo "webhook: Native AOT, environment: ${server_env[*]:-(default: server GC with DATAS, the 96 MiB heap limit of Webhook.csproj)}"
  echo "measured at: ${BENCH_SESSION:+a session of its own, autogroup nice $(cat /proc/self/autogroup | awk '{print $3}')}"
} | tee "$out/machine.txt"

run() {
  local mode="$1" values="$2" offered="$3"
  env "${server_env[@]}" "$out/bin/webhook" --urls "https://127.0.0.1:$port" --tls-cert-file "$out/tls.crt" --tls-key-file "$out/tls.key" \
    --no-cluster true --Logging:LogLevel:Default=Warning >"$out/server-$mode-$values.log" 2>&1 &
  local pid=$!
  for _ in $(seq 100); do curl -sk "https://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  local idle
  idle=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
  local result
  # exit code 2 (failures, or an offered rate not kept up with) is a result to record, not an error of this script
  result=$(dotnet bench/WebhookLoad/bin/Release/net10.0/WebhookLoad.dll "https://127.0.0.1:$port" "$clients" "$seconds" "$models" "$values" "$offered") || true
  local gc
  # the heap limit the GC took (process_memory_limit_bytes: the GC's figure outside a cgroup limit) and the 429s by budget
  gc=$(curl -sk "https://127.0.0.1:$port/metrics" | awk '/^(dotnet_gc_(heap_size|committed)_bytes|process_memory_limit_bytes)/ {printf "%s=%dMiB ", $1, $2/1048576} /^webhook_busy_total/ {printf "%s=%d ", $1, $2}')
  local peak
  peak=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$pid/status")
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  echo "$result idle_rss=${idle}MiB peak_rss=${peak}MiB ${gc}load=$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$out/results.txt"
}

for scenario in ${SCENARIOS:-closed:same open:same closed:distinct open:distinct closed:large}; do
  mode="${scenario%%:*}"
  values="${scenario#*:}"
  run "$mode" "$values" "$([ "$mode" = open ] && echo "$rate" || echo 0)"
done
echo "results: $out/results.txt"
