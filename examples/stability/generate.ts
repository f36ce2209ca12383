/**
 * Paints a fox with Stability's Stable Image Core through Layerloom's Stability adapter, cuts it
 * out of its background with the remove-background service, and writes the cut-out to a file.
 *
 *   STABILITY_API_KEY=sk-... npx tsx examples/stability/generate.ts [output.png]
 *
 * `STABILITY_BASE_URL` points it at another server speaking the same API (a proxy, or the fake
 * server its test runs it against).
 *
 * Without STABILITY_API_KEY it does nothing and says so (exit code 0): it never calls the API
 * without a key. The two calls cost 3 + 5 credits, about $0.08 (see docs/providers/stability.md).
 */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createStability } from '@layerloom/provider-stability';

/** What {@link runStabilityExample} needs from its surroundings. */
export interface ExampleEnvironment {
  /** Environment variables (`STABILITY_API_KEY`, optionally `STABILITY_BASE_URL`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where to write the cut-out. */
  readonly outputPath: string;
  /** Prints a line. */
  readonly log: (line: string) => void;
}

/** Printed when there is no key. */
export const noKeyMessage =
  'STABILITY_API_KEY is not set: this example calls the Stability API with your key and does nothing without one. Set it and run again.';

/**
 * Runs the example.
 *
 * @returns the process exit code.
 */
export async function runStabilityExample(environment: ExampleEnvironment): Promise<number> {
  const apiKey = environment.env.STABILITY_API_KEY;
  if (apiKey === undefined || apiKey === '') {
    environment.log(noKeyMessage);
    return 0;
  }
  const baseURL = environment.env.STABILITY_BASE_URL;
  const stability = createStability({ apiKey, ...(baseURL ? { baseURL } : {}) });
  const painter = stability.image('stable-image-core', { stylePreset: 'photographic' });
  const cutter = stability.removeBackground();
  const request = {
    prompt: 'A red fox sitting in tall grass, full body, soft morning light',
    negativePrompt: 'blurry, text',
    width: 1216,
    height: 1216,
    seed: 1234,
  };
  environment.log(
    `Estimated cost of the painting: $${painter.estimateCostUsd?.(request) ?? 'unknown'}`,
  );
  try {
    const painted = await painter.generate({ ...request, signal: AbortSignal.timeout(180_000) });
    environment.log(
      `Painted ${painted.image.mediaType} with seed ${painted.seed ?? '-'}; cost $${painted.costUsd ?? 'unknown'}`,
    );
    const cut = await cutter.generate({
      prompt: 'the fox',
      width: 1216,
      height: 1216,
      image: painted.image,
      signal: AbortSignal.timeout(180_000),
    });
    await writeFile(environment.outputPath, cut.image.bytes);
    environment.log(`Wrote the cut-out (${cut.image.mediaType}) to ${environment.outputPath}`);
    environment.log(`Cost: $${cut.costUsd ?? 'unknown'}; request id: ${cut.requestId ?? '-'}`);
    for (const warning of [...painted.warnings, ...cut.warnings]) {
      environment.log(`Warning: ${warning}`);
    }
    return 0;
  } catch (error) {
    // ProviderError messages never contain the key.
    environment.log(`Failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await stability.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await runStabilityExample({
    env: process.env,
    outputPath: process.argv[2] ?? join(tmpdir(), 'layerloom-stability-fox.png'),
    log: (line) => console.log(line),
  });
}
