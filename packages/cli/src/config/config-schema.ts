import { expected, nameSchema } from '@layerloom/core';
import { z } from 'zod';
import { hostedServiceTypes } from './hosted-services.js';

const positiveInteger = z
  .number(expected('a positive integer'))
  .int(expected('a positive integer'))
  .min(1, expected('a positive integer'));
const anyScheme = /^[a-z][a-z0-9+.-]*:/i;

/**
 * Whether a URL carries a user name or password. A string that does not parse is suspect when
 * it has an `@` before its path, query or fragment, so its value is never echoed either.
 */
function hasUserInfo(value: string): boolean {
  if (URL.canParse(value)) {
    const parsed = new URL(value);
    return parsed.username !== '' || parsed.password !== '';
  }
  const authority = value.replace(anyScheme, '').replace(/^\/+/, '').split(/[/?#]/, 1)[0] ?? '';
  return authority.includes('@');
}

/**
 * A base URL without credentials. A URL with `user:password@` is refused with a message that
 * names the environment-variable option to use instead and never shows the value (the zod
 * issue is `custom`, so the formatter does not echo what it received).
 *
 * @param authOption - the field that takes the credentials from the environment, e.g. `authEnv`.
 * @param holds - what that variable holds, e.g. `"user:password"`.
 */
const url = (authOption: string, holds: string) =>
  z
    .string(expected('an http(s) URL'))
    .refine((value) => !hasUserInfo(value), {
      error: `credentials do not belong in the config file: remove the user name and password from the URL and set \`${authOption}\` beside it to the name of an environment variable holding ${holds} (the value is not shown)`,
      abort: true,
    })
    .pipe(z.url(expected('an http(s) URL')));
const environmentVariable = z
  .string(expected('an environment variable name'))
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, expected('an environment variable name'));
const options = z.record(z.string(), z.unknown(), expected('an object of options'));

/** Whether a config entry is a ready-made `Provider` object rather than a description. */
export const isProviderObject = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { generate?: unknown }).generate === 'function' &&
  typeof (value as { capabilities?: unknown }).capabilities === 'object';

/** Schema of a provider described as data (`{ type: 'openai', … }`). */
export const providerDescriptionSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('preview'),
      latencyMs: z.number().min(0).max(60_000).optional(),
    }),
    z.strictObject({
      type: z.literal('openai'),
      model: z.string(expected('a model id such as "gpt-image-1"')).min(1),
      baseURL: url('apiKeyEnv', 'the API key').optional(),
      organization: z.string().optional(),
      project: z.string().optional(),
      apiKeyEnv: environmentVariable.optional(),
      options: options.optional(),
    }),
    ...hostedServiceTypes.map((type) =>
      z.strictObject({
        type: z.literal(type),
        model: z.string(expected('a model id')).min(1, expected('a model id')),
        baseURL: url('apiKeyEnv', 'the API key').optional(),
        apiKeyEnv: environmentVariable.optional(),
        options: options.optional(),
      }),
    ),
    z.strictObject({
      type: z.literal('a1111'),
      baseURL: url('authEnv', '"user:password"'),
      checkpoint: z.string().optional(),
      authEnv: environmentVariable.optional(),
      defaults: options.optional(),
      options: options.optional(),
    }),
    z.strictObject({
      type: z.literal('comfyui'),
      baseURL: url('authEnv', '"user:password"'),
      authEnv: environmentVariable.optional(),
      workflow: options.optional(),
      nodes: options.optional(),
      checkpoint: z.string().optional(),
      defaults: options.optional(),
      options: options.optional(),
    }),
  ],
  expected(
    `a provider: \`{ type: "preview" | "openai" | ${hostedServiceTypes.map((type) => `"${type}"`).join(' | ')} | "a1111" | "comfyui", … }\` or a Provider object (with \`generate\` and \`capabilities\`)`,
  ),
);

/** Schema of `layerloom.config.*`. */
export const configSchema = z.strictObject(
  {
    providers: z.record(nameSchema, providerDescriptionSchema).optional(),
    limits: z
      .record(
        nameSchema,
        z.strictObject({
          concurrency: positiveInteger.optional(),
          requestsPerMinute: positiveInteger.optional(),
          timeoutMs: positiveInteger.optional(),
          maxRetries: z.number().int().min(0).max(10).optional(),
        }),
      )
      .optional(),
    cache: z
      .union([z.string().min(1), z.literal(false)], expected('a directory or `false`'))
      .optional(),
    onLayerError: z.enum(['fail', 'skip']).optional(),
  },
  expected('a configuration object'),
);
