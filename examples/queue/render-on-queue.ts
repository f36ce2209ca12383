// Distributed rendering on BullMQ, in one file: a worker (normally its own process, one per
// machine) and a submitting runner sharing Redis and a blob directory. Each composition is a
// BullMQ flow: layer jobs on per-provider queues, then compositing and the style pass — all on
// the workers; the runner plans, relays events and reads the result from the blob store.
// Run: LAYERLOOM_REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/queue/render-on-queue.ts
import { createCompositor } from '@layerloom/compositor';
import { createMockProvider } from '@layerloom/core/testing';
import { createQueueRunner, fileBlobStore, startWorker } from '@layerloom/queue-bullmq';

/** Renders one composition through a worker; returns the event types and the layer ids. */
export async function renderOnQueue(redisUrl: string, blobDirectory: string) {
  // Offline stand-ins: use real adapters (`openai.image('gpt-image-1')`…).
  const providers = {
    A: createMockProvider({ id: 'scene-model', latencyMs: 50 }),
    B: createMockProvider({ id: 'pet-model', latencyMs: 50 }),
  };
  const limits = { A: { concurrency: 2, maxRetries: 2 }, B: { concurrency: 1, timeoutMs: 60_000 } };
  const blobStore = fileBlobStore(blobDirectory);

  // On each worker machine:
  const worker = await startWorker({
    connection: redisUrl,
    blobStore,
    providers,
    compositor: createCompositor(),
    limits,
  });

  // In the app that submits compositions:
  const runner = createQueueRunner({
    connection: redisUrl,
    blobStore,
    providers,
    limits,
  });
  try {
    const events: string[] = [];
    const result = await runner.render(
      {
        width: 256,
        height: 256,
        seed: 42,
        layers: [
          { id: 'cat', prompt: 'a ginger cat', provider: 'B' },
          { id: 'room', prompt: 'a sunny living room', provider: 'A' },
        ],
        style: { prompt: 'watercolour', provider: 'A', strength: 0.3 },
      },
      { onEvent: (event) => events.push(event.type) },
    );
    return { events, layers: result.layers.map((layer) => layer.id), bytes: result.image.bytes };
  } finally {
    await runner.close();
    await worker.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.LAYERLOOM_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const { events, layers } = await renderOnQueue(url, '.layerloom/blobs');
  console.log(`painted ${layers.join(', ')}; events: ${events.join(' ')}`);
}
