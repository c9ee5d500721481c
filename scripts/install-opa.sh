#!/usr/bin/env bash
# Installs a pinned OPA (the engine Gatekeeper embeds) into .tools/bin, built from source via the Go
# module proxy. Idempotent: does nothing when .tools/bin/opa already reports the pinned version.
# Used by `npm run install:opa` and by CI before `npm test` (the Rego tests need the binary).
set -euo pipefail

OPA_VERSION="v0.70.0"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/.tools/bin"
opa="$bin/opa"

# `opa version` output is captured, not piped into grep -q/head: with pipefail an early-closing
# reader would kill opa with SIGPIPE and fail the script.
installed_version() {
  [[ -x "$opa" ]] || return 0
  local out
  out="$("$opa" version 2>/dev/null || true)"
  sed -n 's/^Version: //p' <<<"$out"
}

if [[ "$(installed_version)" == "${OPA_VERSION#v}" ]]; then
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
installed="$(installed_version)"
if [[ "$installed" != "${OPA_VERSION#v}" ]]; then
  echo "install-opa: expected opa ${OPA_VERSION#v} at $opa, found '${installed}'" >&2
  exit 1
fi
echo "installed opa ${installed} at $opa"
