import { randomUUID } from 'node:crypto';
import { createTestServer, type TestServer } from '@layerloom/core/testing';
import { delay, HttpResponse, http } from 'msw';
import { type WebSocket, WebSocketServer } from 'ws';
import { solidPng } from './png-fixtures.js';

/** An output file reference. */
export interface FakeImageRef {
  /** File name. */
  readonly filename: string;
  /** Sub-folder, `''` for none. */
  readonly subfolder: string;
  /** `output`, `temp` or `input`. */
  readonly type: string;
}

/** One queued prompt as the fake runs it; the run script drives it. */
export interface FakeComfyUIRun {
  /** The id the server gave the prompt. */
  readonly promptId: string;
  /** The `client_id` it was posted with. */
  readonly clientId: string;
  /** The submitted graph. */
  readonly prompt: Record<string, { class_type: string; inputs: Record<string, unknown> }>;
  /** `pending`, `running` or `done`, as `GET /queue` shows it. */
  state: 'pending' | 'running' | 'done';
  /** Sends a JSON message `{ type, data }` to the prompt's client socket. */
  send(type: string, data: Record<string, unknown>): void;
  /** Sends a binary preview frame (type 1; format 1 = JPEG, 2 = PNG). */
  sendPreview(image: Uint8Array, format?: number): void;
  /** Sends a binary preview-with-metadata frame (type 4). */
  sendPreviewWithMetadata(image: Uint8Array, metadata: Record<string, unknown>): void;
  /** Stores an output file for `GET /view`. */
  saveFile(ref: FakeImageRef, bytes: Uint8Array): void;
  /** Writes the history entry: success with these outputs. */
  completeHistory(outputs: Record<string, { images: FakeImageRef[] }>): void;
  /** Writes the history entry: error with these status messages. */
  failHistory(messages: [string, Record<string, unknown>][]): void;
  /** Closes the client's sockets (a dropped connection). */
  dropSocket(): void;
  /** Whether the client's socket announced `supports_preview_metadata` in `feature_flags`. */
  readonly supportsPreviewMetadata: () => boolean;
  /** Resolves when `POST /interrupt` targets this prompt while it runs. */
  readonly interrupted: Promise<void>;
}

/** Options of {@link createFakeComfyUI}. */
export interface FakeComfyUIOptions {
  /** What happens to a queued prompt. @default {@link standardRun} */
  readonly run?: (run: FakeComfyUIRun) => Promise<void> | void;
  /** Refuse WebSocket upgrades (answers 401), as a proxy without WebSocket support might. */
  readonly refuseSocket?: boolean;
  /** Answer `POST /prompt` with this instead of queueing. */
  readonly rejectPrompt?: () => Response;
  /** Give uploads a new name (`x (1).png`), as ComfyUI does for an existing file. */
  readonly renameUploads?: boolean;
  /** Queue the prompt, then answer `POST /prompt` only after this long (a slow proxy). */
  readonly holdPromptAnswerMs?: number;
}

/** A fake ComfyUI server: HTTP routes through msw on a real socket, plus a real `ws` server. */
export interface FakeComfyUI {
  /** Base URL, e.g. `http://127.0.0.1:43210`. */
  readonly url: string;
  /** The underlying test server (recorded requests, `use` for overrides). */
  readonly server: TestServer;
  /** HTTP requests received, as `METHOD /path`, in order (`POST /prompt`, `GET /view`…). */
  readonly calls: () => string[];
  /** Prompts received, in order. */
  readonly runs: FakeComfyUIRun[];
  /** Client ids of the WebSocket connections made. */
  readonly socketClients: string[];
  /** Files uploaded to `input`, by name. */
  readonly uploads: Map<string, Uint8Array>;
  /** Bodies of `POST /interrupt` and `POST /queue`, in order. */
  readonly controlCalls: { path: string; body: unknown }[];
  /** Text messages the clients sent on their sockets (parsed JSON), by client id. */
  readonly clientMessages: Map<string, unknown[]>;
  /** The PNG the standard run saves. */
  readonly output: Uint8Array;
  /** The PNG the standard run sends as previews. */
  readonly preview: Uint8Array;
  /** Closes every socket and stops the server. */
  close(): Promise<void>;
}

/** A normal run: progress 1..3 with a preview each, `executed` for node 9, success. */
export async function standardRun(
  run: FakeComfyUIRun,
  files: { output: Uint8Array; preview: Uint8Array },
): Promise<void> {
  const prompt_id = run.promptId;
  run.state = 'running';
  run.send('execution_start', { prompt_id });
  run.send('execution_cached', { nodes: [], prompt_id });
  run.send('executing', { node: '3', display_node: '3', prompt_id });
  for (let value = 1; value <= 3; value++) {
    run.send('progress', { value, max: 3, prompt_id, node: '3' });
    run.sendPreview(files.preview);
  }
  const ref = { filename: 'layerloom_00001_.png', subfolder: '', type: 'output' };
  run.saveFile(ref, files.output);
  run.send('executing', { node: '9', display_node: '9', prompt_id });
  run.send('executed', { node: '9', display_node: '9', output: { images: [ref] }, prompt_id });
  run.state = 'done';
  run.completeHistory({ '9': { images: [ref] } });
  run.send('executing', { node: null, prompt_id });
  run.send('execution_success', { prompt_id, timestamp: Date.now() });
}

const samplerClasses = new Set([
  'KSampler',
  'KSamplerAdvanced',
  'SamplerCustom',
  'SamplerCustomAdvanced',
]);
const outputClasses = new Set(['SaveImage', 'PreviewImage', 'SaveImageWebsocket']);

/**
 * A run that follows the submitted graph, as ComfyUI's executor reports it: each sampler node
 * in turn counts 4 steps, reported both as `progress_state` (every non-pending node, the
 * earlier samplers `finished`) and as the legacy per-node `progress`; previews are type-4
 * frames naming the prompt when the client announced `supports_preview_metadata`, type-1
 * otherwise. The output node decides where the result goes: `SaveImage` to `output`,
 * `PreviewImage` to `temp`, `SaveImageWebsocket` as an untagged type-1 PNG frame while that
 * node executes (nothing stored, no images in the history).
 */
export async function graphRun(
  run: FakeComfyUIRun,
  files: { output: Uint8Array; preview: Uint8Array },
): Promise<void> {
  const prompt_id = run.promptId;
  const samplers = Object.entries(run.prompt)
    .filter(([, node]) => samplerClasses.has(node.class_type))
    .map(([id]) => id);
  const [outputId, outputNode] = Object.entries(run.prompt).find(([, node]) =>
    outputClasses.has(node.class_type),
  ) ?? ['9', { class_type: 'SaveImage', inputs: {} }];
  run.state = 'running';
  run.send('execution_start', { prompt_id });
  const nodes: Record<string, Record<string, unknown>> = {};
  const state = (id: string, value: number, max: number, status: string) => {
    nodes[id] = { value, max, state: status, node_id: id, prompt_id, display_node_id: id };
    run.send('progress_state', { prompt_id, nodes: { ...nodes } });
  };
  for (const sampler of samplers) {
    run.send('executing', { node: sampler, display_node: sampler, prompt_id });
    state(sampler, 0, 1, 'running');
    for (let value = 1; value <= 4; value++) {
      state(sampler, value, 4, 'running');
      run.send('progress', { value, max: 4, prompt_id, node: sampler });
      if (run.supportsPreviewMetadata()) {
        run.sendPreviewWithMetadata(files.preview, { node_id: sampler, prompt_id });
      } else run.sendPreview(files.preview);
    }
    state(sampler, 4, 4, 'finished');
  }
  run.send('executing', { node: outputId, display_node: outputId, prompt_id });
  let outputs: Record<string, { images: FakeImageRef[] }> = {};
  if (outputNode.class_type === 'SaveImageWebsocket') {
    run.sendPreview(files.output, 2);
    run.send('executed', { node: outputId, display_node: outputId, output: {}, prompt_id });
  } else {
    const type = outputNode.class_type === 'PreviewImage' ? 'temp' : 'output';
    const ref = { filename: 'layerloom_00001_.png', subfolder: '', type };
    run.saveFile(ref, files.output);
    run.send('executed', {
      node: outputId,
      display_node: outputId,
      output: { images: [ref] },
      prompt_id,
    });
    outputs = { [outputId]: { images: [ref] } };
  }
  run.state = 'done';
  run.completeHistory(outputs);
  run.send('executing', { node: null, prompt_id });
  run.send('execution_success', { prompt_id, timestamp: Date.now() });
}

/**
 * Starts a fake ComfyUI server on 127.0.0.1 that answers like the reference: `/prompt` (with a
 * caller-chosen `prompt_id`, which must be a lowercase UUID), `/history/{id}`, `/view`,
 * `/upload/image`, `/queue`, `/interrupt` and `/ws?clientId=` (which answers a client's
 * `feature_flags` message with its own).
 *
 * @param options - the run script and failure switches.
 */
export async function createFakeComfyUI(options: FakeComfyUIOptions = {}): Promise<FakeComfyUI> {
  const output = solidPng([200, 40, 40, 255], 4);
  const preview = solidPng([90, 90, 90, 255], 2);
  const runs: FakeComfyUIRun[] = [];
  const sockets = new Map<string, Set<WebSocket>>();
  const socketClients: string[] = [];
  const files = new Map<string, Uint8Array>();
  const uploads = new Map<string, Uint8Array>();
  const history: Record<string, unknown> = {};
  const controlCalls: { path: string; body: unknown }[] = [];
  const interrupters = new Map<string, () => void>();
  const clientMessages = new Map<string, unknown[]>();
  const announcedMetadata = (clientId: string) =>
    (clientMessages.get(clientId) ?? []).some(
      (message) =>
        (message as { type?: unknown }).type === 'feature_flags' &&
        (message as { data?: { supports_preview_metadata?: unknown } }).data
          ?.supports_preview_metadata === true,
    );
  let queueNumber = 0;
  const fileKey = (ref: FakeImageRef) => `${ref.type}/${ref.subfolder}/${ref.filename}`;

  const server = await createTestServer([
    http.post('*/prompt', async ({ request }) => {
      if (options.rejectPrompt !== undefined) return options.rejectPrompt();
      const body = (await request.json()) as {
        prompt?: FakeComfyUIRun['prompt'];
        client_id?: string;
        prompt_id?: unknown;
      };
      if (
        body.prompt_id !== undefined &&
        (typeof body.prompt_id !== 'string' ||
          !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(body.prompt_id))
      ) {
        return HttpResponse.json(
          {
            error: {
              type: 'invalid_prompt_id',
              message: 'Invalid prompt_id format',
              details: String(body.prompt_id),
              extra_info: {},
            },
            node_errors: {},
          },
          { status: 400 },
        );
      }
      if (body.prompt === undefined) {
        return HttpResponse.json(
          {
            error: {
              type: 'no_prompt',
              message: 'No prompt provided',
              details: '',
              extra_info: {},
            },
            node_errors: {},
          },
          { status: 400 },
        );
      }
      const promptId = typeof body.prompt_id === 'string' ? body.prompt_id : randomUUID();
      const clientId = body.client_id ?? '';
      let interrupt: () => void = () => {};
      const interrupted = new Promise<void>((resolve) => {
        interrupt = resolve;
      });
      interrupters.set(promptId, interrupt);
      const send = (payload: string | Uint8Array) => {
        for (const socket of sockets.get(clientId) ?? []) socket.send(payload);
      };
      const binary = (type: number, head: Uint8Array, image: Uint8Array) => {
        const frame = Buffer.alloc(4 + head.length + image.length);
        frame.writeUInt32BE(type, 0);
        frame.set(head, 4);
        frame.set(image, 4 + head.length);
        send(frame);
      };
      const run: FakeComfyUIRun = {
        promptId,
        clientId,
        prompt: body.prompt,
        state: 'pending',
        interrupted,
        send: (type, data) => send(JSON.stringify({ type, data })),
        sendPreview(image, format = 2) {
          const head = Buffer.alloc(4);
          head.writeUInt32BE(format, 0);
          binary(1, head, image);
        },
        sendPreviewWithMetadata(image, metadata) {
          const json = Buffer.from(JSON.stringify(metadata));
          const head = Buffer.alloc(4 + json.length);
          head.writeUInt32BE(json.length, 0);
          head.set(json, 4);
          binary(4, head, image);
        },
        saveFile: (ref, bytes) => files.set(fileKey(ref), bytes),
        completeHistory(outputs) {
          history[promptId] = {
            prompt: [
              queueNumber,
              promptId,
              body.prompt,
              { client_id: clientId },
              Object.keys(outputs),
            ],
            outputs,
            status: { status_str: 'success', completed: true, messages: [] },
            meta: {},
          };
        },
        failHistory(messages) {
          history[promptId] = {
            prompt: [queueNumber, promptId, body.prompt, { client_id: clientId }, []],
            outputs: {},
            status: { status_str: 'error', completed: false, messages },
            meta: {},
          };
        },
        dropSocket() {
          for (const socket of sockets.get(clientId) ?? []) socket.terminate();
        },
        supportsPreviewMetadata: () => announcedMetadata(clientId),
      };
      runs.push(run);
      const script =
        options.run ?? ((current: FakeComfyUIRun) => standardRun(current, { output, preview }));
      setTimeout(() => {
        void Promise.resolve(script(run)).catch(() => {});
      }, 5);
      if (options.holdPromptAnswerMs !== undefined) await delay(options.holdPromptAnswerMs);
      return HttpResponse.json({ prompt_id: promptId, number: queueNumber++, node_errors: {} });
    }),
    http.get('*/history/:id', ({ params }) => {
      const id = String(params.id);
      return HttpResponse.json(history[id] === undefined ? {} : { [id]: history[id] });
    }),
    http.get('*/view', ({ request }) => {
      const url = new URL(request.url);
      const filename = url.searchParams.get('filename') ?? '';
      if (filename === '' || filename.includes('..'))
        return new HttpResponse(null, { status: 400 });
      const bytes = files.get(
        fileKey({
          filename,
          subfolder: url.searchParams.get('subfolder') ?? '',
          type: url.searchParams.get('type') ?? 'output',
        }),
      );
      if (bytes === undefined) return new HttpResponse(null, { status: 404 });
      return new HttpResponse(bytes, { headers: { 'content-type': 'image/png' } });
    }),
    http.post('*/upload/image', async ({ request }) => {
      const form = await request.formData();
      const file = form.get('image');
      if (!(file instanceof File)) return new HttpResponse(null, { status: 400 });
      const name =
        options.renameUploads === true ? file.name.replace(/(\.\w+)$/, ' (1)$1') : file.name;
      uploads.set(name, new Uint8Array(await file.arrayBuffer()));
      return HttpResponse.json({ name, subfolder: '', type: String(form.get('type') ?? 'input') });
    }),
    http.get('*/queue', () => {
      const entry = (run: FakeComfyUIRun) => [
        0,
        run.promptId,
        run.prompt,
        { client_id: run.clientId },
        ['9'],
      ];
      return HttpResponse.json({
        queue_running: runs.filter((run) => run.state === 'running').map(entry),
        queue_pending: runs.filter((run) => run.state === 'pending').map(entry),
      });
    }),
    http.post('*/queue', async ({ request }) => {
      const body = (await request.json()) as { delete?: string[]; clear?: boolean };
      controlCalls.push({ path: '/queue', body });
      for (const id of body.delete ?? []) {
        const run = runs.find((candidate) => candidate.promptId === id);
        if (run?.state === 'pending') run.state = 'done';
      }
      return new HttpResponse(null, { status: 200 });
    }),
    http.post('*/interrupt', async ({ request }) => {
      const text = await request.text();
      const body = text === '' ? {} : (JSON.parse(text) as { prompt_id?: string });
      controlCalls.push({ path: '/interrupt', body });
      const running = runs.find((run) => run.state === 'running');
      if (
        running !== undefined &&
        (body.prompt_id === undefined || body.prompt_id === running.promptId)
      ) {
        interrupters.get(running.promptId)?.();
      }
      return new HttpResponse(null, { status: 200 });
    }),
  ]);

  const webSockets = new WebSocketServer({
    server: server.server,
    path: '/ws',
    verifyClient: () => options.refuseSocket !== true,
  });
  webSockets.on('connection', (socket, request) => {
    const clientId =
      new URL(request.url ?? '/', server.url).searchParams.get('clientId') ?? randomUUID();
    socketClients.push(clientId);
    const set = sockets.get(clientId) ?? new Set();
    set.add(socket);
    sockets.set(clientId, set);
    socket.on('close', () => set.delete(socket));
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      let message: unknown;
      try {
        message = JSON.parse(String(data));
      } catch {
        return;
      }
      const received = clientMessages.get(clientId) ?? [];
      received.push(message);
      clientMessages.set(clientId, received);
      if ((message as { type?: unknown }).type === 'feature_flags' && received.length === 1) {
        socket.send(
          JSON.stringify({
            type: 'feature_flags',
            data: { supports_preview_metadata: true, max_upload_size: 104_857_600 },
          }),
        );
      }
    });
    socket.send(
      JSON.stringify({
        type: 'status',
        data: { status: { exec_info: { queue_remaining: 0 } }, sid: clientId },
      }),
    );
  });

  return {
    url: server.url,
    server,
    calls: () => server.requestLines(),
    runs,
    socketClients,
    uploads,
    controlCalls,
    clientMessages,
    output,
    preview,
    async close() {
      for (const client of webSockets.clients) client.terminate();
      await new Promise<void>((resolve) => webSockets.close(() => resolve()));
      await server.close();
    },
  };
}
