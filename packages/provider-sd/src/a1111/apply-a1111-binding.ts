import type { ResolvedBinding } from '@layerloom/core';
import type { A1111Payload } from './build-a1111-payload.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `<lora:NAME:WEIGHT>`, the prompt syntax A1111 and Forge read LoRAs from. */
export function loraTag(name: string, weight: number): string {
  return `<lora:${name}:${weight}>`;
}

/**
 * Applies a world-pack binding (`ImageRequest.binding`) to an A1111 payload: the checkpoint
 * into `override_settings.sd_model_checkpoint`, each LoRA as `<lora:NAME:WEIGHT>` after the
 * prompt, and the sampler, scheduler, steps and CFG scale. The binding wins over the
 * provider's defaults, and the request's own `options` win over the binding (a field set
 * there is left as it is).
 *
 * @param payload - from `buildA1111Payload`.
 * @param binding - the request's binding, if any.
 * @param options - the request's raw A1111 options, if any.
 * @returns the payload with the binding applied (the same object when there is none).
 */
export function applyA1111Binding(
  payload: A1111Payload,
  binding: ResolvedBinding | undefined,
  options: Readonly<Record<string, unknown>> | undefined,
): A1111Payload {
  if (binding === undefined) return payload;
  const body = { ...payload.body };
  const own = (key: string) => options !== undefined && Object.hasOwn(options, key);
  if (binding.checkpoint !== undefined) {
    const overrides = isRecord(options?.override_settings) ? options.override_settings : {};
    if (!Object.hasOwn(overrides, 'sd_model_checkpoint')) {
      body.override_settings = {
        ...(isRecord(body.override_settings) ? body.override_settings : {}),
        sd_model_checkpoint: binding.checkpoint,
      };
    }
  }
  const fields: [string, unknown][] = [
    ['sampler_name', binding.sampler],
    ['scheduler', binding.scheduler],
    ['steps', binding.steps],
    ['cfg_scale', binding.cfgScale],
  ];
  for (const [key, value] of fields) if (value !== undefined && !own(key)) body[key] = value;
  if (binding.loras !== undefined && binding.loras.length > 0 && !own('prompt')) {
    const prompt = String(body.prompt ?? '');
    const tags = binding.loras
      .map((lora) => loraTag(lora.name, lora.weight))
      .filter((tag) => !prompt.includes(tag));
    if (tags.length > 0) body.prompt = `${prompt} ${tags.join(' ')}`;
  }
  return { ...payload, body };
}
