import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse, type RequestHandler } from 'msw';

/** A request the test server received, recorded before any handler ran. */
export interface RecordedRequest {
  /** HTTP method. */
  readonly method: string;
  /** Absolute URL (with `http://127.0.0.1:<port>`). */
  readonly url: URL;
  /** Path with query, e.g. `/v1/images/generations?x=1`. */
  readonly path: string;
  /** Headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The raw body. */
  readonly body: Uint8Array;
  /** The body as UTF-8 text. */
  text(): string;
  /** The body parsed as JSON. */
  json<T = unknown>(): T;
  /** The body parsed as multipart or url-encoded form data. */
  formData(): Promise<FormData>;
}

/** Options of {@link createTestServer}. */
export interface TestServerOptions {
  /** Host to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /** Port to listen on. @default 0 (a free port) */
  readonly port?: number;
}

/** A real HTTP server on loopback answering with msw handlers. */
export interface TestServer {
  /** Base URL, e.g. `http://127.0.0.1:43210`. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** The underlying `node:http` server (e.g. to attach a WebSocket server). */
  readonly server: Server;
  /** Every request received, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /**
   * Method and path (without the query) of every request received, in arrival order, e.g.
   * `['POST /sdapi/v1/txt2img', 'GET /sdapi/v1/progress']`: what a test asserts about the
   * calls an adapter made.
   */
  requestLines(): string[];
  /** Prepends handlers that take precedence (until {@link TestServer.resetHandlers}). */
  use(...handlers: RequestHandler[]): void;
  /** Drops the handlers added with `use` and forgets the recorded requests. */
  resetHandlers(): void;
  /** Stops listening and destroys open connections at once. */
  close(): Promise<void>;
}

const textDecoder = new TextDecoder();

async function readBody(message: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

function headersOf(message: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

async function writeResponse(response: Response, out: ServerResponse): Promise<void> {
  if (response.type === 'error') {
    // `HttpResponse.error()`: drop the connection, as a network failure would.
    out.socket?.destroy();
    return;
  }
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name === 'set-cookie') headers[name] = response.headers.getSetCookie();
    else headers[name] = value;
  });
  out.writeHead(response.status, response.statusText, headers);
  out.flushHeaders();
  if (response.body === null) {
    out.end();
    return;
  }
  const reader = response.body.getReader();
  out.on('close', () => {
    reader.cancel().catch(() => {});
  });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (out.destroyed) return;
      out.write(value);
    }
    out.end();
  } catch {
    // A stream that errors mid-body becomes a connection reset.
    out.socket?.destroy();
  }
}

/**
 * Starts a real HTTP server on 127.0.0.1 that answers with msw request handlers, and records
 * every request it receives. Use it to test adapters over a real socket (msw's interception
 * does not see undici's own requests). Requests no handler answers get a 501.
 *
 * Handler tricks: `HttpResponse.error()` drops the connection; a never-resolving handler
 * (`await delay('infinite')`) tests headers timeouts; a `ReadableStream` body that never
 * closes tests body timeouts.
 *
 * @param handlers - msw handlers, e.g. `http.post('/v1/images/generations', …)`. Paths
 *   are matched against `http://127.0.0.1:<port>`; use relative paths or `*` prefixes.
 * @param options - host and port.
 * @returns the running server; `close()` it after the test.
 *
 * @example
 * const server = await createTestServer([
 *   http.post('*\/v1/images/generations', () => HttpResponse.json({ data: [] })),
 * ]);
 */
export async function createTestServer(
  handlers: readonly RequestHandler[] = [],
  options: TestServerOptions = {},
): Promise<TestServer> {
  const host = options.host ?? '127.0.0.1';
  const initial = [...handlers];
  let overrides: RequestHandler[] = [];
  const requests: RecordedRequest[] = [];
  let baseUrl = '';

  const server = createServer((incoming, out) => {
    void (async () => {
      const body = await readBody(incoming);
      const url = new URL(incoming.url ?? '/', baseUrl);
      const headers = headersOf(incoming);
      const method = incoming.method ?? 'GET';
      requests.push({
        method,
        url,
        path: `${url.pathname}${url.search}`,
        headers,
        body,
        text: () => textDecoder.decode(body),
        json: <T>() => JSON.parse(textDecoder.decode(body)) as T,
        formData: () =>
          new Response(body, {
            headers: { 'content-type': headers['content-type'] ?? '' },
          }).formData(),
      });
      const abort = new AbortController();
      out.on('close', () => abort.abort());
      const request = new Request(url, {
        method,
        headers,
        signal: abort.signal,
        ...(method === 'GET' || method === 'HEAD' ? {} : { body, duplex: 'half' }),
      } as RequestInit);
      const response = await getResponse([...overrides, ...initial], request);
      if (response === undefined) {
        out.writeHead(501, { 'content-type': 'application/json' });
        out.end(
          JSON.stringify({ error: { message: `no test handler for ${method} ${url.pathname}` } }),
        );
        return;
      }
      await writeResponse(response, out);
    })().catch((error: unknown) => {
      if (!out.headersSent) {
        out.writeHead(500, { 'content-type': 'text/plain' });
        out.end(`test server handler failed: ${String(error)}`);
      } else out.socket?.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${host}:${port}`;

  return {
    url: baseUrl,
    port,
    server,
    requests,
    requestLines: () => requests.map((request) => `${request.method} ${request.url.pathname}`),
    use(...added) {
      overrides = [...added, ...overrides];
    },
    resetHandlers() {
      overrides = [];
      requests.length = 0;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
