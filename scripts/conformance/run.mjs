// `npm run conformance`: runs the ecosystem's validators over every tree of dist/ at their default
// settings, checks that each of them flags the negative-control fixtures, prints a summary per tool
// and keeps it in docs/conformance.md (between the generated-section markers; no timestamps).
//
// Exit status 1 when: a bundled stack has a finding; an exclusion annotation has no written reason;
// a tool reports nothing on test/fixtures/conformance-bad; a tool crashes or prints unreadable output.
//
// Options: --no-synth      use the existing dist/ instead of running `npm run synth` first
//          --no-doc        do not rewrite docs/conformance.md
//          --dist <dir>    the folder of synthesized trees (default dist)
// Environment: CONFORMANCE_REQUIRE_ALL=1 fails the run when a tool could not be installed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { constraintSchema, writeJson } from './schema-convert.mjs';

const ROOT = join(import.meta.dirname, '..', '..');
const TOOLS = process.env.CONFORMANCE_TOOLS_DIR ?? join(ROOT, '.tools');
const BIN = join(TOOLS, 'bin');
const SCHEMAS = join(TOOLS, 'schemas');
/** Schemas of the Gatekeeper constraint kinds the tree's own ConstraintTemplates define (per tree). */
const CONSTRAINT_SCHEMAS = join(TOOLS, 'constraint-schemas');
const CRDS = join(ROOT, 'crds');
const NEGATIVE = join(ROOT, 'test', 'fixtures', 'conformance-bad');
const DOC = join(ROOT, 'docs', 'conformance.md');
const K8S_VERSION = '1.37.2';

/** Where a written reason for an exclusion lives: `<REASON_PREFIX><check id>: <reason>`. */
export const REASON_PREFIX = 'conformance.cdk8s-guardrails.io/reason.';

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const DIST = resolve(ROOT, option('dist', 'dist'));

function run(cmd, cmdArgs, { allowFail = true } = {}) {
  const r = spawnSync(cmd, cmdArgs, { cwd: ROOT, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (!allowFail && r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr);
    throw new Error(`${cmd} ${cmdArgs.join(' ')} exited ${r.status}`);
  }
  return r;
}

function yamlFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...yamlFiles(path));
    else if (/\.ya?ml$/.test(entry)) out.push(path);
  }
  return out;
}

function loadObjects(files) {
  const objects = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const obj = doc.toJS();
      if (obj && typeof obj === 'object' && obj.kind) objects.push({ file, obj });
    }
  }
  return objects;
}

const ref = (kind, namespace, name) => `${kind}/${namespace ? `${namespace}/` : ''}${name}`;

// ------------------------------------------------------------------------------------- tools

/** Each tool: how to run it over a folder and turn its output into findings. */
const TOOL_SPECS = [
  {
    name: 'kube-linter',
    pin: 'golang.stackrox.io/kube-linter v0.8.3',
    command: 'kube-linter lint --format json <YAML files of the tree>',
    // The exit code alone must fail CI on a bad tree (not only the parsed output).
    gate: (bin, tree, files) => run(bin, ['lint', ...files]).status,
    exec(bin, tree, files) {
      const r = run(bin, ['lint', '--format', 'json', ...files]);
      const out = JSON.parse(r.stdout);
      if (r.status !== 0 && !(out.Reports?.length > 0)) throw new Error(`kube-linter exited ${r.status}: ${r.stderr.trim()}`);
      const findings = (out.Reports ?? []).map((rep) => {
        const o = rep.Object.K8sObject;
        return { object: ref(o.GroupVersionKind.Kind, o.Namespace, o.Name), check: rep.Check, message: rep.Diagnostic.Message };
      });
      return { checked: null, findings };
    },
  },
  {
    name: 'kube-score',
    pin: 'github.com/zegl/kube-score v1.20.0',
    command: 'kube-score score --output-format json <YAML files of the tree>',
    exec(bin, tree, files) {
      const r = run(bin, ['score', '--output-format', 'json', ...files]);
      if (r.status !== 0 && r.status !== 1) throw new Error(`kube-score exited ${r.status}: ${r.stderr.trim()}`);
      // kube-score prints `null` for a tree with nothing it scores (only cluster kinds and CRs).
      const out = JSON.parse(r.stdout) ?? [];
      const findings = [];
      for (const o of out) {
        for (const c of o.checks) {
          // kube-score's grades: 1 critical, 5 warning, 7 almost OK, 10 OK. Its default human
          // output flags critical and warning; both count as findings here.
          if (c.skipped || c.grade > 5) continue;
          const summaries = (c.comments ?? []).map((x) => `${x.path ? `${x.path}: ` : ''}${x.summary}`);
          findings.push({
            object: ref(o.type_meta.kind, o.object_meta.namespace, o.object_meta.name),
            check: c.check.id,
            message: `${c.grade === 1 ? 'CRITICAL' : 'WARNING'}: ${summaries.join('; ')}`,
          });
        }
      }
      return { checked: out.length, findings };
    },
  },
  {
    name: 'polaris',
    pin: 'github.com/fairwindsops/polaris v10.2.2',
    command: 'polaris audit --audit-path <tree> --format json',
    // Polaris exits 0 on danger findings unless told otherwise.
    gate: (bin, tree) => run(bin, ['audit', '--audit-path', tree, '--format', 'score', '--set-exit-code-on-danger', '--set-exit-code-below-score', '100']).status,
    exec(bin, tree) {
      const r = run(bin, ['audit', '--audit-path', tree, '--format', 'json']);
      if (r.status !== 0) throw new Error(`polaris exited ${r.status}: ${r.stderr.trim()}`);
      const out = JSON.parse(r.stdout);
      const findings = [];
      const collect = (object, results, where) => {
        for (const res of Object.values(results ?? {})) {
          if (res.Success || res.Severity === 'ignore') continue;
          findings.push({ object, check: res.ID, message: `${res.Severity}: ${where}${res.Message}` });
        }
      };
      for (const o of out.Results ?? []) {
        const object = ref(o.Kind, o.Namespace, o.Name);
        collect(object, o.Results, '');
        collect(object, o.PodResult?.Results, '');
        for (const c of o.PodResult?.ContainerResults ?? []) collect(object, c.Results, `container ${c.Name}: `);
      }
      return { checked: (out.Results ?? []).length, findings };
    },
  },
  {
    name: 'kubeconform',
    pin: 'github.com/yannh/kubeconform v0.8.0',
    command: `kubeconform -strict -summary -output json -kubernetes-version ${K8S_VERSION} -schema-location <generated core> -schema-location <generated CRDs> <YAML files of the tree>`,
    exec(bin, tree, files) {
      writeConstraintSchemas(loadObjects(files));
      const r = run(bin, [
        '-strict', '-summary', '-output', 'json',
        '-kubernetes-version', K8S_VERSION,
        '-schema-location', SCHEMAS,
        '-schema-location', join(SCHEMAS, 'crds', '{{.Group}}', '{{.ResourceKind}}_{{.ResourceAPIVersion}}.json'),
        '-schema-location', join(CONSTRAINT_SCHEMAS, '{{.Group}}', '{{.ResourceKind}}_{{.ResourceAPIVersion}}.json'),
        ...files,
      ]);
      const out = JSON.parse(r.stdout);
      if (r.status !== 0 && !(out.resources?.length > 0)) throw new Error(`kubeconform exited ${r.status}: ${r.stderr.trim()}`);
      const findings = (out.resources ?? [])
        .filter((res) => res.status !== 'statusValid' && res.status !== 'statusSkipped')
        .map((res) => ({ object: ref(res.kind, undefined, res.name), check: res.status.replace(/^status/, '').toLowerCase(), message: res.msg }));
      const s = out.summary ?? {};
      return { checked: (s.valid ?? 0) + (s.invalid ?? 0) + (s.errors ?? 0) + (s.skipped ?? 0), findings };
    },
  },
];

/** Gatekeeper serves a constraint kind once its ConstraintTemplate exists: derive its schema the same way. */
function writeConstraintSchemas(objects) {
  rmSync(CONSTRAINT_SCHEMAS, { recursive: true, force: true });
  for (const { obj } of objects) {
    if (obj.kind !== 'ConstraintTemplate' || !String(obj.apiVersion).startsWith('templates.gatekeeper.sh/')) continue;
    for (const version of ['v1', 'v1beta1', 'v1alpha1']) {
      const [kind, schema] = constraintSchema(obj, version);
      writeJson(join(CONSTRAINT_SCHEMAS, 'constraints.gatekeeper.sh', `${kind.toLowerCase()}_${version}.json`), schema);
    }
  }
}

// ------------------------------------------------------------------------------- exclusions

/** Every exclusion annotation in the objects, with its written reason (or none). */
function exclusions(objects) {
  const found = [];
  for (const { obj } of objects) {
    const object = ref(obj.kind, obj.metadata?.namespace, obj.metadata?.name);
    const annotationSets = [obj.metadata?.annotations ?? {}, obj.spec?.template?.metadata?.annotations ?? {}];
    for (const annotations of annotationSets) {
      const reasonFor = (check) => annotations[`${REASON_PREFIX}${check}`] ?? obj.metadata?.annotations?.[`${REASON_PREFIX}${check}`];
      for (const [key, value] of Object.entries(annotations)) {
        let m;
        if ((m = /^ignore-check\.kube-linter\.io\/(.+)$/.exec(key))) {
          found.push({ tool: 'kube-linter', object, check: m[1], reason: reasonFor(m[1]) ?? (String(value).trim() || undefined) });
        } else if (key === 'kube-score/ignore') {
          for (const check of String(value).split(',').map((c) => c.trim()).filter(Boolean)) {
            found.push({ tool: 'kube-score', object, check, reason: reasonFor(check) });
          }
        } else if ((m = /^polaris\.fairwinds\.com\/(.+)-exempt$/.exec(key)) && String(value) === 'true') {
          found.push({ tool: 'polaris', object, check: m[1], reason: reasonFor(m[1]) });
        }
      }
    }
  }
  return found.sort((a, b) => `${a.object} ${a.tool} ${a.check}`.localeCompare(`${b.object} ${b.tool} ${b.check}`));
}

// ---------------------------------------------------------------------------------- set-up

function installTools() {
  const r = spawnSync('bash', [join(ROOT, 'scripts', 'conformance', 'install-tools.sh')], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('scripts/conformance/install-tools.sh failed');
}

function generateSchemas() {
  if (!existsSync(CRDS)) {
    throw new Error(`conformance: no CRD files at ${CRDS}; the vendored CRDs (crds/README.md) are part of the repository: restore them with git.`);
  }
  const openapi = readFileSync(join(TOOLS, 'k8s-openapi.path'), 'utf8').trim();
  const hash = createHash('sha256');
  hash.update(readFileSync(join(ROOT, 'scripts', 'conformance', 'gen-schemas.mjs')));
  hash.update(openapi);
  for (const file of yamlFiles(CRDS)) hash.update(file).update(readFileSync(file));
  const digest = hash.digest('hex');
  const stamp = join(SCHEMAS, '.inputs.sha256');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === digest) return;
  run('node', [join(ROOT, 'scripts', 'conformance', 'gen-schemas.mjs'), '--openapi', openapi, '--crds', CRDS, '--out', SCHEMAS, '--k8s-version', K8S_VERSION], { allowFail: false });
  writeFileSync(stamp, digest + '\n');
}

/** kustomize's build file is not a Kubernetes object: no cluster, and so none of the tools, reads it. */
const NOT_MANIFESTS = /^kustomization\.ya?ml$/i;

/** The manifest files directly in a tree folder (a sub-folder with YAML files is a tree of its own). */
function treeFiles(dir) {
  return readdirSync(dir).sort()
    .filter((e) => /\.ya?ml$/.test(e) && !NOT_MANIFESTS.test(e) && statSync(join(dir, e)).isFile())
    .map((e) => join(dir, e));
}

/** Folders of node configuration files (kubeadm, kubelet, audit policy), never applied to the API server. */
const NOT_MANIFEST_FOLDERS = /\/control-plane$/;

/** Every folder of dist/ that holds YAML files itself (dist/<cloud>/<env>): one synthesized stack each. */
function trees() {
  if (!existsSync(DIST)) return [];
  const dirs = new Set(yamlFiles(DIST).filter((f) => !NOT_MANIFESTS.test(f.split('/').pop())).map((f) => dirname(f)).filter((d) => !NOT_MANIFEST_FOLDERS.test(d)));
  return [...dirs].sort();
}

// -------------------------------------------------------------------------------------- main

function main() {
  installTools();
  generateSchemas();
  if (!flag('no-synth')) run('npm', ['run', 'synth', '--silent'], { allowFail: false });

  const problems = [];
  const treeList = trees();
  if (treeList.length === 0) problems.push(`no synthesized trees with YAML files under ${relative(ROOT, DIST)}/`);

  const tools = TOOL_SPECS.map((spec) => {
    const bin = join(BIN, spec.name);
    const status = join(TOOLS, 'status', spec.name);
    const available = existsSync(bin);
    const pin = join(BIN, `.${spec.name}.pin`);
    // install-tools.sh writes the go-installed package; a binary built by hand says how in the stamp.
    const origin = existsSync(pin) ? readFileSync(pin, 'utf8').trim().split(/\s+/).slice(1).join(' ') : 'origin unknown';
    return { ...spec, bin, available, origin: origin || 'go install', unavailableReason: available ? undefined : (existsSync(status) ? readFileSync(status, 'utf8').trim() : 'not installed') };
  });

  const rows = []; // { tool, tree, checked, findings, exclusions }
  const allFindings = [];
  const negative = [];
  const allExclusions = [];

  for (const tree of treeList) {
    const treeName = relative(ROOT, tree);
    const files = treeFiles(tree);
    const objects = loadObjects(files);
    const excl = exclusions(objects);
    allExclusions.push(...excl.map((e) => ({ ...e, tree: treeName })));
    for (const tool of tools) {
      if (!tool.available) continue;
      let result;
      try {
        result = tool.exec(tool.bin, tree, files);
      } catch (err) {
        problems.push(`${tool.name} failed on ${treeName}: ${err.message}`);
        continue;
      }
      if (tool.gate) {
        const status = tool.gate(tool.bin, tree, files);
        if (status !== 0) problems.push(`${tool.name} exited ${status} on ${treeName} (its own exit code): the tree does not pass it`);
      }
      const checked = result.checked ?? objects.length;
      const toolExcl = excl.filter((e) => e.tool === tool.name);
      rows.push({ tool: tool.name, tree: treeName, checked, findings: result.findings.length, exclusions: toolExcl.length });
      allFindings.push(...result.findings.map((f) => ({ ...f, tool: tool.name, tree: treeName })));
    }
  }

  for (const tool of tools) {
    if (!tool.available) {
      negative.push({ tool: tool.name, findings: null });
      const msg = `${tool.name} is UNAVAILABLE: ${tool.unavailableReason}`;
      if (process.env.CONFORMANCE_REQUIRE_ALL === '1') problems.push(msg);
      else console.warn(`conformance: WARNING: ${msg}`);
      continue;
    }
    let count = 0;
    try {
      count = tool.exec(tool.bin, NEGATIVE, yamlFiles(NEGATIVE)).findings.length;
    } catch (err) {
      problems.push(`${tool.name} failed on the negative control: ${err.message}`);
    }
    if (tool.gate && tool.gate(tool.bin, NEGATIVE, yamlFiles(NEGATIVE)) === 0) {
      problems.push(`${tool.name} exited 0 on ${relative(ROOT, NEGATIVE)}: its exit code would not fail CI on bad manifests`);
    }
    negative.push({ tool: tool.name, findings: count });
    if (count === 0) problems.push(`${tool.name} reported no finding on ${relative(ROOT, NEGATIVE)}: it did not run or did not read the files`);
  }

  for (const f of allFindings) problems.push(`${f.tree}: ${f.tool} ${f.check} on ${f.object}: ${f.message}`);
  for (const e of allExclusions.filter((x) => !x.reason)) {
    problems.push(`${e.tree}: ${e.tool} exclusion of '${e.check}' on ${e.object} has no reason: add the annotation ${REASON_PREFIX}${e.check}`);
  }

  const report = renderReport({ tools, rows, negative, allFindings, allExclusions, problems });
  console.log(report);
  if (!flag('no-doc')) writeDoc(report);
  if (problems.length > 0) {
    console.error(`conformance: FAILED (${problems.length} problem(s))`);
    for (const p of problems) console.error(`  - ${p}`);
    process.exit(1);
  }
  console.log('conformance: OK');
}

// ---------------------------------------------------------------------------------- report

const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

function renderReport({ tools, rows, negative, allFindings, allExclusions, problems }) {
  const parts = [];
  parts.push('### Tools');
  parts.push(table(['Tool', 'Pinned version', 'Command (default settings)', 'Status'], tools.map((t) => [t.name, t.pin, `\`${t.command}\``, t.available ? `ran (${t.origin})` : `UNAVAILABLE: ${t.unavailableReason}`])));
  for (const tool of tools) {
    parts.push(`### ${tool.name}`);
    if (!tool.available) {
      parts.push(`Not run: ${tool.unavailableReason}`);
      continue;
    }
    const mine = rows.filter((r) => r.tool === tool.name);
    parts.push(table(['Tree', 'Objects checked', 'Findings', 'Exclusions'], mine.map((r) => [r.tree, r.checked, r.findings, r.exclusions])));
  }
  parts.push('### Negative control (`test/fixtures/conformance-bad`)');
  parts.push(table(['Tool', 'Findings', 'Verdict'], negative.map((n) => [n.tool, n.findings ?? '-', n.findings === null ? 'not run' : n.findings > 0 ? 'flags the bad manifests (as it must)' : 'FAILED: reported nothing'])));
  parts.push('### Exclusions');
  parts.push(allExclusions.length === 0
    ? 'None.'
    : table(['Tree', 'Object', 'Tool', 'Check', 'Reason'], allExclusions.map((e) => [e.tree, e.object, e.tool, e.check, e.reason ?? 'MISSING'])));
  parts.push('### Findings on the bundled stacks');
  const sortedFindings = [...allFindings].sort((a, b) => `${a.tree} ${a.tool} ${a.object} ${a.check}`.localeCompare(`${b.tree} ${b.tool} ${b.object} ${b.check}`));
  parts.push(sortedFindings.length === 0
    ? 'None.'
    : table(['Tree', 'Tool', 'Object', 'Check', 'Message'], sortedFindings.map((f) => [f.tree, f.tool, f.object, f.check, f.message])));
  parts.push(`### Verdict\n${problems.length === 0 ? 'PASS: no unexplained finding, every tool flags the negative control.' : `FAIL: ${problems.length} problem(s).`}`);
  return parts.join('\n\n');
}

const BEGIN = '<!-- conformance:begin (generated by npm run conformance; do not edit by hand) -->';
const END = '<!-- conformance:end -->';

function writeDoc(report) {
  const current = readFileSync(DOC, 'utf8');
  const start = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${relative(ROOT, DOC)} lacks the generated-section markers`);
  writeFileSync(DOC, `${current.slice(0, start + BEGIN.length)}\n\n${report}\n\n${current.slice(end)}`);
}

main();
