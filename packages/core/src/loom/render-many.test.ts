import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AbortError } from '../errors/abort-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { createMockProvider } from '../testing/create-mock-provider.js';
import { createRecordingCompositor } from '../testing/create-recording-compositor.js';
import type { Composition } from '../types/composition.js';
import type { RenderEvent } from '../types/render-event.js';
import { createLoom } from './create-loom.js';
import type { RenderManyItem } from './loom-options.js';

const small = (index: number, provider = 'A'): Composition => ({
  width: 8,
  height: 8,
  seed: index,
  layers: [{ id: 'only', prompt: `picture ${index}`, provider }],
});

/** A sync generator that counts how many compositions were pulled. */
function* counted(
  total: number,
  pulled: { count: number },
  make = (index: number) => small(index) as Composition | string,
) {
  for (let index = 0; index < total; index++) {
    pulled.count++;
    yield make(index);
  }
}

describe('loom.renderMany', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('pulls lazily, holds at most `concurrency` compositions and yields in completion order', async () => {
    // Latency falls with the index, so later compositions finish first.
    const provider = createMockProvider({ latencyMs: 0 });
    const latencies = [50, 40, 30, 20, 10, 5];
    const loom = createLoom({
      providers: {
        A: {
          ...provider,
          generate: (request) =>
            new Promise((resolve, reject) => {
              const index = Number(request.prompt.split(' ')[1]);
              setTimeout(() => provider.generate(request).then(resolve, reject), latencies[index]);
            }),
        },
      },
      compositor: createRecordingCompositor(),
      defaultLimits: { concurrency: 10 },
    });
    const pulled = { count: 0 };
    const iterator = loom
      .renderMany(counted(6, pulled), { concurrency: 2 })
      [Symbol.asyncIterator]();
    const items: RenderManyItem[] = [];
    const first = iterator.next();
    await vi.advanceTimersByTimeAsync(0);
    expect(pulled.count).toBe(2);
    await vi.advanceTimersByTimeAsync(100);
    items.push((await first).value as RenderManyItem);
    // The consumer has not asked for more: nothing else was pulled.
    expect(pulled.count).toBe(2);
    for (;;) {
      const next = iterator.next();
      await vi.advanceTimersByTimeAsync(100);
      const step = await next;
      if (step.done === true) break;
      items.push(step.value);
      expect(pulled.count).toBeLessThanOrEqual(items.length + 2);
    }
    // 1 finishes before 0; each later composition starts only when an outcome was taken, so
    // with this consumer's pace each finishes before the next one starts.
    expect(items.map((item) => item.index)).toEqual([1, 0, 2, 3, 4, 5]);
    expect(items.every((item) => item.ok)).toBe(true);
    expect(provider.maxInFlight).toBeLessThanOrEqual(2);
  });

  it('reports a failing composition as an item and goes on', async () => {
    vi.useRealTimers();
    const loom = createLoom({
      providers: {
        A: createMockProvider({
          script: (request) =>
            request.prompt === 'picture 1' ? { status: 400, message: 'refused' } : 'ok',
        }),
      },
      compositor: createRecordingCompositor(),
    });
    const inputs: (Composition | string)[] = [
      small(0),
      small(1),
      small(2, 'Nope'),
      'size 8x8\n| only: text @A',
    ];
    const items: RenderManyItem[] = [];
    const events: [string, number][] = [];
    for await (const item of loom.renderMany(inputs, {
      concurrency: 1,
      onEvent: (event: RenderEvent, index) =>
        event.type === 'done' && events.push([event.type, index]),
    })) {
      items.push(item);
    }
    expect(
      items.map((item) => [item.index, item.ok, item.ok ? undefined : item.error.code]),
    ).toEqual([
      [0, true, undefined],
      [1, false, 'provider_error'],
      [2, false, 'validation_error'],
      [3, true, undefined],
    ]);
    const invalid = items[2]!;
    expect(!invalid.ok && invalid.error).toBeInstanceOf(ValidationError);
    expect(events).toEqual([
      ['done', 0],
      ['done', 3],
    ]);
  });

  it('accepts async iterables', async () => {
    vi.useRealTimers();
    const loom = createLoom({
      providers: { A: createMockProvider() },
      compositor: createRecordingCompositor(),
    });
    async function* source() {
      for (let index = 0; index < 5; index++) yield small(index);
    }
    const indices: number[] = [];
    for await (const item of loom.renderMany(source(), { concurrency: 3 }))
      indices.push(item.index);
    expect(indices.sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('stops pulling and aborts what runs when the consumer breaks out', async () => {
    const provider = createMockProvider({ latencyMs: 1_000 });
    const loom = createLoom({
      providers: { A: provider },
      compositor: createRecordingCompositor(),
      defaultLimits: { concurrency: 10 },
    });
    const pulled = { count: 0 };
    let finished = false;
    const consume = (async () => {
      for await (const item of loom.renderMany(counted(100, pulled), { concurrency: 3 })) {
        expect(item.ok).toBe(true);
        break;
      }
      finished = true;
    })();
    await vi.advanceTimersByTimeAsync(1_000);
    await consume;
    expect(finished).toBe(true);
    expect(pulled.count).toBe(3);
    expect(provider.requests.filter((request) => request.signal.aborted)).toHaveLength(2);
  });

  it('throws an AbortError when its signal aborts', async () => {
    const provider = createMockProvider({ latencyMs: 1_000 });
    const loom = createLoom({
      providers: { A: provider },
      compositor: createRecordingCompositor(),
    });
    const controller = new AbortController();
    const pulled = { count: 0 };
    const consume = (async () => {
      const items: RenderManyItem[] = [];
      for await (const item of loom.renderMany(counted(10, pulled), {
        concurrency: 2,
        signal: controller.signal,
      })) {
        items.push(item);
      }
      return items;
    })();
    consume.catch(() => {});
    await vi.advanceTimersByTimeAsync(500);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    await expect(consume).rejects.toBeInstanceOf(AbortError);
    expect(pulled.count).toBe(2);
    expect(provider.requests.every((request) => request.signal.aborted)).toBe(true);
  });

  it('rethrows what the source throws, after aborting what runs', async () => {
    vi.useRealTimers();
    const loom = createLoom({
      providers: { A: createMockProvider() },
      compositor: createRecordingCompositor(),
    });
    const sourceError = new Error('database went away');
    function* source() {
      yield small(0);
      throw sourceError;
    }
    const consume = async () => {
      for await (const _item of loom.renderMany(source())) {
        // drain
      }
    };
    await expect(consume()).rejects.toBe(sourceError);
  });

  it('refuses a non-iterable input and bad options', () => {
    const loom = createLoom({
      providers: { A: createMockProvider() },
      compositor: createRecordingCompositor(),
    });
    expect(() => loom.renderMany('| a: b @A' as never)).toThrow(
      'Expected `inputs` to be an iterable',
    );
    expect(() => loom.renderMany([], { concurrency: 0 })).toThrow(
      'Expected `concurrency` to be an integer from 1 to 1000, got `0` (number)',
    );
  });
});

describe('loom.stream', () => {
  it('yields every event of a render, ending with done', async () => {
    const loom = createLoom({
      providers: { A: createMockProvider(), B: createMockProvider() },
      compositor: createRecordingCompositor(),
    });
    const seen: string[] = [];
    const types: string[] = [];
    for await (const event of loom.stream('size 8x8\n| hero: a @A\n| scene: b @B', {
      onEvent: (event) => seen.push(event.type),
    })) {
      types.push(event.type);
    }
    expect(types[0]).toBe('plan');
    expect(types.at(-1)).toBe('done');
    expect(types.filter((type) => type === 'layer:done')).toHaveLength(2);
    expect(seen).toEqual(types);
  });

  it('throws the render error after the events before it', async () => {
    const loom = createLoom({
      providers: { A: createMockProvider({ script: [{ status: 400 }] }) },
      compositor: createRecordingCompositor(),
    });
    const types: string[] = [];
    const consume = async () => {
      for await (const event of loom.stream(small(0))) types.push(event.type);
    };
    await expect(consume()).rejects.toMatchObject({ status: 400 });
    expect(types).toEqual(['plan', 'layer:queued', 'layer:start', 'layer:error']);
  });

  it('aborts the render when the consumer leaves early', async () => {
    vi.useFakeTimers();
    try {
      const provider = createMockProvider({ latencyMs: 10_000 });
      const loom = createLoom({
        providers: { A: provider },
        compositor: createRecordingCompositor(),
      });
      for await (const event of loom.stream(small(0))) {
        if (event.type === 'layer:start') break;
      }
      expect(provider.requests[0]!.signal.aborted).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
