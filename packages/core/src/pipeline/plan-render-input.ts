import type { PlanOptions } from '../loom/loom-options.js';
import type { RenderInput } from '../loom/render-many.js';
import { resolveCompositionPacks } from '../packs/resolve-composition-packs.js';
import type { WorldPackCache } from '../packs/world-pack-cache.js';
import type { Provider } from '../types/provider.js';
import type { RenderPlan } from '../types/render-plan.js';
import { planRender } from './plan-render.js';
import { resolveRenderInput } from './resolve-render-input.js';

/**
 * The plan stage from what `render` and `plan` accept: parses or validates the input
 * (`resolveRenderInput`), resolves its `use`d world packs (from `packDirectory`, checking the
 * versions and content hashes a replayed manifest names) and plans it (`planRender`). Every
 * runner plans through this, so a composition that uses packs renders the same everywhere.
 *
 * @param input - a composition object or `.loom` text.
 * @param options - `variables` for the text, `packDirectory` for `use` lines.
 * @param providers - the configured providers, by alias.
 * @param packCache - where loaded packs are kept between calls (`createWorldPackCache`); each
 *   call loads its packs afresh without one.
 * @throws LayerNotationError, ValidationError or WorldPackError, before any provider call.
 */
export async function planRenderInput(
  input: RenderInput,
  options: PlanOptions,
  providers: Readonly<Record<string, Provider>>,
  packCache?: WorldPackCache,
): Promise<RenderPlan> {
  const composition = resolveRenderInput(input, options.variables);
  if (composition.packs === undefined || composition.packs.length === 0) {
    return planRender(composition, { providers });
  }
  const packs = await resolveCompositionPacks(composition, {
    ...(options.packDirectory === undefined ? {} : { baseDirectory: options.packDirectory }),
    ...(packCache === undefined ? {} : { resolve: packCache.resolve }),
  });
  return planRender(composition, { providers, packs });
}
