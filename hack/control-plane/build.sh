#!/bin/bash
# Builds the project's test control plane: kube-apiserver + kube-controller-manager v1.20.2, from Debian bookworm's
# `kubernetes` source package (the complete upstream tree, vendor/ included) with Debian's Go 1.19, and makes sure
# every program the tests start is installed (hack/programs.tsv, scope "test": etcd, etcdctl, kubectl, ...).
# Needs root and the Debian package mirror only; ~5 min and ~2 GB on 2 cores.
#
# Usage: hack/control-plane/build.sh [OUTDIR]
#   OUTDIR defaults to $KUBE_CP_CACHE, else ~/.cache/kube-control-plane/v1.20.2.
# Idempotent: when both binaries are already in OUTDIR and the test programs are installed, it changes nothing (and
# needs no root).
# The integration tests (tests/Integration.Tests, ControlPlaneFixture) start the binaries from the same directory.
set -euo pipefail

OUT=${1:-${KUBE_CP_CACHE:-$HOME/.cache/kube-control-plane/v1.20.2}}
die() { echo "hack/control-plane/build.sh: $*" >&2; exit 1; }
have_bins() { [ -x "$OUT/kube-apiserver" ] && [ -x "$OUT/kube-controller-manager" ]; }
need_root() {
  [ "$EUID" -eq 0 ] || die "$1 needs root (apt-get install); run it as root, or install it yourself"
  command -v apt-get >/dev/null || die "$1 needs apt-get (a Debian 12 'bookworm' machine); none found"
}
export DEBIAN_FRONTEND=noninteractive

HACK=$(cd "$(dirname "$0")/.." && pwd)
# the programs the tests start are needed even when the Kubernetes binaries come from the cache
"$HACK/install-deps.sh" test

if have_bins; then echo "control plane already built in $OUT ($("$OUT/kube-apiserver" --version))"; exit 0; fi

need_root "building kube-apiserver and kube-controller-manager"
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
exec 9>"$OUT/.build.lock"             # one build at a time per cache directory
flock 9
if have_bins; then echo "control plane built by a concurrent run in $OUT"; exit 0; fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/kcp-build.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
echo "$(date -u +%T) installing the build dependencies"
"$HACK/install-deps.sh" control-plane

# A private apt configuration with a deb-src line, so that the machine's own sources stay untouched.
MIRROR=$(apt-get indextargets --format '$(SITE)' 'Identifier: Packages' 'Codename: bookworm' | head -1)
if [ -z "$MIRROR" ]; then
  apt-get update -q >/dev/null
  MIRROR=$(apt-get indextargets --format '$(SITE)' 'Identifier: Packages' 'Codename: bookworm' | head -1)
fi
[ -n "$MIRROR" ] || die "no Debian bookworm mirror is configured in apt; cannot fetch the kubernetes source package"
A="$WORK/apt"; mkdir -p "$A/lists/partial" "$A/cache/archives/partial"
echo "deb-src $MIRROR bookworm main" > "$A/sources.list"
cat > "$A/apt.conf" <<CONF
Dir::Etc::SourceList "$A/sources.list";
Dir::Etc::SourceParts "/nonexistent";
Dir::State::Lists "$A/lists";
Dir::Cache "$A/cache";
APT::Sandbox::User "root";
CONF
APT_CONFIG="$A/apt.conf" apt-get update -q >/dev/null || die "apt-get update with the deb-src line for $MIRROR failed"
VER=$(APT_CONFIG="$A/apt.conf" apt-cache showsrc kubernetes 2>/dev/null | awk '/^Version:/{print $2; exit}' || true)
[ -n "$VER" ] || die "the bookworm mirror $MIRROR has no 'kubernetes' source package"
echo "$(date -u +%T) fetching Debian source package kubernetes $VER"
(cd "$WORK" && APT_CONFIG="$A/apt.conf" apt-get source --download-only -q "kubernetes=$VER" >/dev/null 2>&1) \
  || die "apt-get source kubernetes=$VER failed"
SRC="$WORK/src"; mkdir -p "$SRC"
tar xzf "$WORK"/kubernetes_*.orig.tar.gz -C "$SRC" --strip-components=1

# The vendored reflect2 v1.0.1 segfaults under Go >= 1.18 as soon as json-iterator marshals a map:
# replace it with Debian's v1.0.2 (same API).
R="$SRC/vendor/github.com/modern-go/reflect2"; D=/usr/share/gocode/src/github.com/modern-go/reflect2
rm -f "$R"/*.go "$R"/*.s
cp "$D"/*.go "$D"/*.s "$R"/

echo "$(date -u +%T) building (GOPATH mode, no network)"
export PATH=/usr/lib/go-1.19/bin:$PATH CGO_ENABLED=0 GOPROXY=off GOFLAGS= HOME="$WORK/home"
mkdir -p "$HOME"
(cd "$SRC" && make WHAT="cmd/kube-apiserver cmd/kube-controller-manager" KUBE_BUILD_PLATFORMS=linux/amd64)
# copy under temporary names first so that a half-copied binary is never mistaken for a cached one
for b in kube-apiserver kube-controller-manager; do cp "$SRC/_output/bin/$b" "$OUT/.$b.tmp"; mv "$OUT/.$b.tmp" "$OUT/$b"; done
echo "$(date -u +%T) built into $OUT: $("$OUT/kube-apiserver" --version)"
