import type { ComfyUIWorkflow } from './comfyui-workflow.js';

/** How a result leaves a ComfyUI server; see `ComfyUISettings.output`. */
export type ComfyUIOutputVia = 'workflow' | 'preview' | 'websocket';

const classFor: Readonly<Record<Exclude<ComfyUIOutputVia, 'workflow'>, string>> = {
  preview: 'PreviewImage',
  websocket: 'SaveImageWebsocket',
};

/**
 * The graph to submit with its output node swapped for the chosen kind: a `PreviewImage`
 * (a temporary file) or a `SaveImageWebsocket` (the image over the WebSocket, nothing on disk),
 * both fed by the same `images` link. `workflow` and a graph without that node are returned
 * as they are.
 *
 * @param graph - the graph with the request's values placed.
 * @param outputNode - the output node's id.
 * @param via - how the result should leave the server.
 */
export function chooseComfyUIOutputNode(
  graph: ComfyUIWorkflow,
  outputNode: string | undefined,
  via: ComfyUIOutputVia,
): ComfyUIWorkflow {
  if (via === 'workflow' || outputNode === undefined) return graph;
  const node = graph[outputNode];
  if (node === undefined || node.inputs.images === undefined) return graph;
  return {
    ...graph,
    [outputNode]: { ...node, class_type: classFor[via], inputs: { images: node.inputs.images } },
  };
}

/**
 * The mask convention of the node a mask is uploaded for: `LoadImageMask` with
 * `channel: "alpha"` takes `1 - alpha` (transparent = repaint); with `red`, `green` or `blue`
 * it takes that channel (white = repaint). Other nodes (a `LoadImage`, whose MASK output is
 * `1 - alpha`) are read as alpha.
 *
 * @param workflow - the workflow template.
 * @param node - the id of the node whose input takes the mask's file name.
 */
export function comfyUIMaskConvention(
  workflow: ComfyUIWorkflow,
  node: string,
): 'transparent-repaints' | 'white-repaints' {
  const loader = workflow[node];
  const channel = loader?.class_type === 'LoadImageMask' ? loader.inputs.channel : undefined;
  return typeof channel === 'string' && channel !== 'alpha'
    ? 'white-repaints'
    : 'transparent-repaints';
}
