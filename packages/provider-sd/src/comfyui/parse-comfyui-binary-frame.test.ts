import { describe, expect, it } from 'vitest';
import { jpegBytes, solidPng } from '../../test/png-fixtures.js';
import { parseComfyUIBinaryFrame } from './parse-comfyui-binary-frame.js';

function frame(type: number, head: Uint8Array, image: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(4 + head.length + image.length);
  new DataView(bytes.buffer).setUint32(0, type);
  bytes.set(head, 4);
  bytes.set(image, 4 + head.length);
  return bytes;
}

const uint32 = (value: number) => {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
};

describe('parseComfyUIBinaryFrame', () => {
  it('reads type 1 previews (PNG and JPEG) as plain Uint8Arrays', () => {
    const png = solidPng([1, 2, 3, 255]);
    const parsed = parseComfyUIBinaryFrame(frame(1, uint32(2), png));
    expect(parsed).toEqual({ image: { bytes: png, mediaType: 'image/png' }, tagged: false });
    expect(parsed?.image.bytes.constructor).toBe(Uint8Array);
    expect(parseComfyUIBinaryFrame(frame(1, uint32(1), jpegBytes))?.image.mediaType).toBe(
      'image/jpeg',
    );
  });

  it('reads type 4 previews with their prompt id', () => {
    const png = solidPng([1, 2, 3, 255]);
    const metadata = new TextEncoder().encode(JSON.stringify({ prompt_id: 'p1', node_id: '3' }));
    const head = new Uint8Array([...uint32(metadata.length), ...metadata]);
    expect(parseComfyUIBinaryFrame(frame(4, head, png))).toEqual({
      image: { bytes: png, mediaType: 'image/png' },
      promptId: 'p1',
      tagged: true,
    });
  });

  it('ignores text frames, unknown images, truncated and damaged frames', () => {
    expect(
      parseComfyUIBinaryFrame(frame(3, new Uint8Array(), new TextEncoder().encode('hi'))),
    ).toBeUndefined();
    expect(parseComfyUIBinaryFrame(frame(1, uint32(2), new Uint8Array([1, 2, 3])))).toBeUndefined();
    expect(parseComfyUIBinaryFrame(new Uint8Array([0, 0, 0, 1]))).toBeUndefined();
    expect(
      parseComfyUIBinaryFrame(frame(4, uint32(999), solidPng([0, 0, 0, 255]))),
    ).toBeUndefined();
    expect(
      parseComfyUIBinaryFrame(
        frame(4, new Uint8Array([...uint32(2), 123, 125 + 1]), solidPng([0, 0, 0, 255])),
      ),
    ).toBeUndefined();
  });
});
