#!/usr/bin/env bash
# Builds kube-apiserver and kubeadm of one Kubernetes release from the k8s.io/kubernetes Go module
# (the Go module proxy is the only source this project's machines reach), and caches the binaries.
#
#   scripts/cluster/build-kube.sh v1.28.15      -> prints the folder holding the two binaries
#
# The module zip has no staging/ folder, so its `replace k8s.io/x => ./staging/...` lines cannot
# work: they are dropped and each staging module is required at the matching v0.<minor>.<patch>
# release instead. Cached under ${GUARDRAILS_CACHE:-~/.cache/cdk8s-guardrails}/kubernetes/<version>,
# so a second clone on the same machine (CI) does not build again.
set -euo pipefail

version="${1:?usage: build-kube.sh vX.Y.Z}"
cache="${GUARDRAILS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-guardrails}"
out="$cache/kubernetes/$version"
# KUBE_BINS picks other commands of the release (the policy suite adds kube-controller-manager,
# whose status controller type-checks ValidatingAdmissionPolicies).
read -r -a bins <<< "${KUBE_BINS:-kube-apiserver kubeadm}"

have_all() { local b; for b in "${bins[@]}"; do [[ -x "$out/$b" ]] || return 1; done; }
if have_all; then echo "$out"; exit 0; fi

log() { printf '[build-kube %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
command -v go >/dev/null || { echo "build-kube: 'go' is not on PATH" >&2; exit 1; }

staging="v0.${version#v1.}"
# GOWORK=off: from 1.3x the module ships a go.work naming the (absent) staging folders.
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false" GOSUMDB=off GOWORK=off

log "downloading k8s.io/kubernetes@$version"
src_dir="$(go mod download -json "k8s.io/kubernetes@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[[ -d "$src_dir" ]] || { echo "build-kube: download of k8s.io/kubernetes@$version failed" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/build-kube.XXXXXX")"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
cp -r "$src_dir/." "$work/src"
chmod -R u+w "$work/src"
cd "$work/src"
rm -rf vendor
# Drop the staging replaces and pin every staging module at the release that matches.
sed -i -E '/^[[:space:]]*k8s\.io\/[a-z0-9-]+ => \.\/staging\//d' go.mod
sed -i -E "s#^([[:space:]]*k8s\.io/[a-z0-9-]+) v0\.0\.0\$#\1 $staging#" go.mod
log "building ${bins[*]} (cold: about 15 CPU-minutes)"
mkdir -p "$work/bin"
go build -trimpath -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=$version" -o "$work/bin/" \
  "${bins[@]/#/./cmd/}"
mkdir -p "$out"
for b in "${bins[@]}"; do mv "$work/bin/$b" "$out/$b"; done
log "cached in $out"
echo "$out"
