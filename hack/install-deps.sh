#!/bin/bash
# Installs the Debian packages that a scope of hack/programs.tsv needs and that are missing: a package is missing when
# its program is not found (or, for a library, when dpkg does not have it). Changes nothing (and needs no root) when
# everything is there.
#   hack/install-deps.sh test [control-plane publish bench ...]
#   hack/install-deps.sh --check test    only lists what is missing; exit code 1 if anything is
set -euo pipefail
cd "$(dirname "$0")/.."
die() { echo "hack/install-deps.sh: $*" >&2; exit 1; }
check_only=0
if [ "${1:-}" = "--check" ]; then check_only=1; shift; fi
[ $# -gt 0 ] || die "usage: hack/install-deps.sh [--check] SCOPE... (scopes: $(awk -F'\t' '!/^#/ && NF >= 3 {print $3}' hack/programs.tsv | sort -u | tr '\n' ' '))"

missing=()
while IFS=$'\t' read -r program package scope _; do
  case "$program" in '#'*|'') continue ;; esac
  [[ " $* " == *" $scope "* ]] || continue
  [ "$package" != "-" ] || continue # built here, or a prerequisite
  if [ "$program" = "-" ]; then
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  elif [[ "$program" == /* ]]; then
    [ -x "$program" ] || missing+=("$package")
  else
    command -v "$program" >/dev/null || missing+=("$package")
  fi
done < hack/programs.tsv

[ ${#missing[@]} -gt 0 ] || exit 0
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
if [ $check_only -eq 1 ]; then
  echo "missing for $*: ${missing[*]}"
  exit 1
fi
[ "$(id -u)" -eq 0 ] || die "needs these Debian packages for $*: ${missing[*]}; run as root (apt-get install), or install them yourself"
command -v apt-get >/dev/null || die "needs apt-get (a Debian 12 'bookworm' machine) to install ${missing[*]}"
echo "hack/install-deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
  || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; } \
  || die "apt-get install ${missing[*]} failed"
