import { describe, expect, it } from 'vitest';
import { studioRoundTrip } from './studio-round-trip.js';

describe('examples/studio/studio-round-trip.ts (docs/studio.md)', () => {
  it('renders with 4 calls, re-composites with none and re-rolls with one', async () => {
    const { url, calls, text } = await studioRoundTrip();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=…$/);
    expect(calls).toEqual({ full: 4, recomposite: 0, reroll: 1 });
    expect(text).toBe(
      '｜layer1: 人物 prompts @A {opacity: 0.5},\n｜layer2: 场景 prompt @B {seed: 7}\n｜……\n｜layerx：prompt @X\n—style prompt @Z\n',
    );
  });
});
