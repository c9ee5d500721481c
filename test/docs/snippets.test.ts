import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { compiledLibraryIsFresh } from '../support/build-freshness';

/**
 * Every TypeScript block of README.md and docs/*.md type-checks against the public API, imported
 * as a user imports it (`from 'cdk8s-guardrails'`, mapped to build/lib/index.d.ts). Each block is its own
 * module and sees CONTEXT: a few declared objects the guides talk about (`chart`, `userService`,
 * ...) and, when it has no `import` lines (a fragment of an app), every exported name of the
 * package and the usual cdk8s names. Either way only exported names resolve.
 */
const ROOT = path.join(__dirname, '..', '..');
const DOCS = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter(f => f.endsWith('.md')).sort().map(f => `docs/${f}`)];

const DECLARED: Record<string, string> = {
  app: "import('cdk8s').App", chart: "import('cdk8s').Chart", cluster: "import('cdk8s').Chart", clusterChart: "import('cdk8s').Chart",
  userService: "import('cdk8s-guardrails').SecureDeployment", frontend: "import('cdk8s-guardrails').SecureDeployment",
  legacyDeployment: "import('cdk8s-guardrails').SecureDeployment", postgres: "import('cdk8s-guardrails').PostgresDatabase",
  redis: "import('cdk8s-guardrails').RedisCache", fastSsd: "import('cdk8s-guardrails').EncryptedStorageClass",
};

/**
 * What a block sees besides its own code: the DECLARED objects (unless it declares them itself)
 * and, for a fragment without `import` lines, the package's exports and the usual cdk8s names.
 */
const CONTEXT = (exported: readonly string[], code: string): string => {
  const own = (name: string) => new RegExp(`\\b(const|let|var|class|function|type|interface)\\s+(\\{[^}]*)?\\b${name}\\b`).test(code);
  const imports = /^import /m.test(code) ? [] : [
    "import { ApiObject, App, Chart, Duration, Size, Testing } from 'cdk8s';",
    "import * as kplus from 'cdk8s-plus-28';",
    "import { Construct } from 'constructs';",
    `import { ${exported.filter(n => !own(n)).join(', ')} } from 'cdk8s-guardrails';`,
  ];
  return [...imports, ...Object.entries(DECLARED).filter(([n]) => !own(n)).map(([n, t]) => `declare const ${n}: ${t};`), ''].join('\n');
};

interface Snippet { readonly doc: string; readonly line: number; readonly code: string; readonly file: string }

function extractSnippets(): Snippet[] {
  const snippets: Snippet[] = [];
  for (const doc of DOCS) {
    const lines = fs.readFileSync(path.join(ROOT, doc), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const open = /^(\s*)```(ts|typescript)\s*$/.exec(lines[i]);
      if (!open) continue;
      const indent = open[1].length;
      const body: string[] = [];
      let j = i + 1;
      for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]); j++) body.push(lines[j].slice(indent));
      const file = path.join(ROOT, '.doc-snippets', `${doc.replace(/[/.]/g, '_')}_${i + 1}.ts`);
      snippets.push({ doc, line: i + 2, code: body.join('\n'), file });
      i = j;
    }
  }
  return snippets;
}

/**
 * The declarations `tsc -b` wrote (build/lib/index.d.ts, what a user's compiler reads) when they
 * are current, the sources otherwise (jest run alone after an edit). Checking against the
 * declarations keeps this test from type-checking the library a second time.
 */
function publicApiEntry(): string {
  const declarations = path.join(ROOT, 'build', 'lib', 'index.d.ts');
  return fs.existsSync(declarations) && compiledLibraryIsFresh() ? declarations : path.join(ROOT, 'lib', 'index.ts');
}

describe('documentation snippets', () => {
  const snippets = extractSnippets();

  test('there are TypeScript snippets to check', () => {
    expect(snippets.length).toBeGreaterThan(15);
  });

  test('every TypeScript block of README.md and docs/*.md compiles against the public API', () => {
    const entryFile = publicApiEntry();
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
      lib: ['lib.es2022.d.ts'], strict: true, esModuleInterop: true, skipLibCheck: true, noEmit: true, types: ['node', 'jest'],
      baseUrl: ROOT, paths: { 'cdk8s-guardrails': [path.relative(ROOT, entryFile)] },
    };
    const entry = ts.createProgram([entryFile], options);
    const checker = entry.getTypeChecker();
    const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(entry.getSourceFile(entryFile)!)!).map(e => e.name);
    const prelude = (s: Snippet) => CONTEXT(exported, s.code);
    // `export {}` makes each block a module, so blocks do not share top-level names.
    const virtual = new Map(snippets.map(s => [s.file, `${prelude(s)}${s.code}\nexport {};\n`]));
    const host = ts.createCompilerHost(options);
    const { getSourceFile, fileExists, readFile } = host;
    host.fileExists = f => virtual.has(f) || fileExists.call(host, f);
    host.readFile = f => virtual.get(f) ?? readFile.call(host, f);
    host.getSourceFile = (f, lang, ...rest) => virtual.has(f)
      ? ts.createSourceFile(f, virtual.get(f)!, lang)
      : getSourceFile.call(host, f, lang, ...rest);
    const program = ts.createProgram([...virtual.keys()], options, host, entry); // reuses the parsed library
    const failures: string[] = [];
    for (const s of snippets) {
      for (const d of ts.getPreEmitDiagnostics(program, program.getSourceFile(s.file))) {
        const { line } = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: 0 };
        const offset = prelude(s).split('\n').length - 1;
        failures.push(`${s.doc}:${s.line + line - offset}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
      }
    }
    expect(failures).toEqual([]);
  });

  test('snippets import the library only from its package entry point', () => {
    const deep = snippets.filter(s => /from '(\.{1,2}\/|cdk8s-guardrails\/)/.test(s.code)).map(s => `${s.doc}:${s.line}`);
    expect(deep).toEqual([]);
  });
});
