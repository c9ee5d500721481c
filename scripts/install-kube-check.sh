#!/usr/bin/env bash
# Installs tools/kube-check, the oracle the hardening tests ask what real Kubernetes code says:
# the Pod Security Standards verdict of k8s.io/pod-security-admission v0.28.15, what kubectl's
# YAML 1.1 reader (sigs.k8s.io/yaml) decodes from our YAML, and resource.ParseQuantity. All are
# pinned in tools/kube-check/go.mod. .tools/bin/kube-check links to the per-machine build.
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/install-go-tool.sh" kube-check kube-check
