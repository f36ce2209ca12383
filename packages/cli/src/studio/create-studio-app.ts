import { readFile, writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { blendModes, parseWithSchema } from '@layerloom/core';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { editLayerNotation } from './edit-layer-notation.js';
import { resolveProjectPath } from './resolve-project-path.js';
import type { StudioAssets } from './studio-assets.js';
import { studioGuard } from './studio-guard.js';
import type { StudioMessage, StudioRender, StudioSession } from './studio-session.js';
import { isInputError, wireError } from './studio-wire.js';

/** Largest request body the studio reads: a notation text is at most 1 MiB, plus JSON. */
export const studioBodyLimit = 2 * 1024 * 1024;

/** What {@link createStudioApp} serves. */
export interface StudioAppOptions {
  /** The session: loom, cache, renders. */
  readonly session: StudioSession;
  /** The built page. */
  readonly assets: StudioAssets;
  /** The session token. */
  readonly token: string;
  /** Accepted `Host` values. */
  readonly hosts: () => readonly string[];
  /** The project folder: the only place files are read from and written to. */
  readonly root: string;
  /** The file opened at start, relative to `root`. */
  readonly file?: string;
  /** Whether every alias is painted by the preview provider (no config). */
  readonly previewOnly: boolean;
  /** Removes secrets from every body and event sent. */
  readonly redact: (text: string) => string;
}

const textSchema = z.string().max(studioBodyLimit);
const blendSchema = z.enum(blendModes);
const pixels = z.number().finite().min(-65_536).max(65_536);
const side = z.number().int().min(1).max(16_384);
const editSchema = z.strictObject({
  text: textSchema,
  stepId: z.string().min(1).max(100),
  edit: z.strictObject({
    opacity: z.number().min(0).max(1).optional(),
    blend: blendSchema.optional(),
    x: pixels.optional(),
    y: pixels.optional(),
    width: pixels.positive().optional(),
    height: pixels.positive().optional(),
    size: z.strictObject({ width: side, height: side }).optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .optional(),
  }),
});

function summary(render: StudioRender) {
  return {
    id: render.id,
    startedAt: render.startedAt,
    status: render.status,
    styled: render.styled,
    calls: render.calls,
    ...(render.costUsd === undefined ? {} : { costUsd: render.costUsd }),
    ...(render.error === undefined ? {} : { error: render.error }),
    images: [...render.images.keys()].filter((name) => !name.startsWith('preview-')),
  };
}

/**
 * The studio's HTTP app (hono): the page, the JSON API over the session, and the event stream
 * (Server-Sent Events). Every route is behind {@link studioGuard}; request bodies are limited
 * to {@link studioBodyLimit}; files are read and written only inside the project folder.
 *
 * @param options - session, assets, token, hosts, project folder.
 */
export function createStudioApp(options: StudioAppOptions): Hono {
  const { session, redact } = options;
  const app = new Hono();
  const json = (c: Context, body: unknown, status: 200 | 400 | 404 | 413 | 500 = 200) =>
    c.body(redact(JSON.stringify(body)), status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    });
  const failure = (c: Context, error: unknown) =>
    json(c, { ok: false, error: wireError(error) }, isInputError(error) ? 400 : 500);
  const readJson = async <T>(c: Context, schema: z.ZodType<T>): Promise<T> => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      body = undefined;
    }
    return parseWithSchema(schema, body, 'studio request');
  };

  app.use('*', studioGuard({ token: options.token, hosts: options.hosts }));
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: studioBodyLimit,
      onError: (c) =>
        json(
          c,
          {
            ok: false,
            error: {
              code: 'payload_too_large',
              message: `Expected a request body of at most ${studioBodyLimit} bytes`,
            },
          },
          413,
        ),
    }),
  );

  const asset = (c: Context, name: string) => {
    const found = options.assets.get(name);
    if (found === undefined) return c.body('Not found\n', 404);
    return c.body(found.body, 200, { 'content-type': found.type, 'cache-control': 'no-cache' });
  };
  app.get('/', (c) => asset(c, 'index.html'));
  app.get('/assets/:name', (c) => asset(c, c.req.param('name')));

  app.get('/api/session', async (c) => {
    let text = '';
    if (options.file !== undefined) {
      text = await readFile(resolveProjectPath(options.root, options.file), 'utf8');
    }
    return json(c, {
      file: options.file ?? null,
      text,
      previewOnly: options.previewOnly,
      blendModes,
      calls: session.calls(),
    });
  });

  app.get('/api/stats', (c) => json(c, { calls: session.calls() }));

  app.get('/api/file', async (c) => {
    try {
      const path = resolveProjectPath(options.root, c.req.query('path') ?? '');
      return json(c, {
        path: relative(options.root, path),
        text: await readFile(path, 'utf8'),
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return json(c, { ok: false, error: { code: 'not_found', message: 'No such file' } }, 404);
      }
      return failure(c, error);
    }
  });

  app.put('/api/file', async (c) => {
    try {
      const body = await readJson(c, z.strictObject({ path: z.string(), text: textSchema }));
      const path = resolveProjectPath(options.root, body.path);
      await writeFile(path, body.text);
      return json(c, { ok: true, path: relative(options.root, path) });
    } catch (error) {
      return failure(c, error);
    }
  });

  app.post('/api/plan', async (c) => {
    try {
      const { text } = await readJson(c, z.strictObject({ text: textSchema }));
      const { plan } = await session.plan(text);
      return json(c, { ok: true, plan });
    } catch (error) {
      return failure(c, error);
    }
  });

  app.post('/api/edit', async (c) => {
    try {
      const { text, stepId, edit } = await readJson(c, editSchema);
      return json(c, { ok: true, text: editLayerNotation(text, stepId, edit) });
    } catch (error) {
      return failure(c, error);
    }
  });

  app.post('/api/render', async (c) => {
    try {
      const { text, style } = await readJson(
        c,
        z.strictObject({ text: textSchema, style: z.boolean().optional() }),
      );
      const render = await session.render(text, { style: style ?? true });
      return json(c, { ok: true, renderId: render.id });
    } catch (error) {
      return failure(c, error);
    }
  });

  app.post('/api/renders/:id/abort', (c) =>
    json(c, { ok: true, aborted: session.abort(c.req.param('id')) }),
  );

  app.get('/api/renders', (c) => json(c, { renders: session.history().map(summary) }));

  app.get('/api/renders/:id', (c) => {
    const render = session.get(c.req.param('id'));
    if (render === undefined) return json(c, { ok: false, error: { code: 'not_found' } }, 404);
    return json(c, {
      ...summary(render),
      text: render.text,
      manifest: render.manifest ?? null,
      events: render.events,
    });
  });

  app.get('/api/renders/:id/manifest', (c) => {
    const render = session.get(c.req.param('id'));
    if (render?.manifest === undefined) {
      return json(c, { ok: false, error: { code: 'not_found' } }, 404);
    }
    return c.body(redact(`${JSON.stringify(render.manifest, null, 2)}\n`), 200, {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="render-${render.id}.manifest.json"`,
    });
  });

  app.get('/api/renders/:id/images/:name', (c) => {
    const render = session.get(c.req.param('id'));
    const name = c.req.param('name');
    const image = render?.images.get(name);
    if (render === undefined || image === undefined) return c.body('Not found\n', 404);
    const extension = image.mediaType.split('/')[1] ?? 'bin';
    return c.body(new Uint8Array(image.bytes), 200, {
      'content-type': image.mediaType,
      'cache-control': 'private, max-age=3600',
      ...(c.req.query('download') === undefined
        ? {}
        : {
            'content-disposition': `attachment; filename="${name.replace(/[^\w.-]/g, '_')}-${render.id}.${extension}"`,
          }),
    });
  });

  app.get('/api/events', (c) =>
    streamSSE(c, async (stream) => {
      const queue: StudioMessage[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = session.subscribe((message) => {
        queue.push(message);
        wake?.();
      });
      let open = true;
      stream.onAbort(() => {
        open = false;
        unsubscribe();
        wake?.();
      });
      await stream.writeSSE({ event: 'hello', data: '{}' });
      while (open) {
        const message = queue.shift();
        if (message === undefined) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
          continue;
        }
        await stream.writeSSE({ event: 'render', data: redact(JSON.stringify(message)) });
      }
    }),
  );

  return app;
}
