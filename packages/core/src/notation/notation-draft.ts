import type { OutputOptions, WorldPackUse } from '../types/composition.js';
import type { ImageSize } from '../types/encoded-image.js';
import type { Layer } from '../types/layer.js';
import type { StyleStep } from '../types/style-step.js';
import type { NotationLine } from './notation-line.js';
import type { AttributeEntry } from './read-attribute-block.js';
import type { VariableScope } from './variable-scope.js';

/** `T` without `readonly`. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A placement side written in percent, resolved once the canvas size is known. */
export interface PendingPercentage {
  /** The placement field. */
  readonly field: 'x' | 'y' | 'width' | 'height';
  /** The percentage as written. */
  readonly percent: number;
}

/**
 * A layer as read from its line. The layer object is final except for placement sides written
 * in `%`, resolved once the canvas size is known. Attribute offsets are not kept (that would
 * keep thousands of objects alive); the block is read again when an error needs them.
 */
export interface LayerDraft {
  readonly line: NotationLine;
  readonly layer: Mutable<Layer>;
  /** Offset of the name, or of the `|` when the layer is unnamed. */
  readonly idOffset: number;
  readonly promptOffset: number;
  /** Offset of the `@`. */
  readonly providerOffset: number;
  /** Offset of the attribute block's `{`, or -1. */
  readonly blockOpen: number;
  /** Placement sides written in `%`. */
  readonly percentages: readonly PendingPercentage[] | undefined;
}

/** The style line as read. */
export interface StyleDraft {
  readonly line: NotationLine;
  readonly step: Mutable<StyleStep>;
  readonly promptOffset: number;
  readonly providerOffset: number;
  /** Offset of the attribute block's `{`, or -1. */
  readonly blockOpen: number;
}

/** A directive's value and where it was written. */
export interface DirectiveDraft<T> {
  readonly line: NotationLine;
  /** Offset of the value. */
  readonly offset: number;
  readonly value: T;
  readonly entries?: readonly AttributeEntry[];
}

/** What has been read of a document so far. */
export interface NotationDraft {
  readonly scope: VariableScope;
  readonly layers: LayerDraft[];
  readonly layersById: Map<string, LayerDraft>;
  /** The `use` lines, in order. */
  readonly packs: WorldPackUse[];
  style?: StyleDraft;
  size?: DirectiveDraft<ImageSize>;
  background?: DirectiveDraft<string>;
  seed?: DirectiveDraft<number>;
  output?: DirectiveDraft<OutputOptions>;
}
