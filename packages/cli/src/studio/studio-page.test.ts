import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildStudioPage } from '../../test/build-studio-page.js';
import {
  browserSkipReason,
  type LaunchedBrowser,
  launchChromium,
  reboundHost,
} from '../../test/launch-chromium.js';
import { type StudioHandle, startStudio } from './start-studio.js';

// The studio page in a real browser: Debian's chromium driven by playwright-core. Screenshots
// of each state go to out/studio-screenshots/ (ignored by git).
const repository = fileURLToPath(new URL('../../../../', import.meta.url));
const screenshots = join(repository, 'out', 'studio-screenshots');
const skip = browserSkipReason();
if (skip !== undefined) console.warn(skip);

let browser: LaunchedBrowser;
let assetsDirectory: string;
let project: string;
let studio: StudioHandle | undefined;

beforeAll(async () => {
  if (skip !== undefined) return;
  mkdirSync(screenshots, { recursive: true });
  assetsDirectory = await buildStudioPage();
  project = mkdtempSync(join(tmpdir(), 'layerloom-studio-browser-'));
  copyFileSync(join(repository, 'examples', 'seed.loom'), join(project, 'seed.loom'));
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  if (skip !== undefined) return;
  await browser?.close();
  rmSync(project, { recursive: true, force: true });
});
afterEach(async () => {
  for (const page of browser?.context.pages() ?? []) await page.close();
  await browser?.context.clearCookies();
  await studio?.close();
  studio = undefined;
});

const totalCalls = () =>
  Object.values(studio!.session.calls()).reduce((sum, count) => sum + count, 0);

async function open(providers?: Record<string, Provider>): Promise<Page> {
  studio = await startStudio({
    root: project,
    file: 'seed.loom',
    assetsDirectory,
    ...(providers === undefined ? {} : { providers }),
  });
  const page = await browser.context.newPage();
  await page.goto(studio.url);
  await page.waitForSelector('body[data-ready="true"]');
  return page;
}

async function renderEnded(page: Page, count: number) {
  await expect.poll(() => page.locator('#history li').count()).toBeGreaterThanOrEqual(count);
  await page.waitForSelector('#status[data-state="done"], #status[data-state="aborted"]');
}

describe.skipIf(skip !== undefined)('the studio page in chromium', { timeout: 60_000 }, () => {
  it('loads, underlines an invalid line at its line and column, and clears once fixed', async () => {
    const page = await open();
    expect(page.url()).toBe(`${studio!.origin}/`);
    await expect(page.locator('#notation').inputValue()).resolves.toBe(
      readFileSync(join(project, 'seed.loom'), 'utf8'),
    );
    expect(await page.locator('#plan tbody tr').count()).toBe(4);
    await page.screenshot({ path: join(screenshots, '1-loaded.png') });

    const editor = page.locator('#notation');
    await editor.focus();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('| bad: x @A {opacity: 3}');
    const diagnostic = page.locator('#diagnostic');
    await expect
      .poll(() => diagnostic.textContent())
      .toMatch(/^line 6, column 23: Expected `opacity` to be a number from 0 to 1/);
    const mark = page.locator('.error-mark');
    expect(await mark.getAttribute('data-line')).toBe('6');
    expect(await mark.getAttribute('data-column')).toBe('23');
    expect(await mark.textContent()).toBe('3');
    // The underline sits on the 6th visual line of the editor (20 px lines, 8 px padding).
    const box = (await mark.boundingBox())!;
    const area = (await editor.boundingBox())!;
    expect(Math.round((box.y - area.y - 8) / 20)).toBe(5);
    await page.screenshot({ path: join(screenshots, '2-error.png') });

    for (let index = 0; index < '| bad: x @A {opacity: 3}'.length; index++) {
      await page.keyboard.press('Backspace');
    }
    await expect.poll(() => diagnostic.textContent()).toBe('');
    expect(await page.locator('.error-mark').count()).toBe(0);
  });

  it('renders seed.loom, re-rolls one layer with one call, re-composites an opacity change with none', async () => {
    const page = await open();
    await page.click('#render');
    await renderEnded(page, 1);
    for (const step of ['layer1', 'layer2', 'layerx', 'style']) {
      const card = page.locator(`.card[data-step="${step}"]`);
      expect(await card.getAttribute('data-status'), step).toBe('done');
      expect(await card.locator('.thumb img').isVisible(), step).toBe(true);
      expect(await card.locator('.meta').textContent(), step).toMatch(/\d\.\d\d s · .* attempt/);
      const href = await card.locator('a.download').getAttribute('href');
      const download = await browser.context.request.get(`${studio!.origin}${href}`);
      expect(download.headers()['content-disposition'], step).toContain('attachment');
      expect(download.headers()['content-type'], step).toBe('image/png');
    }
    expect(await page.locator('#result').isVisible()).toBe(true);
    expect(await page.locator('#composite').isVisible()).toBe(true);
    expect(totalCalls()).toBe(4);
    await page.screenshot({ path: join(screenshots, '3-rendered.png') });

    await page.click('.card[data-step="layer2"] .reroll');
    await renderEnded(page, 2);
    expect(totalCalls()).toBe(5);
    expect(await page.locator('#notation').inputValue()).toMatch(
      /｜layer2: 场景 prompt @B \{seed: \d+\}/,
    );
    expect(await page.locator('.card[data-step="layer2"]').getAttribute('data-cached')).toBe(
      'false',
    );
    for (const step of ['layer1', 'layerx']) {
      const card = page.locator(`.card[data-step="${step}"]`);
      expect(await card.getAttribute('data-cached'), step).toBe('true');
      expect(await card.locator('.meta').textContent()).toContain('from cache, no call');
    }
    await page.screenshot({ path: join(screenshots, '4-rerolled.png') });

    const before = await page.locator('#composite').getAttribute('src');
    const beforeBytes = studio!.session.history()[0]!.images.get('composite')!.bytes;
    await page.locator('.card[data-step="layer1"] .opacity').evaluate((element) => {
      const input = element as unknown as { value: string; dispatchEvent(event: Event): void };
      input.value = '30';
      input.dispatchEvent(new Event('change'));
    });
    await renderEnded(page, 3);
    expect(totalCalls()).toBe(5);
    expect(await page.locator('#notation').inputValue()).toContain(
      '｜layer1: 人物 prompts @A {opacity: 0.3},',
    );
    const after = await page.locator('#composite').getAttribute('src');
    expect(after).not.toBe(before);
    const afterBytes = studio!.session.history()[0]!.images.get('composite')!.bytes;
    expect(Buffer.from(afterBytes).equals(Buffer.from(beforeBytes))).toBe(false);
    // The page shows the new composite (decoded, painted) and says the style was not re-run.
    await expect
      .poll(() =>
        page
          .locator('#composite')
          .evaluate((image) => (image as unknown as { complete: boolean }).complete),
      )
      .toBe(true);
    expect(await page.locator('#result-caption').textContent()).toContain(
      'press Render to restyle',
    );
    await page.screenshot({ path: join(screenshots, '5-opacity.png'), fullPage: true });

    // Hiding a layer writes opacity 0; showing it again restores 0.3. No provider call.
    await page.locator('.card[data-step="layer1"] .visible').uncheck();
    await renderEnded(page, 4);
    expect(await page.locator('#notation').inputValue()).toContain('@A {opacity: 0},');
    await page.locator('.card[data-step="layer1"] .visible').check();
    await renderEnded(page, 5);
    expect(await page.locator('#notation').inputValue()).toContain('@A {opacity: 0.3},');
    await page.locator('.card[data-step="layerx"] .blend').selectOption('multiply');
    await renderEnded(page, 6);
    expect(await page.locator('#notation').inputValue()).toContain(
      '｜layerx：prompt @X {blend: multiply}',
    );
    expect(totalCalls()).toBe(5);

    await page.locator('#history li').last().click();
    await expect.poll(() => page.locator('#manifest').textContent()).toContain('"version": 1');
  });

  it('aborts a slow render: every card stops', async () => {
    const signals: AbortSignal[] = [];
    const preview = createPreviewProvider();
    const slow: Provider = {
      ...createPreviewProvider(),
      // Sends a partial preview at 25 %, then waits until aborted.
      generate: async (request: ImageRequest) => {
        signals.push(request.signal);
        const partial = await preview.generate({ ...request, onProgress: () => {} });
        request.onProgress?.({ fraction: 0.25, preview: partial.image });
        return new Promise((_resolve, reject) => {
          request.signal.addEventListener('abort', () => reject(new AbortError('aborted')));
        });
      },
    };
    const page = await open({ A: slow, B: slow, X: slow, Z: slow });
    await page.click('#render');
    await expect.poll(() => page.locator('.card[data-status="painting"]').count()).toBe(3);
    for (const step of ['layer1', 'layer2', 'layerx']) {
      const card = page.locator(`.card[data-step="${step}"]`);
      await expect.poll(() => card.locator('.state').textContent()).toBe('painting 25%');
      expect(await card.locator('.thumb img').getAttribute('src')).toContain(
        `/images/preview-${step}`,
      );
    }
    // While a render runs, the cards' edits wait.
    expect(await page.locator('.card[data-step="layer1"] .reroll').isDisabled()).toBe(true);
    await page.screenshot({ path: join(screenshots, '6-painting.png') });
    await page.click('#abort');
    await page.waitForSelector('#status[data-state="aborted"]');
    for (const step of ['layer1', 'layer2', 'layerx', 'style']) {
      expect(await page.locator(`.card[data-step="${step}"]`).getAttribute('data-status')).toBe(
        'aborted',
      );
    }
    expect(signals).toHaveLength(3);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
    expect(await page.locator('#render').isEnabled()).toBe(true);
    await page.screenshot({ path: join(screenshots, '7-aborted.png') });
  });

  it('shows a failed layer with its typed error code and message', async () => {
    const refusing: Provider = {
      ...createPreviewProvider(),
      generate: async () => {
        throw new ProviderError('The prompt was refused by the safety system', {
          provider: 'refusing',
          status: 400,
          retryable: false,
          code: 'provider_content_policy',
        });
      },
    };
    const preview = createPreviewProvider();
    const page = await open({ A: preview, B: refusing, X: preview, Z: preview });
    await page.click('#render');
    await page.waitForSelector('#status[data-state="failed"]');
    const card = page.locator('.card[data-step="layer2"]');
    expect(await card.getAttribute('data-status')).toBe('failed');
    expect(await card.locator('.error').textContent()).toBe(
      'provider_content_policy: The prompt was refused by the safety system',
    );
    expect(await page.locator('#status').textContent()).toContain('refused by the safety system');
    expect(await page.locator('.card[data-step="style"]').getAttribute('data-status')).toBe(
      'aborted',
    );
    await page.screenshot({ path: join(screenshots, '9-failed.png') });
  });

  it('refuses a page without the token, and a request with a foreign Origin', async () => {
    studio = await startStudio({ root: project, file: 'seed.loom', assetsDirectory });
    const page = await browser.context.newPage();
    const refused = await page.goto(`${studio.origin}/`);
    expect(refused!.status()).toBe(401);
    expect(await page.textContent('body')).toContain('session token');
    await page.screenshot({ path: join(screenshots, '8-no-token.png') });

    await page.goto(studio.url);
    await page.waitForSelector('body[data-ready="true"]');
    const foreign = await browser.context.request.post(`${studio.origin}/api/render`, {
      headers: { origin: 'http://evil.example' },
      data: { text: '| a: x @A\n' },
    });
    expect(foreign.status()).toBe(403);
    const own = await browser.context.request.post(`${studio.origin}/api/plan`, {
      headers: { origin: studio.origin },
      data: { text: '| a: x @A\n' },
    });
    expect(own.status()).toBe(200);

    // A page of another local origin (same site: the cookie goes along) posts a render.
    const port = new URL(studio.origin).port;
    const evil = createServer((_request, response) => {
      response.setHeader('content-type', 'text/html');
      response.end(
        `<script>fetch('${studio!.origin}/api/render', { method: 'POST', credentials: 'include', body: '{"text":"| a: x @A"}' }).catch(() => {}).finally(() => { document.title = 'sent'; });</script>`,
      );
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    const attacker = await browser.context.newPage();
    // The request goes out as the browser made it (its Origin, the cookie); we note the answer.
    const answers: { status: number; origin: string | undefined; cookie: boolean }[] = [];
    await attacker.route('**/api/render', async (route) => {
      const headers = await route.request().allHeaders();
      const response = await route.fetch();
      answers.push({
        status: response.status(),
        origin: headers.origin,
        cookie: (headers.cookie ?? '').includes(studio!.token),
      });
      await route.fulfill({ response });
    });
    await attacker.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
    await expect.poll(() => attacker.title()).toBe('sent');
    const evilOrigin = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
    expect(answers).toEqual([{ status: 403, origin: evilOrigin, cookie: true }]);
    evil.closeAllConnections();
    await new Promise((resolve) => evil.close(resolve));

    // DNS rebinding: a foreign name resolving to 127.0.0.1 is refused, even with the token.
    const rebound = await attacker.goto(`http://${reboundHost}:${port}/?token=${studio.token}`);
    expect(rebound!.status()).toBe(403);
    expect(await attacker.textContent('body')).toContain('unexpected Host');
    expect(studio.session.history()).toHaveLength(0);
  });
});
