import {
  describeJsonError,
  type HttpErrorDescription,
  type HttpResponse,
} from '@layerloom/core/http';

const maxMessageLength = 1500;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * Lines such as `node 3 (KSampler) \`steps\`: Value smaller than min: steps 0 < 1
 * [value_smaller_than_min]` from a `node_errors` object.
 *
 * @param nodeErrors - `node_errors` of a `POST /prompt` answer.
 */
export function describeComfyUINodeErrors(nodeErrors: unknown): string[] {
  if (!isRecord(nodeErrors)) return [];
  const lines: string[] = [];
  for (const [nodeId, entry] of Object.entries(nodeErrors)) {
    if (!isRecord(entry)) continue;
    const classType = text(entry.class_type);
    const node = `node ${nodeId}${classType === undefined ? '' : ` (${classType})`}`;
    const errors = Array.isArray(entry.errors) ? entry.errors.filter(isRecord) : [];
    if (errors.length === 0) lines.push(`${node}: invalid`);
    for (const error of errors) {
      const extra = isRecord(error.extra_info) ? error.extra_info : {};
      const input = text(extra.input_name);
      const message = text(error.message) ?? 'invalid';
      const details = text(error.details);
      const type = text(error.type);
      lines.push(
        `${node}${input === undefined ? '' : ` \`${input}\``}: ${message}${details === undefined || details === message ? '' : `: ${details}`}${type === undefined ? '' : ` [${type}]`}`,
      );
    }
  }
  return lines;
}

/**
 * Reads a ComfyUI error body: `POST /prompt`'s `{ error: { type, message, details },
 * node_errors }` (every node error listed), or plain text from other routes.
 *
 * @param response - the error response.
 */
export function describeComfyUIError(response: HttpResponse): HttpErrorDescription {
  return describeJsonError(response, (parsed) => {
    const error = isRecord(parsed.error) ? parsed.error : undefined;
    const headline =
      error === undefined
        ? (text(parsed.error) ?? text(parsed.message))
        : [text(error.message), text(error.details)]
            .filter((part) => part !== undefined)
            .join(': ');
    const nodes = describeComfyUINodeErrors(parsed.node_errors);
    const message = [headline, ...nodes]
      .filter((part) => part !== undefined && part !== '')
      .join('; ')
      .slice(0, maxMessageLength);
    const providerCode = error === undefined ? undefined : text(error.type);
    return {
      ...(message === '' ? {} : { message }),
      ...(providerCode === undefined ? {} : { providerCode }),
    };
  });
}
