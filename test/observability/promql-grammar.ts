import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';

/** Parses `expr` with the Prometheus PromQL grammar and returns a description of every error node. */
export function promqlErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(`syntax error at ${node.from}: ${JSON.stringify(expr.slice(Math.max(0, node.from - 20), node.to + 20))}`);
    },
  });
  return errors;
}

/**
 * Checks every vector match `a <op> on (labels) b`: each side that aggregates must keep every
 * `on` label in its `by (...)`, or the join silently matches nothing. Returns the problems.
 */
export function promqlJoinProblems(expr: string): string[] {
  const problems: string[] = [];
  const text = (n: SyntaxNode) => expr.slice(n.from, n.to);
  const tree = parser.parse(expr);
  tree.iterate({
    enter: (ref) => {
      if (ref.name !== 'BinaryExpr') return;
      const node = ref.node;
      const modifier = node.getChild('MatchingModifierClause');
      if (!modifier || !modifier.getChild('On')) return;
      const onLabels = modifier.getChild('GroupingLabels')!.getChildren('LabelName').map(text);
      const operands = [node.firstChild!, modifier.nextSibling!];
      for (const operand of operands) {
        if (operand.name !== 'AggregateExpr') continue;
        const agg = operand.getChild('AggregateModifier');
        if (!agg) {
          problems.push(`${text(operand)} aggregates every label away, but the join is on (${onLabels.join(', ')})`);
          continue;
        }
        if (agg.getChild('Without')) continue;
        const kept = agg.getChild('GroupingLabels')!.getChildren('LabelName').map(text);
        const missing = onLabels.filter((l) => !kept.includes(l));
        if (missing.length > 0) problems.push(`${text(operand)} drops ${missing.join(', ')} needed by on (${onLabels.join(', ')})`);
      }
    },
  });
  return problems;
}
