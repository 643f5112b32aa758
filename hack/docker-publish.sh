#!/bin/bash
# The build stage of the Dockerfile: publishes both programs into one directory, laid out as the image's /app.
# CI runs it too (there is no Docker engine there), so a publish that breaks the image build fails CI.
#   hack/docker-publish.sh OUT_DIR      -> OUT_DIR/expander and OUT_DIR/webhook (Native AOT, via hack/publish.sh), and
#                                          OUT_DIR/kubectl-models, the kubectl plugin (a symlink to expander)
#   RID=linux-arm64 hack/docker-publish.sh OUT_DIR   (default: linux-x64)
# Fails on any build warning (NU1603 aside, as everywhere in this repository).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:?usage: hack/docker-publish.sh OUT_DIR}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

hack/publish.sh "$out" expander webhook >&2

# smoke: both start and answer their usage (the expander needs nothing; the webhook refuses to start without TLS files)
"$out/expander" --help >/dev/null
"$out/kubectl-models" --help >"$work/plugin.txt"
grep -q "kubectl models" "$work/plugin.txt" || { echo "hack/docker-publish.sh: kubectl-models does not answer as the kubectl plugin" >&2; exit 1; }
("$out/webhook"; echo "exit code $?") >"$work/smoke.log" 2>&1 || true
if grep -q '^exit code 0$' "$work/smoke.log"; then
  echo "hack/docker-publish.sh: the webhook started without --tls-cert-file" >&2
  exit 1
fi
grep -q -- '--tls-cert-file and --tls-key-file are required' "$work/smoke.log" || { cat "$work/smoke.log" >&2; exit 1; }
echo "hack/docker-publish.sh: $out/expander ($(du -h "$out/expander" | cut -f1)) and $out/webhook ($(du -h "$out/webhook" | cut -f1)), both Native AOT"
