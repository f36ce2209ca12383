import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeImage } from '@layerloom/compositor';
import type { RenderEvent } from '@layerloom/core';
import { afterAll, describe, expect, it } from 'vitest';
import { describeEvent, renderWithEvents } from './render-with-events.js';

let directory: string | undefined;
afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe('render example (docs/rendering.md)', () => {
  it('renders the knight scene with events and writes the picture', async () => {
    directory = await mkdtemp(join(tmpdir(), 'layerloom-render-'));
    const events: RenderEvent[] = [];
    const { result, path } = await renderWithEvents(directory, (event) => events.push(event));
    const picture = await decodeImage(new Uint8Array(await readFile(path)));
    expect([picture.width, picture.height]).toEqual([256, 192]);
    expect(result.layers.map((layer) => [layer.id, layer.provider])).toEqual([
      ['hero', 'people'],
      ['dog', 'pets'],
      ['scene', 'scenes'],
    ]);
    expect(result.layers.find((layer) => layer.id === 'dog')!.matte).toEqual({
      chromaKey: '#00ff00',
    });
    expect(result.style).toMatchObject({ provider: 'styler', seed: 42 });
    expect(result.costUsd).toBeCloseTo(0.06, 10);
    expect(events[0]!.type).toBe('plan');
    expect(events.at(-1)!.type).toBe('done');
    expect(events.filter((event) => event.type === 'layer:done')).toHaveLength(3);
    expect(events.map(describeEvent).at(-1)).toMatch(/done, \$0\.06$/);
  });
});
