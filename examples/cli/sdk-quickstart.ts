/**
 * The SDK example of the README's "Use it" section, as a file the tests run: everything below
 * this comment is the README's snippet, character for character (a test compares them).
 *
 *   npx tsx examples/cli/sdk-quickstart.ts                       # offline: preview provider
 *   OPENAI_API_KEY=sk-... npx tsx examples/cli/sdk-quickstart.ts # OpenAI paints @A and the style
 *
 * Writes `out/quickstart.png` under the working directory (`out/` is ignored by git).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { createCompositor } from '@layerloom/compositor';
import { createLoom, createPreviewProvider } from '@layerloom/core';
import { createOpenAI } from '@layerloom/provider-openai';

const preview = createPreviewProvider(); // offline stand-in when OPENAI_API_KEY is unset
const ai = process.env.OPENAI_API_KEY ? createOpenAI().image('gpt-image-1') : preview;
const loom = createLoom({
  providers: { A: ai, B: preview, Z: ai },
  compositor: createCompositor(),
  limits: { A: { concurrency: 2, requestsPerMinute: 50 } },
});
const scene = '｜hero: a knight in silver armour @A\n｜scene: misty forest @B\n—style: ink @Z';
const result = await loom.render(scene);
await mkdir('out', { recursive: true });
await writeFile('out/quickstart.png', result.image.bytes);
