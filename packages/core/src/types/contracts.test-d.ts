import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { compositionSchema } from '../schema/composition-schema.js';
import { defineComposition } from '../schema/define-composition.js';
import type {
  BlendMode,
  Composition,
  Compositor,
  ImageRequest,
  ImageResult,
  Layer,
  Provider,
  RenderEvent,
} from './index.js';

describe('contracts', () => {
  it('lets a custom provider be written as an object literal', () => {
    const provider = {
      id: 'my-studio',
      modelId: 'pets-v2',
      capabilities: {
        transparency: true,
        imageInput: false,
        mask: false,
        seed: true,
        maxImagesPerCall: 1,
        sizes: [{ width: 1024, height: 1024 }],
      },
      async generate(request: ImageRequest): Promise<ImageResult> {
        return {
          image: { bytes: new Uint8Array(), mediaType: 'image/png' },
          ...(request.seed === undefined ? {} : { seed: request.seed }),
          warnings: [],
        };
      },
    } satisfies Provider;
    expectTypeOf(provider).toExtend<Provider>();
    expectTypeOf<Provider['generate']>().returns.resolves.toEqualTypeOf<ImageResult>();
  });

  it('refuses a wrong blend mode', () => {
    const layer: Layer = { id: 'a', prompt: 'p', provider: 'A', blend: 'multiply' };
    expectTypeOf(layer.blend).toEqualTypeOf<BlendMode | undefined>();
    // @ts-expect-error 'burn' is not a W3C blend mode
    const wrong: Layer = { id: 'a', prompt: 'p', provider: 'A', blend: 'burn' };
    void wrong;
    const layers: Layer[] = [
      // @ts-expect-error opacity is a number
      { id: 'a', prompt: 'p', provider: 'A', opacity: '1' },
    ];
    void layers;
  });

  it('keeps the literal types of a defined composition', () => {
    const composition = defineComposition({
      width: 512,
      height: 512,
      layers: [{ id: 'hero', prompt: 'a knight', provider: 'A' }],
    });
    expectTypeOf(composition.layers[0].id).toEqualTypeOf<'hero'>();
    expectTypeOf(composition).toExtend<Composition>();
  });

  it('derives the schema output from the documented interfaces', () => {
    expectTypeOf<z.output<typeof compositionSchema>['layers'][number]['blend']>().toEqualTypeOf<
      BlendMode | undefined
    >();
  });

  it('discriminates render events by type', () => {
    const describe = (event: RenderEvent): string => {
      switch (event.type) {
        case 'layer:retry':
          return `${event.layerId} retries in ${event.delayMs} ms`;
        case 'layer:progress':
          return `${event.layerId} ${event.fraction ?? '?'}`;
        case 'done':
          return `${event.result.costUsd}`;
        default:
          return event.type;
      }
    };
    expectTypeOf(describe).parameter(0).toEqualTypeOf<RenderEvent>();
    expectTypeOf<Compositor['composite']>().returns.resolves.toHaveProperty('width');
  });
});
