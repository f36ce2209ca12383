import { z } from 'zod';
import { worldPackManifestSchema } from './world-pack-schema.js';

/**
 * The JSON Schema (draft 2020-12) of `world-pack.json`, generated from
 * `worldPackManifestSchema`, for editors: point a manifest's `$schema` at a file holding it
 * (`layerloom pack init` writes one). Checks the schema cannot express (a path staying inside
 * the pack, distinct entity and style ids, versions being semver) are made by the loader.
 *
 * @returns a fresh JSON-safe object.
 */
export function worldPackJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(worldPackManifestSchema, {
    target: 'draft-2020-12',
    unrepresentable: 'any',
    io: 'input',
  }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://layerloom.invalid/schemas/world-pack.json',
    title: 'Layerloom world pack manifest (world-pack.json)',
  };
}
