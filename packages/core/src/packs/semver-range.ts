/** A parsed semantic version `MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]`. */
export interface SemanticVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** Dot-separated pre-release identifiers; empty for a release. */
  readonly prerelease: readonly string[];
}

const versionPattern =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/**
 * Parses a full semantic version (semver.org 2.0.0).
 *
 * @param text - e.g. `1.2.3` or `2.0.0-beta.1`.
 * @returns the version, or `undefined` when `text` is not one.
 */
export function parseSemanticVersion(text: string): SemanticVersion | undefined {
  if (text.length > 256) return undefined;
  const match = versionPattern.exec(text.trim());
  if (match === null) return undefined;
  const numbers = [match[1], match[2], match[3]].map(Number);
  if (numbers.some((value) => !Number.isSafeInteger(value))) return undefined;
  return {
    major: numbers[0]!,
    minor: numbers[1]!,
    patch: numbers[2]!,
    prerelease: match[4] === undefined ? [] : match[4].split('.'),
  };
}

function compareIdentifiers(a: string, b: string): number {
  const aNumeric = /^\d+$/.test(a);
  const bNumeric = /^\d+$/.test(b);
  if (aNumeric && bNumeric) return Math.sign(Number(a) - Number(b));
  if (aNumeric) return -1;
  if (bNumeric) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Orders two versions by semver precedence (build metadata ignored).
 *
 * @returns a negative number, 0 or a positive number.
 */
export function compareSemanticVersions(a: SemanticVersion, b: SemanticVersion): number {
  if (a.major !== b.major) return Math.sign(a.major - b.major);
  if (a.minor !== b.minor) return Math.sign(a.minor - b.minor);
  if (a.patch !== b.patch) return Math.sign(a.patch - b.patch);
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return b.prerelease.length - a.prerelease.length === 0 ? 0 : a.prerelease.length === 0 ? 1 : -1;
  }
  const length = Math.max(a.prerelease.length, b.prerelease.length);
  for (let index = 0; index < length; index++) {
    const left = a.prerelease[index];
    const right = b.prerelease[index];
    if (left === undefined) return -1;
    if (right === undefined) return 1;
    const order = compareIdentifiers(left, right);
    if (order !== 0) return order;
  }
  return 0;
}

type Operator = '<' | '<=' | '>' | '>=' | '=';

interface Comparator {
  readonly operator: Operator;
  readonly version: SemanticVersion;
}

/** A partial version as written in a range: `1`, `1.2`, `1.x`, `1.2.3-beta`. */
interface PartialVersion {
  readonly major: number | undefined;
  readonly minor: number | undefined;
  readonly patch: number | undefined;
  readonly prerelease: readonly string[];
}

const partialPattern =
  /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$/;

function readPart(text: string | undefined): number | undefined | null {
  if (text === undefined || text === 'x' || text === 'X' || text === '*') return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : null;
}

function parsePartial(text: string): PartialVersion | undefined {
  const match = partialPattern.exec(text);
  if (match === null) return undefined;
  const major = readPart(match[1]);
  const minor = readPart(match[2]);
  const patch = readPart(match[3]);
  if (major === null || minor === null || patch === null) return undefined;
  // `1.x.3` is not a range anyone means.
  if ((major === undefined && minor !== undefined) || (minor === undefined && patch !== undefined))
    return undefined;
  return { major, minor, patch, prerelease: match[4] === undefined ? [] : match[4].split('.') };
}

const version = (
  major: number,
  minor: number,
  patch: number,
  prerelease: readonly string[] = [],
): SemanticVersion => ({ major, minor, patch, prerelease });

/** The lowest version a partial names (`1.2` → `1.2.0`). */
function floor(partial: PartialVersion): SemanticVersion {
  return version(partial.major ?? 0, partial.minor ?? 0, partial.patch ?? 0, partial.prerelease);
}

/** Comparators of `~1.2.3`, `^1.2.3`, `1.2.x`, `=1.2.3` and the like. */
function expand(operator: string, partial: PartialVersion): Comparator[] | undefined {
  const { major, minor, patch } = partial;
  const low = floor(partial);
  if (major === undefined) {
    // `*`, `x`: any release (`<*` and `>*` match nothing, as in npm).
    return operator === '<' || operator === '>'
      ? [{ operator: '<', version: version(0, 0, 0) }]
      : [];
  }
  switch (operator) {
    case '^': {
      const upper =
        major > 0 || minor === undefined
          ? version(major + 1, 0, 0)
          : minor > 0 || patch === undefined
            ? version(0, minor + 1, 0)
            : version(0, 0, patch + 1);
      return [
        { operator: '>=', version: low },
        { operator: '<', version: upper },
      ];
    }
    case '~':
      return [
        { operator: '>=', version: low },
        {
          operator: '<',
          version: minor === undefined ? version(major + 1, 0, 0) : version(major, minor + 1, 0),
        },
      ];
    case '':
    case '=':
      if (patch !== undefined) return [{ operator: '=', version: low }];
      return expand('~', partial);
    case '>=':
      return [{ operator: '>=', version: low }];
    case '<':
      return [{ operator: '<', version: low }];
    case '>':
      if (patch !== undefined) return [{ operator: '>', version: low }];
      return [
        {
          operator: '>=',
          version: minor === undefined ? version(major + 1, 0, 0) : version(major, minor + 1, 0),
        },
      ];
    case '<=':
      if (patch !== undefined) return [{ operator: '<=', version: low }];
      return [
        {
          operator: '<',
          version: minor === undefined ? version(major + 1, 0, 0) : version(major, minor + 1, 0),
        },
      ];
    default:
      return undefined;
  }
}

/** A parsed semver range: alternatives (`||`) of comparator sets (all must hold). */
export interface SemverRange {
  /** The range as written. */
  readonly text: string;
  readonly alternatives: readonly (readonly Comparator[])[];
}

const comparatorPattern = /^(\^|~|>=|<=|>|<|=)?\s*(.+)$/;

/**
 * Parses an npm-style version range: exact versions, `^`, `~`, `x`/`*` wildcards, comparators
 * (`>=1.2 <2`), hyphen ranges (`1.2 - 1.4`) and alternatives (`^1 || ^2`). An empty range or
 * `*` matches every release.
 *
 * @param text - the range.
 * @returns the range, or `undefined` when `text` is not a range.
 */
export function parseSemverRange(text: string): SemverRange | undefined {
  if (text.length > 256) return undefined;
  const alternatives: Comparator[][] = [];
  for (const alternative of text.split('||')) {
    const trimmed = alternative.trim();
    const comparators: Comparator[] = [];
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(trimmed);
    if (hyphen !== null) {
      const from = parsePartial(hyphen[1]!);
      const to = parsePartial(hyphen[2]!);
      if (from === undefined || to === undefined) return undefined;
      comparators.push(...(expand('>=', from) ?? []), ...(expand('<=', to) ?? []));
      alternatives.push(comparators);
      continue;
    }
    // `>= 1.2` is written with a space sometimes: glue operators to their version.
    const words = trimmed
      .replace(/(\^|~|>=|<=|>|<|=)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean);
    for (const word of words) {
      const match = comparatorPattern.exec(word);
      if (match === null) return undefined;
      const partial = parsePartial(match[2]!);
      if (partial === undefined) return undefined;
      const expanded = expand(match[1] ?? '', partial);
      if (expanded === undefined) return undefined;
      comparators.push(...expanded);
    }
    alternatives.push(comparators);
  }
  return { text, alternatives };
}

function holds(comparator: Comparator, candidate: SemanticVersion): boolean {
  const order = compareSemanticVersions(candidate, comparator.version);
  switch (comparator.operator) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    case '=':
      return order === 0;
  }
}

/**
 * Whether `candidate` satisfies `range`. As in npm, a pre-release version only satisfies a
 * range that names a pre-release of the same `MAJOR.MINOR.PATCH`.
 *
 * @param candidate - the installed version.
 * @param range - from {@link parseSemverRange}.
 */
export function satisfiesSemverRange(candidate: SemanticVersion, range: SemverRange): boolean {
  return range.alternatives.some((comparators) => {
    if (!comparators.every((comparator) => holds(comparator, candidate))) return false;
    if (candidate.prerelease.length === 0) return true;
    return comparators.some(
      (comparator) =>
        comparator.version.prerelease.length > 0 &&
        comparator.version.major === candidate.major &&
        comparator.version.minor === candidate.minor &&
        comparator.version.patch === candidate.patch,
    );
  });
}
