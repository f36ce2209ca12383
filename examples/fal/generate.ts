/**
 * Paints one image with FLUX [dev] on fal through Layerloom's fal adapter — submitted to fal's
 * queue, its queue position and progress printed while it waits — and writes it to a file.
 *
 *   FAL_KEY=... npx tsx examples/fal/generate.ts [output.png]
 *
 * `FAL_BASE_URL` points it at another server speaking fal's queue API (a proxy, or the fake
 * server its test runs it against); `FAL_MODEL` names another model.
 *
 * Without FAL_KEY it does nothing and says so (exit code 0): it never calls fal without a key.
 * A 1024×768 FLUX [dev] image costs about $0.025 (see docs/providers/fal.md).
 */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createFal, type FalProgress, type FalProviderSettings } from '@layerloom/provider-fal';

/** What {@link runFalExample} needs from its surroundings. */
export interface FalExampleEnvironment {
  /** Environment variables (`FAL_KEY`, optionally `FAL_BASE_URL`, `FAL_MODEL`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where to write the image. */
  readonly outputPath: string;
  /** Prints a line. */
  readonly log: (line: string) => void;
  /** More `createFal` settings (its test lets the download reach its fake server). */
  readonly settings?: FalProviderSettings;
}

/** Printed when there is no key. */
export const noKeyMessage =
  'FAL_KEY is not set: this example calls fal with your key and does nothing without one. Set it and run again.';

/** A progress report as a line: the queue position while queued, the fraction while running. */
export function describeProgress(progress: FalProgress): string {
  if (progress.status === 'IN_QUEUE') {
    return `Queued: place ${progress.queuePosition ?? '?'}`;
  }
  const percent = progress.fraction === undefined ? '' : ` ${Math.round(progress.fraction * 100)}%`;
  return `Painting${percent}`;
}

/**
 * Runs the example.
 *
 * @returns the process exit code.
 */
export async function runFalExample(environment: FalExampleEnvironment): Promise<number> {
  const apiKey = environment.env.FAL_KEY;
  if (apiKey === undefined || apiKey === '') {
    environment.log(noKeyMessage);
    return 0;
  }
  const baseURL = environment.env.FAL_BASE_URL;
  const fal = createFal({ apiKey, ...(baseURL ? { baseURL } : {}), ...environment.settings });
  const provider = fal.image(environment.env.FAL_MODEL ?? 'fal-ai/flux/dev', {
    numInferenceSteps: 28,
  });
  const request = {
    prompt: 'A red fox sitting in tall grass at golden hour, soft light',
    width: 1024,
    height: 768,
    seed: 42,
  };
  environment.log(`Estimated cost: $${provider.estimateCostUsd?.(request) ?? 'unknown'}`);
  try {
    const result = await provider.generate({
      ...request,
      signal: AbortSignal.timeout(300_000),
      onProgress: (progress) => environment.log(describeProgress(progress as FalProgress)),
    });
    await writeFile(environment.outputPath, result.image.bytes);
    environment.log(`Wrote ${result.image.mediaType} to ${environment.outputPath}`);
    environment.log(
      `Seed: ${result.seed ?? '-'}; cost: $${result.costUsd ?? 'unknown'}; request id: ${result.requestId ?? '-'}`,
    );
    for (const warning of result.warnings) environment.log(`Warning: ${warning}`);
    return 0;
  } catch (error) {
    // ProviderError messages never contain the key.
    environment.log(`Failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await fal.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await runFalExample({
    env: process.env,
    outputPath: process.argv[2] ?? join(tmpdir(), 'layerloom-fal-fox.png'),
    log: (line) => console.log(line),
  });
}
