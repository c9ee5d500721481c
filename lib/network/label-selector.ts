/** A Kubernetes LabelSelector as it appears in synthesized manifests. */
export interface LabelSelectorJson {
  /** Labels that must all be present with these values. */
  readonly matchLabels?: Record<string, string>;
  /** Set-based requirements; all must hold. */
  readonly matchExpressions?: readonly {
    readonly key: string;
    readonly operator: string;
    readonly values?: readonly string[];
  }[];
}

/**
 * True when `labels` satisfy `selector` with Kubernetes semantics: an empty selector (`{}`)
 * matches everything; `In`/`NotIn`/`Exists`/`DoesNotExist` as in the API reference. An unknown
 * operator selects nothing (the API server would reject the object), so a review of a bad tree
 * still renders.
 */
export function selectorMatches(selector: LabelSelectorJson | undefined, labels: Record<string, string>): boolean {
  if (selector === undefined) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const expression of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, expression.key);
    const values = expression.values ?? [];
    switch (expression.operator) {
      case 'In': if (!has || !values.includes(labels[expression.key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[expression.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}
