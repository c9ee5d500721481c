import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { validateDns1123Label } from './validation';

/**
 * The namespace a namespaced object lands in: the one given, else its chart's, else `default`
 * (where kubectl would put it); fails unless it is a DNS-1123 label.
 */
export function resolveNamespace(scope: IConstruct, given: string | undefined): string {
  const namespace = given ?? Chart.of(scope).namespace ?? 'default';
  validateDns1123Label(scope, 'namespace', namespace);
  return namespace;
}
