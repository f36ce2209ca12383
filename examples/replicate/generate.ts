/**
 * Paints one image with FLUX.1 [schnell] on Replicate through Layerloom's Replicate adapter,
 * printing the progress it reports, and writes the result to a file.
 *
 *   REPLICATE_API_TOKEN=r8_... npx tsx examples/replicate/generate.ts [output.webp]
 *
 * `REPLICATE_BASE_URL` points it at another server speaking the same API (a proxy, or the fake
 * server its test runs it against); `REPLICATE_IMAGE_MODEL` picks another model.
 *
 * Without REPLICATE_API_TOKEN it does nothing and says so (exit code 0): it never calls the API
 * without a token. A call costs about $0.003 (see docs/providers/replicate.md).
 */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ImageDownloadOptions } from '@layerloom/provider-replicate';
import { createReplicate } from '@layerloom/provider-replicate';

/** What {@link runReplicateExample} needs from its surroundings. */
export interface ExampleEnvironment {
  /** Environment variables (`REPLICATE_API_TOKEN`, optionally `REPLICATE_BASE_URL`, `REPLICATE_IMAGE_MODEL`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where to write the image. */
  readonly outputPath: string;
  /** Prints a line. */
  readonly log: (line: string) => void;
  /** How output files are downloaded (the test lets it download from its fake server). */
  readonly imageDownload?: ImageDownloadOptions;
}

/** Printed when there is no token. */
export const noTokenMessage =
  'REPLICATE_API_TOKEN is not set: this example runs a Replicate prediction with your token and does nothing without one. Set it and run again.';

/**
 * Runs the example.
 *
 * @returns the process exit code.
 */
export async function runReplicateExample(environment: ExampleEnvironment): Promise<number> {
  const apiKey = environment.env.REPLICATE_API_TOKEN;
  if (apiKey === undefined || apiKey === '') {
    environment.log(noTokenMessage);
    return 0;
  }
  const baseURL = environment.env.REPLICATE_BASE_URL;
  const replicate = createReplicate({
    apiKey,
    ...(baseURL ? { baseURL } : {}),
    ...(environment.imageDownload === undefined
      ? {}
      : { imageDownload: environment.imageDownload }),
  });
  const provider = replicate.image(
    environment.env.REPLICATE_IMAGE_MODEL ?? 'black-forest-labs/flux-schnell',
    { numInferenceSteps: 4 },
  );
  const request = {
    prompt: 'A lighthouse on a cliff at dusk, warm light in its windows, wide shot',
    width: 1344,
    height: 768,
    seed: 2026,
  };
  environment.log(`Estimated cost: $${provider.estimateCostUsd?.(request) ?? 'unknown'}`);
  try {
    const result = await provider.generate({
      ...request,
      signal: AbortSignal.timeout(180_000),
      onProgress: (progress) =>
        environment.log(`Progress: ${Math.round((progress.fraction ?? 0) * 100)}%`),
    });
    await writeFile(environment.outputPath, result.image.bytes);
    environment.log(`Wrote ${result.image.mediaType} to ${environment.outputPath}`);
    environment.log(
      `Cost: $${result.costUsd ?? 'unknown'}; seed: ${result.seed ?? '-'}; prediction: ${result.requestId ?? '-'}`,
    );
    for (const warning of result.warnings) environment.log(`Warning: ${warning}`);
    return 0;
  } catch (error) {
    // ProviderError messages never contain the token.
    environment.log(`Failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await replicate.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await runReplicateExample({
    env: process.env,
    outputPath: process.argv[2] ?? join(tmpdir(), 'layerloom-replicate-lighthouse.webp'),
    log: (line) => console.log(line),
  });
}
