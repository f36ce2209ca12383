import { parseSemverRange } from './semver-range.js';

/** A `use` source: a folder, or an installed package with a version range. */
export type WorldPackSource =
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'package'; readonly name: string; readonly range: string };

const packageSourcePattern = /^((?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*)(?:@(.+))?$/;

/**
 * Reads a `use` source: `./x`, `../x`, `/x` (or `file:x`) is a folder; anything else is
 * `NAME[@RANGE]` of an installed npm package (`@studio/ember-world@^1.2`).
 *
 * @returns the source, or `undefined` when it is neither.
 */
export function parseWorldPackSource(source: string): WorldPackSource | undefined {
  if (source.startsWith('file:')) return { kind: 'path', path: source.slice(5) };
  if (
    source.startsWith('./') ||
    source.startsWith('../') ||
    source === '.' ||
    /^(?:\/|[A-Za-z]:[\\/])/.test(source)
  ) {
    return { kind: 'path', path: source };
  }
  const match = packageSourcePattern.exec(source);
  if (match === null) return undefined;
  const range = match[2] ?? '*';
  if (parseSemverRange(range) === undefined) return undefined;
  return { kind: 'package', name: match[1]!, range };
}
