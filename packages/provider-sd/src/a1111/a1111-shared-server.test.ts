import {
  AbortError,
  decodePng,
  encodePng,
  type ImageProgress,
  type ImageRequest,
} from '@layerloom/core';
import { decodeBase64 } from '@layerloom/core/http';
import { createImageRequest, createTestCleanup, rejectionOf } from '@layerloom/core/testing';
import { delay } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeA1111 } from '../../test/fake-a1111-server.js';
import { solidPng } from '../../test/png-fixtures.js';
import { createA1111 } from './create-a1111.js';

const cleanup = createTestCleanup();
afterEach(() => cleanup.run());

const fake = async (options: Parameters<typeof createFakeA1111>[0] = {}) =>
  cleanup.track(await createFakeA1111(options));
const adapter = (settings: Parameters<typeof createA1111>[0]) =>
  cleanup.track(createA1111(settings));
const request = (fields: Partial<ImageRequest> = {}) =>
  createImageRequest({ prompt: 'a lantern', width: 512, height: 512, ...fields });
/** Starts a call and aborts it after `ms`; resolves with what it rejected with. */
async function abortedAfter(
  settings: Parameters<typeof createA1111>[0],
  ms: number,
): Promise<unknown> {
  const controller = new AbortController();
  const pending = adapter(settings)
    .image()
    .generate(request({ signal: controller.signal }));
  await delay(ms);
  controller.abort();
  return rejectionOf(pending);
}

const sentBody = (server: Awaited<ReturnType<typeof fake>>) =>
  server.server.requests
    .find((entry) => entry.url.pathname.startsWith('/sdapi/v1/') && entry.method === 'POST')!
    .json<Record<string, unknown>>();

describe('A1111 mask: Layerloom convention converted to white = repaint', () => {
  it('sends an opaque grey mask: transparent or black keeps, opaque white repaints', async () => {
    const server = await fake();
    // 3x1: opaque white (repaint), transparent white (keep), opaque black (keep).
    const mask = encodePng({
      width: 3,
      height: 1,
      data: new Uint8Array([255, 255, 255, 255, 255, 255, 255, 0, 0, 0, 0, 255]),
    });
    await adapter({ baseURL: server.url })
      .image()
      .generate(
        request({
          image: { bytes: solidPng([9, 9, 9, 255], 3), mediaType: 'image/png' },
          mask: { bytes: mask, mediaType: 'image/png' },
        }),
      );
    const body = sentBody(server);
    expect(body.inpainting_mask_invert).toBe(0);
    const received = decodePng(decodeBase64(body.mask as string));
    expect([...received.data]).toEqual([255, 255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 255]);
  });
});

describe('A1111 on a shared server: our task only', () => {
  it('sends force_task_id and override_settings_restore_afterwards deliberately', async () => {
    const server = await fake();
    await adapter({ baseURL: server.url }).image('sd_xl_base_1.0').generate(request());
    expect(sentBody(server)).toMatchObject({
      force_task_id: expect.stringMatching(/^layerloom-/),
      override_settings_restore_afterwards: true,
      override_settings: { sd_model_checkpoint: 'sd_xl_base_1.0' },
    });
    await adapter({ baseURL: server.url })
      .image('sd_xl_base_1.0', { restoreSettings: false, options: { force_task_id: 'mine-1' } })
      .generate(request());
    const second = server.server.requests.filter((entry) => entry.path === '/sdapi/v1/txt2img')[1]!;
    expect(second.json()).toMatchObject({
      force_task_id: 'mine-1',
      override_settings_restore_afterwards: false,
    });
    expect(server.ranTasks()).toEqual([expect.stringMatching(/^layerloom-/), 'mine-1']);
  });

  it('reports its place in the queue behind another client, then only its own progress', async () => {
    const server = await fake({
      generationMs: 150,
      progress: [
        { progress: 0.4, eta: 1, preview: null },
        { progress: 0.8, eta: 0.5, preview: null },
      ],
    });
    const other = server.startForeignJob(200);
    const events: ImageProgress[] = [];
    const result = await adapter({ baseURL: server.url, progressIntervalMs: 20 })
      .image()
      .generate(request({ onProgress: (progress) => events.push(progress) }));
    await other.done;
    expect(events[0]).toEqual({ fraction: 0, queuePosition: 1 });
    // Reported once while the place did not change, and no fraction of the other job's.
    expect(events.filter((event) => event.queuePosition !== undefined)).toHaveLength(1);
    expect(events.slice(1).map((event) => event.fraction)).toEqual(
      expect.arrayContaining([0.4, 0.8]),
    );
    expect(server.ranTasks()).toEqual([other.taskId, result.providerMetadata!.taskId]);
    expect(result.providerMetadata).toMatchObject({ waitedInQueue: true });
    expect(server.calls()).not.toContain('GET /sdapi/v1/progress');
  });

  it('does not interrupt another client’s job when aborted while queued, and says so', async () => {
    const server = await fake({ generationMs: 50 });
    const other = server.startForeignJob(400);
    const error = await abortedAfter({ baseURL: server.url }, 80);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as Error).message).toMatch(
      /was still queued behind another job, so nothing was interrupted/,
    );
    expect(server.calls()).toContain('POST /internal/progress');
    expect(server.calls()).not.toContain('POST /sdapi/v1/interrupt');
    expect(server.interruptedTasks()).toEqual([]);
    await other.done;
    expect(server.interruptedTasks()).toEqual([]);
  });

  it('interrupts when its own task is the running one', async () => {
    const server = await fake({ generationMs: 10_000 });
    expect(await abortedAfter({ baseURL: server.url }, 80)).toBeInstanceOf(AbortError);
    const ours = sentBody(server).force_task_id;
    expect(server.interruptedTasks()).toEqual([ours]);
  });

  it('on a server without /internal/progress: no interrupt unless `interrupt: "always"`', async () => {
    const server = await fake({ generationMs: 10_000, internalProgress: false });
    const error = await abortedAfter({ baseURL: server.url }, 60);
    expect((error as Error).message).toMatch(/has no \/internal\/progress .* did not interrupt/);
    expect(server.interrupted()).toBe(false);

    expect(await abortedAfter({ baseURL: server.url, interrupt: 'always' }, 60)).toBeInstanceOf(
      AbortError,
    );
    expect(server.interrupted()).toBe(true);
  });

  it('warns that no progress could be reported without /internal/progress', async () => {
    const server = await fake({ generationMs: 80, internalProgress: false });
    const events: ImageProgress[] = [];
    const result = await adapter({ baseURL: server.url, progressIntervalMs: 15 })
      .image()
      .generate(request({ onProgress: (progress) => events.push(progress) }));
    expect(events).toEqual([]);
    expect(result.warnings).toEqual([
      'The server has no /internal/progress (started with --nowebui?); no progress was reported, since /sdapi/v1/progress reports whatever job runs.',
    ]);
  });
});
