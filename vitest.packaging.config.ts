import { defineConfig } from 'vitest/config';

/** Runs after `npm run build`: tests the packed packages as users install them. */
export default defineConfig({
  test: {
    include: ['test/packaging/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
