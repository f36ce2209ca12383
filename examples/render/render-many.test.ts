import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderBatch } from './render-many.js';

let directory: string | undefined;
afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe('renderMany example (docs/rendering.md)', () => {
  it('plans one variant and renders them all, reporting the bad one', async () => {
    directory = await mkdtemp(join(tmpdir(), 'layerloom-render-many-'));
    const { plan, lines } = await renderBatch(directory);
    expect(plan.estimatedCostUsd).toBeCloseTo(0.06, 10);
    expect(plan.steps.map((step) => step.id)).toEqual(['scene', 'hero']);
    expect(lines).toHaveLength(6);
    expect(lines.find((line) => line.startsWith('2:'))).toContain(
      'unknown provider alias "peeple"; the nearest configured alias is "people"',
    );
    expect(lines.filter((line) => line.endsWith('($0.06)'))).toHaveLength(5);
  });
});
