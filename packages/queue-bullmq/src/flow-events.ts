import { QueueEvents } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import type { StepJobProgress } from './flow-job.js';
import { type FlowJobRef, parseFlowJobId } from './queue-names.js';

/** What a render listens to: the events of its flow's jobs, on every queue. */
export interface FlowListener {
  /** A job reported progress (`start`, `progress`, `retry`). */
  onProgress(ref: FlowJobRef, progress: StepJobProgress): void;
  /** A job completed. */
  onCompleted(ref: FlowJobRef, jobId: string, returnvalue: unknown): void;
  /** A job failed for good. */
  onFailed(ref: FlowJobRef, jobId: string, failedReason: string): void;
}

/** The QueueEvents streams of a submitting process, dispatched to renders by flow id. */
export interface FlowEvents {
  /**
   * Opens (once) the event streams of these queues and waits until they listen.
   *
   * @param queueNames - BullMQ queue names.
   */
  ready(queueNames: Iterable<string>): Promise<void>;
  /**
   * Routes the events of a flow's jobs to a listener.
   *
   * @param flowId - the flow.
   * @param listener - its handlers.
   * @returns a function that stops the routing.
   */
  listen(flowId: string, listener: FlowListener): () => void;
  /** Closes every stream. */
  close(): Promise<void>;
}

/**
 * Creates the event hub of a submitter: one `QueueEvents` per queue, shared by every render in
 * the process; each event goes to the render whose flow id starts its job id.
 *
 * @param connection - ioredis options.
 * @param prefix - BullMQ key prefix.
 * @returns the hub.
 */
export function createFlowEvents(connection: RedisOptions, prefix: string): FlowEvents {
  const streams = new Map<string, Promise<QueueEvents>>();
  const listeners = new Map<string, FlowListener>();
  const route = (jobId: string, visit: (listener: FlowListener, ref: FlowJobRef) => void) => {
    const ref = parseFlowJobId(jobId);
    if (ref === undefined) return;
    const listener = listeners.get(ref.flowId);
    if (listener !== undefined) visit(listener, ref);
  };
  const open = (name: string) => {
    let stream = streams.get(name);
    if (stream === undefined) {
      const events = new QueueEvents(name, { connection, prefix });
      events.on('error', () => {});
      events.on('progress', ({ jobId, data }) => {
        if (typeof data === 'object' && data !== null && 'type' in data) {
          route(jobId, (listener, ref) =>
            listener.onProgress(ref, data as unknown as StepJobProgress),
          );
        }
      });
      events.on('completed', ({ jobId, returnvalue }) =>
        route(jobId, (listener, ref) => listener.onCompleted(ref, jobId, returnvalue)),
      );
      events.on('failed', ({ jobId, failedReason }) =>
        route(jobId, (listener, ref) => listener.onFailed(ref, jobId, failedReason)),
      );
      stream = events.waitUntilReady().then(
        () => events,
        async (error: unknown) => {
          // Not cached: the next render tries again.
          streams.delete(name);
          await events.close().catch(() => {});
          throw error;
        },
      );
      streams.set(name, stream);
    }
    return stream;
  };
  return {
    async ready(queueNames) {
      await Promise.all([...queueNames].map(open));
    },
    listen(flowId, listener) {
      listeners.set(flowId, listener);
      return () => {
        if (listeners.get(flowId) === listener) listeners.delete(flowId);
      };
    },
    async close() {
      listeners.clear();
      await Promise.allSettled(
        [...streams.values()].map((stream) => stream.then((events) => events.close())),
      );
    },
  };
}
