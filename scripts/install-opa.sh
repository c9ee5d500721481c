#!/usr/bin/env bash
# Installs the Rego evaluator the Gatekeeper tests run: tools/rego-eval, OPA's own engine (the `rego`
# package of github.com/open-policy-agent/opa, pinned in tools/rego-eval/go.mod) behind the subset of
# `opa eval` the tests use. Building only the evaluator, not the whole `opa` command, is several
# times cheaper on a cold machine (35 s against about 11 minutes here). .tools/bin/opa links to the
# per-machine build; set OPA_BIN to use a real `opa` binary instead.
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/install-go-tool.sh" rego-eval opa
