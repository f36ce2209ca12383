import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.ts$/.test(entry.name) && !/\.test(-d)?\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** Every error code the packages' sources can produce, with the file that produces it. */
function codesInSources(): Map<string, string> {
  const patterns = [
    /LayerloomError\(\s*'([a-z]+(?:_[a-z]+)*)'/g, // new LayerloomError('code', …)
    /super\(\s*'([a-z]+(?:_[a-z]+)*)'/g, // error subclasses
    /\bcode: '([a-z]+(?:_[a-z]+)+)'/g, // ProviderError options
    /'(provider_[a-z]+(?:_[a-z]+)*)'/g, // adapters' code tables
  ];
  const codes = new Map<string, string>();
  const packages = join(root, 'packages');
  for (const name of readdirSync(packages)) {
    for (const file of sourceFiles(join(packages, name, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of patterns) {
        for (const match of text.matchAll(pattern)) {
          if (!codes.has(match[1]!)) codes.set(match[1]!, relative(root, file));
        }
      }
    }
  }
  return codes;
}

describe('docs/errors.md', () => {
  it('lists every error code the packages produce', () => {
    const documented = new Set(
      [...readFileSync(join(root, 'docs', 'errors.md'), 'utf8').matchAll(/^\| `([a-z_]+)`/gm)].map(
        (match) => match[1],
      ),
    );
    const codes = codesInSources();
    expect(codes.size).toBeGreaterThan(30);
    const missing = [...codes].filter(([code]) => !documented.has(code));
    expect(missing.map(([code, file]) => `${code} (${file})`)).toEqual([]);
  });
});
