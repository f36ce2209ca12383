import { ValidationError } from '../errors/validation-error.js';
import { compositionSchema } from '../schema/composition-schema.js';
import { parseWithSchema } from '../schema/parse-with-schema.js';
import type { Composition } from '../types/composition.js';
import type { Layer, Matte } from '../types/layer.js';
import type { StyleStep } from '../types/style-step.js';
import { isHexColor } from './attribute-values.js';
import { escapePrompt, formatNumber, quoteString } from './escape-notation-text.js';
import {
  formatHarmonizeNotation,
  formatLightWrapNotation,
  formatShadowNotation,
} from './harmony-notation.js';
import { isName } from './notation-characters.js';
import { findPackReferences } from './pack-reference.js';

type Path = readonly (string | number)[];

function cannotWrite(path: Path, message: string): ValidationError {
  return ValidationError.field(path, message, 'composition');
}

function formatProvider(provider: string | readonly string[], path: Path): string {
  if (typeof provider !== 'string') {
    throw cannotWrite(
      path,
      'Expected one provider alias: a fallback list cannot be written in layer notation',
    );
  }
  return provider;
}

function formatMatte(matte: Matte, path: Path): string {
  if (typeof matte === 'string') return matte;
  if (matte.tolerance !== undefined || matte.softness !== undefined) {
    throw cannotWrite(
      path,
      'Expected a chroma-key matte without `tolerance` or `softness`: layer notation cannot write them',
    );
  }
  if (!isHexColor(matte.chromaKey)) {
    throw cannotWrite(
      [...path, 'chromaKey'],
      `Expected the chroma key to be a colour \`#rrggbb\` or \`#rgb\` to be written in layer notation, got ${JSON.stringify(matte.chromaKey)}`,
    );
  }
  return matte.chromaKey;
}

function formatOptions(
  options: Readonly<Record<string, unknown>> | undefined,
  path: Path,
  attributes: string[],
): void {
  if (options === undefined) return;
  for (const name of Object.keys(options)) {
    const value = options[name];
    const optionPath = [...path, name];
    if (!isName(name) || name === '__proto__') {
      throw cannotWrite(
        optionPath,
        `Expected option names of letters, digits, \`_\` or \`-\` to be written in layer notation, got ${JSON.stringify(name)}`,
      );
    }
    let written: string;
    if (value === undefined) continue;
    if (typeof value === 'string') written = quoteString(value, false, optionPath);
    else if (typeof value === 'number' && Number.isFinite(value)) written = formatNumber(value);
    else if (typeof value === 'boolean' || value === null) written = String(value);
    else {
      throw cannotWrite(
        optionPath,
        'Expected a string, a finite number, a boolean or `null`: layer notation cannot write other option values',
      );
    }
    attributes.push(`opt.${name}: ${written}`);
  }
}

/** `harmonize`, `shadow` and `wrap`, in that order. */
function formatHarmony(layer: Layer, path: Path, attributes: string[]): void {
  if (layer.harmonize !== undefined) {
    const written = formatHarmonizeNotation(layer.harmonize);
    if (written.error !== undefined) throw cannotWrite([...path, 'harmonize', 'to'], written.error);
    attributes.push(`harmonize: ${written.value}`);
  }
  if (layer.shadow !== undefined) {
    const written = formatShadowNotation(layer.shadow);
    if (written.error !== undefined) throw cannotWrite([...path, 'shadow', 'color'], written.error);
    attributes.push(`shadow: ${written.value}`);
  }
  if (layer.lightWrap !== undefined) {
    attributes.push(`wrap: ${formatLightWrapNotation(layer.lightWrap)}`);
  }
}

/** Refuses a negative prompt holding a pack reference: the parser would refuse it. */
function checkNoReference(
  text: string,
  path: Path,
  isAlias: ((name: string) => boolean) | undefined,
) {
  if (isAlias === undefined) return;
  const [reference] = findPackReferences(text, isAlias);
  if (reference !== undefined) {
    throw cannotWrite(
      path,
      `Expected no pack reference outside prompts, got \`${text.slice(reference.start, reference.end)}\``,
    );
  }
}

function formatLayer(
  layer: Layer,
  index: number,
  isAlias: ((name: string) => boolean) | undefined,
): string {
  const path = ['layers', index];
  if (layer.mask !== undefined) {
    throw cannotWrite([...path, 'mask'], 'Expected no `mask`: layer notation cannot write masks');
  }
  const attributes: string[] = [];
  const placement = layer.placement;
  if (placement !== undefined) {
    if (placement.x !== undefined) attributes.push(`x: ${formatNumber(placement.x)}`);
    if (placement.y !== undefined) attributes.push(`y: ${formatNumber(placement.y)}`);
    if (placement.width !== undefined) attributes.push(`w: ${formatNumber(placement.width)}`);
    if (placement.height !== undefined) attributes.push(`h: ${formatNumber(placement.height)}`);
    if (placement.fit !== undefined) attributes.push(`fit: ${placement.fit}`);
    if (placement.anchor !== undefined) attributes.push(`anchor: ${placement.anchor}`);
  }
  if (layer.blend !== undefined) attributes.push(`blend: ${layer.blend}`);
  if (layer.opacity !== undefined) attributes.push(`opacity: ${formatNumber(layer.opacity)}`);
  if (layer.seed !== undefined) attributes.push(`seed: ${layer.seed}`);
  if (layer.negativePrompt !== undefined) {
    checkNoReference(layer.negativePrompt, [...path, 'negativePrompt'], isAlias);
    const negative = quoteString(layer.negativePrompt, true, [...path, 'negativePrompt']);
    attributes.push(`negative: ${negative}`);
  }
  if (layer.size !== undefined) attributes.push(`size: ${layer.size.width}x${layer.size.height}`);
  if (layer.matte !== undefined) {
    attributes.push(`matte: ${formatMatte(layer.matte, [...path, 'matte'])}`);
  }
  if (layer.from !== undefined) attributes.push(`from: ${layer.from}`);
  if (layer.strength !== undefined) attributes.push(`strength: ${formatNumber(layer.strength)}`);
  formatHarmony(layer, path, attributes);
  formatOptions(layer.options, [...path, 'options'], attributes);
  const prompt = escapePrompt(layer.prompt, [...path, 'prompt'], isAlias);
  const provider = formatProvider(layer.provider, [...path, 'provider']);
  const block = attributes.length === 0 ? '' : ` {${attributes.join(', ')}}`;
  return `| ${layer.id}: ${prompt} @${provider}${block}`;
}

function formatStyle(style: StyleStep, isAlias: ((name: string) => boolean) | undefined): string {
  const attributes: string[] = [];
  if (style.strength !== undefined) attributes.push(`strength: ${formatNumber(style.strength)}`);
  if (style.seed !== undefined) attributes.push(`seed: ${style.seed}`);
  if (style.negativePrompt !== undefined) {
    checkNoReference(style.negativePrompt, ['style', 'negativePrompt'], isAlias);
    const negative = quoteString(style.negativePrompt, true, ['style', 'negativePrompt']);
    attributes.push(`negative: ${negative}`);
  }
  formatOptions(style.options, ['style', 'options'], attributes);
  const prompt = escapePrompt(style.prompt, ['style', 'prompt'], isAlias);
  const provider = formatProvider(style.provider, ['style', 'provider']);
  const block = attributes.length === 0 ? '' : ` {${attributes.join(', ')}}`;
  return `— style: ${prompt} @${provider}${block}`;
}

function formatBackground(background: string): string {
  const writable =
    background.trim() === background &&
    !/[\r\n]/.test(background) &&
    background.indexOf('#', 1) < 0;
  if (!writable) {
    throw cannotWrite(
      ['background'],
      `Expected a background colour without surrounding white space, line breaks or a \`#\` after the first character, got ${JSON.stringify(background)}`,
    );
  }
  return background;
}

/**
 * Writes a composition as canonical layer notation: the directives (`size` always, then
 * `background`, `seed` and `format` when set, then one `use` line per pack), a blank line, one `| NAME: PROMPT @ALIAS {…}`
 * line per layer (top first, every attribute in a fixed order, pixels rather than `%`) and the
 * style line. Prompts are escaped so that `parseLayerNotation` reads back an equal composition
 * (empty `placement` and `options` objects are left out).
 *
 * @param composition - the composition to write.
 * @returns the notation, ending with a line break.
 * @throws ValidationError when the composition is invalid or holds something the notation
 * cannot express (a mask, a provider fallback list, a stack-wide `harmonize`, a chroma key with
 * tolerance or softness or
 * not written `#rrggbb`, an option value that is not a string, number, boolean or `null`, a
 * line break in a prompt); the error names the field.
 *
 * @example
 * ```ts
 * formatLayerNotation({
 *   width: 1024, height: 1024,
 *   layers: [{ id: 'hero', prompt: 'a knight', provider: 'A', opacity: 0.9 }],
 * });
 * // 'size 1024x1024\n\n| hero: a knight @A {opacity: 0.9}\n'
 * ```
 */
export function formatLayerNotation(composition: Composition): string {
  parseWithSchema(compositionSchema, composition, 'composition');
  if (composition.harmonize !== undefined) {
    throw cannotWrite(
      ['harmonize'],
      'Expected no stack-wide `harmonize`: layer notation writes harmony per layer (the `harmonize` attribute)',
    );
  }
  const lines = [`size ${composition.width}x${composition.height}`];
  if (composition.background !== undefined) {
    lines.push(`background ${formatBackground(composition.background)}`);
  }
  if (composition.seed !== undefined) lines.push(`seed ${composition.seed}`);
  const output = composition.output;
  if (output !== undefined) {
    const attributes = [
      ...(output.quality === undefined ? [] : [`quality: ${output.quality}`]),
      ...(output.compressionLevel === undefined ? [] : [`compression: ${output.compressionLevel}`]),
      ...(output.lossless === undefined ? [] : [`lossless: ${output.lossless}`]),
    ];
    lines.push(
      attributes.length === 0
        ? `format ${output.format}`
        : `format ${output.format} {${attributes.join(', ')}}`,
    );
  }
  const aliases = new Set(composition.packs?.map((use) => use.alias));
  const isAlias = aliases.size === 0 ? undefined : (name: string) => aliases.has(name);
  composition.packs?.forEach((use, index) => {
    if (use.version !== undefined || use.contentHash !== undefined) {
      throw cannotWrite(
        ['packs', index],
        'Expected a pack use without `version` or `contentHash`: layer notation cannot write a replay lock',
      );
    }
    lines.push(`use ${use.source} as ${use.alias}`);
  });
  lines.push('');
  composition.layers.forEach((layer, index) => {
    lines.push(formatLayer(layer, index, isAlias));
  });
  if (composition.style !== undefined) lines.push(formatStyle(composition.style, isAlias));
  return `${lines.join('\n')}\n`;
}
