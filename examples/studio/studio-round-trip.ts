/**
 * The studio without a browser: start it on `examples/seed.loom` (no config, so the offline
 * preview provider paints every alias), render, change one layer's opacity and re-composite,
 * then re-roll one layer — printing how many provider calls each took. The page does exactly
 * these requests.
 *
 * Run: `npx tsx --tsconfig tsconfig.json examples/studio/studio-round-trip.ts` (in a clone
 * the page is built from its sources; an installed package serves its `dist/studio/`).
 */
import { fileURLToPath } from 'node:url';
import { startStudio } from '@layerloom/cli';

const examples = fileURLToPath(new URL('..', import.meta.url));

/** Calls the studio's API as its page does: JSON in and out, the session token as a cookie. */
async function api(
  studio: { origin: string; token: string },
  path: string,
  body: unknown,
): Promise<{ renderId: string; text: string }> {
  const response = await fetch(`${studio.origin}${path}`, {
    method: 'POST',
    headers: {
      cookie: `layerloom_studio=${studio.token}`,
      origin: studio.origin,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { renderId: string; text: string };
}

/** Waits until a render of the session has ended. */
async function ended(studio: Awaited<ReturnType<typeof startStudio>>, renderId: string) {
  for (;;) {
    const render = studio.session.get(renderId)!;
    if (render.status !== 'running') return render;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Renders seed.loom, re-composites an opacity change and re-rolls one layer.
 *
 * @param assetsDirectory - the built page (default: the package's, see `startStudio`).
 * @returns the provider calls of each render and the edited text.
 */
export async function studioRoundTrip(assetsDirectory?: string) {
  const studio = await startStudio({
    root: examples,
    file: 'seed.loom',
    ...(assetsDirectory === undefined ? {} : { assetsDirectory }),
  });
  try {
    const session = await fetch(`${studio.origin}/api/session`, {
      headers: { cookie: `layerloom_studio=${studio.token}` },
    });
    const { text } = (await session.json()) as { text: string };
    const first = await api(studio, '/api/render', { text });
    const full = await ended(studio, first.renderId);

    // Opacity: written into the text, then re-composited from the cache (no style pass).
    const faded = await api(studio, '/api/edit', {
      text,
      stepId: 'layer1',
      edit: { opacity: 0.5 },
    });
    const second = await api(studio, '/api/render', { text: faded.text, style: false });
    const recomposite = await ended(studio, second.renderId);

    // Re-roll: a new seed on layer2 only.
    const rerolled = await api(studio, '/api/edit', {
      text: faded.text,
      stepId: 'layer2',
      edit: { seed: 7 },
    });
    const third = await api(studio, '/api/render', { text: rerolled.text, style: false });
    const reroll = await ended(studio, third.renderId);
    return {
      url: studio.url.replace(studio.token, '…'),
      calls: { full: full.calls, recomposite: recomposite.calls, reroll: reroll.calls },
      text: rerolled.text,
    };
  } finally {
    await studio.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url, calls, text } = await studioRoundTrip();
  console.log(`studio was at ${url}`);
  console.log(
    `provider calls: full render ${calls.full}, opacity change ${calls.recomposite}, re-roll ${calls.reroll}`,
  );
  console.log(text);
}
