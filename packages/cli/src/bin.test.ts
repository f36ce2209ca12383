import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeA1111, startFakeA1111 } from '../test/fake-a1111.js';
import { runBin, startBin } from '../test/run-bin.js';
import { useTemporaryDirectory } from '../test/temporary-directory.js';

const scene = `size 96x64
seed 3
｜hero: a knight in silver armour @A {w: 50%, h: 100%, x: 25%}
｜scene: misty forest at dawn @B
—style: watercolour @Z {strength: 0.4}
`;
const pngSignature = [137, 80, 78, 71, 13, 10, 26, 10];
const escapeCharacter = String.fromCharCode(27);
const repositoryRoot = join(import.meta.dirname, '..', '..', '..');
let directory: string;
const servers: FakeA1111[] = [];

useTemporaryDirectory('layerloom-cli-', (path) => {
  directory = path;
  writeFileSync(join(path, 'scene.loom'), scene);
});
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function fakeA1111(options: Parameters<typeof startFakeA1111>[0] = {}) {
  const server = await startFakeA1111(options);
  servers.push(server);
  return server;
}

const writeConfig = (config: unknown) =>
  writeFileSync(join(directory, 'layerloom.config.json'), JSON.stringify(config));

/** Every file under `root`, relative, sorted (empty when it does not exist). */
const filesUnder = (root: string): string[] =>
  existsSync(root)
    ? readdirSync(root, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1))
        .sort()
    : [];

const isPng = (path: string) =>
  pngSignature.every((value, index) => readFileSync(path)[index] === value);

// Each test starts the CLI a few times through tsx; two shared cores make that slow.
describe('layerloom (as a subprocess, no TTY)', { timeout: 60_000 }, () => {
  it('renders offline with the preview provider and prints readable progress and a summary', async () => {
    const { code, stdout, stderr } = await runBin(
      ['render', 'scene.loom', '-o', 'out/scene.png', '--layers-dir', 'out/layers', '--manifest'],
      directory,
    );
    expect(code, stderr).toBe(0);
    expect(stderr).toContain(
      'No layerloom.config found: every alias (A, B, Z) is painted by the offline preview provider.',
    );
    // Not a TTY: progress is plain timestamped lines, one per change.
    expect(stderr).toMatch(/^\[\s*\d+\.\ds\] hero @A preview\/preview-v1: queued \(0 ahead\)$/m);
    expect(stderr).toMatch(/^\[\s*\d+\.\ds\] hero: done in \d+\.\ds · \$0\.000$/m);
    expect(stderr).toMatch(/^\[\s*\d+\.\ds\] composite: done in \d+\.\ds$/m);
    expect(isPng(join(directory, 'out/scene.png'))).toBe(true);
    expect(readdirSync(join(directory, 'out/layers')).sort()).toEqual([
      'hero.png',
      'scene.png',
      'style.png',
    ]);
    const manifest = JSON.parse(
      readFileSync(join(directory, 'out/scene.png.manifest.json'), 'utf8'),
    );
    expect(manifest.steps.map((step: { id: string }) => step.id).sort()).toEqual([
      'hero',
      'scene',
      'style',
    ]);
    expect(stdout).toMatch(/hero\s+A\s+preview\/preview-v1\s+no\s+1/);
    expect(stdout).toMatch(/total\s+\d+\.\ds\s+\$0\.000/);
    expect(`${stdout}${stderr}`).not.toContain(escapeCharacter);
  });

  it('serves a second render from the file cache, and --no-cache bypasses it', async () => {
    expect((await runBin(['render', 'scene.loom', '--json'], directory)).code).toBe(0);
    const cached = JSON.parse((await runBin(['render', 'scene.loom', '--json'], directory)).stdout);
    expect(cached.layers.map((layer: { cached: boolean }) => layer.cached)).toEqual([true, true]);
    expect(existsSync(join(directory, '.layerloom/cache'))).toBe(true);
    const fresh = JSON.parse(
      (await runBin(['render', 'scene.loom', '--json', '--no-cache'], directory)).stdout,
    );
    expect(fresh.layers.map((layer: { cached: boolean }) => layer.cached)).toEqual([false, false]);
  });

  it('prints the plan and cost estimate with --dry-run and writes nothing', async () => {
    const { code, stdout } = await runBin(
      ['render', 'scene.loom', '--dry-run', '--seed', '9'],
      directory,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/hero\s+A\s+preview\/preview-v1\s+48x64\s+yes/);
    expect(stdout).toContain('Estimated cost: $0.000. Nothing was called.');
    expect(existsSync(join(directory, 'out'))).toBe(false);
    const json = JSON.parse(
      (await runBin(['render', 'scene.loom', '--dry-run', '--json'], directory)).stdout,
    );
    expect(json.plan.steps.map((step: { id: string }) => step.id)).toEqual([
      'scene',
      'hero',
      'style',
    ]);
  });

  it('reports notation errors with file, line, column and a caret', async () => {
    writeFileSync(join(directory, 'bad.loom'), '｜hero: a knight @A {opacity: 3}\n');
    const { code, stderr } = await runBin(['check', 'bad.loom'], directory);
    expect(code).toBe(1);
    expect(stderr).toContain('bad.loom:1:30: Expected `opacity` to be a number from 0 to 1');
    expect(stderr).toContain('1 | ｜hero: a knight @A {opacity: 3}');
    expect(stderr).toMatch(/\n\s+\|\s+\^/);
    const ok = await runBin(['check', 'scene.loom'], directory);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('ok scene.loom: 96x64, 2 layer(s) (hero, scene), style @Z');
  });

  it('names the missing environment variable of a configured provider, and refuses keys in the config', async () => {
    writeFileSync(
      join(directory, 'layerloom.config.json'),
      JSON.stringify({
        providers: {
          A: { type: 'openai', model: 'gpt-image-1' },
          B: { type: 'preview' },
          Z: { type: 'preview' },
        },
      }),
    );
    const missing = await runBin(['render', 'scene.loom'], directory);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('OPENAI_API_KEY');
    writeFileSync(
      join(directory, 'layerloom.config.json'),
      JSON.stringify({
        providers: { A: { type: 'openai', model: 'gpt-image-1', apiKey: 'sk-do-not-store' } },
      }),
    );
    const secret = await runBin(['providers'], directory);
    expect(secret.code).toBe(1);
    expect(secret.stderr).toContain('secrets do not belong in');
    expect(secret.stderr).not.toContain('sk-do-not-store');
  });

  it('refuses credentials written into a base URL, naming the field and the env option, never the secret', async () => {
    writeConfig({
      providers: {
        A: { type: 'a1111', baseURL: 'http://bob:hunter2@127.0.0.1:9' },
        B: { type: 'preview' },
        Z: { type: 'preview' },
      },
    });
    for (const args of [['providers'], ['render', 'scene.loom', '--json']]) {
      const refused = await runBin(args, directory);
      expect(refused.code, args.join(' ')).toBe(1);
      expect(refused.stderr).toContain('`providers.A.baseURL`: credentials do not belong in');
      expect(refused.stderr).toContain('`authEnv`');
      expect(`${refused.stdout}${refused.stderr}`).not.toContain('hunter2');
    }
    expect(existsSync(join(directory, 'out'))).toBe(false);

    writeConfig({
      providers: {
        A: { type: 'openai', model: 'gpt-image-1', baseURL: 'https://:sk-live@api.example' },
      },
    });
    const openai = await runBin(['providers'], directory, { OPENAI_API_KEY: 'sk-from-env' });
    expect(openai.code).toBe(1);
    expect(openai.stderr).toContain('`providers.A.baseURL`: credentials do not belong in');
    expect(openai.stderr).toContain('`apiKeyEnv`');
    expect(`${openai.stdout}${openai.stderr}`).not.toContain('sk-live');
  });

  it('uses a JS config that builds its own Provider object, and lists it', async () => {
    writeFileSync(
      join(directory, 'layerloom.config.mjs'),
      `import { createPreviewProvider } from '@layerloom/core';
export default {
  providers: { A: { ...createPreviewProvider({ modelId: 'custom-model' }), id: 'custom' }, B: { type: 'preview' }, Z: { type: 'preview' } },
  limits: { A: { concurrency: 1 } },
  cache: false,
};
`,
    );
    const listed = await runBin(['providers', '--json'], directory);
    expect(listed.code, listed.stderr).toBe(0);
    expect(
      JSON.parse(listed.stdout).providers.map(
        (row: { alias: string; model: string }) => `${row.alias}:${row.model}`,
      ),
    ).toEqual(['A:custom-model', 'B:preview-v1', 'Z:preview-v1']);
    const rendered = await runBin(['render', 'scene.loom', '--json'], directory);
    expect(rendered.code, rendered.stderr).toBe(0);
    expect(JSON.parse(rendered.stdout).layers[0]).toMatchObject({
      id: 'hero',
      providerId: 'custom',
      modelId: 'custom-model',
    });
    expect(existsSync(join(directory, '.layerloom'))).toBe(false);
  });

  it('cancels cleanly on Ctrl-C: exit 130, no image, layer, manifest or temporary file left', async () => {
    writeConfig({
      providers: {
        A: { type: 'preview', latencyMs: 20_000 },
        B: { type: 'preview', latencyMs: 20_000 },
        Z: { type: 'preview' },
      },
    });
    const process = startBin(
      [
        'render',
        'scene.loom',
        '-o',
        'out/scene.png',
        '--layers-dir',
        'out/layers',
        '--manifest',
        'out/scene.manifest.json',
      ],
      directory,
    );
    await expect
      .poll(() => process.output().stdout + process.output().stderr, { timeout: 15_000 })
      .toContain('queued');
    await new Promise((resolve) => setTimeout(resolve, 500));
    process.child.kill('SIGINT');
    const { code, stderr } = await process.done;
    expect(code).toBe(130);
    expect(stderr).toContain('Render cancelled; nothing was written.');
    expect(filesUnder(join(directory, 'out'))).toEqual([]);
    expect(existsSync(join(directory, 'out/layers'))).toBe(false);
  });

  it('on Ctrl-C during an A1111 call, posts /sdapi/v1/interrupt to the server and writes nothing', async () => {
    const server = await fakeA1111({ generationMs: 60_000 });
    writeConfig({
      providers: {
        A: { type: 'a1111', baseURL: server.url },
        B: { type: 'preview' },
        Z: { type: 'preview' },
      },
      cache: false,
    });
    const process = startBin(
      ['render', 'scene.loom', '-o', 'out/scene.png', '--layers-dir', 'out/layers', '--manifest'],
      directory,
    );
    await expect
      .poll(() => server.calls(), { timeout: 15_000 })
      .toContain('POST /sdapi/v1/txt2img');
    expect(server.interrupted()).toBe(false);
    process.child.kill('SIGINT');
    const { code, stderr } = await process.done;
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('Render cancelled; nothing was written.');
    expect(server.interrupted()).toBe(true);
    expect(server.calls()).toContain('POST /sdapi/v1/interrupt');
    expect(server.calls().indexOf('POST /sdapi/v1/interrupt')).toBeGreaterThan(
      server.calls().indexOf('POST /sdapi/v1/txt2img'),
    );
    expect(filesUnder(join(directory, 'out'))).toEqual([]);
  });

  it('fills $name in prompts from --var, and says which variable is missing without it', async () => {
    writeFileSync(join(directory, 'vars.loom'), 'size 64x64\n｜hero: a $subject in armour @A\n');
    const missing = await runBin(['render', 'vars.loom'], directory);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Undefined variable `$subject`');
    expect(existsSync(join(directory, 'out'))).toBe(false);
    const rendered = await runBin(
      ['render', 'vars.loom', '--json', '--var', 'subject=dragon', '--var', 'unused=x'],
      directory,
    );
    expect(rendered.code, rendered.stderr).toBe(0);
    const { manifest, files } = JSON.parse(rendered.stdout);
    expect(manifest.composition.layers[0].prompt).toBe('a dragon in armour');
    expect(files).toEqual([join(directory, 'out', 'vars.png')]);
  });

  it('limits the calls in flight per provider with --concurrency', async () => {
    const server = await fakeA1111({ generationMs: 400 });
    writeConfig({ providers: { A: { type: 'a1111', baseURL: server.url } }, cache: false });
    writeFileSync(
      join(directory, 'three.loom'),
      'size 64x64\n｜a: one @A\n｜b: two @A\n｜c: three @A\n',
    );
    const one = await runBin(['render', 'three.loom', '--concurrency', '1'], directory);
    expect(one.code, one.stderr).toBe(0);
    expect(server.generations()).toHaveLength(3);
    expect(server.maxInFlight()).toBe(1);

    const two = await runBin(['render', 'three.loom', '--concurrency', '2'], directory);
    expect(two.code, two.stderr).toBe(0);
    expect(server.generations()).toHaveLength(6);
    expect(server.maxInFlight()).toBe(2);

    const bad = await runBin(['render', 'three.loom', '--concurrency', '0'], directory);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Expected --concurrency to be an integer >= 1, got "0"');
  });

  it('overrides the output format, quality and PNG compression with --format, --quality and --compression', async () => {
    // No style pass: its provider's image would be the result, in the provider's format.
    writeFileSync(
      join(directory, 'scene.loom'),
      'size 96x64\n｜hero: a knight @A {w: 50%}\n｜scene: a forest @B\n',
    );
    const webp = await runBin(
      ['render', 'scene.loom', '--format', 'webp', '--quality', '70'],
      directory,
    );
    expect(webp.code, webp.stderr).toBe(0);
    const webpBytes = readFileSync(join(directory, 'out', 'scene.webp'));
    expect(webpBytes.subarray(8, 12).toString('latin1')).toBe('WEBP');
    const avif = await runBin(['render', 'scene.loom', '--format', 'avif'], directory);
    expect(avif.code, avif.stderr).toBe(0);
    expect(
      readFileSync(join(directory, 'out', 'scene.avif'))
        .subarray(4, 12)
        .toString('latin1'),
    ).toBe('ftypavif');
    const small = await runBin(
      ['render', 'scene.loom', '-o', 'small.png', '--compression', '9'],
      directory,
    );
    expect(small.code, small.stderr).toBe(0);
    expect(readFileSync(join(directory, 'small.png')).subarray(1, 4).toString('latin1')).toBe(
      'PNG',
    );
    const bad = await runBin(['render', 'scene.loom', '--compression', '10'], directory);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Expected --compression to be an integer from 0 to 9, got "10"');
    const gif = await runBin(['render', 'scene.loom', '--format', 'gif'], directory);
    expect(gif.code).toBe(2);
  });

  it('loads a TypeScript config with jiti', async () => {
    writeFileSync(
      join(directory, 'layerloom.config.ts'),
      `import type { LayerloomConfig } from '@layerloom/cli';

const preview = { type: 'preview' } as const;
const aliases: readonly string[] = ['A', 'B', 'Z'];

export default {
  providers: Object.fromEntries(aliases.map((alias) => [alias, preview])),
  cache: 'ts-cache',
} satisfies LayerloomConfig;
`,
    );
    const listed = await runBin(['providers', '--json'], directory);
    expect(listed.code, listed.stderr).toBe(0);
    const json = JSON.parse(listed.stdout);
    expect(json.config).toBe(join(directory, 'layerloom.config.ts'));
    expect(json.previewOnly).toBe(false);
    expect(json.providers.map((row: { alias: string }) => row.alias)).toEqual(['A', 'B', 'Z']);
    const rendered = await runBin(['render', 'scene.loom'], directory);
    expect(rendered.code, rendered.stderr).toBe(0);
    expect(rendered.stderr).not.toContain('No layerloom.config found');
    expect(readdirSync(join(directory, 'ts-cache')).length).toBeGreaterThan(0);
  });

  it('finds the config in a parent directory and resolves its cache against that directory', async () => {
    writeConfig({
      providers: { A: { type: 'preview' }, B: { type: 'preview' }, Z: { type: 'preview' } },
      cache: 'shared-cache',
    });
    const nested = join(directory, 'projects', 'poster');
    mkdirSync(nested, { recursive: true });
    writeFileSync(join(nested, 'scene.loom'), scene);
    const listed = await runBin(['providers', '--json'], nested);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout).config).toBe(join(directory, 'layerloom.config.json'));
    const rendered = await runBin(['render', 'scene.loom', '--json'], nested);
    expect(rendered.code, rendered.stderr).toBe(0);
    expect(JSON.parse(rendered.stdout).output).toBe(join(nested, 'out', 'scene.png'));
    expect(isPng(join(nested, 'out', 'scene.png'))).toBe(true);
    expect(readdirSync(join(directory, 'shared-cache')).length).toBeGreaterThan(0);
    expect(existsSync(join(nested, 'shared-cache'))).toBe(false);
  });

  it('renders an a1111 alias against an A1111 server, sending the request the config describes', async () => {
    const server = await fakeA1111({ auth: 'artist:s3cret-Pass' });
    writeConfig({
      providers: {
        A: {
          type: 'a1111',
          baseURL: server.url,
          checkpoint: 'sd_xl_base_1.0.safetensors',
          authEnv: 'FORGE_AUTH',
          defaults: { sampler: 'DPM++ 2M', steps: 12, cfgScale: 5 },
        },
        B: { type: 'preview' },
        Z: { type: 'preview' },
      },
      cache: false,
    });
    const missing = await runBin(['render', 'scene.loom'], directory);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('FORGE_AUTH');
    expect(server.calls()).toEqual([]);

    const rendered = await runBin(['render', 'scene.loom', '--json', '--seed', '77'], directory, {
      FORGE_AUTH: 'artist:s3cret-Pass',
    });
    expect(rendered.code, rendered.stderr).toBe(0);
    expect(`${rendered.stdout}${rendered.stderr}`).not.toContain('s3cret-Pass');
    expect(server.calls()).toEqual(['POST /sdapi/v1/txt2img']);
    const [request] = server.requests();
    expect(request!.headers.authorization).toBe(
      `Basic ${Buffer.from('artist:s3cret-Pass').toString('base64')}`,
    );
    expect(server.generations()[0]).toMatchObject({
      prompt: expect.stringContaining('a knight in silver armour'),
      sampler_name: 'DPM++ 2M',
      steps: 12,
      cfg_scale: 5,
      override_settings: { sd_model_checkpoint: 'sd_xl_base_1.0.safetensors' },
    });
    const summary = JSON.parse(rendered.stdout);
    expect(summary.layers[0]).toMatchObject({ id: 'hero', provider: 'A', providerId: 'a1111' });
    // The seed the server was sent is the one the manifest records (derived from --seed).
    expect(server.generations()[0]!.seed).toBe(summary.layers[0].seed);
    expect(summary.manifest.composition.seed).toBe(77);
    expect(isPng(join(directory, 'out/scene.png'))).toBe(true);
  });

  it("renders the repository's examples/seed.loom (what npm run demo renders)", async () => {
    const { code, stdout, stderr } = await runBin(
      ['render', join(repositoryRoot, 'examples', 'seed.loom'), '-o', 'seed.png', '--json'],
      directory,
    );
    expect(code, stderr).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.files).toEqual([join(directory, 'seed.png')]);
    expect(
      summary.layers.map(
        (layer: { id: string; provider: string }) => `${layer.id}@${layer.provider}`,
      ),
    ).toEqual(['layer1@A', 'layer2@B', 'layerx@X']);
    expect(summary.style).toMatchObject({ provider: 'Z', providerId: 'preview' });
    expect(isPng(join(directory, 'seed.png'))).toBe(true);
    expect(readFileSync(join(directory, 'seed.png')).readUInt32BE(16)).toBe(summary.width);
    expect(existsSync(join(repositoryRoot, 'examples', 'out'))).toBe(false);
  });

  it('writes a starter config and scene with init, and refuses to overwrite them', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'layerloom-init-'));
    try {
      expect((await runBin(['init'], empty)).code).toBe(0);
      expect(readdirSync(empty).sort()).toEqual(['layerloom.config.mjs', 'scene.loom']);
      const again = await runBin(['init'], empty);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('--force');
      const check = await runBin(['check', 'scene.loom'], empty);
      expect(check.code, check.stderr).toBe(0);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('answers usage errors with help and exit code 2', async () => {
    const { code, stderr } = await runBin(['render'], directory);
    expect(code).toBe(2);
    expect(stderr).toContain("missing required argument 'file'");
  });
});
