import { createTestServer, type TestServer } from '@layerloom/core/testing';
import { delay, HttpResponse, http } from 'msw';
import { base64, solidPng } from './png-fixtures.js';

/** One `GET /sdapi/v1/progress` answer while a job runs. */
export interface FakeProgress {
  /** Fraction done, 0..1. */
  readonly progress: number;
  /** Seconds left. */
  readonly eta_relative: number;
  /** Base64 live preview, or `null`. */
  readonly current_image: string | null;
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
  /** Paths of the requests received, in order (`POST /sdapi/v1/txt2img`, …). */
  readonly calls: () => string[];
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

/**
 * Starts a fake A1111 server: txt2img and img2img (synchronous, ended early by interrupt, with
 * `info` as a JSON string), progress, interrupt, and basic auth.
 *
 * @param options - auth, timing, progress script, image.
 */
export async function createFakeA1111(options: FakeA1111Options = {}): Promise<FakeA1111> {
  const image = options.image ?? solidPng([10, 200, 30, 255]);
  const progressScript = options.progress ?? [];
  let running = false;
  let progressIndex = 0;
  let interrupted = false;
  let wake: (() => void) | undefined;

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
    running = true;
    progressIndex = 0;
    interrupted = false;
    await Promise.race([
      delay(options.generationMs ?? 0),
      new Promise<void>((resolve) => {
        wake = resolve;
      }),
    ]);
    running = false;
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
    http.get('*/sdapi/v1/progress', ({ request }) => {
      const denied = authorised(request);
      if (denied !== undefined) return denied;
      const step = running
        ? progressScript[Math.min(progressIndex++, progressScript.length - 1)]
        : undefined;
      const state = {
        skipped: false,
        interrupted,
        stopping_generation: false,
        job: running ? 'txt2img' : '',
        job_count: running ? 1 : 0,
        job_timestamp: '20260101120000',
        job_no: 0,
        sampling_step: 0,
        sampling_steps: 20,
      };
      return HttpResponse.json(
        {
          progress: step?.progress ?? 0,
          eta_relative: step?.eta_relative ?? 0,
          state,
          current_image: step?.current_image ?? null,
          textinfo: null,
        },
        { headers: timing },
      );
    }),
    http.post('*/sdapi/v1/interrupt', ({ request }) => {
      const denied = authorised(request);
      if (denied !== undefined) return denied;
      interrupted = true;
      wake?.();
      return HttpResponse.json({}, { headers: timing });
    }),
  ]);

  return {
    url: server.url,
    server,
    image,
    interrupted: () => interrupted,
    calls: () => server.requestLines(),
    close: () => {
      wake?.();
      return server.close();
    },
  };
}
