#!/usr/bin/env bash
# Installs a pinned OPA (the engine Gatekeeper embeds) into .tools/bin, built from source via the Go
# module proxy. Idempotent: does nothing when .tools/bin/opa already reports the pinned version.
# Used by `npm run install:opa` and by CI before `npm test` (the Rego tests need the binary).
set -euo pipefail

OPA_VERSION="v0.70.0"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/.tools/bin"
opa="$bin/opa"

if [[ -x "$opa" ]] && "$opa" version 2>/dev/null | grep -qx "Version: ${OPA_VERSION#v}"; then
  echo "opa ${OPA_VERSION} already installed at $opa"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "install-opa: 'go' is not on PATH; install Go 1.22+ first" >&2
  exit 1
fi

mkdir -p "$bin"
echo "installing opa ${OPA_VERSION} into $bin (go install, first run takes a few minutes)"
GOBIN="$bin" GOFLAGS="${GOFLAGS:-} -trimpath" CGO_ENABLED=0 \
  go install "github.com/open-policy-agent/opa@${OPA_VERSION}"
"$opa" version | head -1
