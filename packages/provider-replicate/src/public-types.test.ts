/**
 * Type tests of the public surface, in a plain test file (checked by `tsc` in the typecheck
 * step, no-ops at run time) so that this package's tests do not typecheck the whole workspace.
 */
import { type Provider, ValidationError } from '@layerloom/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  createReplicate,
  type ReplicateImageModelId,
  type ReplicateImageOptions,
  type ReplicateProvider,
  replicate,
} from './index.js';

describe('public types', () => {
  it('builds Providers from known and other model ids', () => {
    expectTypeOf(replicate).toEqualTypeOf<ReplicateProvider>();
    expectTypeOf(createReplicate().image('black-forest-labs/flux-dev')).toEqualTypeOf<Provider>();
    expectTypeOf<'stability-ai/sdxl'>().toExtend<ReplicateImageModelId>();
    expectTypeOf<'someone/pixel-art'>().toExtend<ReplicateImageModelId>();
  });

  it('types the options and settings', () => {
    expectTypeOf<{
      numInferenceSteps: 4;
      input: { go_fast: true };
    }>().toExtend<ReplicateImageOptions>();
    expectTypeOf<{ outputFormat: 'gif' }>().not.toExtend<ReplicateImageOptions>();
    expectTypeOf(createReplicate().close).returns.toEqualTypeOf<Promise<void>>();
    // @ts-expect-error an unknown setting is a type error, and a ValidationError at run time
    expect(() => createReplicate({ token: 'x' })).toThrow(ValidationError);
  });
});
