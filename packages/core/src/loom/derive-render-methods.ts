import { ValidationError } from '../errors/validation-error.js';
import { parseWithSchema } from '../schema/parse-with-schema.js';
import type { RenderEvent } from '../types/render-event.js';
import type { Loom } from './loom.js';
import { renderManyOptionsSchema, renderOptionsSchema } from './loom-options.js';
import { renderManyWith } from './render-many.js';
import { streamEvents } from './stream-events.js';

/**
 * Builds a loom's `stream` and `renderMany` from its `render`, with the same option checks, so
 * that every loom — in one process, or one that renders on a queue — streams and batches
 * alike. For implementations of {@link Loom} other than `createLoom`'s.
 *
 * @param render - renders one composition (validates its own options).
 * @returns `stream` (the render's events as an async iterable) and `renderMany` (many renders,
 *   `concurrency` at a time, in completion order).
 */
export function deriveRenderMethods(render: Loom['render']): Pick<Loom, 'stream' | 'renderMany'> {
  return {
    stream(input, renderOptions = {}) {
      parseWithSchema(renderOptionsSchema, renderOptions, 'render options');
      const { onEvent, signal, ...rest } = renderOptions;
      return streamEvents(
        (handler, streamSignal) =>
          render(input, {
            ...rest,
            signal: streamSignal,
            onEvent: (event) => {
              onEvent?.(event);
              handler(event);
            },
          }),
        signal,
      );
    },
    renderMany(inputs, manyOptions = {}) {
      parseWithSchema(renderManyOptionsSchema, manyOptions, 'renderMany options');
      const isIterable =
        typeof inputs === 'object' &&
        inputs !== null &&
        (Symbol.iterator in inputs || Symbol.asyncIterator in inputs);
      if (!isIterable) {
        throw ValidationError.field(
          ['inputs'],
          'Expected `inputs` to be an iterable or async iterable of compositions or `.loom` texts (a single text goes to `render`)',
          'renderMany inputs',
        );
      }
      const { concurrency, onEvent, signal, ...rest } = manyOptions;
      return renderManyWith(
        (input, index, itemSignal) =>
          render(input, {
            ...rest,
            signal: itemSignal,
            ...(onEvent === undefined
              ? {}
              : { onEvent: (event: RenderEvent) => onEvent(event, index) }),
          }),
        inputs,
        concurrency ?? 4,
        signal,
      );
    },
  };
}
