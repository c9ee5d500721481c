#!/usr/bin/env bash
# Installs the Rego evaluator the Gatekeeper tests run: tools/rego-eval, OPA's own engine (the `rego`
# package of github.com/open-policy-agent/opa, pinned in tools/rego-eval/go.mod) behind the subset of
# `opa eval` the tests use. Building only the evaluator, not the whole `opa` command, is several
# times cheaper on a cold machine.
#
# The binary is cached per machine under ${GUARDRAILS_CACHE:-~/.cache/cdk8s-guardrails}, keyed by
# the hash of tools/rego-eval, so another clone (CI) or a `rm -rf .tools` does not build it again;
# .tools/bin/opa links to it. Set OPA_BIN to use a real `opa` binary instead.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/tools/rego-eval"
cache="${GUARDRAILS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-guardrails}"
key="$(cat "$src/go.mod" "$src/go.sum" "$src/main.go" | sha256sum | cut -c1-16)"
built="$cache/rego-eval/$key/opa"
link="$root/.tools/bin/opa"

mkdir -p "$root/.tools/bin"
if [[ ! -x "$built" ]]; then
  command -v go >/dev/null 2>&1 || { echo "install-opa: 'go' is not on PATH; install Go 1.22+ first" >&2; exit 1; }
  echo "install-opa: building the Rego evaluator (OPA $(sed -n 's/^require github.com\/open-policy-agent\/opa //p' "$src/go.mod")) into $built"
  echo "install-opa: first build on a machine takes a few minutes; later runs reuse it"
  start=$SECONDS
  mkdir -p "$(dirname "$built")"
  ( cd "$src" && GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false" \
      go build -trimpath -o "$built.tmp" . ) &
  pid=$!
  # Progress for a newcomer: a line a minute while the compiler runs.
  while kill -0 "$pid" 2>/dev/null; do
    sleep 5
    if (( (SECONDS - start) % 60 < 5 && SECONDS - start >= 60 )); then
      echo "install-opa: still building ($((SECONDS - start)) s)"
    fi
  done
  wait "$pid"
  mv "$built.tmp" "$built"
  echo "install-opa: built in $((SECONDS - start)) s"
fi
ln -sfn "$built" "$link"
echo "install-opa: $link -> $built"
