import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import { imageRequestSchema, nonEmptyPromptSchema } from './image-request-schema.js';
import { parseWithSchema } from './parse-with-schema.js';

const signal = new AbortController().signal;
const parse = (schema: typeof imageRequestSchema, value: unknown) => {
  try {
    parseWithSchema(schema, value, 'request');
    return undefined;
  } catch (error) {
    return error;
  }
};

describe('imageRequestSchema', () => {
  it('accepts a request with its optional fields and fields it does not know', () => {
    const image = { bytes: new Uint8Array([1]), mediaType: 'image/png' };
    expect(
      parse(imageRequestSchema, {
        prompt: '',
        width: 64,
        height: 64,
        seed: 3,
        image,
        strength: 0.5,
        stepId: 'hero',
        signal,
      }),
    ).toBeUndefined();
  });

  it('names a bad field, and adapters can be stricter', () => {
    const error = parse(imageRequestSchema, { prompt: 'x', width: 0, height: 64, signal });
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain('`width`');
    const strict = imageRequestSchema.extend({ prompt: nonEmptyPromptSchema });
    expect((parse(strict, { prompt: '', width: 8, height: 8, signal }) as Error).message).toContain(
      'Expected `prompt` to be a non-empty string',
    );
  });
});
