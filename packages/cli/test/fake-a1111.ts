import { encodePng } from '@layerloom/core';
import { createTestServer, type RecordedRequest, type TestServer } from '@layerloom/core/testing';
import { HttpResponse, http } from 'msw';

/** Options of {@link startFakeA1111}. */
export interface FakeA1111Options {
  /** How long each txt2img call takes, in milliseconds; `/sdapi/v1/interrupt` ends it early. */
  readonly generationMs?: number;
  /** `user:password` the server requires as HTTP Basic auth (`--api-auth`). */
  readonly auth?: string;
}

/** An AUTOMATIC1111/Forge stand-in on 127.0.0.1 for the CLI's subprocess tests. */
export interface FakeA1111 {
  /** Base URL to put in `layerloom.config.json`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: () => readonly RecordedRequest[];
  /** `POST /sdapi/v1/txt2img`-style lines, in order. */
  readonly calls: () => string[];
  /** Bodies of the txt2img calls received. */
  readonly generations: () => Record<string, unknown>[];
  /** The most txt2img calls that were in progress at once. */
  readonly maxInFlight: () => number;
  /** Whether `POST /sdapi/v1/interrupt` was received. */
  readonly interrupted: () => boolean;
  /** Stops the server. */
  close(): Promise<void>;
}

/** A PNG of one opaque colour. */
function solidPng(width: number, height: number): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let offset = 0; offset < data.length; offset += 4) data.set([200, 60, 40, 255], offset);
  return encodePng({ width, height, data });
}

/**
 * Starts a fake A1111 API: `txt2img` answers as the web UI does (`images` as base64, `info` as
 * a JSON string), after `generationMs` or as soon as `/sdapi/v1/interrupt` arrives; `progress`
 * answers "idle"; `POST /internal/progress` says whether a task (`force_task_id`) runs.
 *
 * @param options - timing and auth.
 */
export async function startFakeA1111(options: FakeA1111Options = {}): Promise<FakeA1111> {
  let inFlight = 0;
  let maxInFlight = 0;
  let interrupted = false;
  const waiting = new Set<() => void>();
  /** Task ids (`force_task_id`) of the calls in flight, for `POST /internal/progress`. */
  const running = new Set<unknown>();
  const unauthorised = (request: Request) => {
    if (options.auth === undefined) return undefined;
    const expected = `Basic ${Buffer.from(options.auth).toString('base64')}`;
    if (request.headers.get('authorization') === expected) return undefined;
    return HttpResponse.json({ detail: 'Not authenticated' }, { status: 401 });
  };

  const server: TestServer = await createTestServer([
    http.post('*/sdapi/v1/txt2img', async ({ request }) => {
      const denied = unauthorised(request);
      if (denied !== undefined) return denied;
      const body = (await request.json()) as Record<string, unknown>;
      inFlight += 1;
      running.add(body.force_task_id);
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(finish, options.generationMs ?? 0);
        function finish() {
          clearTimeout(timer);
          waiting.delete(finish);
          resolve();
        }
        waiting.add(finish);
      });
      inFlight -= 1;
      running.delete(body.force_task_id);
      const width = Number(body.width ?? 512);
      const height = Number(body.height ?? 512);
      const seed = typeof body.seed === 'number' ? body.seed : 1;
      const info = { seed, all_seeds: [seed], width, height, sampler_name: 'Euler' };
      return HttpResponse.json({
        images: [Buffer.from(solidPng(width, height)).toString('base64')],
        parameters: body,
        info: JSON.stringify(info),
      });
    }),
    http.post('*/internal/progress', async ({ request }) => {
      const { id_task: id } = (await request.json()) as { id_task?: unknown };
      const active = running.has(id);
      return HttpResponse.json({
        active,
        queued: false,
        completed: !active,
        progress: active ? 0 : null,
        id_live_preview: -1,
        textinfo: null,
      });
    }),
    http.get('*/sdapi/v1/progress', () =>
      HttpResponse.json({
        progress: 0,
        eta_relative: 0,
        state: { interrupted, job_count: inFlight },
        current_image: null,
        textinfo: null,
      }),
    ),
    http.post('*/sdapi/v1/interrupt', ({ request }) => {
      const denied = unauthorised(request);
      if (denied !== undefined) return denied;
      interrupted = true;
      for (const finish of [...waiting]) finish();
      return HttpResponse.json({});
    }),
  ]);

  const generationRequests = () =>
    server.requests.filter((request) => request.url.pathname === '/sdapi/v1/txt2img');
  return {
    url: server.url,
    requests: () => server.requests,
    calls: () => server.requests.map((request) => `${request.method} ${request.url.pathname}`),
    generations: () => generationRequests().map((request) => request.json()),
    maxInFlight: () => maxInFlight,
    interrupted: () => interrupted,
    close: () => {
      for (const finish of [...waiting]) finish();
      return server.close();
    },
  };
}
