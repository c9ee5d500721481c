import { IConstruct } from 'constructs';
import { fail, show } from './errors';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const IANA_SVC_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** True when `name` is a DNS-1123 label (Service, Namespace, container and port names). */
export function isDns1123Label(name: string): boolean {
  return name.length <= 63 && DNS1123_LABEL.test(name);
}

/** True when `name` is a DNS-1123 subdomain (most object names). */
export function isDns1123Subdomain(name: string): boolean {
  return name.length <= 253 && DNS1123_SUBDOMAIN.test(name);
}

/** True when `value` is a valid label value (63 characters, alphanumeric at both ends). */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

/** True when `key` is a valid label or annotation key (`[prefix/]name`). */
export function isQualifiedName(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !isDns1123Subdomain(prefix)) return false;
  return name.length > 0 && name.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name);
}

/** Throws unless `name` is a DNS-1123 label; `what` names the field in the message. */
export function validateDns1123Label(scope: IConstruct, what: string, name: string): void {
  if (!isDns1123Label(name)) {
    fail(scope, `${what} ${show(name)} is not a valid DNS-1123 label: use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit (e.g. 'user-service').`);
  }
}

/** Throws unless `name` is a DNS-1123 subdomain; `what` names the field in the message. */
export function validateDns1123Subdomain(scope: IConstruct, what: string, name: string): void {
  if (!isDns1123Subdomain(name)) {
    fail(scope, `${what} ${show(name)} is not a valid DNS-1123 subdomain: use at most 253 lowercase letters, digits, '-' and '.', each part starting and ending with a letter or digit (e.g. 'user-service-config').`);
  }
}

/** Throws unless every key and value of `labels` is valid. */
export function validateLabels(scope: IConstruct, what: string, labels: Record<string, string>): void {
  for (const [key, value] of Object.entries(labels)) {
    if (!isQualifiedName(key)) {
      fail(scope, `${what} key ${show(key)} is not a valid label key: use '[prefix/]name' with a DNS subdomain prefix and a name of at most 63 alphanumerics, '-', '_' or '.'.`);
    }
    if (!isLabelValue(value)) {
      fail(scope, `${what} ${show(key)} has the value ${show(value)}, which is not a valid label value: use at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric.`);
    }
  }
}

/** Throws unless `port` is an integer in 1-65535. */
export function validatePortNumber(scope: IConstruct, what: string, port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    fail(scope, `${what} ${show(port)} is not a valid port number: use an integer from 1 to 65535.`);
  }
}

/** Throws unless `name` is a valid port name (IANA_SVC_NAME: 15 characters, one letter at least). */
export function validatePortName(scope: IConstruct, what: string, name: string): void {
  if (name.length > 15 || !IANA_SVC_NAME.test(name) || !/[a-z]/.test(name) || name.includes('--')) {
    fail(scope, `${what} ${show(name)} is not a valid port name: use at most 15 lowercase letters, digits and single '-', with at least one letter (e.g. 'http', 'grpc').`);
  }
}

/** Throws unless `value` is a whole number within [min, max]. */
export function validateInteger(scope: IConstruct, what: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`;
    fail(scope, `${what} ${show(value)} is not allowed: use ${range}.`);
  }
}
