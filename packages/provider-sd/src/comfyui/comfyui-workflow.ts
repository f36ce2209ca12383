import { expected } from '@layerloom/core';
import { z } from 'zod';

/** A link to another node's output: `[sourceNodeId, outputIndex]`. */
export type ComfyUILink = readonly [string, number];

/** A node input: a literal value or a {@link ComfyUILink}. */
export type ComfyUIInputValue =
  | string
  | number
  | boolean
  | null
  | ComfyUILink
  | readonly unknown[]
  | { readonly [key: string]: unknown };

/** One node of a workflow in ComfyUI's API format. */
export interface ComfyUINode {
  /** The node type, e.g. `KSampler`. */
  readonly class_type: string;
  /** Input values and links, by input name. */
  readonly inputs: Readonly<Record<string, ComfyUIInputValue>>;
  /** Display data (`{ title }`); ComfyUI ignores it when running. */
  readonly _meta?: { readonly title?: string };
}

/**
 * A workflow in ComfyUI's API format ("Save (API Format)" in the UI): nodes by id. It is a
 * template: the adapter injects the prompt, seed, size and input image into a copy per call.
 */
export type ComfyUIWorkflow = Readonly<Record<string, ComfyUINode>>;

const nodeSchema = z.looseObject(
  {
    class_type: z
      .string(expected('a node type such as "KSampler"'))
      .min(1, expected('a node type such as "KSampler"')),
    inputs: z.record(z.string(), z.unknown(), expected('an object of inputs')),
  },
  expected('a node `{ class_type, inputs }`'),
);

/** Validates a {@link ComfyUIWorkflow} (API format). */
export const comfyUIWorkflowSchema = z
  .record(
    z.string(),
    nodeSchema,
    expected('a workflow in API format: `{ "<id>": { class_type, inputs } }`'),
  )
  .superRefine((workflow, context) => {
    if (Object.keys(workflow).length === 0) {
      context.addIssue({ code: 'custom', message: 'expected at least one node, got none' });
    }
  });

/**
 * Whether `value` looks like a workflow saved in the UI format (with `nodes` and `links`
 * arrays) rather than the API format.
 */
export function isUserInterfaceWorkflow(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  return Array.isArray(record.nodes) && Array.isArray(record.links);
}

/**
 * Whether an input value is a link to another node (`["4", 1]`).
 *
 * @param value - an input value.
 */
export function isComfyUILink(value: unknown): value is ComfyUILink {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    (typeof value[0] === 'string' || typeof value[0] === 'number') &&
    typeof value[1] === 'number'
  );
}

/**
 * Freezes a workflow and everything in it, so a shared template cannot be changed by accident.
 *
 * @param workflow - the workflow.
 * @returns the same object, frozen.
 */
export function freezeWorkflow<Workflow extends ComfyUIWorkflow>(workflow: Workflow): Workflow {
  const freeze = (value: unknown): void => {
    if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
    for (const child of Object.values(value)) freeze(child);
    Object.freeze(value);
  };
  freeze(workflow);
  return workflow;
}
