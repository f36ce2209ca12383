import { describe, expect, it } from 'vitest';
import { AbortError } from '../errors/abort-error.js';
import { decodePng } from '../util/decode-png.js';
import { createRecordingCompositor } from './create-recording-compositor.js';

const layer = (id: string, byte: number) => ({
  layer: { id, prompt: id, provider: 'A' },
  image: { bytes: new Uint8Array([byte]), mediaType: 'image/png' },
});

describe('createRecordingCompositor', () => {
  it('records each input and returns a canvas-size PNG that changes with the layers', async () => {
    const compositor = createRecordingCompositor();
    const input = { width: 5, height: 3, layers: [layer('a', 1), layer('b', 2)] };
    const first = await compositor.composite(input);
    const same = await compositor.composite(input);
    const changed = await compositor.composite({
      ...input,
      layers: [layer('a', 1), layer('b', 3)],
    });
    expect(compositor.calls).toHaveLength(3);
    expect(compositor.calls[0]).toBe(input);
    expect(first).toMatchObject({ width: 5, height: 3, mediaType: 'image/png' });
    expect(decodePng(first.bytes)).toMatchObject({ width: 5, height: 3 });
    expect(same.bytes).toEqual(first.bytes);
    expect(changed.bytes).not.toEqual(first.bytes);
    compositor.reset();
    expect(compositor.calls).toEqual([]);
  });

  it('honours its signal', async () => {
    const compositor = createRecordingCompositor();
    await expect(
      compositor.composite({ width: 1, height: 1, layers: [] }, { signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(AbortError);
    expect(() => createRecordingCompositor({ latencyMs: -5 })).toThrow('`latencyMs`');
  });
});
