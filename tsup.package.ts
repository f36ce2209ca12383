import type { Options } from 'tsup';

/**
 * The build every package shares: ESM + CJS with their own declarations, Node 20, source maps.
 * Splitting is on in both formats so a package's entry points share one copy of each module
 * (one copy of each error class), see docs/decisions/0001-workspace-and-packaging.md.
 *
 * @param entry - entry name → source file.
 * @param overrides - package-specific options.
 */
export function packageConfig(entry: Record<string, string>, overrides: Options = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    splitting: true,
    sourcemap: true,
    target: 'node20',
    tsconfig: '../../tsconfig.build.json',
    ...overrides,
  };
}
