/**
 * Repaints the right half of a picture with OpenAI's gpt-image-1.5, keeping the left half, and
 * shows the model two reference images of what to paint there (sent as `image[]` parts after
 * the picture). The mask is written in Layerloom's convention — white = repaint — and the
 * adapter converts it to OpenAI's (transparent = edit) itself.
 *
 *   OPENAI_API_KEY=sk-... npx tsx examples/openai/edit-with-references.ts [output.png]
 *
 * `OPENAI_BASE_URL` points it at another server speaking the same API (the fake server its
 * test runs it against). Without OPENAI_API_KEY it does nothing and says so (exit code 0).
 */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { encodePng } from '@layerloom/core';
import { createOpenAI } from '@layerloom/provider-openai';
import { noKeyMessage } from './generate.js';

/** A `size`×`size` PNG: one colour, or white on the right half and black on the left. */
function png(size: number, fill: (x: number) => readonly [number, number, number]): Uint8Array {
  const data = new Uint8Array(size * size * 4);
  for (let index = 0; index < size * size; index++) {
    data.set([...fill(index % size), 255], index * 4);
  }
  return encodePng({ width: size, height: size, data });
}

/**
 * Runs the example.
 *
 * @param env - `OPENAI_API_KEY`, optionally `OPENAI_BASE_URL`.
 * @param outputPath - where to write the image.
 * @param log - prints a line.
 * @returns the process exit code.
 */
export async function runEditExample(
  env: Readonly<Record<string, string | undefined>>,
  outputPath: string,
  log: (line: string) => void,
): Promise<number> {
  const apiKey = env.OPENAI_API_KEY;
  if (apiKey === undefined || apiKey === '') {
    log(noKeyMessage);
    return 0;
  }
  const openai = createOpenAI({
    apiKey,
    ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}),
  });
  const size = 64;
  const picture = { bytes: png(size, () => [40, 90, 160]), mediaType: 'image/png' };
  // Layerloom's convention: white (and opaque) = repaint, black = keep.
  const mask = {
    bytes: png(size, (x) => (x >= size / 2 ? [255, 255, 255] : [0, 0, 0])),
    mediaType: 'image/png',
  };
  const references = [
    { bytes: png(size, () => [220, 120, 30]), mediaType: 'image/png' },
    { bytes: png(size, () => [240, 200, 60]), mediaType: 'image/png' },
  ];
  try {
    const result = await openai
      .image('gpt-image-1.5', { quality: 'low', inputFidelity: 'high' })
      .generate({
        prompt: 'On the right, the orange fox from the reference images, sitting',
        width: 1024,
        height: 1024,
        image: picture,
        mask,
        referenceImages: references,
        signal: AbortSignal.timeout(180_000),
      });
    await writeFile(outputPath, result.image.bytes);
    log(`Wrote ${result.image.mediaType} to ${outputPath} (cost $${result.costUsd ?? 'unknown'})`);
    for (const warning of result.warnings) log(`Warning: ${warning}`);
    return 0;
  } catch (error) {
    log(`Failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await openai.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await runEditExample(
    process.env,
    process.argv[2] ?? join(tmpdir(), 'layerloom-openai-edit.png'),
    (line) => console.log(line),
  );
}
