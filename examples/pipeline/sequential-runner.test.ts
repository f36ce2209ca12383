import { createCompositor } from '@layerloom/compositor';
import { createLoom, createPreviewProvider } from '@layerloom/core';
import { createMockProvider } from '@layerloom/core/testing';
import { describe, expect, it } from 'vitest';
import { renderSequentially } from './sequential-runner.js';

const text = [
  'size 128x96',
  'seed 3',
  '｜hero: a knight @A {w: 50%, h: 80%}',
  '｜ghost: a ghost @broken',
  '｜scene: a forest @B',
  '—style: ink @A',
].join('\n');

describe('examples/pipeline/sequential-runner.ts', () => {
  it('renders from the stages what createLoom renders: same records, skips and manifest', async () => {
    const providers = () => ({
      A: createPreviewProvider(),
      B: createPreviewProvider(),
      broken: createMockProvider({ afterScript: { status: 400 } }),
    });
    const events: string[] = [];
    const sequential = await renderSequentially(text, providers(), createCompositor(), (event) =>
      events.push(event.type),
    );
    const loom = createLoom({
      providers: providers(),
      compositor: createCompositor(),
      onLayerError: 'skip',
    });
    const local = await loom.render(text);
    expect(sequential.skipped.map((step) => [step.id, step.error.code])).toEqual([
      ['ghost', 'provider_error'],
    ]);
    expect(sequential.image.bytes).toEqual(local.image.bytes);
    expect({ ...sequential.manifest, createdAt: '' }).toEqual({ ...local.manifest, createdAt: '' });
    expect(events).toContain('layer:error');
    expect(events.filter((type) => type === 'layer:start')).toHaveLength(3);
  });
});
