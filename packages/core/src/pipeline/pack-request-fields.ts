import type { EncodedImage } from '../types/encoded-image.js';
import type { Provider } from '../types/provider.js';
import type { ResolvedBinding } from '../types/world-pack-usage.js';
import type { StepPacks } from './expand-world-packs.js';

/** The request fields a step gets from its world packs for one provider. */
export interface PackRequestFields {
  readonly binding?: ResolvedBinding;
  readonly referenceImages?: readonly EncodedImage[];
}

/**
 * The binding (the subject's settings for this provider's id, plus the packs used) and the
 * reference images a step sends to one provider. Reference images are the binding's own
 * (`referenceImages` of an OpenAI or generic binding) or else the entity's; they are cut to
 * `capabilities.maxReferenceImages`, and dropped with a warning for a provider that takes none.
 *
 * @param packs - what the step took from packs, or `undefined`.
 * @param provider - the candidate provider.
 * @param who - how warnings name the provider.
 * @param warnings - receives the warnings.
 */
export function packRequestFields(
  packs: StepPacks | undefined,
  provider: Provider,
  who: string,
  warnings: string[],
): PackRequestFields {
  const subject = packs?.subject;
  if (packs === undefined || subject === undefined) return {};
  const used = packs.packs.map((pack) => ({
    name: pack.name,
    version: pack.version,
    contentHash: pack.contentHash,
  }));
  const settings = subject.bindings?.[provider.id] as Record<string, unknown> | undefined;
  const binding: Record<string, unknown> = {
    packs: used,
    subject: {
      pack: subject.pack.name,
      kind: subject.kind,
      id: subject.id,
      ...(subject.name === undefined ? {} : { name: subject.name }),
    },
  };
  let images: readonly EncodedImage[] = subject.referenceImages;
  if (settings !== undefined) {
    binding.providerId = provider.id;
    for (const [key, value] of Object.entries(settings)) {
      if (key === 'referenceImages') continue;
      if (key === 'workflow') {
        binding.workflow = subject.pack.workflows.get(value as string);
      } else if (key === 'loras') {
        binding.loras = (value as { name: string; weight?: number }[]).map((lora) => ({
          name: lora.name,
          weight: lora.weight ?? 1,
        }));
      } else binding[key] = value;
    }
    const own = settings.referenceImages as readonly string[] | undefined;
    if (own !== undefined) images = own.map((path) => subject.pack.images.get(path)!);
  }
  const fields: { binding: ResolvedBinding; referenceImages?: readonly EncodedImage[] } = {
    binding: binding as unknown as ResolvedBinding,
  };
  if (images.length > 0) {
    const most = provider.capabilities.maxReferenceImages ?? 0;
    const label = `${subject.kind} "${subject.id}" of ${subject.pack.name}`;
    if (most <= 0) {
      const count =
        images.length === 1
          ? 'its reference image is'
          : `its ${images.length} reference images are`;
      warnings.push(`${who} takes no reference images; ${count} not sent (${label})`);
    } else {
      if (images.length > most) {
        warnings.push(
          `${who} takes at most ${most} reference images; ${images.length - most} more are not sent (${label})`,
        );
      }
      fields.referenceImages = images
        .slice(0, most)
        .map((image) => ({ bytes: image.bytes, mediaType: image.mediaType }));
    }
  }
  return fields;
}
