import type { BandArena } from './band-arena.js';
import type { BandLayer, BandTask } from './band-task.js';
import { littleEndian } from './little-endian.js';
import type { RowRange } from './plan-bands.js';
import type { PreparedComposite } from './prepare-composite.js';

/** A {@link BandTask} without its output, plus the buffers to transfer to a worker. */
export interface BandInput {
  /** The task, without its output (the worker's, or shared memory given beside it). */
  readonly task: Omit<BandTask, 'output' | 'outputRow'>;
  /** Buffers copied for this band, moved (not cloned) to the worker. */
  readonly transfer: ArrayBuffer[];
}

/** Where a band's rows are copied for a worker: a slot of reused shared memory. */
export interface BandInputSlot {
  /** The memory. */
  readonly arena: BandArena;
  /** The slot, free (no worker is reading it). */
  readonly slot: number;
}

type Bytes = Uint8Array | Uint8ClampedArray;

/**
 * The inputs of one band: only the backdrop rows and layer rows it touches.
 *
 * @param composite - the validated composite.
 * @param range - the band's canvas rows.
 * @param copy - copy the rows (for a worker) instead of viewing them: into `into` when given,
 *   else into new buffers listed in `transfer`. Rows already in shared memory are not copied.
 * @param into - reused shared memory to copy into.
 */
export function bandInput(
  composite: PreparedComposite,
  range: RowRange,
  copy: boolean,
  into?: BandInputSlot,
): BandInput {
  const { width } = composite;
  const { rowStart, rowEnd } = range;
  const transfer: ArrayBuffer[] = [];
  // The views first; then, for a worker, their copies.
  const views: Bytes[] = [];
  const rows = (bytes: Bytes, rowLength: number, from: number, to: number): number => {
    views.push(bytes.subarray(from * rowLength, to * rowLength));
    return views.length - 1;
  };
  const base = rows(composite.base, width * 4, rowStart, rowEnd);
  const picked: {
    layer: PreparedComposite['layers'][number];
    from: number;
    data: number;
    mask: number;
  }[] = [];
  for (const layer of composite.layers) {
    const from = Math.max(0, rowStart - layer.top);
    const to = Math.min(layer.height, rowEnd - layer.top);
    if (from >= to) continue;
    picked.push({
      layer,
      from,
      data: rows(layer.data, layer.width * 4, from, to),
      mask: layer.mask === null ? -1 : rows(layer.mask, layer.width, from, to),
    });
  }
  if (copy) {
    const unshared = (view: Bytes) => !(view.buffer instanceof SharedArrayBuffer);
    if (into === undefined) {
      views.forEach((view, index) => {
        if (!unshared(view)) return;
        const copied = view.slice();
        transfer.push(copied.buffer as ArrayBuffer);
        views[index] = copied;
      });
    } else {
      // One slot of shared memory, each copy starting on a 4-byte boundary.
      let bytes = 0;
      for (const view of views) if (unshared(view)) bytes += (view.length + 3) & ~3;
      const memory = into.arena.input(into.slot, bytes);
      let offset = 0;
      views.forEach((view, index) => {
        if (!unshared(view)) return;
        const target = memory.subarray(offset, offset + view.length);
        target.set(view);
        views[index] =
          view instanceof Uint8ClampedArray
            ? new Uint8ClampedArray(target.buffer, target.byteOffset, target.length)
            : target;
        offset += (view.length + 3) & ~3;
      });
    }
  }
  const layers: BandLayer[] = picked.map(({ layer, from, data, mask }) => ({
    data: views[data] as Uint8ClampedArray,
    dataRow: from,
    mask: mask === -1 ? null : views[mask]!,
    width: layer.width,
    height: layer.height,
    left: layer.left,
    top: layer.top,
    mode: layer.mode,
    opacity: layer.opacity,
  }));
  return {
    task: {
      width,
      rowStart,
      rowEnd,
      base: views[base] as Uint8ClampedArray,
      baseRow: rowStart,
      layers,
      littleEndian,
    },
    transfer,
  };
}
