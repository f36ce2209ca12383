// Kernel code: it runs in worker threads from its source text (`composite-band-source.ts`), so
// these functions reference nothing but each other, other kernel functions and their arguments.
import type { BandTask } from './band-task.js';
import type { WasmStage } from './wasm/wasm-stage.js';

/**
 * What the passes over one band share: every layer's numbers in typed arrays (so the row loop
 * reads no layer object: their shapes differ with the caller, which would make it
 * polymorphic), the current row's spans and runs, and the scratch rows. With the WebAssembly
 * kernel, `starts`, `hiddenEnd`, `hiddenRuns`, `touched` and `accumulator` are views of its
 * memory, where its loops and the JavaScript ones both work on them.
 */
export interface RowState {
  /** Canvas width in pixels. */
  readonly width: number;
  /** Layers in the band (top-first). */
  readonly count: number;
  /** Per column: the highest layer hiding all below it, or `count` for the backdrop. */
  readonly starts: Int32Array;
  /** Per hidden column: the column after its run of columns hidden by one layer. */
  readonly hiddenEnd: Int32Array;
  /**
   * The runs `markHidden` found in this row: their number, then start, end and level of each,
   * in the order found.
   */
  readonly hiddenRuns: Int32Array;
  /** Per column: 1 once a layer has been blended into the accumulator. */
  readonly touched: Uint8Array;
  /** Per column: premultiplied red, green, blue and alpha, in float64. */
  readonly accumulator: Float64Array;
  /** The backdrop's pixels as words. */
  readonly base: Uint32Array;
  /** Canvas row held at `base[0]`. */
  readonly baseRow: number;
  /** Index of the current row's first pixel in `base`. */
  baseStart: number;
  /** Each layer's pixels as words. */
  readonly layerWords: readonly Uint32Array[];
  /** Each layer's mask (an empty array for none). */
  readonly layerMasks: readonly Uint8Array[];
  /** Per layer: first canvas row. */
  readonly layerTop: Int32Array;
  /** Per layer: canvas row after the last. */
  readonly layerBottom: Int32Array;
  /** Per layer: first canvas column, clipped to the canvas. */
  readonly layerLeft: Int32Array;
  /** Per layer: canvas column after the last, clipped to the canvas. */
  readonly layerRight: Int32Array;
  /** Per layer: width in pixels. */
  readonly layerWidth: Int32Array;
  /** Per layer: canvas column of its left edge (may be negative). */
  readonly layerColumn: Int32Array;
  /** Per layer: layer row held at the start of its words. */
  readonly layerDataRow: Int32Array;
  /** Per layer: blend-mode code (`blendModeCodes`). */
  readonly layerMode: Int32Array;
  /** Per layer: 1 when it has a mask. */
  readonly layerHasMask: Uint8Array;
  /** Per layer: 1 when it hides what is below where it is opaque (`normal`, opacity 1). */
  readonly layerHides: Uint8Array;
  /** Per layer: opacity / 255, which turns an alpha byte into αs. */
  readonly layerAlphaScale: Float64Array;
  /** Per layer: index in its words of canvas column 0 of the current row. */
  readonly rowIndex: Int32Array;
  /** Per layer: 1 when it shows in the current row (its span is not empty). */
  readonly layerInRow: Uint8Array;
  /** Per layer: first column of its span in the current row, trimmed of transparent ends. */
  readonly spanFrom: Int32Array;
  /** Per layer: column after its span in the current row. */
  readonly spanTo: Int32Array;
  /** Per run of the current row: its starting source (a hiding layer, or `count`). */
  readonly runStart: Int32Array;
  /** Per run: its first column. */
  readonly runBegin: Int32Array;
  /** Per run: the column after it. */
  readonly runEnd: Int32Array;
  /** Per run: the first column some layer above its source covers. */
  readonly runFrom: Int32Array;
  /** Per run: the column after the last one covered. */
  readonly runTo: Int32Array;
  /** Bit position of red, green, blue and alpha in a word. */
  readonly shifts: Int32Array;
  /** Scratch for the non-separable blends. */
  readonly blended: Float64Array;
  /**
   * Shortest run of columns worth marking hidden. Shorter ones are left to be blended: a
   * `normal` pixel with αs = 1 replaces what is below it exactly (co = Cs·1 + 0·cb), so the
   * result is the same bytes, and the row is not cut into many tiny runs (as a layer with a
   * few scattered opaque pixels would).
   */
  readonly minimumHiddenRun: number;
  /** The WebAssembly kernel's row in its memory, or `null` for the JavaScript loops only. */
  readonly stage: WasmStage | null;
}

/**
 * The state for compositing `task`: its layers' numbers, and scratch rows (in the WebAssembly
 * kernel's memory when `stage` is given).
 *
 * @param task - the band.
 * @param stage - the WebAssembly kernel's row, or `null`.
 * @returns the state, for the band's first row.
 */
export function createRowState(task: BandTask, stage: WasmStage | null): RowState {
  const width = task.width;
  const layers = task.layers;
  const count = layers.length;
  const inverse255 = 1 / 255;
  const noMask = new Uint8Array(0);
  const layerWords: Uint32Array[] = [];
  const layerMasks: Uint8Array[] = [];
  const layerTop = new Int32Array(count);
  const layerBottom = new Int32Array(count);
  const layerLeft = new Int32Array(count);
  const layerRight = new Int32Array(count);
  const layerWidth = new Int32Array(count);
  const layerColumn = new Int32Array(count);
  const layerDataRow = new Int32Array(count);
  const layerMode = new Int32Array(count);
  const layerHasMask = new Uint8Array(count);
  const layerHides = new Uint8Array(count);
  const layerAlphaScale = new Float64Array(count);
  for (let level = 0; level < count; level++) {
    const layer = layers[level]!;
    layerWords.push(
      new Uint32Array(layer.data.buffer, layer.data.byteOffset, layer.data.length >>> 2),
    );
    const mask = layer.mask;
    layerMasks.push(
      mask === null ? noMask : new Uint8Array(mask.buffer, mask.byteOffset, mask.length),
    );
    layerTop[level] = layer.top;
    layerBottom[level] = layer.top + layer.height;
    layerLeft[level] = Math.max(0, layer.left);
    layerRight[level] = Math.min(width, layer.left + layer.width);
    layerWidth[level] = layer.width;
    layerColumn[level] = layer.left;
    layerDataRow[level] = layer.dataRow;
    layerMode[level] = layer.mode;
    layerHasMask[level] = mask === null ? 0 : 1;
    layerHides[level] = layer.mode === 0 && layer.opacity === 1 ? 1 : 0;
    layerAlphaScale[level] = layer.opacity * inverse255;
  }
  return {
    width,
    count,
    starts: stage === null ? new Int32Array(width) : stage.starts,
    hiddenEnd: stage === null ? new Int32Array(width) : stage.hiddenEnd,
    hiddenRuns: stage === null ? new Int32Array(1 + 3 * width) : stage.hiddenRuns,
    touched: stage === null ? new Uint8Array(width) : stage.touched,
    accumulator: stage === null ? new Float64Array(width * 4) : stage.accumulator,
    base: new Uint32Array(task.base.buffer, task.base.byteOffset, task.base.length >>> 2),
    baseRow: task.baseRow,
    baseStart: 0,
    layerWords,
    layerMasks,
    layerTop,
    layerBottom,
    layerLeft,
    layerRight,
    layerWidth,
    layerColumn,
    layerDataRow,
    layerMode,
    layerHasMask,
    layerHides,
    layerAlphaScale,
    rowIndex: new Int32Array(count),
    layerInRow: new Uint8Array(count),
    spanFrom: new Int32Array(count),
    spanTo: new Int32Array(count),
    runStart: new Int32Array(width),
    runBegin: new Int32Array(width),
    runEnd: new Int32Array(width),
    runFrom: new Int32Array(width),
    runTo: new Int32Array(width),
    shifts: Int32Array.from(task.littleEndian ? [0, 8, 16, 24] : [24, 16, 8, 0]),
    blended: new Float64Array(3),
    minimumHiddenRun: 16,
    stage,
  };
}

/**
 * Moves the state to canvas row `y`: finds each layer's span in it, clipped to the canvas and
 * trimmed of transparent (or masked-out) pixels at both ends, which add nothing in any mode,
 * and clears the row's marks.
 *
 * @param state - the band's state.
 * @param y - the canvas row.
 * @returns whether any layer shows in the row (if not, it is the backdrop's).
 */
export function startRow(state: RowState, y: number): boolean {
  const count = state.count;
  const rowIndex = state.rowIndex;
  const layerInRow = state.layerInRow;
  const alphaShift = state.shifts[3]!;
  // The alpha byte's bits in a pixel's word: `word & alphaBits` is 0 when it is transparent.
  const alphaBits = (255 << alphaShift) | 0;
  state.baseStart = (y - state.baseRow) * state.width;
  let covered = false;
  for (let level = 0; level < count; level++) {
    layerInRow[level] = 0;
    if (y < state.layerTop[level]! || y >= state.layerBottom[level]!) continue;
    // Index in the layer's words of canvas column 0 of this row.
    const rowOffset =
      (y - state.layerTop[level]! - state.layerDataRow[level]!) * state.layerWidth[level]! -
      state.layerColumn[level]!;
    rowIndex[level] = rowOffset;
    const words = state.layerWords[level]!;
    const mask = state.layerMasks[level]!;
    const hasMask = state.layerHasMask[level] === 1;
    let from = state.layerLeft[level]!;
    let to = state.layerRight[level]!;
    if (!hasMask) {
      // Transparent borders are wide: four pixels a test first.
      while (
        from + 4 <= to &&
        ((words[rowOffset + from]! |
          words[rowOffset + from + 1]! |
          words[rowOffset + from + 2]! |
          words[rowOffset + from + 3]!) &
          alphaBits) ===
          0
      ) {
        from += 4;
      }
      while (
        to - 4 >= from &&
        ((words[rowOffset + to - 1]! |
          words[rowOffset + to - 2]! |
          words[rowOffset + to - 3]! |
          words[rowOffset + to - 4]!) &
          alphaBits) ===
          0
      ) {
        to -= 4;
      }
    }
    while (
      from < to &&
      (((words[rowOffset + from]! >>> alphaShift) & 255) === 0 ||
        (hasMask && mask[rowOffset + from] === 0))
    ) {
      from++;
    }
    while (
      to > from &&
      (((words[rowOffset + to - 1]! >>> alphaShift) & 255) === 0 ||
        (hasMask && mask[rowOffset + to - 1] === 0))
    ) {
      to--;
    }
    if (from === to) continue;
    state.spanFrom[level] = from;
    state.spanTo[level] = to;
    layerInRow[level] = 1;
    covered = true;
  }
  if (!covered) return false;
  state.starts.fill(count);
  state.touched.fill(0);
  state.hiddenRuns[0] = 0;
  return true;
}
