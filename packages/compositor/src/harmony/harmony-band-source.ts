import { declaredName } from '../blend/composite-band-source.js';
import { applyHarmonyTable } from './apply-harmony-table.js';
import { accumulateHistogram } from './color-statistics.js';
import { harmonyBand } from './harmony-band.js';
import { fillHarmonyTable, fixedFromLinear } from './harmony-table.js';
import { applyHarmonyTableWasm } from './wasm/apply-harmony-table-wasm.js';

/**
 * Source text of the harmony workers' kernel: the declarations of {@link harmonyBand} and the
 * functions it calls, which reference nothing but each other and their arguments. Built like
 * the composite kernel's source (see `compositeBandSource`): calls through vitest's module
 * namespaces become plain calls of the declared names again.
 *
 * @returns the declarations, ready to be evaluated in a scope of their own.
 */
export function harmonyBandSource(): string {
  return [
    accumulateHistogram,
    fixedFromLinear,
    fillHarmonyTable,
    applyHarmonyTable,
    applyHarmonyTableWasm,
    harmonyBand,
  ]
    .map((declared) =>
      declared
        .toString()
        .replace(/\(0,\s*__vite_ssr_import_\d+__\.([\w$]+)\)/g, '$1')
        .replace(/__vite_ssr_import_\d+__\./g, ''),
    )
    .join('\n\n');
}

/**
 * The name {@link harmonyBandSource} declares {@link harmonyBand} with.
 *
 * @returns the name to call it by in the worker.
 */
export function harmonyBandEntry(): string {
  return declaredName(harmonyBand);
}
