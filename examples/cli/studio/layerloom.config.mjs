// A project's layerloom.config: aliases bound to providers, limits, cache and failure policy.
// Every alias uses the offline preview provider here, so `layerloom render` works anywhere;
// swap an entry for `{ type: 'openai', model: 'gpt-image-1' }` or an A1111/ComfyUI server to
// paint for real (keys come from the environment: OPENAI_API_KEY, or `authEnv`).
//
//   cd examples/cli/studio && npx --no-install layerloom providers
//   npx --no-install layerloom render poster.loom --var hero="a fox in a red scarf" -o out/poster.png --manifest

/** @type {import('@layerloom/cli').LayerloomConfig} */
export default {
  providers: {
    CHAR: { type: 'preview', latencyMs: 300 },
    SCENE: { type: 'preview', latencyMs: 500 },
    STYLE: { type: 'preview', latencyMs: 200 },
  },
  limits: {
    CHAR: { concurrency: 2, maxRetries: 2 },
    SCENE: { concurrency: 1, requestsPerMinute: 30 },
  },
  cache: '.layerloom/cache',
  onLayerError: 'fail',
};
