import { IConstruct } from 'constructs';
import { fail, show } from '../common/errors';

/** Checks an absolute path on a node for `scope` and returns it. */
export function requireNodePath(scope: IConstruct, what: string, path: string): string {
  if (!/^\/[^\s]*[^/\s]$/.test(path) || path.split('/').includes('..')) {
    fail(scope, `${what} ${show(path)} must be an absolute file path on the node without spaces or '..', e.g. '/etc/kubernetes/audit-policy.yaml'.`);
  }
  return path;
}
