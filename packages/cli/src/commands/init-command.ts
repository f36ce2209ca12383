import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LayerloomError } from '@layerloom/core';
import pc from 'picocolors';
import { type CliIo, writeLine } from '../cli-io.js';

const starterConfig = `// Layerloom configuration: which provider paints each alias used in .loom files.
// Keys come from the environment (OPENAI_API_KEY, ...), never from this file.
// Docs: https://github.com/layerloom/layerloom/blob/main/docs/cli.md

/** @type {import('@layerloom/cli').LayerloomConfig} */
export default {
  providers: {
    // The offline preview provider: free, deterministic placeholders for laying out.
    A: { type: 'preview' },
    B: { type: 'preview' },
    Z: { type: 'preview' },
    // Real providers, once their keys or servers are set up:
    // A: { type: 'openai', model: 'gpt-image-1' },
    // B: { type: 'a1111', baseURL: 'http://127.0.0.1:7860', checkpoint: 'sd_xl_base_1.0' },
    // Z: { type: 'comfyui', baseURL: 'http://127.0.0.1:8188' },
  },
  limits: {
    A: { concurrency: 2, requestsPerMinute: 50 },
  },
  cache: '.layerloom/cache',
};
`;

const starterScene = `# A composition: the first layer is on top. Render it with
#   npx --no-install layerloom render scene.loom -o out/scene.png
size 1024x1024
background #f4efe6
seed 42

｜hero: a knight in silver armour, full figure @A {h: 80%, y: 20%}
｜scene: misty forest at dawn @B
—style: watercolour, soft light @Z {strength: 0.35}
`;

/** Options of `layerloom init`. */
export interface InitOptions {
  /** Overwrite existing files. */
  readonly force: boolean;
}

/**
 * `layerloom init`: writes a starter `layerloom.config.mjs` and `scene.loom` into the working
 * directory.
 *
 * @returns the process exit code.
 * @throws LayerloomError `file_exists` when a file exists and `force` is not set.
 */
export async function initCommand(options: InitOptions, io: CliIo): Promise<number> {
  const files = [
    [join(io.cwd, 'layerloom.config.mjs'), starterConfig],
    [join(io.cwd, 'scene.loom'), starterScene],
  ] as const;
  const existing = files.filter(([path]) => existsSync(path)).map(([path]) => path);
  if (existing.length > 0 && !options.force) {
    throw new LayerloomError(
      'file_exists',
      `${existing.join(' and ')} already exist${existing.length === 1 ? 's' : ''}; pass --force to overwrite`,
    );
  }
  for (const [path, text] of files) {
    await writeFile(path, text);
    writeLine(io.stdout, `${pc.green('wrote')} ${path}`);
  }
  writeLine(io.stdout, 'Next: npx --no-install layerloom render scene.loom -o out/scene.png');
  return 0;
}
