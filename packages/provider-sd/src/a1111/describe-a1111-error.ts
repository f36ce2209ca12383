import {
  describeJsonError,
  type HttpErrorDescription,
  type HttpResponse,
} from '@layerloom/core/http';

const maxMessageLength = 1000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `body.steps: Input should be a valid integer` from one FastAPI validation item. */
function describeValidationItem(item: unknown): string | undefined {
  if (!isRecord(item)) return undefined;
  const location = Array.isArray(item.loc)
    ? item.loc.filter((part, index) => !(index === 0 && part === 'body')).join('.')
    : '';
  const message = typeof item.msg === 'string' ? item.msg : 'invalid';
  const type = typeof item.type === 'string' ? ` (${item.type})` : '';
  // `input` (pydantic v2) is left out on purpose: it can be a whole base64 image.
  return `${location === '' ? '' : `\`${location}\`: `}${message}${type}`;
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((value): value is string => typeof value === 'string' && value.trim() !== '');
}

/**
 * Reads an AUTOMATIC1111/Forge error body: FastAPI's 422 `{ detail: [{ loc, msg, type }] }`
 * (pydantic v1 and v2 shapes) and A1111's own `{ error, detail, body, errors }`.
 *
 * @param response - the error response.
 */
export function describeA1111Error(response: HttpResponse): HttpErrorDescription {
  return describeJsonError(response, (parsed) => {
    const { detail, error, errors } = parsed;
    if (Array.isArray(detail)) {
      const items = detail.map(describeValidationItem).filter((line) => line !== undefined);
      const firstType = detail.find(isRecord)?.type;
      const message = items.join('; ').slice(0, maxMessageLength);
      return {
        ...(message === '' ? {} : { message }),
        ...(typeof firstType === 'string' ? { providerCode: firstType } : {}),
      };
    }
    const message = firstString(
      detail,
      errors,
      isRecord(detail) ? JSON.stringify(detail) : undefined,
      error,
    );
    let text = message?.slice(0, maxMessageLength);
    if (response.status === 404 && text === 'Not Found') {
      text = 'Not Found (is the API enabled? Start the web UI with --api, or with --nowebui)';
    }
    return {
      ...(text === undefined ? {} : { message: text }),
      ...(typeof error === 'string' && error !== '' ? { providerCode: error } : {}),
    };
  });
}
