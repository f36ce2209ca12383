import type { ImageResult, Provider } from '@layerloom/core';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type A1111Adapter,
  type A1111ImageDefaults,
  type ComfyUIAdapter,
  type ComfyUIImageDefaults,
  type ComfyUINodeMapping,
  type ComfyUIWorkflow,
  createA1111,
  createComfyUI,
  sdxlTextToImageNodes,
  sdxlTextToImageWorkflow,
} from './index.js';

describe('public types', () => {
  it('builds Providers from both adapters', () => {
    expectTypeOf(createA1111).returns.toEqualTypeOf<A1111Adapter>();
    expectTypeOf(createComfyUI).returns.toEqualTypeOf<ComfyUIAdapter>();
    expectTypeOf<A1111Adapter['image']>().returns.toEqualTypeOf<Provider>();
    expectTypeOf<A1111Adapter['image']>().parameters.toEqualTypeOf<
      [checkpoint?: string, defaults?: A1111ImageDefaults]
    >();
    expectTypeOf<ReturnType<Provider['generate']>>().toEqualTypeOf<Promise<ImageResult>>();
  });

  it('accepts ComfyUI defaults with or without a checkpoint', () => {
    const comfy = {} as ComfyUIAdapter;
    expectTypeOf(comfy.image({ steps: 20 })).toEqualTypeOf<Provider>();
    expectTypeOf(comfy.image('model.safetensors', { steps: 20 })).toEqualTypeOf<Provider>();
    expectTypeOf(comfy.image).toBeCallableWith(undefined, {} as ComfyUIImageDefaults);
  });

  it('types the shipped templates and mappings', () => {
    expectTypeOf(sdxlTextToImageWorkflow).toEqualTypeOf<ComfyUIWorkflow>();
    expectTypeOf(sdxlTextToImageNodes).toEqualTypeOf<ComfyUINodeMapping>();
    expectTypeOf<ComfyUINodeMapping['prompt']>().not.toBeUndefined();
    // @ts-expect-error: a mapping needs a prompt target
    const missingPrompt: ComfyUINodeMapping = { seed: '3.seed' };
    expectTypeOf(missingPrompt).toEqualTypeOf<ComfyUINodeMapping>();
  });
});
