import { parseWithSchema, ValidationError, type ValidationIssue } from '@layerloom/core';
import { z } from 'zod';
import {
  type ComfyUINodeMapping,
  type ComfyUIValueName,
  comfyUINodeMappingSchema,
  type ResolvedNodeMapping,
  resolveNodeMapping,
} from './comfyui-node-mapping.js';
import { comfyUISettingsSubject, type ParsedComfyUISettings } from './comfyui-settings.js';
import {
  type ComfyUIWorkflow,
  comfyUIWorkflowSchema,
  isUserInterfaceWorkflow,
} from './comfyui-workflow.js';
import { inferNodeMapping } from './infer-node-mapping.js';
import { sdxlImageToImageNodes, sdxlImageToImageWorkflow } from './sdxl-image-to-image-workflow.js';
import { sdxlTextToImageNodes, sdxlTextToImageWorkflow } from './sdxl-text-to-image-workflow.js';

/** A workflow with its checked mapping. */
export interface ComfyUIRoute {
  /** The workflow template, in API format. */
  readonly workflow: ComfyUIWorkflow;
  /** Where the workflow takes each value. */
  readonly mapping: ResolvedNodeMapping;
  /** The settings field of the mapping, for messages. */
  readonly field: 'nodes' | 'imageNodes';
}

/** The workflows a ComfyUI adapter sends requests to. */
export interface ComfyUIRoutes {
  /** For requests without an input image; `undefined` for an image-to-image-only adapter. */
  readonly text: ComfyUIRoute | undefined;
  /** For requests with an input image; `undefined` when no workflow takes one. */
  readonly image: ComfyUIRoute | undefined;
}

function readWorkflow(value: unknown, field: string): ComfyUIWorkflow {
  if (isUserInterfaceWorkflow(value)) {
    throw ValidationError.field(
      [field],
      `Expected \`${field}\` to be a workflow in API format, got one in the UI format (with \`nodes\` and \`links\`); export it with "Save (API Format)"`,
      comfyUISettingsSubject,
    );
  }
  const wrapped = parseWithSchema(
    z.object({ [field]: comfyUIWorkflowSchema }),
    { [field]: value },
    comfyUISettingsSubject,
  );
  return wrapped[field] as ComfyUIWorkflow;
}

function readMapping(
  value: unknown,
  workflow: ComfyUIWorkflow,
  field: 'nodes' | 'imageNodes',
  workflowField: string,
): ComfyUINodeMapping {
  if (value === undefined) {
    const inferred = inferNodeMapping(workflow);
    if (inferred.mapping !== undefined) return inferred.mapping;
    throw ValidationError.field(
      [field],
      `\`${field}\` could not be inferred from \`${workflowField}\` (${inferred.problem}); pass \`${field}\``,
      comfyUISettingsSubject,
    );
  }
  const wrapped = parseWithSchema(
    z.object({ [field]: comfyUINodeMappingSchema }),
    { [field]: value },
    comfyUISettingsSubject,
  );
  return wrapped[field] as ComfyUINodeMapping;
}

/**
 * Reads the workflows of ComfyUI settings and checks their node mappings: the text-to-image
 * route (`workflow` + `nodes`, by default the shipped SDXL graph) and the image-to-image route
 * (`imageWorkflow` + `imageNodes`, by default the shipped one when `workflow` is omitted).
 * Mappings that are not given are inferred. A `workflow` whose mapping takes an image serves
 * image requests and there is no text route.
 *
 * @param settings - the validated settings.
 * @returns the routes.
 * @throws ValidationError naming every field at fault (a UI-format workflow, a node or input
 *   the workflow does not have, a missing image input).
 */
export function readComfyUIRoutes(settings: ParsedComfyUISettings): ComfyUIRoutes {
  const issues: ValidationIssue[] = [];
  const custom = settings.workflow !== undefined;
  const textWorkflow = custom
    ? readWorkflow(settings.workflow, 'workflow')
    : sdxlTextToImageWorkflow;
  const textMapping =
    settings.nodes === undefined && !custom
      ? sdxlTextToImageNodes
      : readMapping(settings.nodes, textWorkflow, 'nodes', 'workflow');
  const text = resolveNodeMapping(textMapping, textWorkflow, 'nodes');
  issues.push(...text.issues);

  let image: ReturnType<typeof resolveNodeMapping> | undefined;
  let imageWorkflow: ComfyUIWorkflow | undefined;
  if (settings.imageWorkflow !== undefined) {
    imageWorkflow = readWorkflow(settings.imageWorkflow, 'imageWorkflow');
    const mapping = readMapping(settings.imageNodes, imageWorkflow, 'imageNodes', 'imageWorkflow');
    image = resolveNodeMapping(mapping, imageWorkflow, 'imageNodes');
  } else if (!custom) {
    imageWorkflow = sdxlImageToImageWorkflow;
    const mapping =
      settings.imageNodes === undefined
        ? sdxlImageToImageNodes
        : readMapping(settings.imageNodes, imageWorkflow, 'imageNodes', 'imageWorkflow');
    image = resolveNodeMapping(mapping, imageWorkflow, 'imageNodes');
  } else if (settings.imageNodes !== undefined) {
    issues.push({
      path: ['imageNodes'],
      message: '`imageNodes` maps `imageWorkflow`, which is missing: pass `imageWorkflow` too',
    });
  }
  if (image !== undefined) {
    issues.push(...image.issues);
    if (image.issues.length === 0 && image.mapping.targets.image === undefined) {
      issues.push({
        path: ['imageNodes', 'image'],
        message:
          '`imageNodes.image`: the image workflow needs an input for the uploaded image, got nothing',
      });
    }
  }
  const textTakesImage = text.mapping.targets.image !== undefined;
  if (textTakesImage && settings.imageWorkflow !== undefined) {
    issues.push({
      path: ['nodes', 'image'],
      message:
        '`nodes.image`: `workflow` must be text-to-image when `imageWorkflow` is set, but it takes an input image',
    });
  }
  if (issues.length > 0) throw new ValidationError(issues, { subject: comfyUISettingsSubject });

  const textRoute: ComfyUIRoute = { workflow: textWorkflow, mapping: text.mapping, field: 'nodes' };
  if (textTakesImage) return { text: undefined, image: textRoute };
  return {
    text: textRoute,
    image:
      image === undefined || imageWorkflow === undefined
        ? undefined
        : { workflow: imageWorkflow, mapping: image.mapping, field: 'imageNodes' },
  };
}

/**
 * The value a route's template holds at its mapping's first target of `name`, when it is a
 * string (e.g. the checkpoint a workflow loads).
 *
 * @param route - the route, if any.
 * @param name - the mapped value.
 */
export function readTemplateValue(
  route: ComfyUIRoute | undefined,
  name: ComfyUIValueName,
): string | undefined {
  const target = route?.mapping.targets[name]?.[0];
  if (target === undefined) return undefined;
  const value = route!.workflow[target.node]?.inputs[target.input];
  return typeof value === 'string' ? value : undefined;
}
