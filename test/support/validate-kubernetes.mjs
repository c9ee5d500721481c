// Validates Kubernetes objects (JSON array on stdin) with kubernetes-models, which ships only
// as ES modules: jest (CommonJS) runs this file in a child node process. Prints a JSON array of
// { object, errors } for the invalid ones, and objects of kinds it does not know as errors too.
import { readFileSync } from 'node:fs';

const input = JSON.parse(readFileSync(0, 'utf8'));
const problems = [];
for (const object of input) {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  // Import only the group/version module: the whole package takes seconds to load.
  const module = await import(`kubernetes-models/${group === '' ? version : `${group}/${version}`}`).catch(() => undefined);
  const Model = module?.[object.kind];
  const name = `${object.apiVersion} ${object.kind} ${object.metadata?.name}`;
  if (Model === undefined) {
    problems.push({ object: name, errors: ['unknown kind'] });
    continue;
  }
  try {
    new Model(object).validate();
  } catch (error) {
    problems.push({ object: name, errors: [String(error.message ?? error)] });
  }
}
process.stdout.write(JSON.stringify(problems));
