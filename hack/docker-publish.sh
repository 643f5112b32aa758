#!/bin/bash
# The build stage of the Dockerfile: publishes both programs into one directory, laid out as the image's /app.
# CI runs it too (there is no Docker engine there), so a publish that breaks the image build fails CI.
#   hack/docker-publish.sh OUT_DIR      -> OUT_DIR/expander (Native AOT, via hack/publish.sh)
#                                          OUT_DIR/webhook/webhook.dll (framework-dependent, for the aspnet runtime image)
#   RID=linux-arm64 hack/docker-publish.sh OUT_DIR   (default: linux-x64; the expander's target)
# Fails on any build warning (NU1603 aside, as everywhere in this repository).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:?usage: hack/docker-publish.sh OUT_DIR}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# 1. the expander: the same Native AOT publish as hack/publish.sh (installs clang and zlib1g-dev when missing)
hack/publish.sh "$work/expander" >&2
install -m 0755 "$work/expander/expander" "$out/expander"

# 2. the webhook: framework-dependent (the runtime image brings ASP.NET Core), no apphost: started as `dotnet webhook.dll`
log="$work/webhook.log"
if ! dotnet publish src/Webhook -c Release -o "$out/webhook" -p:UseAppHost=false -tl:off -clp:Summary -nologo >"$log" 2>&1; then
  cat "$log" >&2
  echo "hack/docker-publish.sh: webhook publish failed" >&2
  exit 1
fi
warnings="$(grep -E ': warning [A-Z]+[0-9]+' "$log" | grep -v ': warning NU1603' | sort -u || true)"
if [ -n "$warnings" ]; then
  echo "$warnings" >&2
  echo "hack/docker-publish.sh: webhook publish produced warnings" >&2
  exit 1
fi
test -f "$out/webhook/webhook.dll" && test -f "$out/webhook/webhook.runtimeconfig.json"
rm -f "$out/webhook/web.config" # IIS only

# 3. smoke: both start and answer their usage (the expander needs nothing; the webhook refuses to start without TLS files)
"$out/expander" --help >/dev/null
(dotnet "$out/webhook/webhook.dll"; echo "exit code $?") >"$work/smoke.log" 2>&1 || true
if grep -q '^exit code 0$' "$work/smoke.log"; then
  echo "hack/docker-publish.sh: the webhook started without --tls-cert-file" >&2
  exit 1
fi
grep -q -- '--tls-cert-file and --tls-key-file are required' "$work/smoke.log" || { cat "$work/smoke.log" >&2; exit 1; }
echo "hack/docker-publish.sh: $out/expander ($(du -h "$out/expander" | cut -f1), Native AOT) and $out/webhook ($(du -sh "$out/webhook" | cut -f1), framework-dependent)"
