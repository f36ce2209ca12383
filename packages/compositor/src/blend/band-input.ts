import type { BandLayer, BandTask } from './composite-band.js';
import { littleEndian } from './little-endian.js';
import type { RowRange } from './plan-bands.js';
import type { PreparedComposite } from './prepare-composite.js';

/** A {@link BandTask} without its output, plus the buffers to transfer to a worker. */
export interface BandInput {
  /** The task; the worker allocates the output. */
  readonly task: Omit<BandTask, 'output' | 'outputRow'>;
  /** Buffers copied for this band, moved (not cloned) to the worker. */
  readonly transfer: ArrayBuffer[];
}

/**
 * The rows `from`..`to` of `bytes` (`rowLength` bytes a row): a view when `copy` is false or
 * the memory is shared with workers anyway, else a copy whose buffer is added to `transfer`.
 */
function rows<T extends Uint8Array | Uint8ClampedArray>(
  bytes: T,
  rowLength: number,
  from: number,
  to: number,
  copy: boolean,
  transfer: ArrayBuffer[],
): T {
  const view = bytes.subarray(from * rowLength, to * rowLength) as T;
  if (!copy || view.buffer instanceof SharedArrayBuffer) return view;
  const copied = view.slice() as T;
  transfer.push(copied.buffer as ArrayBuffer);
  return copied;
}

/**
 * The inputs of one band: only the backdrop rows and layer rows it touches.
 *
 * @param composite - the validated composite.
 * @param range - the band's canvas rows.
 * @param copy - copy the rows (for a worker) instead of viewing them.
 */
export function bandInput(composite: PreparedComposite, range: RowRange, copy: boolean): BandInput {
  const { width } = composite;
  const { rowStart, rowEnd } = range;
  const transfer: ArrayBuffer[] = [];
  const layers: BandLayer[] = [];
  for (const layer of composite.layers) {
    const from = Math.max(0, rowStart - layer.top);
    const to = Math.min(layer.height, rowEnd - layer.top);
    if (from >= to) continue;
    layers.push({
      data: rows(layer.data, layer.width * 4, from, to, copy, transfer),
      dataRow: from,
      mask: layer.mask === null ? null : rows(layer.mask, layer.width, from, to, copy, transfer),
      width: layer.width,
      height: layer.height,
      left: layer.left,
      top: layer.top,
      mode: layer.mode,
      opacity: layer.opacity,
    });
  }
  return {
    task: {
      width,
      rowStart,
      rowEnd,
      base: rows(composite.base, width * 4, rowStart, rowEnd, copy, transfer),
      baseRow: rowStart,
      layers,
      littleEndian,
    },
    transfer,
  };
}
