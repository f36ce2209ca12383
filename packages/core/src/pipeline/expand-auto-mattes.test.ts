import { describe, expect, it } from 'vitest';
import { createMockProvider } from '../testing/create-mock-provider.js';
import type { Composition } from '../types/composition.js';
import type { Provider } from '../types/provider.js';
import { expandAutoMattes } from './expand-auto-mattes.js';

/** A mock background remover. */
function remover(id: string): Provider {
  const mock = createMockProvider({ id });
  return { ...mock, capabilities: { ...mock.capabilities, cutsOutSubject: true } };
}

const opaque = createMockProvider({ id: 'opaque', capabilities: { transparency: false } });

const composition: Composition = {
  width: 32,
  height: 32,
  layers: [
    { id: 'hero', prompt: 'a knight', provider: 'O', matte: 'auto' },
    { id: 'scene', prompt: 'a field', provider: 'O' },
  ],
};

describe('expandAutoMattes', () => {
  it('cuts out with the first remover in the providers’ order; listing another first picks it', () => {
    const cutBy = (providers: Record<string, Provider>) =>
      expandAutoMattes(composition, providers).layers.find((layer) => layer.id === 'hero');
    expect(cutBy({ O: opaque, CUT: remover('stability'), RM: remover('replicate') })).toMatchObject(
      { provider: 'CUT', from: 'hero-painted', matte: 'alpha' },
    );
    expect(cutBy({ RM: remover('replicate'), O: opaque, CUT: remover('stability') })).toMatchObject(
      { provider: 'RM', from: 'hero-painted', matte: 'alpha' },
    );
  });

  it('leaves the composition as it is without a remover', () => {
    expect(expandAutoMattes(composition, { O: opaque })).toBe(composition);
  });
});
