/**
 * Type tests of the public surface, in a plain test file so that running this package's tests
 * does not typecheck the whole workspace: `tsc` checks the assertions, at run time they are no-ops.
 */
import { type Provider, ValidationError } from '@layerloom/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  createGoogle,
  type GoogleImageModelId,
  type GoogleImageOptions,
  type GoogleProvider,
  google,
} from './index.js';

describe('public types', () => {
  it('builds Providers from known and future model ids', () => {
    expectTypeOf(google).toEqualTypeOf<GoogleProvider>();
    expectTypeOf(createGoogle().image('gemini-2.5-flash-image')).toEqualTypeOf<Provider>();
    expectTypeOf(createGoogle().image).parameter(0).toEqualTypeOf<GoogleImageModelId>();
    expectTypeOf<'imagen-4.0-generate-001'>().toExtend<GoogleImageModelId>();
    expectTypeOf<'gemini-9-image'>().toExtend<GoogleImageModelId>();
  });

  it('types the options and settings', () => {
    expectTypeOf<{ personGeneration: 'ALLOW_ADULT' }>().toExtend<GoogleImageOptions>();
    expectTypeOf<{ personGeneration: 'sometimes' }>().not.toExtend<GoogleImageOptions>();
    expectTypeOf(createGoogle().close).returns.toEqualTypeOf<Promise<void>>();
    // @ts-expect-error an unknown setting is a type error, and a ValidationError at run time
    expect(() => createGoogle({ apiKeys: 'x' })).toThrow(ValidationError);
  });
});
