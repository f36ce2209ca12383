import type { Composition } from '../types/composition.js';
import type { Layer } from '../types/layer.js';
import type { Provider } from '../types/provider.js';

/** Suffix of the step that paints a layer before a background remover cuts it out. */
export const paintedSuffix = '-painted';

/**
 * The alias of the first configured background remover: a provider with
 * `capabilities.cutsOutSubject` and `imageInput`.
 */
function removerAlias(providers: Readonly<Record<string, Provider>>): string | undefined {
  for (const [alias, provider] of Object.entries(providers)) {
    if (provider.capabilities.cutsOutSubject === true && provider.capabilities.imageInput) {
      return alias;
    }
  }
  return undefined;
}

/**
 * `matte: 'auto'` with a provider-side background remover: a layer whose (first) provider cannot
 * paint transparency, when a remover is configured, becomes a chain — `ID-painted` is painted
 * by the layer's provider (opaque, at the end of the stack, not composited) and `ID` is the
 * remover's cut-out of it (`matte: 'alpha'`), placed, blended and harmonized as the layer was.
 * Both are ordinary steps: cached, retried and recorded like any other. Without a remover, or
 * when `ID-painted` is taken, the layer is left as it is (the planner then uses a refined chroma
 * key).
 *
 * @param composition - a validated composition.
 * @param providers - the configured providers.
 * @returns the composition to plan (the same object when nothing changes).
 */
export function expandAutoMattes(
  composition: Composition,
  providers: Readonly<Record<string, Provider>>,
): Composition {
  const remover = removerAlias(providers);
  if (remover === undefined) return composition;
  const ids = new Set(composition.layers.map((layer) => layer.id));
  const painted: Layer[] = [];
  const layers = composition.layers.map((layer) => {
    if (layer.matte !== 'auto') return layer;
    const alias = typeof layer.provider === 'string' ? layer.provider : layer.provider[0];
    const provider = alias === undefined ? undefined : providers[alias];
    const paintedId = `${layer.id}${paintedSuffix}`;
    if (
      provider === undefined ||
      provider.capabilities.transparency ||
      alias === remover ||
      ids.has(paintedId) ||
      paintedId.length > 100
    ) {
      return layer;
    }
    ids.add(paintedId);
    const { blend, opacity, mask, harmonize, shadow, lightWrap, size, strength, ...paint } = layer;
    painted.push({
      ...paint,
      id: paintedId,
      matte: 'none',
      ...(size === undefined ? {} : { size }),
      ...(strength === undefined ? {} : { strength }),
    });
    return {
      id: layer.id,
      prompt: layer.prompt,
      provider: remover,
      from: paintedId,
      matte: 'alpha' as const,
      ...(layer.placement === undefined ? {} : { placement: layer.placement }),
      ...(blend === undefined ? {} : { blend }),
      ...(opacity === undefined ? {} : { opacity }),
      ...(mask === undefined ? {} : { mask }),
      ...(harmonize === undefined ? {} : { harmonize }),
      ...(shadow === undefined ? {} : { shadow }),
      ...(lightWrap === undefined ? {} : { lightWrap }),
    };
  });
  return painted.length === 0 ? composition : { ...composition, layers: [...layers, ...painted] };
}
