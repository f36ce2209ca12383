import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import type { ImageRequest } from '../types/provider.js';
import { decodePng } from '../util/decode-png.js';
import { createPreviewProvider } from './create-preview-provider.js';
import { wrapText } from './pixel-canvas.js';

const signal = new AbortController().signal;
const request = (overrides: Partial<ImageRequest> = {}): ImageRequest => ({
  prompt: 'a knight in silver armour',
  width: 96,
  height: 64,
  seed: 7,
  signal,
  ...overrides,
});

describe('createPreviewProvider', () => {
  const provider = createPreviewProvider();

  it('paints the same image for the same request, and another for another prompt', async () => {
    const first = await provider.generate(request());
    const again = await provider.generate(request());
    const other = await provider.generate(request({ prompt: 'misty forest at dawn' }));
    expect(first.image.mediaType).toBe('image/png');
    expect(first.image.bytes).toEqual(again.image.bytes);
    expect(first.image.bytes).not.toEqual(other.image.bytes);
    expect(first).toMatchObject({
      seed: 7,
      costUsd: 0,
      warnings: [],
      providerMetadata: { preview: true },
    });
  });

  it('prints the step id in the label plate, and nothing else changes', async () => {
    const size = { width: 320, height: 240 };
    const plain = decodePng((await provider.generate(request(size))).image.bytes);
    const named = decodePng(
      (await provider.generate(request({ ...size, stepId: 'hero' }))).image.bytes,
    );
    const changedRows = new Set<number>();
    let changed = 0;
    for (let index = 0; index < plain.data.length; index += 4) {
      if (
        plain.data.subarray(index, index + 4).join() !==
        named.data.subarray(index, index + 4).join()
      ) {
        changed += 1;
        changedRows.add(Math.floor(index / 4 / size.width));
      }
    }
    // The title line "PREVIEW HERO" is wider than "PREVIEW": only the plate's rows change.
    expect(changed).toBeGreaterThan(50);
    expect(Math.max(...changedRows)).toBeLessThan(size.height * 0.3);
  });

  it('paints cut-outs on transparency and opaque backgrounds otherwise', async () => {
    const cutOut = decodePng((await provider.generate(request({ transparent: true }))).image.bytes);
    const alphas = new Set<number>();
    for (let index = 3; index < cutOut.data.length; index += 4) alphas.add(cutOut.data[index]!);
    expect(cutOut).toMatchObject({ width: 96, height: 64 });
    expect(alphas.has(0)).toBe(true);
    expect(alphas.has(255)).toBe(true);
    const opaque = decodePng((await provider.generate(request())).image.bytes);
    expect(opaque.data.filter((_, index) => index % 4 === 3).every((alpha) => alpha === 255)).toBe(
      true,
    );
  });

  it('restyles an input image visibly and deterministically, at the requested size', async () => {
    const input = (await provider.generate(request())).image;
    const styled = await provider.generate(
      request({ prompt: 'watercolour', image: input, strength: 0.4, width: 48, height: 32 }),
    );
    const decoded = decodePng(styled.image.bytes);
    expect(decoded).toMatchObject({ width: 48, height: 32 });
    const again = await provider.generate(
      request({ prompt: 'watercolour', image: input, strength: 0.4, width: 48, height: 32 }),
    );
    expect(styled.image.bytes).toEqual(again.image.bytes);
    const stronger = await provider.generate(
      request({ prompt: 'watercolour', image: input, strength: 0.9, width: 48, height: 32 }),
    );
    expect(stronger.image.bytes).not.toEqual(styled.image.bytes);
  });

  it('warns instead of failing on what it cannot honour', async () => {
    const result = await provider.generate(
      request({
        mask: { bytes: new Uint8Array([1]), mediaType: 'image/png' },
        image: { bytes: new Uint8Array([1, 2, 3]), mediaType: 'image/webp' },
      }),
    );
    expect(result.warnings).toHaveLength(2);
    expect(result.warnings[0]).toContain('mask');
    expect(result.warnings[1]).toContain('could not read the input image');
  });

  it('reports progress and can be aborted while it "works"', async () => {
    const slow = createPreviewProvider({ latencyMs: 40, progressSteps: 4 });
    const fractions: number[] = [];
    await slow.generate(request({ onProgress: (progress) => fractions.push(progress.fraction!) }));
    expect(fractions).toEqual([0.25, 0.5, 0.75, 1]);
    const controller = new AbortController();
    const pending = slow.generate(request({ signal: controller.signal }));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
  });

  it('validates its options', () => {
    expect(() => createPreviewProvider({ latencyMs: -1 })).toThrow(ValidationError);
    expect(() => createPreviewProvider({ progressSteps: 0.5 })).toThrow(/progressSteps/);
  });
});

describe('wrapText', () => {
  it('wraps words into lines and marks a cut with an ellipsis', () => {
    expect(wrapText('a knight in silver armour', 10, 3)).toEqual([
      'a knight',
      'in silver',
      'armour',
    ]);
    expect(wrapText('one two three four five six', 7, 2)).toEqual(['one two', 'thre...']);
    expect(wrapText('supercalifragilistic', 5, 2)).toEqual(['su...']);
  });
});
