/**
 * Paints one cut-out (a transparent PNG) with OpenAI's gpt-image-1 through Layerloom's OpenAI
 * adapter, streaming a partial image as a preview, and writes the result to a file.
 *
 *   OPENAI_API_KEY=sk-... npx tsx examples/openai/generate.ts [output.png]
 *
 * `OPENAI_BASE_URL` points it at another server speaking the same API (a proxy, or the fake
 * server its test runs it against).
 *
 * Without OPENAI_API_KEY it does nothing and says so (exit code 0): it never calls the API
 * without a key. A call costs about $0.015 at `quality: 'low'` (see docs/providers/openai.md).
 */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createOpenAI } from '@layerloom/provider-openai';

/** What {@link runOpenAIExample} needs from its surroundings. */
export interface ExampleEnvironment {
  /** Environment variables (`OPENAI_API_KEY`, optionally `OPENAI_BASE_URL`, `OPENAI_IMAGE_MODEL`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where to write the image. */
  readonly outputPath: string;
  /** Prints a line. */
  readonly log: (line: string) => void;
}

/** Printed when there is no key. */
export const noKeyMessage =
  'OPENAI_API_KEY is not set: this example calls the OpenAI API with your key and does nothing without one. Set it and run again.';

/**
 * Runs the example.
 *
 * @returns the process exit code.
 */
export async function runOpenAIExample(environment: ExampleEnvironment): Promise<number> {
  const apiKey = environment.env.OPENAI_API_KEY;
  if (apiKey === undefined || apiKey === '') {
    environment.log(noKeyMessage);
    return 0;
  }
  const baseURL = environment.env.OPENAI_BASE_URL;
  const openai = createOpenAI({ apiKey, ...(baseURL ? { baseURL } : {}) });
  const provider = openai.image(environment.env.OPENAI_IMAGE_MODEL ?? 'gpt-image-1', {
    quality: 'low',
    partialImages: 1,
  });
  const request = {
    prompt: 'A red fox sitting, full body, soft studio light, centred',
    width: 1024,
    height: 1024,
    transparent: true,
  };
  environment.log(`Estimated cost: $${provider.estimateCostUsd?.(request) ?? 'unknown'}`);
  try {
    const result = await provider.generate({
      ...request,
      signal: AbortSignal.timeout(180_000),
      onProgress: (progress) =>
        environment.log(
          `Preview: ${progress.preview?.bytes.byteLength ?? 0} bytes (${Math.round((progress.fraction ?? 0) * 100)}%)`,
        ),
    });
    await writeFile(environment.outputPath, result.image.bytes);
    environment.log(`Wrote ${result.image.mediaType} to ${environment.outputPath}`);
    environment.log(
      `Cost: $${result.costUsd ?? 'unknown'}; request id: ${result.requestId ?? '-'}`,
    );
    for (const warning of result.warnings) environment.log(`Warning: ${warning}`);
    return 0;
  } catch (error) {
    // ProviderError messages never contain the key.
    environment.log(`Failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await openai.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await runOpenAIExample({
    env: process.env,
    outputPath: process.argv[2] ?? join(tmpdir(), 'layerloom-openai-fox.png'),
    log: (line) => console.log(line),
  });
}
