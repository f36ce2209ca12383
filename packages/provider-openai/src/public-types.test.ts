/**
 * Type tests of the public surface. They live in a plain test file rather than a `*.test-d.ts`
 * so that running this package's tests does not typecheck the whole workspace: the assertions
 * are checked by `tsc` (the typecheck step) and are no-ops at run time.
 */
import { type Provider, ValidationError } from '@layerloom/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  createOpenAI,
  type OpenAIImageModelId,
  type OpenAIImageOptions,
  type OpenAIProvider,
  openai,
} from './index.js';

describe('public types', () => {
  it('builds Providers from known and future model ids', () => {
    expectTypeOf(openai).toEqualTypeOf<OpenAIProvider>();
    expectTypeOf(createOpenAI().image('gpt-image-1')).toEqualTypeOf<Provider>();
    expectTypeOf(createOpenAI().image).parameter(0).toEqualTypeOf<OpenAIImageModelId>();
    expectTypeOf<'dall-e-3'>().toExtend<OpenAIImageModelId>();
    expectTypeOf<'gpt-image-3'>().toExtend<OpenAIImageModelId>();
  });

  it('types the options and settings', () => {
    expectTypeOf<{ quality: 'high'; partialImages: 2 }>().toExtend<OpenAIImageOptions>();
    expectTypeOf<{ quality: 'ultra' }>().not.toExtend<OpenAIImageOptions>();
    expectTypeOf(createOpenAI().close).returns.toEqualTypeOf<Promise<void>>();
    // @ts-expect-error an unknown setting is a type error, and a ValidationError at run time
    expect(() => createOpenAI({ apiKeys: 'x' })).toThrow(ValidationError);
  });
});
