#!/usr/bin/env bash
# Installs tools/kube-check, the oracle the hardening tests ask what real Kubernetes code says:
# the Pod Security Standards verdict of k8s.io/pod-security-admission v0.28.15 and what kubectl's
# YAML 1.1 reader (sigs.k8s.io/yaml) decodes from our YAML. Both are pinned in tools/kube-check/go.mod.
#
# Cached per machine under ${GUARDRAILS_CACHE:-~/.cache/cdk8s-guardrails}, keyed by the hash of
# tools/kube-check, like scripts/install-opa.sh; .tools/bin/kube-check links to it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/tools/kube-check"
cache="${GUARDRAILS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-guardrails}"
key="$(cat "$src/go.mod" "$src/go.sum" "$src/main.go" | sha256sum | cut -c1-16)"
built="$cache/kube-check/$key/kube-check"
link="$root/.tools/bin/kube-check"

mkdir -p "$root/.tools/bin"
if [[ ! -x "$built" ]]; then
  command -v go >/dev/null 2>&1 || { echo "install-kube-check: 'go' is not on PATH; install Go 1.22+ first" >&2; exit 1; }
  echo "install-kube-check: building tools/kube-check into $built (about a minute on a cold machine)"
  start=$SECONDS
  mkdir -p "$(dirname "$built")"
  ( cd "$src" && GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false" \
      go build -trimpath -o "$built.tmp.$$" . )
  mv "$built.tmp.$$" "$built"
  echo "install-kube-check: built in $((SECONDS - start)) s"
fi
ln -sfn "$built" "$link"
