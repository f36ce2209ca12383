import { describe, expect, it } from 'vitest';
import { worldPackJsonSchema } from './world-pack-json-schema.js';

describe('worldPackJsonSchema', () => {
  it('describes the manifest for editors', () => {
    const schema = worldPackJsonSchema() as {
      $schema: string;
      type: string;
      required: string[];
      properties: Record<
        string,
        { additionalProperties?: { properties?: Record<string, unknown> } }
      >;
    };
    expect(schema.$schema).toContain('2020-12');
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(
      expect.arrayContaining(['name', 'version', 'license', 'authors', 'attribution', 'entities']),
    );
    const entity = schema.properties.entities?.additionalProperties;
    expect(Object.keys(entity?.properties ?? {})).toEqual(
      expect.arrayContaining(['kind', 'prompt', 'defaults', 'referenceImages', 'bindings']),
    );
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});
