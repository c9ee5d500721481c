#!/usr/bin/env bash
# Proves the peerDependencies ranges of package.json: for the lowest and the newest versions each
# range allows, installs them (with the runtime dependencies and TypeScript) in a temp folder
# outside this repo, compiles lib/ and imports/ against them (tsc, strict, as `npm run build`)
# and synthesizes a small chart with the compiled library (SecureDeployment, RestrictedNamespace,
# the policy pack). Prints each step and its time. Usage: bash scripts/ci/peer-range-check.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
start=$SECONDS
step() { echo "== peer-range-check [$((SECONDS - start)) s] $*"; }

# "name range" lines for the peers, and name@range for the runtime dependencies and typescript.
peers=$(node -e "const p=require('$root/package.json');for(const[k,v]of Object.entries(p.peerDependencies))console.log(k+' '+v)")
# A runtime dependency without bundled types (js-yaml) compiles with its @types package, which is a
# devDependency: the published .d.ts files never name it, so users do not need it.
runtime=$(node -e "const p=require('$root/package.json');const d=p.devDependencies;console.log(Object.entries(p.dependencies).map(([k,v])=>k+'@'+v).join(' '), Object.keys(p.dependencies).filter(k=>d['@types/'+k]).map(k=>'@types/'+k+'@'+d['@types/'+k]).join(' '), 'typescript@'+d.typescript, '@types/node@'+d['@types/node'])")

for bound in lowest newest; do
  dir="$work/$bound"
  mkdir -p "$dir"
  cp -R "$root/lib" "$root/imports" "$dir/"
  specs=()
  while read -r name range; do
    if [ "$bound" = lowest ]; then
      # The lowest version the range allows: its floor (the ranges are all ^x.y.z).
      specs+=("$name@${range#^}")
    else
      specs+=("$name@$range")
    fi
  done <<< "$peers"
  step "$bound: npm install ${specs[*]}"
  (cd "$dir" && npm init -y >/dev/null && npm install --no-audit --no-fund --no-package-lock --loglevel=error "${specs[@]}" $runtime >/dev/null)
  (cd "$dir" && node -e "for (const p of ['cdk8s','cdk8s-plus-28','constructs']) console.log('   ', p, require(p + '/package.json').version)")
  cat > "$dir/tsconfig.json" <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022", "module": "commonjs", "moduleResolution": "node", "lib": ["ES2022"],
    "strict": true, "noImplicitReturns": true, "noFallthroughCasesInSwitch": true,
    "noUnusedLocals": true, "noUnusedParameters": true, "esModuleInterop": true, "resolveJsonModule": true,
    "declaration": true, "types": ["node"], "rootDir": ".", "outDir": "build"
  },
  "include": ["lib/**/*.ts", "imports/**/*.ts"]
}
JSON
  step "$bound: tsc (lib/ and imports/, declarations, strict)"
  (cd "$dir" && npx tsc -p tsconfig.json)
  step "$bound: synthesize a chart with the compiled library"
  (cd "$dir" && node -e "
    const { App, Chart } = require('cdk8s');
    const g = require('./build/lib');
    const app = new App({ outdir: 'out' });
    const chart = new Chart(app, 'shop', { namespace: 'production' });
    new g.RestrictedNamespace(chart, 'ns', { name: 'production' });
    new g.SecureDeployment(chart, 'api', { image: 'registry.example.com/api:1.0.0', ports: [{ name: 'http', number: 8080 }] });
    g.enforcePolicies(app, new g.PolicyPack());
    app.synth();
    const n = require('fs').readFileSync('out/shop.k8s.yaml', 'utf8').split(/^---$/m).length;
    console.log('    shop.k8s.yaml:', n, 'objects');
  ")
done
step "done: the peer ranges build and synthesize at both ends"
