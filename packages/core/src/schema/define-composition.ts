import type { Composition } from '../types/composition.js';
import { compositionSchema } from './composition-schema.js';
import { parseWithSchema } from './parse-with-schema.js';

/**
 * Validates a composition and returns it, typed. Use it to write compositions in code with
 * editor completion and to fail early on bad input.
 *
 * @param composition - the composition to check.
 * @returns the same composition, as validated.
 * @throws ValidationError naming every bad field.
 *
 * @example
 * const c = defineComposition({
 *   width: 1024, height: 1024,
 *   layers: [{ id: 'hero', prompt: 'a knight', provider: 'A' }],
 * });
 */
export function defineComposition<const C extends Composition>(composition: C): C {
  parseWithSchema(compositionSchema, composition, 'composition');
  return composition;
}

/**
 * Validates an unknown value as a {@link Composition}.
 *
 * @param value - anything, e.g. parsed JSON.
 * @returns the composition.
 * @throws ValidationError naming every bad field.
 */
export function validateComposition(value: unknown): Composition {
  return parseWithSchema(compositionSchema, value, 'composition') as Composition;
}
