import { expected, integerRangeSchema, numberRangeSchema } from '@layerloom/core';
import { z } from 'zod';
import { nonEmptyStringSchema, sideSchema } from './settings-schemas.js';

/**
 * The zod shape of the defaults both Stable Diffusion adapters take for every call — negative
 * prompt, steps, CFG scale, sampler, scheduler, strength and the accepted side range — to
 * spread into each adapter's defaults schema next to its own fields.
 *
 * @param maxSteps - the most sampling steps the server allows.
 */
export const samplingDefaultsShape = (maxSteps: number) => ({
  negativePrompt: z.string(expected('a string')).optional(),
  steps: integerRangeSchema(1, maxSteps).optional(),
  cfgScale: numberRangeSchema(0, 100).optional(),
  sampler: nonEmptyStringSchema.optional(),
  scheduler: nonEmptyStringSchema.optional(),
  strength: numberRangeSchema(0, 1).optional(),
  minSize: sideSchema(8).optional(),
  maxSize: sideSchema(8).optional(),
});
