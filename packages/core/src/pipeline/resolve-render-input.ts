import type { PlanOptions } from '../loom/loom-options.js';
import type { RenderInput } from '../loom/render-many.js';
import { parseLayerNotation } from '../notation/parse-layer-notation.js';
import { validateComposition } from '../schema/define-composition.js';
import type { Composition } from '../types/composition.js';

/**
 * Turns what `render` and `plan` accept into a validated composition: `.loom` text is parsed
 * (with `variables`), an object is validated.
 *
 * @param input - a composition object or `.loom` text.
 * @param variables - values for `$name` in the text.
 * @throws LayerNotationError for bad text; ValidationError naming the field for a bad object.
 */
export function resolveRenderInput(
  input: RenderInput,
  variables: PlanOptions['variables'],
): Composition {
  return typeof input === 'string'
    ? parseLayerNotation(input, variables === undefined ? undefined : { variables })
    : validateComposition(input);
}
