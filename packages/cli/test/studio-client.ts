import { parseServerSentEvents } from '@layerloom/core/http';
import { studioCookieName } from '../src/studio/studio-guard.js';

/** One message of the studio's event stream. */
export interface StudioStreamMessage {
  readonly renderId: string;
  readonly event: Record<string, unknown> & { readonly type: string };
}

/** A client of a running studio, as the page talks to it (cookie, same Origin). */
export interface StudioClient {
  /** A request with the session cookie and the studio's own Origin. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** POSTs (or `method`s) JSON and reads JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read the answers' fields directly.
  send(path: string, body?: unknown, method?: string): Promise<{ status: number; body: any }>;
  /** Renders `text` and collects its events until `studio:end`. */
  render(
    text: string,
    options?: { readonly style?: boolean },
  ): Promise<{ renderId: string; events: StudioStreamMessage['event'][] }>;
  /** Starts a render and returns its id and a promise of its events until `studio:end`. */
  startRender(
    text: string,
    options?: { readonly style?: boolean },
  ): Promise<{ renderId: string; ended: Promise<StudioStreamMessage['event'][]> }>;
  /** Closes the event stream. */
  close(): void;
}

/**
 * Connects to a studio: opens its event stream and keeps every message.
 *
 * @param studio - its origin and token.
 */
export async function connectStudio(studio: {
  readonly origin: string;
  readonly token: string;
}): Promise<StudioClient> {
  const headers = { cookie: `${studioCookieName}=${studio.token}`, origin: studio.origin };
  const request = (path: string, init: RequestInit = {}) =>
    fetch(`${studio.origin}${path}`, {
      ...init,
      headers: { ...headers, ...(init.headers as Record<string, string> | undefined) },
    });
  const controller = new AbortController();
  const stream = await request('/api/events', { signal: controller.signal });
  const messages: StudioStreamMessage[] = [];
  const waiters = new Set<() => void>();
  let hello = () => {};
  const greeted = new Promise<void>((resolve) => {
    hello = resolve;
  });
  void (async () => {
    try {
      for await (const event of parseServerSentEvents(stream.body!)) {
        if (event.event === 'hello') hello();
        if (event.event !== 'render') continue;
        messages.push(JSON.parse(event.data));
        for (const wake of waiters) wake();
      }
    } catch {
      // closed
    }
  })();
  await greeted;

  const until = (renderId: string) =>
    new Promise<StudioStreamMessage['event'][]>((resolve) => {
      const check = () => {
        const own = messages.filter((message) => message.renderId === renderId);
        if (own.some((message) => message.event.type === 'studio:end')) {
          waiters.delete(check);
          resolve(own.map((message) => message.event));
        }
      };
      waiters.add(check);
      check();
    });

  const send = async (path: string, body?: unknown, method = 'POST') => {
    const response = await request(path, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
  };

  const startRender = async (text: string, options: { readonly style?: boolean } = {}) => {
    const answer = await send('/api/render', { text, ...options });
    if (answer.status !== 200) throw new Error(`render refused: ${JSON.stringify(answer.body)}`);
    const renderId = answer.body.renderId as string;
    return { renderId, ended: until(renderId) };
  };

  return {
    fetch: request,
    send,
    startRender,
    async render(text, options = {}) {
      const { renderId, ended } = await startRender(text, options);
      return { renderId, events: await ended };
    },
    close: () => controller.abort(),
  };
}
