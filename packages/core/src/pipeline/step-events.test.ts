import { describe, expect, it } from 'vitest';
import { LayerloomError } from '../errors/layerloom-error.js';
import { stepEvents } from './step-events.js';

describe('stepEvents', () => {
  it('builds layer:* events with the layer id, and style:* events without one', () => {
    const layer = stepEvents('layer', 'hero', () => 5);
    const style = stepEvents('style', 'style', () => 7);
    expect(layer.queued('A', 2)).toEqual({
      type: 'layer:queued',
      elapsedMs: 5,
      layerId: 'hero',
      provider: 'A',
      position: 2,
    });
    expect(style.queued('Z', 2)).toBeUndefined();
    expect(style.start('Z', 1)).toBeUndefined();
    const error = new LayerloomError('provider_error', 'no');
    expect(style.error('Z', error, 'fallback')).toEqual({
      type: 'style:error',
      elapsedMs: 7,
      provider: 'Z',
      error,
      outcome: 'fallback',
    });
  });

  it('keeps only well-formed progress fields', () => {
    const events = stepEvents('layer', 'hero', () => 1);
    expect(events.progress('A', { fraction: 0.5, etaMs: Number.NaN })).toEqual({
      type: 'layer:progress',
      elapsedMs: 1,
      layerId: 'hero',
      provider: 'A',
      fraction: 0.5,
    });
    expect(events.progress('A', null as never)).toBeUndefined();
  });

  it('passes on a provider server queue position', () => {
    const events = stepEvents('layer', 'hero', () => 1);
    expect(events.progress('A', { fraction: 0, queuePosition: 2 })).toEqual({
      type: 'layer:progress',
      elapsedMs: 1,
      layerId: 'hero',
      provider: 'A',
      fraction: 0,
      queuePosition: 2,
    });
  });
});
