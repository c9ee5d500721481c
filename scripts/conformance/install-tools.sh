#!/usr/bin/env bash
# Installs the pinned conformance tools into .tools/bin (gitignored) with `go install` through the
# Go module proxy, and fetches the Kubernetes OpenAPI document of the bundled target (1.37) (a file of the k8s.io/kubernetes
# Go module) that scripts/conformance/gen-schemas.mjs turns into kubeconform's offline schemas.
#
# Idempotent: a tool whose binary and pin stamp (.tools/bin/.<tool>.pin) match is not rebuilt.
# Everything Go downloads or builds stays under .tools/go, so `rm -rf .tools` is a true cold start.
#
# A tool the module proxy refuses is recorded in .tools/status/<tool> (the reason, one line) and the
# script goes on: the conformance run reports that tool as UNAVAILABLE with that reason instead of
# passing silently. Set CONFORMANCE_REQUIRE_ALL=1 to make a refused tool fail this script.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="${CONFORMANCE_TOOLS_DIR:-$ROOT/.tools}"

# name|package@version (the version is what `go install` resolves through the proxy)
PINS=(
  "kube-linter|golang.stackrox.io/kube-linter/cmd/kube-linter@v0.8.3"
  "kube-score|github.com/zegl/kube-score/cmd/kube-score@v1.20.0"
  # Polaris tags v10.x without a /v10 module suffix, so Go cannot resolve its tags as versions:
  # the pin is the commit of tag v10.2.2.
  "polaris|github.com/fairwindsops/polaris@dafa0b74fc09a9505849b0a6f8c78f1c364d0112"
  "kubeconform|github.com/yannh/kubeconform/cmd/kubeconform@v0.8.0"
)
# The Kubernetes release whose api/openapi-spec/swagger.json feeds the core schemas.
K8S_MODULE="k8s.io/kubernetes@v1.37.2"

mkdir -p "$TOOLS/bin" "$TOOLS/status"
export GOBIN="$TOOLS/bin"
# The machine's own Go module and build caches (not .tools/): a fresh clone in CI then reuses
# what an earlier run on the same machine built, instead of compiling every tool again.
export GOFLAGS="-modcacherw -buildvcs=false"
export GOTOOLCHAIN=local
export CGO_ENABLED=0

refused=0
for pin in "${PINS[@]}"; do
  name="${pin%%|*}"
  pkg="${pin#*|}"
  stamp="$GOBIN/.$name.pin"
  if [[ -x "$GOBIN/$name" && -f "$stamp" && "$(head -n1 "$stamp" | cut -d' ' -f1)" == "$pkg" ]]; then
    echo "conformance: $name already installed ($pkg)"
    rm -f "$TOOLS/status/$name"
    continue
  fi
  echo "conformance: go install $pkg"
  start=$SECONDS
  if log="$(go install "$pkg" 2>&1)"; then
    echo "$pkg" >"$stamp"
    rm -f "$TOOLS/status/$name"
    echo "conformance: installed $name in $((SECONDS - start))s"
  else
    reason="$(printf '%s\n' "$log" | grep -v '^\s*$' | tail -n1)"
    case "$log" in
      *"403 Forbidden"*) reason="the Go module proxy refuses the module here (403 Forbidden: module version not available)" ;;
    esac
    printf 'go install %s failed: %s\n' "$pkg" "$reason" >"$TOOLS/status/$name"
    echo "conformance: WARNING: $name not installed: $reason" >&2
    refused=$((refused + 1))
  fi
done

# The Kubernetes OpenAPI document: downloaded once into the module cache, then only read.
k8s_dir="$(go mod download -json "$K8S_MODULE" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const m=JSON.parse(s);if(m.Error){console.error(m.Error);process.exit(1)}console.log(m.Dir)})')"
echo "$k8s_dir/api/openapi-spec/swagger.json" >"$TOOLS/k8s-openapi.path"
echo "conformance: Kubernetes OpenAPI from $K8S_MODULE"

if [[ "$refused" -gt 0 && "${CONFORMANCE_REQUIRE_ALL:-0}" == "1" ]]; then
  echo "conformance: $refused tool(s) could not be installed and CONFORMANCE_REQUIRE_ALL=1" >&2
  exit 1
fi
