import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's chromium package (installed by `.ci/run` through `scripts/ensure-chromium.sh`). */
export const chromiumPath = process.env.LAYERLOOM_CHROMIUM ?? '/usr/bin/chromium';

/** Whether the tests run in CI (`CI` set, as `.ci/run` does): browser tests must run there. */
export const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== '0';

/**
 * Why browser tests are skipped, or `undefined` when they run: only when chromium is absent
 * and this is not CI. In CI a missing chromium makes the tests fail instead.
 */
export function browserSkipReason(): string | undefined {
  if (existsSync(chromiumPath) || inCi) return undefined;
  return `browser tests skipped: no chromium at ${chromiumPath} (apt-get install -y chromium, or run .ci/run)`;
}

/** A host name the launched browser resolves to 127.0.0.1 (a DNS-rebinding stand-in). */
export const reboundHost = 'rebound.test';

/** A running chromium with a fresh profile. */
export interface LaunchedBrowser {
  /** The browser's context (its profile's cookies). */
  readonly context: BrowserContext;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/**
 * Launches Debian's chromium headless with Playwright (no browser download), in a fresh
 * user-data-dir, with the network features that would call home turned off.
 */
export async function launchChromium(): Promise<LaunchedBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'layerloom-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1440, height: 960 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // A foreign name that resolves to this machine, as after DNS rebinding.
      `--host-resolver-rules=MAP ${reboundHost} 127.0.0.1`,
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
