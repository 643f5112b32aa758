#!/bin/bash
# Publishes the programs as Native AOT binaries: the same command the container image build runs.
# Installs the native toolchain (clang, zlib1g-dev; hack/programs.tsv) through apt when it is missing; the ILCompiler package comes
# from NuGet like any other package. Fails on any warning, trimming and AOT analysis included.
#   hack/publish.sh                           -> artifacts/expander/expander (and the kubectl plugin kubectl-models,
#                                                a symlink to it: kubectl runs it for `kubectl models ...`)
#   hack/publish.sh OUT_DIR                   -> OUT_DIR/expander
#   hack/publish.sh OUT_DIR webhook           -> OUT_DIR/webhook
#   hack/publish.sh OUT_DIR expander webhook  -> both
#   RID=linux-arm64 hack/publish.sh ...       (default: linux-x64)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-artifacts/expander}"
shift || true
programs=("$@")
[ ${#programs[@]} -gt 0 ] || programs=(expander)
rid="${RID:-linux-x64}"

hack/install-deps.sh publish # clang and zlib1g-dev: Native AOT links with them

log="$(mktemp)"
staging="$(mktemp -d)"
trap 'rm -rf "$log" "$staging"' EXIT
mkdir -p "$out"
for program in "${programs[@]}"; do
  case "$program" in
    expander) project=src/Expander ;;
    webhook) project=src/Webhook ;;
    *) echo "hack/publish.sh: unknown program $program (expander or webhook)" >&2; exit 2 ;;
  esac
  # The terminal logger hides warnings of up-to-date projects; the classic logger prints every one and a summary.
  if ! dotnet publish "$project" -c Release -r "$rid" -o "$staging/$program" -tl:off -clp:Summary -nologo >"$log" 2>&1; then
    cat "$log" >&2
    echo "hack/publish.sh: publishing $program failed" >&2
    exit 1
  fi
  # NU1603 (the mirror served a nearby package version) is the one warning Directory.Build.props accepts.
  warnings="$(grep -E ': warning [A-Z]+[0-9]+' "$log" | grep -v ': warning NU1603' | sort -u || true)"
  grep -E ': warning NU1603' "$log" | sort -u >&2 || true
  if [ -n "$warnings" ]; then
    echo "$warnings" >&2
    echo "hack/publish.sh: publishing $program produced warnings" >&2
    exit 1
  fi
  # only the binary: the debug symbols (.dbg) and the SDK's leftovers (web.config, static web asset lists) stay behind
  install -m 0755 "$staging/$program/$program" "$out/$program"
  echo "hack/publish.sh: $out/$program ($(du -h "$out/$program" | cut -f1), $rid, Native AOT), 0 warnings"
  if [ "$program" = expander ]; then
    # the kubectl plugin is the same binary under the plugin's name (it reads the name it was started under)
    ln -sfn expander "$out/kubectl-models"
    echo "hack/publish.sh: $out/kubectl-models -> expander (kubectl plugin: kubectl models render|validate|convert)"
  fi
done
