import * as applyLayer from './apply-layer.js';
import * as blendOpaqueRun from './blend-opaque-run.js';
import * as blendSpan from './blend-span.js';
import * as compositeBand from './composite-band.js';
import * as cutRuns from './cut-runs.js';
import * as markHidden from './mark-hidden.js';
import * as blendOpaquePixel from './math/blend-opaque-pixel.js';
import * as nonSeparableBlend from './math/non-separable-blend.js';
import * as separableBlend from './math/separable-blend.js';
import * as rowState from './row-state.js';
import * as blendRunWasm from './wasm/blend-run-wasm.js';
import * as stageRowWasm from './wasm/stage-row-wasm.js';
import * as wasmStage from './wasm/wasm-stage.js';
import * as writeRow from './write-row.js';

/**
 * The modules of the kernel: {@link compositeBand.compositeBand} and everything it calls.
 * Workers run them from their source text, so their functions reference nothing but each
 * other and their arguments (no constant, no other module), and none holds a nested function
 * (a bundler keeping names wraps those in a helper of its own).
 */
const kernelModules: readonly object[] = [
  separableBlend,
  nonSeparableBlend,
  blendOpaquePixel,
  rowState,
  markHidden,
  cutRuns,
  blendOpaqueRun,
  applyLayer,
  writeRow,
  stageRowWasm,
  wasmStage,
  blendRunWasm,
  blendSpan,
  compositeBand,
];

// biome-ignore lint/complexity/noBannedTypes: any function of the kernel, whatever its arguments.
type KernelFunction = Function;

/**
 * Every function of the kernel's modules, {@link compositeBand.compositeBand} last.
 *
 * @returns the functions, each once.
 */
export function kernelFunctions(): KernelFunction[] {
  const functions = new Set<KernelFunction>();
  for (const module of kernelModules) {
    for (const value of Object.values(module)) {
      if (typeof value === 'function') functions.add(value as KernelFunction);
    }
  }
  functions.delete(compositeBand.compositeBand);
  return [...functions, compositeBand.compositeBand];
}

/**
 * The name a function is declared with in its source text: what other functions' source calls
 * it by. A bundler may rename a function (to avoid a clash, or to minify) and still keep its
 * old `name` (esbuild's `keepNames`), so `name` is not to be trusted for that.
 *
 * @param declared - a function declaration (`function name(…) {…}`).
 * @returns its name in its source text, or `''` when its text does not start like that.
 */
export function declaredName(declared: KernelFunction): string {
  // Not `?.[1] ?? ''`: tsup's minified CommonJS build turns `return a?.[1] ?? b` into a call
  // of an undefined `return_nullishCoalesce`.
  const declaration = /^function\s*([\w$]+)\s*\(/.exec(declared.toString());
  return declaration === null ? '' : (declaration[1] as string);
}

/**
 * Source text of the kernel, from which worker threads build it: every kernel function's
 * declaration, calling each other by their declared names, the entry being
 * {@link compositeBandEntry}. The same code runs from the TypeScript sources and from either
 * bundle, with no worker file to locate.
 *
 * A bundle holds every module in one scope, so a call of another module's function reads as a
 * plain call of its (maybe renamed) declared name. vitest's module runner, which runs the
 * tests on the sources, turns it into a call through the module's namespace object instead,
 * `(0, __vite_ssr_import_3__.softLight)(…)`: since every kernel function is declared side by
 * side here, that becomes `softLight(…)` again.
 *
 * @returns the declarations, ready to be evaluated in a scope of their own.
 */
export function compositeBandSource(): string {
  return kernelFunctions().map(workerFunctionSource).join('\n\n');
}

/**
 * A function's declaration as worker threads evaluate it: its source text, with vitest's calls
 * through module namespace objects turned back into plain calls (see
 * {@link compositeBandSource}).
 *
 * @param declared - a function declaration that references nothing but its arguments and
 *   functions declared beside it.
 * @returns its source text.
 */
export function workerFunctionSource(declared: KernelFunction): string {
  return declared
    .toString()
    .replace(/\(0,\s*__vite_ssr_import_\d+__\.([\w$]+)\)/g, '$1')
    .replace(/__vite_ssr_import_\d+__\./g, '');
}

/**
 * The name {@link compositeBandSource} declares the kernel's entry, `compositeBand`, with.
 *
 * @returns the name to call it by in the worker.
 */
export function compositeBandEntry(): string {
  return declaredName(compositeBand.compositeBand);
}
