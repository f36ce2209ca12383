import { basename, extname, join, relative, resolve } from 'node:path';
import { createCompositor } from '@layerloom/compositor';
import {
  AbortError,
  type Composition,
  createLoom,
  fileCache,
  type RenderEvent,
  type RenderPlan,
  type RenderResult,
} from '@layerloom/core';
import { Listr } from 'listr2';
import pc from 'picocolors';
import { atomicWrite } from '../atomic-write.js';
import { type CliIo, writeLine } from '../cli-io.js';
import { buildProviders } from '../config/build-providers.js';
import type { AliasLimits } from '../config/layerloom-config.js';
import { loadConfig } from '../config/load-config.js';
import { formatTable } from '../format-table.js';
import { readCompositionFile } from '../read-composition-file.js';

/** Options of `layerloom render`. */
export interface RenderOptions {
  /** Output image path. @default out/<file name>.<format> */
  readonly output?: string;
  /** Directory to also write each layer's image into. */
  readonly layersDir?: string;
  /** Write the manifest: `true` for `<output>.manifest.json`, or a path. */
  readonly manifest?: string | boolean;
  /** Print machine-readable JSON on stdout instead of progress and tables. */
  readonly json: boolean;
  /** Print the plan and cost estimate, call nothing. */
  readonly dryRun: boolean;
  /** Values for `$name` in prompts. */
  readonly variables: Readonly<Record<string, string>>;
  /** Overrides the composition's seed. */
  readonly seed?: number;
  /** Calls in flight per provider alias. */
  readonly concurrency?: number;
  /** Use the file cache. @default true */
  readonly cache: boolean;
  /** Aborts the render (Ctrl-C). */
  readonly signal?: AbortSignal;
}

const extensions: Record<string, string> = {
  'image/png': 'png',
  'image/webp': 'webp',
  'image/jpeg': 'jpg',
};

function aliasesOf(composition: Composition): string[] {
  const steps = [
    ...composition.layers,
    ...(composition.style === undefined ? [] : [composition.style]),
  ];
  return [...new Set(steps.flatMap((step) => [step.provider].flat()))];
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
const dollars = (usd: number | undefined) => (usd === undefined ? '-' : `$${usd.toFixed(3)}`);

function planTable(plan: RenderPlan): string {
  return formatTable(
    ['step', 'provider', 'model', 'size', 'transparent', 'input', 'est. cost'],
    plan.steps.map((step) => [
      step.id,
      step.providers.join('|'),
      `${step.providerId}/${step.modelId}`,
      `${step.request.width}x${step.request.height}`,
      step.request.transparent === true ? 'yes' : 'no',
      step.dependsOn ?? '',
      dollars(step.estimatedCostUsd),
    ]),
    [6],
  );
}

function summaryTable(result: RenderResult): string {
  const steps = [...result.layers, ...(result.style === undefined ? [] : [result.style])];
  return formatTable(
    ['step', 'provider', 'model', 'cached', 'attempts', 'time', 'cost'],
    [
      ...steps.map((step) => [
        step.id,
        step.provider,
        `${step.providerId}/${step.modelId}`,
        step.cached ? 'yes' : 'no',
        String(step.attempts),
        seconds(step.ms),
        dollars(step.costUsd),
      ]),
      ...result.skipped.map((step) => [
        step.id,
        step.providers.join('|'),
        'skipped',
        '',
        String(step.attempts),
        '',
        step.error.code,
      ]),
      ['composite', '', '', '', '', seconds(result.timings.compositeMs), ''],
      ['total', '', '', '', '', seconds(result.timings.totalMs), dollars(result.costUsd)],
    ],
    [4, 5, 6],
  );
}

interface StepHandle {
  /** The listr2 task of the step: only its title is set. */
  task?: { title: string | undefined };
  resolve: () => void;
  reject: (error: unknown) => void;
  label: string;
  retries: number;
  startedAt?: number;
}

/** Follows render events with one listr2 task per step: state, progress, retries, time, cached. */
function createProgress(plan: RenderPlan, io: CliIo) {
  const handles = new Map<string, StepHandle>();
  const tasks = [
    ...plan.steps.map((step) => ({
      id: step.id,
      label: `${step.id} @${step.providers.join('|')} ${pc.dim(`${step.providerId}/${step.modelId}`)}`,
    })),
    { id: 'composite', label: 'composite' },
  ].sort((a, b) => (a.id === 'style' ? 1 : b.id === 'style' ? -1 : 0));
  const listr = new Listr(
    tasks.map(({ id, label }) => ({
      title: `${label} ${pc.dim('queued')}`,
      task: (_context, task) =>
        new Promise<void>((resolveTask, rejectTask) => {
          const handle = handles.get(id)!;
          handle.task = task;
          handle.resolve = resolveTask;
          handle.reject = rejectTask;
        }),
    })),
    {
      concurrent: true,
      exitOnError: false,
      registerSignalListeners: false,
      renderer: 'default',
      fallbackRenderer: 'simple',
      fallbackRendererCondition: () => io.stderr.isTTY !== true || process.env.CI !== undefined,
      rendererOptions: { timer: undefined },
    },
  );
  for (const { id, label } of tasks)
    handles.set(id, { resolve() {}, reject() {}, label, retries: 0 });

  const title = (handle: StepHandle, state: string) => {
    if (handle.task) handle.task.title = `${handle.label} ${state}`;
  };
  const onEvent = (event: RenderEvent) => {
    switch (event.type) {
      case 'layer:queued':
        title(handles.get(event.layerId)!, pc.dim(`queued (${event.position} ahead)`));
        break;
      case 'layer:start': {
        const handle = handles.get(event.layerId);
        if (!handle) break;
        handle.startedAt ??= Date.now();
        title(handle, event.attempt > 1 ? `attempt ${event.attempt}` : 'painting');
        break;
      }
      case 'layer:progress':
      case 'style:progress': {
        const handle = handles.get(event.type === 'style:progress' ? 'style' : event.layerId);
        if (handle && event.fraction !== undefined)
          title(handle, `${Math.round(event.fraction * 100)}%`);
        break;
      }
      case 'layer:retry':
      case 'style:retry': {
        const handle = handles.get(event.type === 'style:retry' ? 'style' : event.layerId);
        if (!handle) break;
        handle.retries += 1;
        title(
          handle,
          pc.yellow(`retry ${handle.retries} in ${seconds(event.delayMs)}: ${event.reason}`),
        );
        break;
      }
      case 'layer:done':
      case 'style:done': {
        const record = event.record;
        const handle = handles.get(record.id);
        if (!handle) break;
        const parts = [
          record.cached ? 'cached' : seconds(record.ms),
          handle.retries > 0 ? `${handle.retries} retr${handle.retries === 1 ? 'y' : 'ies'}` : '',
          record.costUsd === undefined ? '' : dollars(record.costUsd),
        ].filter((part) => part !== '');
        title(handle, pc.dim(parts.join(' · ')));
        handle.resolve();
        break;
      }
      case 'layer:error':
      case 'style:error': {
        const handle = handles.get(event.type === 'style:error' ? 'style' : event.layerId);
        if (!handle) break;
        if (event.outcome === 'fallback')
          title(handle, pc.yellow(`${event.provider} failed, trying the next provider`));
        else if (event.outcome === 'skip') {
          title(handle, pc.yellow(`skipped: ${event.error.message}`));
          handle.resolve();
        } else handle.reject(event.error);
        break;
      }
      case 'composite:done': {
        const handle = handles.get('composite')!;
        title(handle, pc.dim(seconds(event.ms)));
        handle.resolve();
        break;
      }
      case 'style:start':
        title(handles.get('style')!, 'painting');
        break;
      default:
        break;
    }
  };
  const settle = (error?: unknown) => {
    for (const handle of handles.values()) {
      if (error === undefined) handle.resolve();
      else handle.reject(error);
    }
  };
  return { listr, onEvent, settle };
}

/**
 * `layerloom render <file>`: renders a `.loom` or `.json` composition with per-step progress,
 * writes the image (and optionally each layer and the manifest) atomically, and prints a summary.
 * Nothing is written when the render fails or is aborted.
 *
 * @returns the process exit code: 0 on success, 130 when aborted.
 */
export async function renderCommand(
  file: string,
  options: RenderOptions,
  io: CliIo,
): Promise<number> {
  const { config, path: configPath, directory } = await loadConfig(io.cwd);
  let composition = await readCompositionFile(file, { variables: options.variables });
  if (options.seed !== undefined) composition = { ...composition, seed: options.seed };
  const aliases = aliasesOf(composition);
  const { providers, previewOnly } = buildProviders(config, aliases, io.env);
  const human = !options.json;
  if (previewOnly && human) {
    writeLine(
      io.stderr,
      pc.yellow(
        `No layerloom.config found: every alias (${aliases.join(', ')}) is painted by the offline preview provider.`,
      ),
    );
  }
  const limits: Record<string, AliasLimits> = { ...config.limits };
  if (options.concurrency !== undefined) {
    for (const alias of Object.keys(providers))
      limits[alias] = { ...limits[alias], concurrency: options.concurrency };
  }
  const cacheDirectory =
    config.cache === false ? undefined : resolve(directory, config.cache ?? '.layerloom/cache');
  const loom = createLoom({
    providers,
    compositor: createCompositor(),
    limits,
    ...(options.cache && cacheDirectory !== undefined ? { cache: fileCache(cacheDirectory) } : {}),
    ...(config.onLayerError === undefined ? {} : { onLayerError: config.onLayerError }),
  });
  const plan = await loom.plan(composition);

  if (options.dryRun) {
    if (options.json) {
      writeLine(io.stdout, JSON.stringify({ config: configPath ?? null, plan }, null, 2));
    } else {
      writeLine(io.stdout, planTable(plan));
      for (const warning of plan.warnings) writeLine(io.stdout, pc.yellow(`warning: ${warning}`));
      writeLine(
        io.stdout,
        `Estimated cost: ${dollars(plan.estimatedCostUsd)}${plan.costComplete ? '' : ' (some providers declare no prices)'}. Nothing was called.`,
      );
    }
    return 0;
  }

  const format = composition.output?.format ?? 'png';
  const output = resolve(
    io.cwd,
    options.output ??
      join('out', `${basename(file, extname(file))}.${format === 'jpeg' ? 'jpg' : format}`),
  );
  const progress = human ? createProgress(plan, io) : undefined;
  const listing = progress?.listr.run().catch(() => undefined);
  let result: RenderResult;
  try {
    result = await loom.render(composition, {
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(progress === undefined ? {} : { onEvent: progress.onEvent }),
    });
    progress?.settle();
  } catch (error) {
    progress?.settle(error);
    await listing;
    if (options.signal?.aborted || (error as { code?: string }).code === 'aborted') {
      writeLine(io.stderr, pc.yellow('Render cancelled; nothing was written.'));
      return 130;
    }
    throw error;
  }
  await listing;
  if (options.signal?.aborted) throw new AbortError('The render was aborted');

  await atomicWrite(output, result.image.bytes);
  const written = [output];
  if (options.layersDir !== undefined) {
    const layersDirectory = resolve(io.cwd, options.layersDir);
    for (const layer of [...result.layers, ...(result.style === undefined ? [] : [result.style])]) {
      const target = join(
        layersDirectory,
        `${layer.id}.${extensions[layer.image.mediaType] ?? 'bin'}`,
      );
      await atomicWrite(target, layer.image.bytes);
      written.push(target);
    }
  }
  if (options.manifest !== undefined && options.manifest !== false) {
    const target =
      options.manifest === true ? `${output}.manifest.json` : resolve(io.cwd, options.manifest);
    await atomicWrite(target, `${JSON.stringify(result.manifest, null, 2)}\n`);
    written.push(target);
  }

  if (options.json) {
    const summary = {
      output,
      files: written,
      width: result.image.width,
      height: result.image.height,
      costUsd: result.costUsd,
      timings: result.timings,
      layers: result.layers.map(({ image: _image, ...record }) => record),
      style:
        result.style === undefined
          ? undefined
          : (({ image: _image, ...record }) => record)(result.style),
      manifest: result.manifest,
    };
    writeLine(io.stdout, JSON.stringify(summary, null, 2));
  } else {
    writeLine(io.stdout, '');
    writeLine(io.stdout, summaryTable(result));
    for (const path of written)
      writeLine(io.stdout, `${pc.green('wrote')} ${relative(io.cwd, path) || path}`);
  }
  return 0;
}
