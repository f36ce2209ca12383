import type { HttpResponse } from '@layerloom/core/http';
import { describe, expect, it } from 'vitest';
import { describeComfyUIError } from './describe-comfyui-error.js';

const response = (body: string, status = 400): HttpResponse => ({
  status,
  headers: {},
  body: new TextEncoder().encode(body),
  requestId: undefined,
  text: () => body,
  json: () => JSON.parse(body),
});

describe('describeComfyUIError', () => {
  it('lists the top-level error and every node error', () => {
    const body = {
      error: {
        type: 'prompt_outputs_failed_validation',
        message: 'Prompt outputs failed validation',
        details: '',
      },
      node_errors: {
        '3': {
          class_type: 'KSampler',
          errors: [
            {
              type: 'value_smaller_than_min',
              message: 'Value 0 smaller than min of 1',
              details: 'steps',
              extra_info: { input_name: 'steps' },
            },
            {
              type: 'required_input_missing',
              message: 'Required input is missing',
              details: 'model',
              extra_info: { input_name: 'model' },
            },
          ],
        },
      },
    };
    expect(describeComfyUIError(response(JSON.stringify(body)))).toEqual({
      message:
        'Prompt outputs failed validation; node 3 (KSampler) `steps`: Value 0 smaller than min of 1: steps [value_smaller_than_min]; node 3 (KSampler) `model`: Required input is missing: model [required_input_missing]',
      providerCode: 'prompt_outputs_failed_validation',
    });
  });

  it('reads a top-level error without node errors, and plain text', () => {
    expect(
      describeComfyUIError(
        response(
          JSON.stringify({
            error: {
              type: 'missing_node_type',
              message: 'Node FooBar not found',
              details: 'Node ID #5',
            },
            node_errors: {},
          }),
        ),
      ),
    ).toEqual({ message: 'Node FooBar not found: Node ID #5', providerCode: 'missing_node_type' });
    expect(describeComfyUIError(response('403: Forbidden', 403))).toEqual({
      message: '403: Forbidden',
    });
    expect(describeComfyUIError(response('', 500))).toEqual({});
  });
});
