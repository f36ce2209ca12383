import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Tests run against the TypeScript sources: no build step inside the repo. */
export const sourceAliases = [
  { find: /^@layerloom\/core\/http$/, replacement: source('./packages/core/src/http/index.ts') },
  {
    find: /^@layerloom\/core\/pipeline$/,
    replacement: source('./packages/core/src/pipeline/index.ts'),
  },
  {
    find: /^@layerloom\/core\/testing$/,
    replacement: source('./packages/core/src/testing/index.ts'),
  },
  { find: /^@layerloom\/core$/, replacement: source('./packages/core/src/index.ts') },
  { find: /^@layerloom\/compositor$/, replacement: source('./packages/compositor/src/index.ts') },
  {
    find: /^@layerloom\/provider-fal$/,
    replacement: source('./packages/provider-fal/src/index.ts'),
  },
  {
    find: /^@layerloom\/provider-google$/,
    replacement: source('./packages/provider-google/src/index.ts'),
  },
  {
    find: /^@layerloom\/provider-openai$/,
    replacement: source('./packages/provider-openai/src/index.ts'),
  },
  {
    find: /^@layerloom\/provider-replicate$/,
    replacement: source('./packages/provider-replicate/src/index.ts'),
  },
  { find: /^@layerloom\/provider-sd$/, replacement: source('./packages/provider-sd/src/index.ts') },
  {
    find: /^@layerloom\/provider-stability$/,
    replacement: source('./packages/provider-stability/src/index.ts'),
  },
  { find: /^@layerloom\/cli$/, replacement: source('./packages/cli/src/index.ts') },
  {
    find: /^@layerloom\/queue-bullmq$/,
    replacement: source('./packages/queue-bullmq/src/index.ts'),
  },
];

export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'examples/**/*.test.ts',
      'test/unit/**/*.test.ts',
    ],
    typecheck: {
      enabled: true,
      include: ['packages/*/src/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
