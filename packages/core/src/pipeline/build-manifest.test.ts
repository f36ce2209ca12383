import { describe, expect, it } from 'vitest';
import { createMockProvider } from '../testing/create-mock-provider.js';
import type { StepRecord } from '../types/render-result.js';
import { buildManifest } from './build-manifest.js';
import { planRender } from './plan-render.js';

const record = (id: string, costUsd: number | undefined): StepRecord => ({
  id,
  image: { bytes: new Uint8Array([id.length]), mediaType: 'image/png' },
  provider: 'A',
  providerId: 'mock',
  modelId: 'mock-v1',
  seed: 1,
  cached: costUsd === 0,
  attempts: 1,
  ms: 3,
  ...(costUsd === undefined ? {} : { costUsd }),
  warnings: [],
});

describe('buildManifest', () => {
  it('records what each step cost and what the render cost', () => {
    const providers = { A: createMockProvider() };
    const plan = planRender(
      {
        width: 8,
        height: 8,
        seed: 1,
        layers: [
          { id: 'hero', prompt: 'a', provider: 'A' },
          { id: 'scene', prompt: 'b', provider: 'A' },
          { id: 'ground', prompt: 'c', provider: 'A' },
        ],
      },
      { providers },
    );
    const manifest = buildManifest({
      plan,
      steps: [
        { record: record('ground', undefined), kind: 'layer' },
        { record: record('scene', 0), kind: 'layer' },
        { record: record('hero', 0.04), kind: 'layer' },
      ],
      skipped: [],
      providers,
      compositeSha256: 'a'.repeat(64),
      outputSha256: 'a'.repeat(64),
      createdAt: '2026-12-03T00:00:00.000Z',
    });
    expect(manifest.steps.map((step) => [step.id, step.costUsd])).toEqual([
      ['ground', undefined],
      ['scene', 0],
      ['hero', 0.04],
    ]);
    expect(manifest.costUsd).toBe(0.04);
  });
});
