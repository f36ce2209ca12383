import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AbortError,
  createPreviewProvider,
  type ImageRequest,
  type Provider,
  ProviderError,
} from '@layerloom/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildStudioPage } from '../../test/build-studio-page.js';
import { connectStudio, type StudioClient } from '../../test/studio-client.js';
import { type StudioHandle, startStudio } from './start-studio.js';

const seedFile = fileURLToPath(new URL('../../../../examples/seed.loom', import.meta.url));
let assetsDirectory: string;
let project: string;
let outside: string;
let studio: StudioHandle | undefined;
let client: StudioClient | undefined;

beforeAll(async () => {
  assetsDirectory = await buildStudioPage();
  project = mkdtempSync(join(tmpdir(), 'layerloom-studio-project-'));
  outside = mkdtempSync(join(tmpdir(), 'layerloom-studio-outside-'));
  copyFileSync(seedFile, join(project, 'seed.loom'));
  writeFileSync(join(outside, 'secret.loom'), '| a: outside @A\n');
  symlinkSync(outside, join(project, 'linked'));
});
afterAll(() => {
  rmSync(project, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});
afterEach(async () => {
  client?.close();
  client = undefined;
  await studio?.close();
  studio = undefined;
});

async function start(options: Partial<Parameters<typeof startStudio>[0]> = {}) {
  studio = await startStudio({ root: project, file: 'seed.loom', assetsDirectory, ...options });
  client = await connectStudio(studio);
  return { studio, client };
}

const total = (calls: Readonly<Record<string, number>>) =>
  Object.values(calls).reduce((sum, count) => sum + count, 0);

const seedText = () =>
  '｜layer1: 人物 prompts @A,\n｜layer2: 场景 prompt @B\n｜……\n｜layerx：prompt @X\n—style prompt @Z\n';

async function imageHash(c: StudioClient, url: string) {
  const response = await c.fetch(url);
  expect(response.status).toBe(200);
  return createHash('sha256')
    .update(new Uint8Array(await response.arrayBuffer()))
    .digest('hex');
}

describe('startStudio: security', () => {
  it('listens on loopback and refuses every request without the session token', async () => {
    const { studio } = await start();
    expect(studio.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(studio.url).toBe(`${studio.origin}/?token=${studio.token}`);
    for (const path of ['/', '/api/session', '/assets/studio.js', '/api/events']) {
      const response = await fetch(`${studio.origin}${path}`);
      expect(response.status, path).toBe(401);
      expect(await response.text()).toContain('session token');
    }
    const wrong = await fetch(`${studio.origin}/?token=not-the-token`, { redirect: 'manual' });
    expect(wrong.status).toBe(401);
    const posted = await fetch(`${studio.origin}/api/render`, {
      method: 'POST',
      body: JSON.stringify({ text: seedText() }),
    });
    expect(posted.status).toBe(401);
    expect(studio.session.history()).toHaveLength(0);
  });

  it('turns the token of the URL into an HttpOnly SameSite=Strict cookie and drops it from the URL', async () => {
    const { studio } = await start();
    const response = await fetch(studio.url, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toContain(`layerloom_studio=${studio.token}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const page = await fetch(`${studio.origin}/`, {
      headers: { cookie: cookie.split(';')[0]! },
    });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await page.text()).toContain('/assets/studio.js');
  });

  it('refuses a foreign Origin and a foreign Host (DNS rebinding), even with the token', async () => {
    const { studio, client } = await start();
    const foreignOrigin = await client.fetch('/api/session', {
      headers: { origin: 'http://evil.example' },
    });
    expect(foreignOrigin.status).toBe(403);
    expect(await foreignOrigin.text()).toContain('foreign Origin');
    const crossSite = await client.fetch('/api/render', {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ text: seedText() }),
    });
    expect(crossSite.status).toBe(403);
    expect(studio.session.history()).toHaveLength(0);
    // A rebinding page's requests carry its own host name; undici lets a test set Host.
    const { request } = await import('undici');
    const rebound = await request(`${studio.origin}/api/session`, {
      headers: {
        host: `evil.example:${new URL(studio.origin).port}`,
        cookie: `layerloom_studio=${studio.token}`,
      },
    });
    expect(rebound.statusCode).toBe(403);
    expect(await rebound.body.text()).toContain('Host');
    const ok = await client.fetch('/api/session');
    expect(ok.status).toBe(200);
  });

  it('reads and writes files only inside the project folder', async () => {
    const { client } = await start();
    const inside = await client.send('/api/file?path=seed.loom', undefined, 'GET');
    expect(inside.status).toBe(200);
    expect(inside.body.text).toBe(seedText());
    for (const path of [
      '../secret.loom',
      `${outside}/secret.loom`,
      'linked/secret.loom',
      'sub/../../secret.loom',
      '/etc/passwd',
      'package.js',
    ]) {
      const read = await client.send(
        `/api/file?path=${encodeURIComponent(path)}`,
        undefined,
        'GET',
      );
      expect(read.status, path).toBe(400);
      expect(read.body.error.code).toBe('validation_error');
      expect(JSON.stringify(read.body)).not.toContain('outside @A');
    }
    const escaped = await client.send('/api/file', { path: '../escaped.loom', text: 'x' }, 'PUT');
    expect(escaped.status).toBe(400);
    expect(existsSync(join(project, '..', 'escaped.loom'))).toBe(false);
    const linked = await client.send('/api/file', { path: 'linked/new.loom', text: 'x' }, 'PUT');
    expect(linked.status).toBe(400);
    expect(existsSync(join(outside, 'new.loom'))).toBe(false);
    mkdirSync(join(project, 'scenes'), { recursive: true });
    const saved = await client.send(
      '/api/file',
      { path: 'scenes/a.loom', text: '| a: b @A\n' },
      'PUT',
    );
    expect(saved).toEqual({ status: 200, body: { ok: true, path: 'scenes/a.loom' } });
  });

  it('refuses bodies over the size limit with 413', async () => {
    const { client } = await start();
    const response = await client.fetch('/api/plan', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(3 * 1024 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'payload_too_large',
    );
  });

  it('never sends an API key in a body or an event, even when a provider error holds it', async () => {
    const key = 'sk-test-0123456789abcdef';
    const leaky: Provider = {
      ...createPreviewProvider(),
      generate: async () => {
        throw new ProviderError(`upstream echoed the key ${key}`, {
          provider: 'leaky',
          status: 401,
          retryable: false,
        });
      },
    };
    const { client } = await start({ providers: { A: leaky }, env: { OPENAI_API_KEY: key } });
    const { events } = await client.render('| a: x @A\n');
    const text = JSON.stringify(events);
    expect(text).not.toContain(key);
    expect(text).toContain('[redacted]');
    expect(events.at(-1)).toMatchObject({ type: 'studio:end', status: 'failed' });
    const history = await client.send('/api/renders', undefined, 'GET');
    expect(JSON.stringify(history.body)).not.toContain(key);
    const session = await client.send('/api/session', undefined, 'GET');
    expect(JSON.stringify(session.body)).not.toContain(key);
  });
});

describe('startStudio: plan, render, edits', () => {
  it('reports a notation error with its line, column and the SDK message', async () => {
    const { client } = await start();
    const answer = await client.send('/api/plan', { text: '| a: x @A\n| b: y @B {opacity: 3}\n' });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'layer_notation_error', line: 2, column: 21 });
    expect(answer.body.error.message).toContain('opacity');
    const plan = await client.send('/api/plan', { text: seedText() });
    expect(plan.status).toBe(200);
    expect(plan.body.plan.steps.map((step: { id: string }) => step.id)).toEqual([
      'layerx',
      'layer2',
      'layer1',
      'style',
    ]);
  });

  it('renders seed.loom on the preview provider, re-composites with no call, re-rolls with one', async () => {
    const { studio, client } = await start();
    expect(studio.previewOnly).toBe(true);
    const first = await client.render(seedText());
    expect(first.events.at(-1)).toMatchObject({ type: 'studio:end', status: 'done', calls: 4 });
    const done = first.events.filter((event) => event.type === 'layer:done');
    expect(done.map((event) => event.layerId).sort()).toEqual(['layer1', 'layer2', 'layerx']);
    expect(total(studio.session.calls())).toBe(4);
    const compositeOf = (events: typeof first.events) =>
      events.find((event) => event.type === 'composite:done')!.imageUrl as string;
    const before = await imageHash(client, compositeOf(first.events));

    const edited = await client.send('/api/edit', {
      text: seedText(),
      stepId: 'layer1',
      edit: { opacity: 0.4 },
    });
    expect(edited.body.text).toContain('｜layer1: 人物 prompts @A {opacity: 0.4},');
    const recomposite = await client.render(edited.body.text, { style: false });
    expect(recomposite.events.at(-1)).toMatchObject({ status: 'done', calls: 0 });
    expect(total(studio.session.calls())).toBe(4);
    const cached = recomposite.events.filter((event) => event.type === 'layer:done');
    expect(cached.every((event) => (event.record as { cached: boolean }).cached)).toBe(true);
    expect(await imageHash(client, compositeOf(recomposite.events))).not.toBe(before);

    const rerolled = await client.send('/api/edit', {
      text: edited.body.text,
      stepId: 'layer2',
      edit: { seed: 1234 },
    });
    const reroll = await client.render(rerolled.body.text, { style: false });
    expect(reroll.events.at(-1)).toMatchObject({ status: 'done', calls: 1 });
    expect(total(studio.session.calls())).toBe(5);
    const records = Object.fromEntries(
      reroll.events
        .filter((event) => event.type === 'layer:done')
        .map((event) => [event.layerId, (event.record as { cached: boolean }).cached]),
    );
    expect(records).toEqual({ layer1: true, layer2: false, layerx: true });

    const history = await client.send('/api/renders', undefined, 'GET');
    expect(history.body.renders).toHaveLength(3);
    expect(history.body.renders.map((render: { styled: boolean }) => render.styled)).toEqual([
      false,
      false,
      true,
    ]);
    // The full render with style again repaints only the style pass over the new composite.
    const restyled = await client.render(rerolled.body.text);
    expect(restyled.events.at(-1)).toMatchObject({ status: 'done', calls: 1 });
    // Re-rolling the style pass: a new seed on the style line, only its provider is called.
    const restyle = await client.send('/api/edit', {
      text: rerolled.body.text,
      stepId: 'style',
      edit: { seed: 99 },
    });
    expect(restyle.body.text).toContain('—style prompt @Z {seed: 99}');
    const styledAgain = await client.render(restyle.body.text);
    expect(styledAgain.events.at(-1)).toMatchObject({ status: 'done', calls: 1 });
    expect(styledAgain.events.find((event) => event.type === 'style:done')).toMatchObject({
      record: { cached: false, seed: 99 },
    });
    const manifest = await client.fetch(`/api/renders/${reroll.renderId}/manifest`);
    expect(manifest.headers.get('content-disposition')).toContain('attachment');
    const body = (await manifest.json()) as { composition: { layers: unknown[] } };
    expect(body.composition.layers[1]).toMatchObject({ id: 'layer2', seed: 1234 });
  });

  it('moves and resizes a layer with the generation size pinned: no provider call', async () => {
    const { studio, client } = await start();
    await client.render(seedText());
    const moved = await client.send('/api/edit', {
      text: seedText(),
      stepId: 'layer1',
      edit: { x: 100, y: 50, width: 512, height: 512, size: { width: 1024, height: 1024 } },
    });
    expect(moved.body.text).toContain('{x: 100, y: 50, w: 512, h: 512, size: 1024x1024}');
    const blended = await client.send('/api/edit', {
      text: moved.body.text,
      stepId: 'layer2',
      edit: { blend: 'multiply', opacity: 0 },
    });
    const after = await client.render(blended.body.text, { style: false });
    expect(after.events.at(-1)).toMatchObject({ status: 'done', calls: 0 });
    expect(total(studio.session.calls())).toBe(4);
  });

  it('aborts a slow render: every running call sees the abort and the render ends aborted', async () => {
    const aborted: string[] = [];
    const slow: Provider = {
      ...createPreviewProvider(),
      generate: (request: ImageRequest) =>
        new Promise((_resolve, reject) => {
          request.onProgress?.({ fraction: 0.1 });
          request.signal.addEventListener('abort', () => {
            aborted.push(request.stepId ?? '?');
            reject(new AbortError('aborted'));
          });
        }),
    };
    const { client } = await start({ providers: { A: slow, B: slow } });
    const { renderId, ended } = await client.startRender('| a: x @A\n| b: y @B\n| c: z @A\n');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const answer = await client.send(`/api/renders/${renderId}/abort`);
    expect(answer.body).toEqual({ ok: true, aborted: true });
    const events = await ended;
    expect(events.at(-1)).toMatchObject({ type: 'studio:end', status: 'aborted' });
    expect(aborted.sort()).toEqual(['a', 'b', 'c']);
    expect(events.some((event) => event.type === 'layer:done')).toBe(false);
  });
});
