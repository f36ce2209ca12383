import type { Provider } from '@layerloom/core';
import pc from 'picocolors';
import { type CliIo, writeLine } from '../cli-io.js';
import { buildProviders } from '../config/build-providers.js';
import { loadConfig } from '../config/load-config.js';
import { formatTable } from '../format-table.js';

function describeSizes(provider: Provider): string {
  const sizes = provider.capabilities.sizes;
  if ('min' in sizes)
    return `${sizes.min}-${sizes.max}px${sizes.multipleOf ? ` /${sizes.multipleOf}` : ''}`;
  return sizes.map((size) => `${size.width}x${size.height}`).join(' ');
}

/**
 * `layerloom providers`: lists the configured aliases with their provider, model and
 * capabilities.
 *
 * @returns the process exit code.
 */
export async function providersCommand(
  options: { readonly json: boolean },
  io: CliIo,
): Promise<number> {
  const { config, path } = await loadConfig(io.cwd);
  const configured = Object.keys(config.providers ?? {});
  const { providers, previewOnly } = buildProviders(
    config,
    configured.length === 0 ? ['*'] : configured,
    io.env,
  );
  const rows = Object.entries(providers).map(([alias, provider]) => ({
    alias,
    provider: provider.id,
    model: provider.modelId,
    transparency: provider.capabilities.transparency,
    imageInput: provider.capabilities.imageInput,
    mask: provider.capabilities.mask,
    seed: provider.capabilities.seed,
    sizes: describeSizes(provider),
  }));
  if (options.json) {
    writeLine(
      io.stdout,
      JSON.stringify({ config: path ?? null, previewOnly, providers: rows }, null, 2),
    );
    return 0;
  }
  writeLine(io.stdout, path === undefined ? 'No layerloom.config found.' : `Config: ${path}`);
  if (previewOnly)
    writeLine(io.stdout, pc.yellow('Every alias (*) is painted by the offline preview provider.'));
  const yes = (value: boolean) => (value ? 'yes' : 'no');
  writeLine(
    io.stdout,
    formatTable(
      ['alias', 'provider', 'model', 'transparency', 'image input', 'mask', 'seed', 'sizes'],
      rows.map((row) => [
        row.alias,
        row.provider,
        row.model,
        yes(row.transparency),
        yes(row.imageInput),
        yes(row.mask),
        yes(row.seed),
        row.sizes,
      ]),
    ),
  );
  return 0;
}
