#!/usr/bin/env bash
# Installs the library as an app team would: packs it (`npm pack`, which builds through prepack),
# copies examples/app-repo/ to a temp folder outside this repository, installs the tarball there
# (nothing resolves into this repository: no NODE_PATH, no link), then runs the template's
# type check, jest (snapshot written, then checked with --ci), `cdk8s synth` with the policy-pack
# validation plugin, and two synths that must fail on a policy violation (the app's own check, then
# the plugin), naming the object and its construct. Prints each step and its time.
# Usage: bash scripts/ci/app-repo-check.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
unset NODE_PATH
start=$SECONDS
step() { echo "== app-repo-check [$((SECONDS - start)) s] $*"; }

step "npm pack (prepack builds lib/ and imports/)"
tarball="$(cd "$root" && npm pack --silent --pack-destination "$work" | tail -1)"
echo "   $tarball: $(tar tzf "$work/$tarball" | wc -l) files"

step "copy examples/app-repo to $work/app"
cp -R "$root/examples/app-repo" "$work/app"
cd "$work/app"
npm pkg set "dependencies.cdk8s-guardrails=file:../$tarball"

step "npm install (the tarball, its peers, cdk8s-cli, TypeScript)"
npm install --no-audit --no-fund --loglevel=error >/dev/null
node -e "const p=require('cdk8s-guardrails/package.json');console.log('   cdk8s-guardrails', p.version, 'from', require.resolve('cdk8s-guardrails'))"
case "$(node -p "require.resolve('cdk8s-guardrails')")" in "$root"*) echo "resolved into the library repository" >&2; exit 1;; esac

step "tsc --noEmit"
npx tsc --noEmit

step "jest (writes the snapshot), then jest --ci (the snapshot must hold)"
npx jest --ci=false --silent   # CI=true makes jest --ci, which would not write the new snapshot
npx jest --ci --silent

step "cdk8s synth (compiles main.ts, synthesizes, runs the validation plugin)"
npx cdk8s synth --no-check-upgrade > synth.log 2>&1 || { cat synth.log; exit 1; }
grep -q "cdk8s-guardrails policy pack" synth.log || { cat synth.log; echo "the validation plugin did not run" >&2; exit 1; }
test -s dist/shop.k8s.yaml
echo "   dist/shop.k8s.yaml: $(grep -c '^kind:' dist/shop.k8s.yaml) objects; $(grep -m1 'cdk8s-guardrails policy pack' synth.log)"

step "an image outside the allowed registry: the app's own policyCheckHook must stop the synth"
sed -i 's#registry.example.com/shop/frontend:2.0.1#docker.io/library/nginx:1.27#' main.ts
if npx cdk8s synth --no-check-upgrade > bad.log 2>&1; then cat bad.log; echo "a policy violation did not fail cdk8s synth" >&2; exit 1; fi
grep -q "\[shop/frontend/Deployment/Resource\] Deployment shop/frontend violates" bad.log || { cat bad.log; echo "the error does not name the Deployment and its construct" >&2; exit 1; }
grep -m1 "Deployment shop/frontend violates" bad.log | sed 's/^/   /'

step "the same without the hook: the validation plugin must fail the synth and name the object and construct"
sed -i 's#beforeWrite: \[policyCheckHook(POLICIES)\]#beforeWrite: []#' main.ts
node -e "const f='tsconfig.json',c=require('./'+f);c.compilerOptions.noUnusedLocals=false;require('fs').writeFileSync(f,JSON.stringify(c))"
if npx cdk8s synth --no-check-upgrade > bad.log 2>&1; then cat bad.log; echo "a policy violation did not fail cdk8s synth" >&2; exit 1; fi
grep -q "Resource Name: Deployment shop/frontend" bad.log || { cat bad.log; echo "the report does not name the Deployment" >&2; exit 1; }
grep -q "Construct Path: shop/frontend/Deployment/Resource" bad.log || { cat bad.log; echo "the report does not name the construct" >&2; exit 1; }
grep -m2 "Construct Path\|Resource Name" bad.log | sed 's/^ */   /'

step "done: the packed library works in an app repo outside this one"
