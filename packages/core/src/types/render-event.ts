import type { LayerloomError } from '../errors/layerloom-error.js';
import type { SizedImage } from './encoded-image.js';
import type { ImageProgress } from './provider.js';
import type { RenderPlan } from './render-plan.js';
import type { LayerRecord, RenderResult, StepRecord } from './render-result.js';

/** Fields every {@link RenderEvent} has. */
interface RenderEventBase {
  /** Milliseconds since the render started. */
  readonly elapsedMs: number;
}

/** The plan is ready; no provider was called yet. */
export interface PlanEvent extends RenderEventBase {
  /** Discriminant: `plan`. */
  readonly type: 'plan';
  /** The plan: steps, requests, warnings and cost estimate. */
  readonly plan: RenderPlan;
}

/** A layer waits in its provider's queue. */
export interface LayerQueuedEvent extends RenderEventBase {
  /** Discriminant: `layer:queued`. */
  readonly type: 'layer:queued';
  /** The layer's id. */
  readonly layerId: string;
  /** Alias whose queue it waits in. */
  readonly provider: string;
  /** Tasks ahead of it in that queue (0 = next). */
  readonly position: number;
}

/** A provider call for a layer started. */
export interface LayerStartEvent extends RenderEventBase {
  /** Discriminant: `layer:start`. */
  readonly type: 'layer:start';
  /** The layer's id. */
  readonly layerId: string;
  /** The alias of the provider concerned. */
  readonly provider: string;
  /** 1-based attempt number. */
  readonly attempt: number;
}

/** The provider reported progress. */
export interface LayerProgressEvent extends RenderEventBase, ImageProgress {
  /** Discriminant: `layer:progress`. */
  readonly type: 'layer:progress';
  /** The layer's id. */
  readonly layerId: string;
  /** The alias of the provider concerned. */
  readonly provider: string;
}

/** A call failed and will be retried after `delayMs`. */
export interface LayerRetryEvent extends RenderEventBase {
  /** Discriminant: `layer:retry`. */
  readonly type: 'layer:retry';
  /** The layer's id. */
  readonly layerId: string;
  /** The alias of the provider concerned. */
  readonly provider: string;
  /** The attempt that failed (1-based). */
  readonly attempt: number;
  /** Wait before the next attempt. */
  readonly delayMs: number;
  /** Why: the failed attempt's error code and message. */
  readonly reason: string;
  /** The error. */
  readonly error: LayerloomError;
}

/** A layer is painted (or taken from the cache). */
export interface LayerDoneEvent extends RenderEventBase {
  /** Discriminant: `layer:done`. */
  readonly type: 'layer:done';
  /** The layer's id. */
  readonly layerId: string;
  /** How the layer was painted. */
  readonly record: LayerRecord;
}

/** A layer failed for good on one provider. */
export interface LayerErrorEvent extends RenderEventBase {
  /** Discriminant: `layer:error`. */
  readonly type: 'layer:error';
  /** The layer's id. */
  readonly layerId: string;
  /** The alias of the provider concerned. */
  readonly provider: string;
  /** The error. */
  readonly error: LayerloomError;
  /** What happens next: another provider is tried, the layer is skipped, or the render fails. */
  readonly outcome: 'fallback' | 'skip' | 'fail';
}

/** The layers are blended. */
export interface CompositeDoneEvent extends RenderEventBase {
  /** Discriminant: `composite:done`. */
  readonly type: 'composite:done';
  /** The composite. */
  readonly image: SizedImage;
  /** Time the compositor took, in milliseconds. */
  readonly ms: number;
}

/** The style pass started. */
export interface StyleStartEvent extends RenderEventBase {
  /** Discriminant: `style:start`. */
  readonly type: 'style:start';
  /** The alias of the provider concerned. */
  readonly provider: string;
}

/** The style provider reported progress. */
export interface StyleProgressEvent extends RenderEventBase, ImageProgress {
  /** Discriminant: `style:progress`. */
  readonly type: 'style:progress';
  /** The alias painting the style pass. */
  readonly provider: string;
}

/** A style call failed and will be retried after `delayMs`. */
export interface StyleRetryEvent extends RenderEventBase {
  /** Discriminant: `style:retry`. */
  readonly type: 'style:retry';
  /** The alias whose call failed. */
  readonly provider: string;
  /** The attempt that failed (1-based). */
  readonly attempt: number;
  /** Wait before the next attempt. */
  readonly delayMs: number;
  /** Why: the failed attempt's error code and message. */
  readonly reason: string;
  /** The failed attempt's error. */
  readonly error: LayerloomError;
}

/** The style pass failed for good on one provider. */
export interface StyleErrorEvent extends RenderEventBase {
  /** Discriminant: `style:error`. */
  readonly type: 'style:error';
  /** The alias that failed. */
  readonly provider: string;
  /** Its final error (a `RetryError` after retries). */
  readonly error: LayerloomError;
  /** What happens next: another provider is tried, the pass is skipped, or the render fails. */
  readonly outcome: 'fallback' | 'skip' | 'fail';
}

/** The style pass is done. */
export interface StyleDoneEvent extends RenderEventBase {
  /** Discriminant: `style:done`. */
  readonly type: 'style:done';
  /** How the style pass was painted. */
  readonly record: StepRecord;
}

/** The render finished. */
export interface DoneEvent extends RenderEventBase {
  /** Discriminant: `done`. */
  readonly type: 'done';
  /** The render's result. */
  readonly result: RenderResult;
}

/** Everything a render reports, discriminated by `type`. */
export type RenderEvent =
  | PlanEvent
  | LayerQueuedEvent
  | LayerStartEvent
  | LayerProgressEvent
  | LayerRetryEvent
  | LayerDoneEvent
  | LayerErrorEvent
  | CompositeDoneEvent
  | StyleStartEvent
  | StyleProgressEvent
  | StyleRetryEvent
  | StyleErrorEvent
  | StyleDoneEvent
  | DoneEvent;

/** The `type` of every {@link RenderEvent}. */
export type RenderEventType = RenderEvent['type'];
