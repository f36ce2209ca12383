import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AbortError } from '../errors/abort-error.js';
import { LayerloomError } from '../errors/layerloom-error.js';
import { expected } from '../schema/format-issues.js';
import { parseWithSchema } from '../schema/parse-with-schema.js';
import type { ImageRequest, ImageResult, Provider } from '../types/provider.js';
import { parseCssColor, type RgbaColor } from '../util/css-color.js';
import { decodePng } from '../util/decode-png.js';
import { encodePng } from '../util/encode-png.js';
import {
  clearRect,
  createPixelCanvas,
  drawText,
  fillEllipse,
  fillRect,
  type PixelCanvas,
  textWidth,
  wrapText,
} from './pixel-canvas.js';

/** Settings of {@link createPreviewProvider}. */
export interface PreviewProviderOptions {
  /** Provider id. @default 'preview' */
  readonly id?: string;
  /** Model id. @default 'preview-v1' */
  readonly modelId?: string;
  /** Simulated time per call, in milliseconds, spread over the progress steps. @default 0 */
  readonly latencyMs?: number;
  /** Progress reports per call. @default 4 */
  readonly progressSteps?: number;
}

const optionsSchema = z.strictObject({
  id: z.string(expected('a non-empty string')).min(1, expected('a non-empty string')).optional(),
  modelId: z
    .string(expected('a non-empty string'))
    .min(1, expected('a non-empty string'))
    .optional(),
  latencyMs: z
    .number(expected('a number of milliseconds from 0 to 60000'))
    .min(0)
    .max(60_000)
    .optional(),
  progressSteps: z.number(expected('an integer from 1 to 100')).int().min(1).max(100).optional(),
});

const white: RgbaColor = { r: 255, g: 255, b: 255, a: 1 };
const plate: RgbaColor = { r: 20, g: 20, b: 24, a: 0.72 };

/** A small deterministic random generator (mulberry32) seeded from a hash. */
function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function paletteFrom(random: () => number): RgbaColor[] {
  const hue = Math.floor(random() * 360);
  return [0, 35, 180, 215].map((offset, index) => {
    const saturation = 50 + Math.floor(random() * 30);
    const lightness = index < 2 ? 30 + Math.floor(random() * 15) : 50 + Math.floor(random() * 15);
    return parseCssColor(`hsl(${(hue + offset) % 360} ${saturation}% ${lightness}%)`)!;
  });
}

/**
 * Where labels go. Each layer's label plate sits in the left-hand label lane, in the slot of its
 * position in the stack (`request.layerIndex`, 0 on top), and every cut-out leaves the lane
 * clear apart from its own plate: no layer's painting hides another layer's label. The style
 * pass labels the bottom-left corner, below the slots.
 */
interface LabelLayout {
  /** Font pixel size in image pixels. */
  readonly scale: number;
  readonly padding: number;
  readonly lineHeight: number;
  /** Widest label line, in half-width columns. */
  readonly maxColumns: number;
  readonly margin: number;
  /** Distance between the tops of two slots. */
  readonly pitch: number;
  /** Slots that fit above the style pass's corner. */
  readonly slots: number;
  /** The lane's right edge: cut-outs paint nothing left of it. */
  readonly laneRight: number;
}

const promptLines = 2;

function labelLayout(width: number, height: number): LabelLayout {
  const side = Math.min(width, height);
  const scale = Math.max(1, Math.round(side / 512));
  const padding = 3 * scale;
  const lineHeight = 17 * scale;
  const maxColumns = Math.max(8, Math.floor((width * 0.4) / (8 * scale)));
  const margin = Math.round(side * 0.03);
  const plateHeight = (1 + promptLines) * lineHeight + 2 * padding - scale;
  const pitch = plateHeight + margin;
  const slots = Math.max(1, Math.floor((height - margin - pitch) / pitch));
  const laneRight = Math.min(width, margin + maxColumns * 8 * scale + 2 * padding + margin);
  return { scale, padding, lineHeight, maxColumns, margin, pitch, slots, laneRight };
}

/** Draws the label plate: `title` and the prompt, wrapped, at a position that fits. */
function drawLabel(
  canvas: PixelCanvas,
  layout: LabelLayout,
  title: string,
  prompt: string,
  left: number,
  top: number,
): void {
  const { scale, padding, lineHeight, maxColumns } = layout;
  const lines = [...wrapText(title, maxColumns, 1), ...wrapText(prompt, maxColumns, promptLines)];
  const width = Math.max(...lines.map((line) => textWidth(line, scale))) + 2 * padding;
  const height = lines.length * lineHeight + 2 * padding - scale;
  const x = Math.max(0, Math.min(left, canvas.width - width));
  const y = Math.max(0, Math.min(top, canvas.height - height));
  fillRect(canvas, x, y, width, height, plate);
  lines.forEach((line, index) => {
    drawText(canvas, line, x + padding, y + padding + index * lineHeight, scale, white);
  });
}

/** Top of the label slot of a layer at `layerIndex` (slot 0 without one). */
function slotTop(layout: LabelLayout, layerIndex: number | undefined): number {
  return layout.margin + ((layerIndex ?? 0) % layout.slots) * layout.pitch;
}

function paint(request: ImageRequest, random: () => number): PixelCanvas {
  const { width, height } = request;
  const canvas = createPixelCanvas(width, height);
  const layout = labelLayout(width, height);
  const palette = paletteFrom(random);
  const cutOut = request.transparent === true;
  if (!cutOut) {
    for (let y = 0; y < height; y++) {
      const t = height === 1 ? 0 : y / (height - 1);
      const [top, bottom] = [palette[0]!, palette[1]!];
      fillRect(canvas, 0, y, width, 1, {
        r: top.r + (bottom.r - top.r) * t,
        g: top.g + (bottom.g - top.g) * t,
        b: top.b + (bottom.b - top.b) * t,
        a: 1,
      });
    }
  }
  const side = Math.min(width, height);
  // A cut-out paints right of the label lane, so that the labels of the layers below show.
  const left = cutOut ? layout.laneRight : 0;
  const span = width - left;
  const shapes = 3 + Math.floor(random() * 3);
  for (let index = 0; index < shapes; index++) {
    const x = left + span * (0.2 + random() * 0.6);
    const y = height * (0.2 + random() * 0.6);
    const radiusX = Math.min(side * (0.1 + random() * 0.14), cutOut ? x - left : width);
    const radiusY = side * (0.1 + random() * 0.14);
    const color = palette[2 + (index % 2)]!;
    if (random() < 0.5) fillEllipse(canvas, x, y, radiusX, radiusY, color);
    else fillRect(canvas, x - radiusX, y - radiusY, 2 * radiusX, 2 * radiusY, color);
  }
  if (cutOut) clearRect(canvas, 0, 0, Math.min(width, layout.laneRight), height);
  const title = request.stepId === undefined ? 'PREVIEW' : `PREVIEW ${request.stepId}`;
  drawLabel(
    canvas,
    layout,
    title,
    labelText(request),
    layout.margin,
    slotTop(layout, request.layerIndex),
  );
  return canvas;
}

/**
 * The label's text: the prompt, led by the world-pack entity or style it paints (its display
 * name, else its id) when the request has a binding.
 */
function labelText(request: ImageRequest): string {
  const subject = request.binding?.subject;
  if (subject === undefined) return request.prompt;
  return `[${subject.name ?? subject.id}] ${request.prompt}`;
}

/** Nearest-neighbour resize, enough for a preview. */
function resize(source: PixelCanvas, width: number, height: number): PixelCanvas {
  if (source.width === width && source.height === height) {
    return { width, height, data: new Uint8ClampedArray(source.data) };
  }
  const target = createPixelCanvas(width, height);
  for (let y = 0; y < height; y++) {
    const sourceY = Math.min(source.height - 1, Math.floor(((y + 0.5) * source.height) / height));
    for (let x = 0; x < width; x++) {
      const sourceX = Math.min(source.width - 1, Math.floor(((x + 0.5) * source.width) / width));
      const from = (sourceY * source.width + sourceX) * 4;
      target.data.set(source.data.subarray(from, from + 4), (y * width + x) * 4);
    }
  }
  return target;
}

/** The visible, deterministic "style" of a preview: posterise, tint, hatch, label. */
function restyle(input: PixelCanvas, request: ImageRequest, random: () => number): PixelCanvas {
  const canvas = resize(input, request.width, request.height);
  const strength = request.strength ?? 0.5;
  const tint = paletteFrom(random)[2]!;
  const levels = 3 + Math.round((1 - strength) * 8);
  const step = 255 / (levels - 1);
  const mix = 0.15 + 0.35 * strength;
  const spacing = Math.max(8, Math.round(Math.min(canvas.width, canvas.height) / 24));
  const data = canvas.data;
  for (let y = 0; y < canvas.height; y++) {
    for (let x = 0; x < canvas.width; x++) {
      const index = (y * canvas.width + x) * 4;
      const hatch = (x + y) % spacing === 0 ? 0.85 : 1;
      for (let channel = 0; channel < 3; channel++) {
        const posterised = Math.round(data[index + channel]! / step) * step;
        const target = channel === 0 ? tint.r : channel === 1 ? tint.g : tint.b;
        data[index + channel] = (posterised * (1 - mix) + target * mix) * hatch;
      }
    }
  }
  // The style pass, or a layer painted over another (a chain: "edit").
  const title =
    request.stepId === 'style' || (request.stepId === undefined && request.strength !== undefined)
      ? 'PREVIEW STYLE'
      : `PREVIEW EDIT${request.stepId === undefined ? '' : ` ${request.stepId}`}`;
  const layout = labelLayout(canvas.width, canvas.height);
  // The style pass labels the bottom-left corner; a chained layer its own slot in the lane.
  const top =
    request.layerIndex === undefined ? canvas.height : slotTop(layout, request.layerIndex);
  drawLabel(canvas, layout, title, labelText(request), layout.margin, top);
  return canvas;
}

async function pause(milliseconds: number, signal: AbortSignal): Promise<void> {
  if (milliseconds <= 0) return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    const onAbort = () => {
      clearTimeout(timer);
      reject(AbortError.fromSignal(signal, 'The preview'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * An offline, deterministic provider for laying out compositions before paying for them. It
 * paints a clearly labelled placeholder for each layer — shapes and a palette derived from a
 * hash of the prompt and seed, the word PREVIEW, the step (layer id or `style`) and the prompt
 * as text, on a transparent
 * background when the layer is a cut-out — and, given an input image (the style pass or a
 * chain), applies a visible deterministic filter to it. Its images never pass for AI output.
 *
 * @param options - ids, simulated latency and progress steps.
 * @returns a {@link Provider} that costs nothing and needs no network.
 * @throws ValidationError for bad options.
 *
 * @example
 * const loom = createLoom({ providers: { A: createPreviewProvider() }, compositor });
 */
export function createPreviewProvider(options: PreviewProviderOptions = {}): Provider {
  const settings = parseWithSchema(optionsSchema, options, 'preview provider options');
  const latencyMs = settings.latencyMs ?? 0;
  const steps = settings.progressSteps ?? 4;
  return {
    id: settings.id ?? 'preview',
    modelId: settings.modelId ?? 'preview-v1',
    capabilities: {
      transparency: true,
      imageInput: true,
      mask: false,
      seed: true,
      maxImagesPerCall: 1,
      sizes: { min: 8, max: 4096 },
    },
    estimateCostUsd: () => 0,
    async generate(request: ImageRequest): Promise<ImageResult> {
      if (request.signal.aborted) throw AbortError.fromSignal(request.signal, 'The preview');
      const hash = (text: string) => createHash('sha256').update(text).digest();
      const size = `${request.width}x${request.height}`;
      // Without a seed, one is derived from the request; the picture depends only on the seed
      // used, so replaying with the reported seed paints the same picture.
      const seed = request.seed ?? hash(`${request.prompt}\u0000${size}`).readUInt32BE(0);
      const digest = hash(`${request.prompt}\u0000${seed}\u0000${size}`);
      const random = randomFrom(digest.readUInt32BE(4));
      const warnings: string[] = [];
      if (request.mask !== undefined) warnings.push('The preview provider ignores `mask`.');
      for (let step = 1; step <= steps; step++) {
        await pause(latencyMs / steps, request.signal);
        request.onProgress?.({ fraction: step / steps });
      }
      let input: PixelCanvas | undefined;
      if (request.image !== undefined) {
        try {
          input = decodePng(request.image.bytes, { maxPixels: 4096 * 4096 });
        } catch (error) {
          if (!(error instanceof LayerloomError)) throw error;
          warnings.push(
            `The preview provider could not read the input image (${error.message}); painted a fresh placeholder.`,
          );
        }
      }
      const canvas = input === undefined ? paint(request, random) : restyle(input, request, random);
      return {
        image: { bytes: encodePng(canvas, { level: 3 }), mediaType: 'image/png' },
        seed,
        costUsd: 0,
        requestId: `preview-${digest.toString('hex').slice(0, 16)}`,
        warnings,
        providerMetadata: { preview: true },
      };
    },
  };
}
