#!/usr/bin/env bash
# Builds one of the repo's small Go tools (tools/<name>: its own go.mod and go.sum pin every
# dependency) and links .tools/bin/<link> to the build. Used by scripts/install-opa.sh and
# scripts/install-kube-check.sh.
#
#   scripts/install-go-tool.sh <name> <link>
#
# The binary is cached per machine under ${GUARDRAILS_CACHE:-~/.cache/cdk8s-guardrails}/<name>/,
# keyed by the hash of the tool's source, so another clone (CI) or `rm -rf .tools` does not build
# it again. A build prints a line a minute, so a cold first run never looks stuck.
set -euo pipefail

name="${1:?usage: install-go-tool.sh <name> <link>}"
link_name="${2:?usage: install-go-tool.sh <name> <link>}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/tools/$name"
cache="${GUARDRAILS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-guardrails}"
key="$(cd "$src" && cat go.mod go.sum $(ls *.go | sort) | sha256sum | cut -c1-16)"
built="$cache/$name/$key/$link_name"
link="$root/.tools/bin/$link_name"

mkdir -p "$root/.tools/bin"
if [[ ! -x "$built" ]]; then
  command -v go >/dev/null 2>&1 || { echo "install-$name: 'go' is not on PATH; install Go 1.22+ first" >&2; exit 1; }
  echo "install-$name: building tools/$name into $built (first build on a machine; later runs reuse it)"
  start=$SECONDS
  mkdir -p "$(dirname "$built")"
  ( cd "$src" && GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false" \
      go build -trimpath -o "$built.tmp.$$" . ) &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 5
    if (( (SECONDS - start) % 60 < 5 && SECONDS - start >= 60 )); then echo "install-$name: still building ($((SECONDS - start)) s)"; fi
  done
  wait "$pid"
  mv "$built.tmp.$$" "$built"
  echo "install-$name: built in $((SECONDS - start)) s"
fi
ln -sfn "$built" "$link"
echo "install-$name: $link -> $built"
