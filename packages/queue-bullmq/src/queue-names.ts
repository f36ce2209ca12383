/** The BullMQ queue of a provider alias (its layer and style jobs). */
export const queueNameOf = (alias: string): string => `layers-${alias}`;

/** The BullMQ queue of compose jobs (compositing on workers). */
export const composeQueueName = 'compose';

/** The Redis channel cancellations are published on (messages are flow ids). */
export const cancelChannelOf = (prefix: string): string => `${prefix}:layerloom:cancel`;

/** The Redis key marking a flow as cancelled (checked when a worker takes one of its jobs). */
export const cancelKeyOf = (prefix: string, flowId: string): string =>
  `${prefix}:layerloom:cancelled:${flowId}`;

/** How long a cancellation mark is kept, in milliseconds. */
export const cancelMarkTtlMs = 24 * 60 * 60 * 1000;

/** Job id of a step's job on its `candidateIndex`-th candidate (`<flowId>.L.<stepId>.<n>` / `<flowId>.S.<n>`). */
export const stepJobIdOf = (
  flowId: string,
  kind: 'layer' | 'style',
  stepId: string,
  candidateIndex: number,
): string =>
  kind === 'style' ? `${flowId}.S.${candidateIndex}` : `${flowId}.L.${stepId}.${candidateIndex}`;

/** Job id of a flow's compose job. */
export const composeJobIdOf = (flowId: string): string => `${flowId}.C`;

/** What a job id of a flow names. */
export type FlowJobRef =
  | {
      readonly flowId: string;
      readonly kind: 'layer' | 'style';
      readonly stepId: string;
      readonly candidateIndex: number;
    }
  | { readonly flowId: string; readonly kind: 'compose' };

/**
 * Reads a flow job id back (see {@link stepJobIdOf}, {@link composeJobIdOf}).
 *
 * @param jobId - a BullMQ job id.
 * @returns what it names, or `undefined` for a job id of another format.
 */
export function parseFlowJobId(jobId: string): FlowJobRef | undefined {
  const match = /^([0-9a-f]{32,64})\.(?:C|S\.(\d+)|L\.([A-Za-z0-9_-]+)\.(\d+))$/.exec(jobId);
  if (match === null) return undefined;
  const flowId = match[1]!;
  if (match[2] !== undefined) {
    return { flowId, kind: 'style', stepId: 'style', candidateIndex: Number(match[2]) };
  }
  if (match[3] !== undefined) {
    return { flowId, kind: 'layer', stepId: match[3], candidateIndex: Number(match[4]) };
  }
  return { flowId, kind: 'compose' };
}

/** Blob key of a step's outcome record (layer ids are hex-encoded: keys are lower-case). */
export const stepOutcomeKeyOf = (
  flowId: string,
  kind: 'layer' | 'style',
  stepId: string,
): string =>
  kind === 'style'
    ? `flows/${flowId}/style.json`
    : `flows/${flowId}/layers/${Buffer.from(stepId).toString('hex')}.json`;

/** Blob key of a flow's composite record. */
export const compositeKeyOf = (flowId: string): string => `flows/${flowId}/composite.json`;
