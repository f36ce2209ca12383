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

  it('shows the world-pack entity a layer paints in its label', async () => {
    const size = { width: 320, height: 240 };
    const binding = (name: string) => ({
      packs: [{ name: '@studio/ember-world', version: '1.2.3', contentHash: 'a'.repeat(64) }],
      subject: { pack: '@studio/ember-world', kind: 'entity' as const, id: 'knight', name },
    });
    const plain = (await provider.generate(request(size))).image.bytes;
    const ember = (await provider.generate(request({ ...size, binding: binding('Ser Ember') })))
      .image.bytes;
    const ash = (await provider.generate(request({ ...size, binding: binding('Ser Ash') }))).image
      .bytes;
    expect(Buffer.from(ember).equals(Buffer.from(plain))).toBe(false);
    expect(Buffer.from(ember).equals(Buffer.from(ash))).toBe(false);
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

describe('preview labels', () => {
  const provider = createPreviewProvider();
  const plateRows = (image: { width: number; data: Uint8ClampedArray }, x: number) => {
    // Rows where the pixel at column x is the label plate's near-black (or its white text).
    const rows: number[] = [];
    for (let y = 0; y < image.data.length / 4 / image.width; y++) {
      const index = (y * image.width + x) * 4;
      if (image.data[index + 3]! > 0) rows.push(y);
    }
    return rows;
  };

  it('draws CJK characters with their glyphs, not as boxes', async () => {
    const size = { width: 512, height: 256, transparent: true };
    const cjk = decodePng(
      (await provider.generate(request({ ...size, prompt: '人物' }))).image.bytes,
    );
    const other = decodePng(
      (await provider.generate(request({ ...size, prompt: '场景' }))).image.bytes,
    );
    const missing = decodePng(
      (await provider.generate(request({ ...size, prompt: '\u{1d400}\u{1d401}' }))).image.bytes,
    );
    // Same seed, so the same shapes: only the text differs, and two CJK words differ visibly.
    // The label's text: the plate's pixels, column by column, left of x = 120.
    const lane = (image: typeof cjk) =>
      Array.from({ length: 120 }, (_, x) =>
        plateRows(image, x)
          .map((y) => image.data[(y * image.width + x) * 4])
          .join(),
      ).join('|');
    expect(lane(cjk)).not.toEqual(lane(other));
    expect(lane(cjk)).not.toEqual(lane(missing));
  });

  it('puts each layer in its own label slot and leaves the lane of a cut-out clear', async () => {
    const size = { width: 640, height: 640, transparent: true };
    const rowsOf = async (layerIndex: number) => {
      const image = decodePng(
        (await provider.generate(request({ ...size, stepId: `l${layerIndex}`, layerIndex }))).image
          .bytes,
      );
      return plateRows(image, 30);
    };
    const slots = await Promise.all([0, 1, 2].map(rowsOf));
    for (const rows of slots) expect(rows.length).toBeGreaterThan(30);
    // Column 30 is in the lane: painted only by the layer's own plate, and the plates are apart.
    expect(Math.max(...slots[0]!)).toBeLessThan(Math.min(...slots[1]!));
    expect(Math.max(...slots[1]!)).toBeLessThan(Math.min(...slots[2]!));
    const again = await rowsOf(1);
    expect(again).toEqual(slots[1]);
  });
});
