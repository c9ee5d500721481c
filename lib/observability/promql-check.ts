import type * as LezerPromql from '@prometheus-io/lezer-promql';
import { IConstruct } from 'constructs';
import type * as Re2js from 're2js';
import { fail, show } from '../common/errors';

// The PromQL grammar and RE2 are loaded on first use, as CEL is (lib/policy/cel.ts): only alert
// rules and log parsers need them, and every import of the library would pay for them.
/* eslint-disable @typescript-eslint/no-require-imports */
const promqlParser = (): typeof LezerPromql.parser => (require('@prometheus-io/lezer-promql') as typeof LezerPromql).parser;
const re2 = (): typeof Re2js.RE2JS => (require('re2js') as typeof Re2js).RE2JS;
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * Why `pattern` is not an RE2 regular expression (the syntax Prometheus, Alertmanager and every Go
 * program use), or `undefined` when it is. JavaScript's RegExp accepts patterns RE2 refuses
 * (backreferences, lookarounds) and the reverse, so a JS check is not enough.
 */
export function re2SyntaxError(pattern: string): string | undefined {
  try {
    re2().compile(pattern);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The text of a PromQL string literal: "…" and '…' with Go escapes, `…` raw. */
function unquote(literal: string): string {
  const body = literal.slice(1, -1);
  if (literal.startsWith('`')) return body;
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/g, (_, e: string) => {
    switch (e[0]) {
      case 'x': case 'u': case 'U': return String.fromCodePoint(parseInt(e.slice(1), 16));
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case 'a': return '\x07';
      case 'b': return '\b';
      case 'f': return '\f';
      case 'v': return '\v';
      default: return /^[0-7]{3}$/.test(e) ? String.fromCharCode(parseInt(e, 8)) : e;
    }
  });
}

/**
 * Every syntax problem of a PromQL expression, as the Prometheus grammar
 * (@prometheus-io/lezer-promql) and RE2 see it: error nodes (`up ==`), and regex matchers
 * (`=~`, `!~`) whose pattern RE2 refuses (`status=~"5..("`). Empty when the expression parses.
 */
export function promqlSyntaxErrors(expr: string): string[] {
  const errors: string[] = [];
  const tree = promqlParser().parse(expr);
  tree.iterate({
    enter: ref => {
      if (ref.type.isError) {
        const at = ref.from;
        errors.push(`syntax error at character ${at + 1} (${JSON.stringify(expr.slice(Math.max(0, at - 15), at + 15))})`);
        return;
      }
      if (ref.name === 'MatchOp') {
        const op = ref.node.firstChild?.name;
        const literal = ref.node.nextSibling;
        if ((op === 'EqlRegex' || op === 'NeqRegex') && literal?.name === 'StringLiteral') {
          const pattern = unquote(expr.slice(literal.from, literal.to));
          const problem = re2SyntaxError(pattern);
          if (problem) errors.push(`the regex ${JSON.stringify(pattern)} is not valid RE2 (${problem})`);
        }
      }
    },
  });
  return errors;
}

/** Throws unless `expr` parses as PromQL with valid RE2 regex matchers; `what` names it in the message. */
export function validatePromql(scope: IConstruct, what: string, expr: string): void {
  const errors = promqlSyntaxErrors(expr);
  if (errors.length > 0) {
    fail(scope, `${what} ${show(expr)} is not valid PromQL: ${errors.join('; ')}; fix the expression (promtool check rules would refuse it).`);
  }
}

/** Throws unless `pattern` is a valid RE2 regex; `what` names it in the message. */
export function validateRe2(scope: IConstruct, what: string, pattern: string, example: string): void {
  const problem = re2SyntaxError(pattern);
  if (problem) fail(scope, `${what} ${show(pattern)} is not a valid RE2 regex (${problem}); fix the pattern (e.g. ${show(example)}).`);
}
