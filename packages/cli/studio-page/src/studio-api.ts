// The page's calls to the studio server (same origin; the session cookie goes along).

import type { WireError, WirePlan } from '../../src/studio/studio-wire-types.js';

export type { WireError, WirePlan, WireStep } from '../../src/studio/studio-wire-types.js';

/** A render of the history. */
export interface RenderSummary {
  readonly id: string;
  readonly startedAt: string;
  readonly status: string;
  readonly styled: boolean;
  readonly calls: number;
  readonly costUsd?: number;
  readonly images: readonly string[];
}

type Answer<T> = ({ readonly ok: true } & T) | { readonly ok: false; readonly error: WireError };

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    credentials: 'same-origin',
  });
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) {
    return {
      ok: false,
      error: { code: `http_${response.status}`, message: await response.text() },
    } as T;
  }
  return (await response.json()) as T;
}

/** The server's API. */
export const api = {
  session: () =>
    call<{
      file: string | null;
      text: string;
      previewOnly: boolean;
      blendModes: readonly string[];
    }>('GET', '/api/session'),
  stats: () => call<{ calls: Record<string, number> }>('GET', '/api/stats'),
  plan: (text: string) => call<Answer<{ plan: WirePlan }>>('POST', '/api/plan', { text }),
  edit: (text: string, stepId: string, edit: Record<string, unknown>) =>
    call<Answer<{ text: string }>>('POST', '/api/edit', { text, stepId, edit }),
  render: (text: string, style: boolean) =>
    call<Answer<{ renderId: string }>>('POST', '/api/render', { text, style }),
  abort: (id: string) => call<Answer<{ aborted: boolean }>>('POST', `/api/renders/${id}/abort`),
  history: () => call<{ renders: RenderSummary[] }>('GET', '/api/renders'),
  renderDetail: (id: string) =>
    call<RenderSummary & { manifest: unknown | null }>('GET', `/api/renders/${id}`),
  save: (path: string, text: string) =>
    call<Answer<{ path: string }>>('PUT', '/api/file', { path, text }),
};
