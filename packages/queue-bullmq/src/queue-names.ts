/** The BullMQ queue of a provider alias. */
export const queueNameOf = (alias: string): string => `layers-${alias}`;

/** The Redis channel cancellations are published on. */
export const cancelChannelOf = (prefix: string): string => `${prefix}:layerloom:cancel`;

/** The Redis key marking a job as cancelled (checked when a worker takes the job). */
export const cancelKeyOf = (prefix: string, jobId: string): string =>
  `${prefix}:layerloom:cancelled:${jobId}`;

/** How long a cancellation mark is kept, in milliseconds. */
export const cancelMarkTtlMs = 24 * 60 * 60 * 1000;
