import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { isAbsolute, relative, resolve } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { type Cache, createPreviewProvider, type Provider } from '@layerloom/core';
import { redactSecrets } from '@layerloom/core/http';
import { buildProviders } from '../config/build-providers.js';
import { hostedServices } from '../config/hosted-services.js';
import type { LayerloomConfig } from '../config/layerloom-config.js';
import { loadConfig } from '../config/load-config.js';
import { createStudioApp } from './create-studio-app.js';
import { resolveProjectPath } from './resolve-project-path.js';
import { findStudioAssets, loadStudioAssets } from './studio-assets.js';
import { createStudioSession, type StudioSession } from './studio-session.js';

/** Options of {@link startStudio}. */
export interface StartStudioOptions {
  /** The project folder: config is looked up from here, files stay inside it. */
  readonly root: string;
  /** The `.loom` file to open, inside `root`. */
  readonly file?: string;
  /** Interface to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /** Port. @default 0 (a free port) */
  readonly port?: number;
  /** Environment keys are read from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Providers by alias, instead of the config's (embedding, tests). */
  readonly providers?: Readonly<Record<string, Provider>>;
  /** The session's cache. @default a memory cache */
  readonly cache?: Cache;
  /**
   * Folder of the built page. @default the package's `dist/studio/` (in a clone of the
   * repository, the page built from its sources)
   */
  readonly assetsDirectory?: string;
}

/** A running studio. */
export interface StudioHandle {
  /** The URL to open, with the session token. */
  readonly url: string;
  /** `http://host:port`, without the token. */
  readonly origin: string;
  /** The session token. */
  readonly token: string;
  /** The session (renders, provider calls). */
  readonly session: StudioSession;
  /** Whether every alias is painted by the preview provider. */
  readonly previewOnly: boolean;
  /** Stops the server and aborts running renders. */
  close(): Promise<void>;
}

const loopback = new Set(['127.0.0.1', 'localhost', '::1']);

/** Whether `host` is a loopback interface. */
export function isLoopbackHost(host: string): boolean {
  return loopback.has(host) || host.startsWith('127.');
}

const secretName = /key|token|secret|password|passwd|auth|credential/i;

/** Every value a page, event or log must never show: keys named by the config and the env. */
function secretsOf(
  config: LayerloomConfig,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const names = new Set<string>(Object.values(hostedServices).flatMap((s) => s.keyVariables));
  names.add('OPENAI_API_KEY');
  for (const entry of Object.values(config.providers ?? {})) {
    for (const field of ['apiKeyEnv', 'authEnv'] as const) {
      const name = (entry as unknown as Record<string, unknown>)[field];
      if (typeof name === 'string') names.add(name);
    }
  }
  for (const name of Object.keys(env)) if (secretName.test(name)) names.add(name);
  return [...names]
    .map((name) => env[name])
    .filter((value): value is string => value !== undefined && value.length >= 6);
}

function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Starts `layerloom studio`: loads the project's config (the same file and providers as
 * `layerloom render`; the preview provider when none is configured), creates a session and
 * serves the page on `host:port` with a random session token.
 *
 * @param options - project folder, file, host, port.
 * @returns the running studio.
 * @throws ValidationError for a bad config, a file outside the project, or an unbuilt page.
 */
export async function startStudio(options: StartStudioOptions): Promise<StudioHandle> {
  const root = resolve(options.root);
  const env = options.env ?? process.env;
  const { config } = await loadConfig(root);
  const file =
    options.file === undefined
      ? undefined
      : relative(root, resolveProjectPath(root, resolve(root, options.file)));
  const assets = loadStudioAssets(await findStudioAssets(options.assetsDirectory));
  const configured = config.providers ?? {};
  const previewOnly = options.providers === undefined && Object.keys(configured).length === 0;
  const preview = createPreviewProvider();
  const providerFor = (alias: string): Provider | undefined => {
    if (options.providers !== undefined) return options.providers[alias];
    if (previewOnly) return preview;
    return buildProviders(config, [alias], env).providers[alias];
  };
  const session = createStudioSession({
    providerFor,
    ...(config.limits === undefined ? {} : { limits: config.limits }),
    ...(options.cache === undefined ? {} : { cache: options.cache }),
  });
  const token = randomBytes(24).toString('base64url');
  const secrets = [...secretsOf(config, env), token];
  const host = options.host ?? '127.0.0.1';
  let port = 0;
  const hosts = () => {
    const names = ['127.0.0.1', 'localhost', '::1', host];
    if (host === '0.0.0.0' || host === '::') {
      for (const list of Object.values(networkInterfaces())) {
        for (const address of list ?? []) names.push(address.address);
      }
    }
    return names.map((name) => hostPort(name, port).toLowerCase());
  };
  const app = createStudioApp({
    session,
    assets,
    token,
    hosts,
    root,
    ...(file === undefined ? {} : { file: isAbsolute(file) ? relative(root, file) : file }),
    previewOnly,
    redact: (text) => redactSecrets(text, secrets),
  });
  const server = createAdaptorServer({ fetch: app.fetch, hostname: host }) as Server;
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://${hostPort(isLoopbackHost(host) || host === '0.0.0.0' ? '127.0.0.1' : host, port)}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    session,
    previewOnly,
    close: async () => {
      session.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
