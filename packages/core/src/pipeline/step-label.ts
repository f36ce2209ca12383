/**
 * How messages name a step on a provider: `Layer "hero" on "A"`, or `The style pass on "Z"`.
 *
 * @param kind - `layer` or `style`.
 * @param stepId - the layer id (ignored for the style pass).
 * @param alias - the provider alias.
 */
export function stepLabel(kind: 'layer' | 'style', stepId: string, alias: string): string {
  return kind === 'style' ? `The style pass on "${alias}"` : `Layer "${stepId}" on "${alias}"`;
}
