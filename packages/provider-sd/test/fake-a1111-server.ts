import { decodePng } from '@layerloom/core';
import { createTestServer, type TestServer } from '@layerloom/core/testing';
import { delay, HttpResponse, http } from 'msw';
import { base64, solidPng } from './png-fixtures.js';

/** One progress answer while a job runs (`POST /internal/progress` for its task). */
export interface FakeProgress {
  /** Fraction done, 0..1. */
  readonly progress: number;
  /** Seconds left. */
  readonly eta: number;
  /** Live preview (a PNG), or `null`. */
  readonly preview: Uint8Array | null;
}

/** Options of {@link createFakeA1111}. */
export interface FakeA1111Options {
  /** Require HTTP Basic auth on `/sdapi/*`, as `--api-auth` does. */
  readonly auth?: { readonly username: string; readonly password: string };
  /** How long a generation takes, in milliseconds (ended early by `/interrupt`). */
  readonly generationMs?: number;
  /** Progress answers served in order while a job runs; the last one repeats. */
  readonly progress?: readonly FakeProgress[];
  /** The PNG the server paints. */
  readonly image?: Uint8Array;
  /**
   * Serve `POST /internal/progress` (the web UI's per-task progress, registered in `--api`
   * mode); `false` answers 404 as a `--nowebui` server does. @default true
   */
  readonly internalProgress?: boolean;
}

/** A job started by another client of the same server. */
export interface ForeignJob {
  /** Its task id. */
  readonly taskId: string;
  /** Settles when it ran (or was interrupted). */
  readonly done: Promise<void>;
}

/** A fake AUTOMATIC1111/Forge server on 127.0.0.1 that answers like the reference. */
export interface FakeA1111 {
  /** Base URL. */
  readonly url: string;
  /** The underlying test server (recorded requests, `use` for overrides). */
  readonly server: TestServer;
  /** The PNG every generation returns. */
  readonly image: Uint8Array;
  /** Whether `/sdapi/v1/interrupt` was called. */
  readonly interrupted: () => boolean;
  /** Task ids of the jobs `/sdapi/v1/interrupt` stopped, in order. */
  readonly interruptedTasks: () => readonly string[];
  /** Task ids in the order the jobs ran (started), ours and others'. */
  readonly ranTasks: () => readonly string[];
  /** Paths of the requests received, in order (`POST /sdapi/v1/txt2img`, …). */
  readonly calls: () => string[];
  /** Queues a job of another client: it takes the generation lock like any call. */
  startForeignJob(durationMs: number): ForeignJob;
  /** Stops the server. */
  close(): Promise<void>;
}

/** The checkpoints the fake knows, as `GET /sdapi/v1/sd-models` titles them. */
export const knownCheckpoints = [
  { title: 'sd_xl_base_1.0.safetensors [31e35c80fc]', name: 'sd_xl_base_1.0', hash: '31e35c80fc' },
  {
    title: 'v1-5-pruned-emaonly.safetensors [6ce0161689]',
    name: 'v1-5-pruned-emaonly',
    hash: '6ce0161689',
  },
];

const knownSamplers = ['Euler', 'Euler a', 'DPM++ 2M', 'DPM++ SDE'];

function a1111Error(status: number, error: string, detail: string) {
  return HttpResponse.json({ error, detail, body: '', errors: '' }, { status, headers: timing });
}

const timing = { 'x-process-time': '0.0123' };

interface Job {
  readonly taskId: string;
  interrupted: boolean;
  wake: () => void;
  step: number;
  lastPreviewId: number;
}

/**
 * Starts a fake A1111 server that keeps a task queue the way A1111 does
 * (`modules/progress.py`): every generation call is a task (`force_task_id`, or an id of its
 * own), queued behind one generation lock; `POST /internal/progress` answers for one task
 * (active, queued with its place, completed; progress and a live preview only while active);
 * `GET /sdapi/v1/progress` and `POST /sdapi/v1/interrupt` are server-wide and act on whatever
 * job runs. Also txt2img and img2img with `info` as a JSON string, and basic auth.
 *
 * @param options - auth, timing, progress script, image, whether `/internal/progress` exists.
 */
export async function createFakeA1111(options: FakeA1111Options = {}): Promise<FakeA1111> {
  const image = options.image ?? solidPng([10, 200, 30, 255]);
  const progressScript = options.progress ?? [];
  let current: Job | undefined;
  const pending: string[] = [];
  const finished: string[] = [];
  const interruptedTasks: string[] = [];
  const ranTasks: string[] = [];
  let lock: Promise<void> = Promise.resolve();
  let anyInterrupt = false;
  let ownIds = 0;
  const wakers = new Set<() => void>();

  /** Runs one task behind the generation lock, as `call_queue.queue_lock` serialises calls. */
  const runTask = async (taskId: string, durationMs: number): Promise<boolean> => {
    pending.push(taskId);
    const previous = lock;
    let release = () => {};
    lock = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    pending.splice(pending.indexOf(taskId), 1);
    const job: Job = { taskId, interrupted: false, wake: () => {}, step: 0, lastPreviewId: 0 };
    current = job;
    ranTasks.push(taskId);
    await Promise.race([
      delay(durationMs),
      new Promise<void>((resolve) => {
        job.wake = resolve;
        wakers.add(resolve);
      }),
    ]);
    wakers.delete(job.wake);
    current = undefined;
    finished.push(taskId);
    release();
    return job.interrupted;
  };

  const authorised = (request: Request) => {
    if (options.auth === undefined) return undefined;
    const header = request.headers.get('authorization');
    if (header === null) return a1111Error(401, 'HTTPException', 'Not authenticated');
    const expected = Buffer.from(`${options.auth.username}:${options.auth.password}`).toString(
      'base64',
    );
    return header === `Basic ${expected}`
      ? undefined
      : a1111Error(401, 'HTTPException', 'Incorrect username or password');
  };

  const generate = async (request: Request, endpoint: 'txt2img' | 'img2img') => {
    const denied = authorised(request);
    if (denied !== undefined) return denied;
    const body = (await request.json()) as Record<string, unknown>;
    if (endpoint === 'img2img' && !Array.isArray(body.init_images)) {
      return a1111Error(404, 'HTTPException', 'Init image not found');
    }
    if (typeof body.mask === 'string') {
      // A1111 decodes the mask as an image (`decode_base64_to_image`); bytes that are none fail.
      try {
        decodePng(new Uint8Array(Buffer.from(body.mask, 'base64')));
      } catch {
        return a1111Error(500, 'HTTPException', 'Invalid encoded image');
      }
    }
    if (body.force_task_id !== undefined && typeof body.force_task_id !== 'string') {
      return HttpResponse.json(
        {
          detail: [
            { loc: ['body', 'force_task_id'], msg: 'str type expected', type: 'type_error.str' },
          ],
        },
        { status: 422, headers: timing },
      );
    }
    if (body.steps !== undefined && !Number.isInteger(body.steps)) {
      return HttpResponse.json(
        {
          detail: [
            {
              loc: ['body', 'steps'],
              msg: 'value is not a valid integer',
              type: 'type_error.integer',
            },
          ],
        },
        { status: 422, headers: timing },
      );
    }
    const taskId =
      typeof body.force_task_id === 'string' ? body.force_task_id : `task(fake${++ownIds})`;
    await runTask(taskId, options.generationMs ?? 0);
    const seed = typeof body.seed === 'number' && body.seed >= 0 ? body.seed : 1_234_567_890;
    const requested = (body.override_settings as Record<string, unknown> | undefined)
      ?.sd_model_checkpoint;
    const checkpoint =
      knownCheckpoints.find(
        (known) =>
          requested === known.title ||
          requested === `${known.name}.safetensors` ||
          requested === known.name,
      ) ?? knownCheckpoints[1]!;
    const sampler =
      typeof body.sampler_name === 'string' && knownSamplers.includes(body.sampler_name)
        ? body.sampler_name
        : 'Euler';
    const info = {
      prompt: body.prompt,
      all_prompts: [body.prompt],
      negative_prompt: body.negative_prompt ?? '',
      seed,
      all_seeds: [seed],
      subseed: 42,
      all_subseeds: [42],
      width: body.width ?? 512,
      height: body.height ?? 512,
      sampler_name: sampler,
      cfg_scale: body.cfg_scale ?? 7,
      steps: body.steps ?? 50,
      batch_size: 1,
      denoising_strength: body.denoising_strength ?? null,
      sd_model_name: checkpoint.name,
      sd_model_hash: checkpoint.hash,
      index_of_first_image: 0,
      infotexts: [`${String(body.prompt)}\nSteps: ${String(body.steps ?? 50)}, Seed: ${seed}`],
      job_timestamp: '20260101120000',
    };
    return HttpResponse.json(
      {
        images: [base64(image)],
        parameters: { ...body, init_images: null, mask: null },
        info: JSON.stringify(info),
      },
      { headers: timing },
    );
  };

  const server = await createTestServer([
    http.post('*/sdapi/v1/txt2img', ({ request }) => generate(request, 'txt2img')),
    http.post('*/sdapi/v1/img2img', ({ request }) => generate(request, 'img2img')),
    http.post('*/internal/progress', async ({ request }) => {
      if (options.internalProgress === false) {
        return HttpResponse.json({ detail: 'Not Found' }, { status: 404 });
      }
      const asked = (await request.json()) as { id_task?: unknown; id_live_preview?: unknown };
      const id = asked.id_task;
      const active = current !== undefined && current.taskId === id;
      const queued = typeof id === 'string' && pending.includes(id);
      const completed = typeof id === 'string' && finished.includes(id);
      if (!active || current === undefined) {
        return HttpResponse.json({
          active: false,
          queued,
          completed,
          id_live_preview: -1,
          textinfo: queued
            ? `In queue: ${pending.indexOf(id as string) + 1}/${pending.length}`
            : 'Waiting...',
        });
      }
      const job = current;
      const step = progressScript[Math.min(job.step++, progressScript.length - 1)];
      let livePreview: string | null = null;
      let previewId = typeof asked.id_live_preview === 'number' ? asked.id_live_preview : -1;
      if (step?.preview != null) {
        // A new preview id whenever the script's preview changes, as shared.state counts them.
        const index = progressScript.findIndex((entry) => entry.preview === step.preview) + 1;
        if (index !== previewId) {
          livePreview = `data:image/png;base64,${base64(step.preview)}`;
          previewId = index;
        }
      }
      return HttpResponse.json({
        active: true,
        queued: false,
        completed: false,
        progress: step?.progress ?? 0,
        eta: step?.eta ?? null,
        live_preview: livePreview,
        id_live_preview: previewId,
        textinfo: null,
      });
    }),
    http.get('*/sdapi/v1/progress', ({ request }) => {
      const denied = authorised(request);
      if (denied !== undefined) return denied;
      // Server-wide: whatever job runs, whoever started it.
      return HttpResponse.json(
        {
          progress: current === undefined ? 0 : 0.5,
          eta_relative: 0,
          state: {
            skipped: false,
            interrupted: false,
            stopping_generation: false,
            job: current === undefined ? '' : 'txt2img',
            job_count: current === undefined ? 0 : 1,
            job_timestamp: '20260101120000',
            job_no: 0,
            sampling_step: 0,
            sampling_steps: 20,
          },
          current_image: null,
          textinfo: null,
        },
        { headers: timing },
      );
    }),
    http.post('*/sdapi/v1/interrupt', ({ request }) => {
      const denied = authorised(request);
      if (denied !== undefined) return denied;
      anyInterrupt = true;
      // Server-wide: it stops whatever job runs now.
      if (current !== undefined) {
        current.interrupted = true;
        interruptedTasks.push(current.taskId);
        current.wake();
      }
      return HttpResponse.json({}, { headers: timing });
    }),
  ]);

  return {
    url: server.url,
    server,
    image,
    interrupted: () => anyInterrupt,
    interruptedTasks: () => [...interruptedTasks],
    ranTasks: () => [...ranTasks],
    calls: () => server.requestLines(),
    startForeignJob(durationMs) {
      const taskId = `task(other-client-${++ownIds})`;
      return { taskId, done: runTask(taskId, durationMs).then(() => undefined) };
    },
    close: () => {
      for (const wake of wakers) wake();
      return server.close();
    },
  };
}
