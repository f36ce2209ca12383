import { randomBytes } from 'node:crypto';
import { createCompositor } from '@layerloom/compositor';
import {
  AbortError,
  type Cache,
  type Composition,
  type Compositor,
  createLoom,
  type EncodedImage,
  type Loom,
  memoryCache,
  type Provider,
  parseLayerNotation,
  type QueueLimits,
  type RenderManifest,
  ValidationError,
} from '@layerloom/core';
import { countedProvider } from './counted-provider.js';
import { type WireError, type WirePlan, wireError, wireEvent, wirePlan } from './studio-wire.js';

/** Settings of {@link createStudioSession}. */
export interface StudioSessionOptions {
  /**
   * The provider for an alias, or `undefined` when none is configured (the loom then reports
   * the unknown alias). Called once per alias; the result is kept for the session.
   */
  readonly providerFor: (alias: string) => Provider | undefined;
  /** Limits per alias, as `layerloom render` uses them. */
  readonly limits?: Readonly<Record<string, QueueLimits>>;
  /** The session's cache. @default a memory cache */
  readonly cache?: Cache;
  /** @default createCompositor() */
  readonly compositor?: Compositor;
  /** Renders kept in the history (with their images). @default 20 */
  readonly historySize?: number;
}

/** A render of the session, as the history lists it. */
export interface StudioRender {
  /** Random id. */
  readonly id: string;
  /** The notation text rendered. */
  readonly text: string;
  /** Whether the style pass ran (false for re-composites and re-rolls). */
  readonly styled: boolean;
  /** ISO time the render started. */
  readonly startedAt: string;
  /** `running`, `done`, `failed` or `aborted`. */
  status: 'running' | 'done' | 'failed' | 'aborted';
  /** Provider calls this render made. */
  calls: number;
  /** Cost in US dollars, once done. */
  costUsd?: number;
  /** Why it failed. */
  error?: WireError;
  /** The manifest, once done. */
  manifest?: RenderManifest;
  /** Images by name (`result`, `composite`, `layer-<id>`, `preview-<id>`). */
  readonly images: Map<string, EncodedImage>;
  /** Every event sent for it, in order (a page that reconnects replays them). */
  readonly events: Record<string, unknown>[];
  /** Aborts it. */
  readonly controller: AbortController;
}

/** A message on the session's event stream. */
export interface StudioMessage {
  /** The render the event belongs to. */
  readonly renderId: string;
  /** The event, in its wire form. */
  readonly event: Record<string, unknown>;
}

/** One studio session: the loom, its cache, the renders and the event stream. */
export interface StudioSession {
  /** Parses and plans text, without any provider call. */
  plan(text: string): Promise<{ composition: Composition; plan: WirePlan }>;
  /**
   * Starts a render of `text`; its events go to the subscribers. Resolves once planned.
   * With `style: false` the style pass is left out: an edit re-composites from the cache with
   * no provider call, and a re-roll calls only the re-rolled layer's provider (the style pass
   * would have to repaint the new composite).
   */
  render(text: string, options?: { readonly style?: boolean }): Promise<StudioRender>;
  /** Aborts a running render. @returns whether it was running. */
  abort(renderId: string): boolean;
  /** A render of the history. */
  get(renderId: string): StudioRender | undefined;
  /** The history, newest first. */
  history(): readonly StudioRender[];
  /** Provider calls per alias since the session started. */
  calls(): Readonly<Record<string, number>>;
  /** Listens to every render's events. @returns the function that stops listening. */
  subscribe(listener: (message: StudioMessage) => void): () => void;
  /** Aborts every running render. */
  close(): void;
}

/**
 * Creates a studio session: a thin layer over `createLoom` — plans and renders go through the
 * loom with the session's cache under the `always` policy, so that an edit that changes no
 * request (opacity, blend, visibility, placement with a pinned size) re-composites from the
 * cache with no provider call, and a re-roll (a new seed on one step) calls only that step's
 * provider.
 *
 * @param options - providers, limits, cache and compositor.
 */
export function createStudioSession(options: StudioSessionOptions): StudioSession {
  const cache = options.cache ?? memoryCache();
  const compositor = options.compositor ?? createCompositor();
  const historySize = options.historySize ?? 20;
  const counts: Record<string, number> = {};
  const providers = new Map<string, Provider | undefined>();
  const renders: StudioRender[] = [];
  const listeners = new Set<(message: StudioMessage) => void>();

  const providerOf = (alias: string) => {
    if (!providers.has(alias)) providers.set(alias, options.providerFor(alias));
    return providers.get(alias);
  };

  /** A loom over the aliases `composition` uses, counting each call for the session. */
  const loomFor = (composition: Composition, onCall: () => void): Loom => {
    const steps = [
      ...composition.layers,
      ...(composition.style === undefined ? [] : [composition.style]),
    ];
    const aliases = [...new Set(steps.flatMap((step) => [step.provider].flat()))];
    const used: Record<string, Provider> = {};
    for (const alias of aliases) {
      const provider = providerOf(alias);
      if (provider === undefined) continue;
      used[alias] = countedProvider(provider, () => {
        counts[alias] = (counts[alias] ?? 0) + 1;
        onCall();
      });
    }
    if (Object.keys(used).length === 0) {
      throw ValidationError.field(
        ['layers'],
        `Expected a configured provider alias, got ${aliases.map((alias) => `"${alias}"`).join(', ')}`,
        'composition',
      );
    }
    return createLoom({
      // An alias nobody configured is left out: the loom names it and the nearest one.
      providers: used,
      compositor,
      cache,
      cachePolicy: 'always',
      ...(options.limits === undefined ? {} : { limits: options.limits }),
    });
  };

  const publish = (render: StudioRender, event: Record<string, unknown>) => {
    render.events.push(event);
    for (const listener of listeners) listener({ renderId: render.id, event });
  };

  const planText = async (text: string, style = true, onCall: () => void = () => {}) => {
    const parsed = parseLayerNotation(text);
    const { style: _style, ...unstyled } = parsed;
    const composition: Composition = style ? parsed : unstyled;
    const loom = loomFor(composition, onCall);
    const plan = await loom.plan(composition);
    const cached = new Map<string, boolean>();
    for (const step of plan.steps) {
      if (step.cacheKey !== undefined) {
        cached.set(step.id, (await cache.get(step.cacheKey)) !== undefined);
      }
    }
    return { composition, loom, plan: wirePlan(plan, cached) };
  };

  return {
    async plan(text) {
      const { composition, plan } = await planText(text);
      return { composition, plan };
    },
    async render(text, renderOptions = {}) {
      // Calls happen only once the render below runs, after `render` is assigned.
      const { composition, loom, plan } = await planText(text, renderOptions.style ?? true, () => {
        render.calls++;
      });
      const render: StudioRender = {
        id: randomBytes(8).toString('hex'),
        text,
        styled: composition.style !== undefined,
        startedAt: new Date().toISOString(),
        status: 'running',
        calls: 0,
        images: new Map(),
        events: [],
        controller: new AbortController(),
      };
      renders.unshift(render);
      for (const old of renders.splice(historySize)) old.controller.abort();
      const store = (name: string, image: EncodedImage) => {
        render.images.set(name, image);
        return `/api/renders/${render.id}/images/${encodeURIComponent(name)}?v=${render.events.length}`;
      };
      publish(render, { type: 'studio:plan', plan });
      const run = async () => {
        try {
          const result = await loom.render(composition, {
            signal: render.controller.signal,
            onEvent: (event) => publish(render, wireEvent(event, store)),
          });
          render.status = 'done';
          render.costUsd = result.costUsd;
          render.manifest = result.manifest;
        } catch (error) {
          render.status = render.controller.signal.aborted ? 'aborted' : 'failed';
          render.error = wireError(error);
        }
        publish(render, {
          type: 'studio:end',
          status: render.status,
          calls: render.calls,
          ...(render.error === undefined ? {} : { error: render.error }),
        });
      };
      void run();
      return render;
    },
    abort(renderId) {
      const render = renders.find((candidate) => candidate.id === renderId);
      if (render === undefined || render.status !== 'running') return false;
      render.controller.abort(new AbortError('Aborted in the studio'));
      return true;
    },
    get: (renderId) => renders.find((render) => render.id === renderId),
    history: () => [...renders],
    calls: () => ({ ...counts }),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      for (const render of renders) {
        if (render.status === 'running') render.controller.abort(new AbortError('Studio closed'));
      }
      listeners.clear();
    },
  };
}
