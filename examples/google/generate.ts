/**
 * Paints one picture with Google's gemini-2.5-flash-image through Layerloom's Google adapter and
 * writes it to a file.
 *
 *   GEMINI_API_KEY=... npx tsx examples/google/generate.ts [output.png]
 *
 * `GEMINI_BASE_URL` points it at another server speaking the same API (a proxy, or the fake
 * server its test runs it against); `GEMINI_IMAGE_MODEL` picks another model, e.g.
 * `imagen-4.0-fast-generate-001`.
 *
 * Without GEMINI_API_KEY (or GOOGLE_API_KEY) it does nothing and says so (exit code 0): it never
 * calls the API without a key. A call costs about $0.039 (see docs/providers/google.md).
 */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createGoogle } from '@layerloom/provider-google';

/** What {@link runGoogleExample} needs from its surroundings. */
export interface ExampleEnvironment {
  /** Environment variables (`GEMINI_API_KEY`, optionally `GEMINI_BASE_URL`, `GEMINI_IMAGE_MODEL`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where to write the image. */
  readonly outputPath: string;
  /** Prints a line. */
  readonly log: (line: string) => void;
}

/** Printed when there is no key. */
export const noKeyMessage =
  'GEMINI_API_KEY is not set: this example calls the Gemini API with your key and does nothing without one. Set it and run again.';

/**
 * Runs the example.
 *
 * @returns the process exit code.
 */
export async function runGoogleExample(environment: ExampleEnvironment): Promise<number> {
  const apiKey = environment.env.GOOGLE_API_KEY || environment.env.GEMINI_API_KEY;
  if (apiKey === undefined || apiKey === '') {
    environment.log(noKeyMessage);
    return 0;
  }
  const baseURL = environment.env.GEMINI_BASE_URL;
  const google = createGoogle({ apiKey, ...(baseURL ? { baseURL } : {}) });
  const provider = google.image(environment.env.GEMINI_IMAGE_MODEL ?? 'gemini-2.5-flash-image');
  const request = {
    prompt: 'A lighthouse on a cliff at dusk, warm light in the windows, calm sea',
    width: 1344,
    height: 768,
    seed: 7,
  };
  environment.log(`Estimated cost: $${provider.estimateCostUsd?.(request) ?? 'unknown'}`);
  try {
    const result = await provider.generate({ ...request, signal: AbortSignal.timeout(180_000) });
    await writeFile(environment.outputPath, result.image.bytes);
    environment.log(`Wrote ${result.image.mediaType} to ${environment.outputPath}`);
    environment.log(
      `Cost: $${result.costUsd ?? 'unknown'}; response id: ${result.requestId ?? '-'}`,
    );
    for (const warning of result.warnings) environment.log(`Warning: ${warning}`);
    return 0;
  } catch (error) {
    // ProviderError messages never contain the key.
    environment.log(`Failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await google.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await runGoogleExample({
    env: process.env,
    outputPath: process.argv[2] ?? join(tmpdir(), 'layerloom-google-lighthouse.png'),
    log: (line) => console.log(line),
  });
}
