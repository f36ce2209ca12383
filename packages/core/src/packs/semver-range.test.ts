import { describe, expect, it } from 'vitest';
import {
  compareSemanticVersions,
  parseSemanticVersion,
  parseSemverRange,
  satisfiesSemverRange,
} from './semver-range.js';

function satisfies(version: string, range: string): boolean {
  const parsedRange = parseSemverRange(range);
  const parsedVersion = parseSemanticVersion(version);
  if (parsedRange === undefined || parsedVersion === undefined) throw new Error('bad fixture');
  return satisfiesSemverRange(parsedVersion, parsedRange);
}

describe('semver ranges', () => {
  it.each([
    ['1.2.3', '^1.2', true],
    ['1.9.0', '^1.2', true],
    ['2.0.0', '^1.2', false],
    ['1.1.9', '^1.2', false],
    ['0.2.5', '^0.2.3', true],
    ['0.3.0', '^0.2.3', false],
    ['0.0.3', '^0.0.3', true],
    ['0.0.4', '^0.0.3', false],
    ['1.2.9', '~1.2.3', true],
    ['1.3.0', '~1.2.3', false],
    ['1.5.0', '~1', true],
    ['1.2.3', '1.2.3', true],
    ['1.2.4', '1.2.3', false],
    ['1.2.4', '1.2', true],
    ['1.2.4', '1.2.x', true],
    ['3.0.0', '*', true],
    ['3.0.0', '', true],
    ['1.5.0', '>=1.2 <2', true],
    ['2.0.0', '>=1.2 <2', false],
    ['1.5.0', '>= 1.2 < 2', true],
    ['2.5.0', '^1 || ^2', true],
    ['1.4.0', '1.2 - 1.4', true],
    ['1.5.0', '1.2 - 1.4', false],
    ['1.3.0', '>1.2', true],
    ['1.2.9', '>1.2', false],
    ['1.2.9', '<=1.2', true],
    ['1.3.0', '<=1.2', false],
    ['2.0.0-beta.1', '^1.2', false],
    ['2.0.0-beta.1', '*', false],
    ['1.3.0-beta.2', '^1.3.0-beta.1', true],
    ['1.3.0-alpha', '^1.3.0-beta.1', false],
    ['1.3.1-beta.2', '^1.3.0-beta.1', false],
  ])('%s satisfies "%s": %s', (version, range, expected) => {
    expect(satisfies(version, range)).toBe(expected);
  });

  it('refuses what is not a version or a range', () => {
    for (const text of ['1.2', '01.2.3', 'x.y.z', '1.2.3.4', '']) {
      expect(parseSemanticVersion(text)).toBeUndefined();
    }
    for (const text of ['^^1', '1.x.3', 'banana', '>='])
      expect(parseSemverRange(text)).toBeUndefined();
  });

  it('orders versions by semver precedence', () => {
    const sorted = ['1.0.0', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-beta', '1.0.0-rc.1', '0.9.9']
      .map((text) => parseSemanticVersion(text)!)
      .sort(compareSemanticVersions)
      .map(
        (version) =>
          `${version.major}.${version.minor}.${version.patch}${version.prerelease.length > 0 ? `-${version.prerelease.join('.')}` : ''}`,
      );
    expect(sorted).toEqual([
      '0.9.9',
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-beta',
      '1.0.0-rc.1',
      '1.0.0',
    ]);
  });
});
