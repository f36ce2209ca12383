/** State shared by the passes over one band: scratch rows and what every layer needs. */
export interface RowState {
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
  /** Index of the current row's first pixel in `base`. */
  baseStart: number;
  /** Each layer's pixels as words. */
  readonly layerWords: readonly Uint32Array[];
  /** Per layer: index in its words of canvas column 0 of the current row. */
  readonly rowIndex: Int32Array;
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
}
