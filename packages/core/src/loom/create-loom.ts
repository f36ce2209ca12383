import { AbortError } from '../errors/abort-error.js';
import { ValidationError, type ValidationIssue } from '../errors/validation-error.js';
import { createWorldPackCache } from '../packs/world-pack-cache.js';
import { planRenderInput } from '../pipeline/plan-render-input.js';
import { resolveRenderRun } from '../pipeline/render-run.js';
import { createSchedulerExecutor } from '../pipeline/step-executor.js';
import { systemClock } from '../scheduler/clock.js';
import { createScheduler } from '../scheduler/create-scheduler.js';
import { parseWithSchema } from '../schema/parse-with-schema.js';
import type { Provider } from '../types/provider.js';
import type { RenderResult } from '../types/render-result.js';
import { deriveRenderMethods } from './derive-render-methods.js';
import { executeRender } from './execute-render.js';
import type { Loom } from './loom.js';
import {
  type LoomOptions,
  loomOptionsSchema,
  type PlanOptions,
  planOptionsSchema,
  type RenderOptions,
  renderOptionsSchema,
} from './loom-options.js';
import type { RenderInput } from './render-many.js';

const schedulerOnlyOptions = ['limits', 'defaultLimits', 'concurrency', 'retry', 'random'] as const;

/**
 * Creates a loom: the render pipeline over your providers and compositor.
 *
 * @param options - providers by alias, compositor, limits, retry policy, cache, failure policy,
 *   and optionally a shared scheduler or a custom step executor.
 * @returns a {@link Loom}.
 * @throws ValidationError naming the bad option.
 *
 * @example
 * const loom = createLoom({
 *   providers: { A: openai.image('gpt-image-1'), B: forge.image('sd_xl_base_1.0') },
 *   compositor: createCompositor(),
 *   limits: { A: { concurrency: 2, requestsPerMinute: 50 } },
 *   cache: fileCache('.layerloom/cache'),
 * });
 * const result = await loom.render(composition, { onEvent: (event) => console.log(event.type) });
 */
export function createLoom(options: LoomOptions): Loom {
  parseWithSchema(loomOptionsSchema, options, 'loom options');
  const conflicting = (owner: 'executor' | 'scheduler'): ValidationIssue[] =>
    schedulerOnlyOptions
      .filter((name) => options[name] !== undefined)
      .map((name) => ({
        path: [name],
        message: `\`${name}\` configures the built-in scheduler; it cannot be combined with \`${owner}\` (configure the ${owner} instead)`,
      }));
  if (options.executor !== undefined) {
    const issues = conflicting('executor');
    if (options.scheduler !== undefined) {
      issues.push({
        path: ['scheduler'],
        message: '`scheduler` cannot be combined with `executor`',
      });
    }
    if (issues.length > 0) throw new ValidationError(issues, { subject: 'loom options' });
  } else if (options.scheduler !== undefined) {
    const issues = conflicting('scheduler');
    if (issues.length > 0) throw new ValidationError(issues, { subject: 'loom options' });
  }

  const providers: Readonly<Record<string, Provider>> = { ...options.providers };
  const clock = options.clock ?? systemClock;
  const scheduler =
    options.executor !== undefined
      ? undefined
      : (options.scheduler ??
        createScheduler({
          ...(options.limits === undefined ? {} : { limits: options.limits }),
          ...(options.defaultLimits === undefined ? {} : { defaultLimits: options.defaultLimits }),
          ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
          ...(options.retry === undefined ? {} : { retry: options.retry }),
          clock,
          ...(options.random === undefined ? {} : { random: options.random }),
        }));
  const executor = options.executor ?? createSchedulerExecutor(scheduler!);
  const context = {
    providers,
    compositor: options.compositor,
    executor,
    cache: options.cache,
    clock,
  };

  // A batch that uses a pack loads it once; an edited pack is loaded again.
  const packCache = createWorldPackCache();

  const prepare = async (input: RenderInput, planOptions: PlanOptions) => {
    const startedAt = clock.now();
    const plan = await planRenderInput(input, planOptions, providers, packCache);
    return { plan, startedAt, planMs: clock.now() - startedAt };
  };

  async function render(
    input: RenderInput,
    renderOptions: RenderOptions = {},
  ): Promise<RenderResult> {
    parseWithSchema(renderOptionsSchema, renderOptions, 'render options');
    const signal = renderOptions.signal;
    if (signal?.aborted) throw AbortError.fromSignal(signal, 'The render');
    const { plan, startedAt, planMs } = await prepare(input, renderOptions);
    return executeRender(
      context,
      resolveRenderRun({ plan, startedAt, planMs, signal }, renderOptions, options),
    );
  }

  return {
    scheduler,
    async plan(input, planOptions = {}) {
      parseWithSchema(planOptionsSchema, planOptions, 'plan options');
      return (await prepare(input, planOptions)).plan;
    },
    render,
    ...deriveRenderMethods(render),
  };
}
