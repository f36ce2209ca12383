import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { createCompositor } from '@layerloom/compositor';
import {
  type Composition,
  createLoom,
  fileCache,
  type OutputFormat,
  type RenderPlan,
  type RenderResult,
  ValidationError,
  WorldPackError,
} from '@layerloom/core';
import pc from 'picocolors';
import { type FileToWrite, writeFilesAtomically } from '../atomic-write.js';
import { type CliIo, writeLine } from '../cli-io.js';
import { buildProviders } from '../config/build-providers.js';
import type { AliasLimits } from '../config/layerloom-config.js';
import { loadConfig } from '../config/load-config.js';
import { formatTable } from '../format-table.js';
import { formatDollars, formatSeconds } from '../format-units.js';
import { createRenderProgress } from '../progress/create-render-progress.js';
import { formatError, readCheckedComposition } from './check-command.js';
import { compositeWithoutHarmony } from './composite-without-harmony.js';

/** Options of `layerloom render`, as its flags give them (an unset flag is `undefined`). */
export interface RenderOptions {
  /** Output image path. @default out/<file name>.<format> */
  readonly output?: string | undefined;
  /** Directory to also write each layer's image into. */
  readonly layersDir?: string | undefined;
  /** Write the manifest: `true` for `<output>.manifest.json`, or a path. */
  readonly manifest?: string | boolean | undefined;
  /** Print machine-readable JSON on stdout instead of progress and tables. */
  readonly json: boolean;
  /** Print the plan and cost estimate, call nothing. */
  readonly dryRun: boolean;
  /** Values for `$name` in prompts. */
  readonly variables: Readonly<Record<string, string>>;
  /** Overrides the composition's seed. */
  readonly seed?: number | undefined;
  /** Calls in flight per provider alias. */
  readonly concurrency?: number | undefined;
  /** Overrides the composition's output format (`--format`). */
  readonly format?: OutputFormat | undefined;
  /** Overrides the output quality of WebP, JPEG and AVIF (`--quality`). */
  readonly quality?: number | undefined;
  /** Overrides the PNG compression level, 0 to 9 (`--compression`). */
  readonly compressionLevel?: number | undefined;
  /**
   * Also write the composite without colour harmony, shadows and light wraps here (the "before"
   * of a before/after; the same painted layers, no provider call, no style pass).
   */
  readonly beforeHarmony?: string | undefined;
  /** Use the file cache. @default true */
  readonly cache: boolean;
  /** Aborts the render (Ctrl-C). */
  readonly signal?: AbortSignal | undefined;
}

const extensions: Record<string, string> = {
  'image/png': 'png',
  'image/webp': 'webp',
  'image/jpeg': 'jpg',
  'image/avif': 'avif',
};

function aliasesOf(composition: Composition): string[] {
  const steps = [
    ...composition.layers,
    ...(composition.style === undefined ? [] : [composition.style]),
  ];
  return [...new Set(steps.flatMap((step) => [step.provider].flat()))];
}

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
      formatDollars(step.estimatedCostUsd),
    ]),
    [6],
  );
}

/** One line per world pack used (credit and license) and per entity or style it lends. */
function creditLines(plan: Pick<RenderPlan, 'packs' | 'packUsage'>): string[] {
  const lines = (plan.packs ?? []).map(
    (pack) => `credit: ${pack.attribution} (${pack.name}@${pack.version}, ${pack.license})`,
  );
  for (const use of plan.packUsage ?? []) {
    lines.push(`  ${use.kind} ${use.id} in ${use.steps.join(', ')}`);
  }
  return lines;
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
        formatSeconds(step.ms),
        formatDollars(step.costUsd),
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
      ['composite', '', '', '', '', formatSeconds(result.timings.compositeMs), ''],
      [
        'total',
        '',
        '',
        '',
        '',
        formatSeconds(result.timings.totalMs),
        formatDollars(result.costUsd),
      ],
    ],
    [4, 5, 6],
  );
}

/**
 * `layerloom render <file>`: renders a `.loom` or `.json` composition with per-step progress,
 * writes the image (and optionally each layer and the manifest) all or nothing, and prints a
 * summary. Nothing is written when the render fails or is aborted, including an abort while the
 * files are being written: those this run wrote are removed again.
 *
 * @returns the process exit code: 0 on success, 130 when aborted.
 */
export async function renderCommand(
  file: string,
  options: RenderOptions,
  io: CliIo,
): Promise<number> {
  const { config, path: configPath, directory } = await loadConfig(io.cwd);
  const checked = await readCheckedComposition(file, options.variables, config, io);
  if (checked === undefined) return 1;
  let composition = checked;
  if (options.seed !== undefined) composition = { ...composition, seed: options.seed };
  const { quality, compressionLevel } = options;
  if (options.format !== undefined || quality !== undefined || compressionLevel !== undefined) {
    const output = {
      ...composition.output,
      format: options.format ?? composition.output?.format ?? 'png',
      ...(quality === undefined ? {} : { quality }),
      ...(compressionLevel === undefined ? {} : { compressionLevel }),
    };
    composition = { ...composition, output };
  }
  const aliases = aliasesOf(composition);
  const { providers, previewOnly } = buildProviders(config, aliases, io.env);
  // `use` lines resolve from the composition file's folder.
  const packDirectory = dirname(resolve(io.cwd, file));
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
  const compositor = createCompositor();
  const loom = createLoom({
    providers,
    compositor,
    limits,
    ...(options.cache && cacheDirectory !== undefined ? { cache: fileCache(cacheDirectory) } : {}),
    ...(config.onLayerError === undefined ? {} : { onLayerError: config.onLayerError }),
  });
  let plan: RenderPlan;
  try {
    plan = await loom.plan(composition, { packDirectory });
  } catch (error) {
    // A step no configured provider can paint, or a world pack that cannot be used: a problem
    // of the file, shown with its name.
    if (!(error instanceof ValidationError) && !(error instanceof WorldPackError)) throw error;
    writeLine(io.stderr, pc.red(formatError(error, relative(io.cwd, file) || file)));
    return 1;
  }

  if (options.dryRun) {
    if (options.json) {
      writeLine(io.stdout, JSON.stringify({ config: configPath ?? null, plan }, null, 2));
    } else {
      writeLine(io.stdout, planTable(plan));
      for (const warning of plan.warnings) writeLine(io.stdout, pc.yellow(`warning: ${warning}`));
      for (const line of creditLines(plan)) writeLine(io.stdout, line);
      writeLine(
        io.stdout,
        `Estimated cost: ${formatDollars(plan.estimatedCostUsd)}${plan.costComplete ? '' : ' (some providers declare no prices)'}. Nothing was called.`,
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
  const cancelled = () => {
    writeLine(io.stderr, pc.yellow('Render cancelled; nothing was written.'));
    return 130;
  };
  const progress = human ? createRenderProgress(plan, io) : undefined;
  const listing = progress?.finished;
  let result: RenderResult;
  try {
    result = await loom.render(composition, {
      packDirectory,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(progress === undefined ? {} : { onEvent: progress.onEvent }),
    });
    progress?.settle();
  } catch (error) {
    progress?.settle(error);
    await listing;
    if (options.signal?.aborted || (error as { code?: string }).code === 'aborted') {
      return cancelled();
    }
    throw error;
  }
  await listing;

  // Everything is written all or nothing: a Ctrl-C before the last file is written removes
  // what this run wrote and leaves any earlier output in place.
  const files: FileToWrite[] = [{ path: output, data: result.image.bytes }];
  if (options.beforeHarmony !== undefined) {
    const before = await compositeWithoutHarmony(plan, result, compositor, options.signal);
    if (before === undefined) {
      writeLine(
        io.stderr,
        pc.yellow('No layer has harmonize, shadow or wrap: --before-harmony wrote nothing.'),
      );
    } else {
      files.push({ path: resolve(io.cwd, options.beforeHarmony), data: before.bytes });
    }
  }
  if (options.layersDir !== undefined) {
    const layersDirectory = resolve(io.cwd, options.layersDir);
    for (const layer of [...result.layers, ...(result.style === undefined ? [] : [result.style])]) {
      files.push({
        path: join(layersDirectory, `${layer.id}.${extensions[layer.image.mediaType] ?? 'bin'}`),
        data: layer.image.bytes,
      });
    }
  }
  if (options.manifest !== undefined && options.manifest !== false) {
    files.push({
      path:
        options.manifest === true ? `${output}.manifest.json` : resolve(io.cwd, options.manifest),
      data: `${JSON.stringify(result.manifest, null, 2)}\n`,
    });
  }
  let written: string[];
  try {
    written = await writeFilesAtomically(
      files,
      options.signal === undefined ? {} : { signal: options.signal },
    );
  } catch (error) {
    if (options.signal?.aborted) return cancelled();
    throw error;
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
    for (const line of creditLines(result)) writeLine(io.stdout, line);
    for (const path of written)
      writeLine(io.stdout, `${pc.green('wrote')} ${relative(io.cwd, path) || path}`);
  }
  return 0;
}
