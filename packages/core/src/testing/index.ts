/**
 * The test kit for adapter authors: fake servers, the adapter test harness, recording compositors.
 *
 * @module \@layerloom/core/testing
 */
export { createImageRequest } from './create-image-request.js';
export {
  createMockProvider,
  type MockProvider,
  type MockProviderOptions,
  type MockStatusFailure,
  type MockStep,
  type MockSuccess,
  type MockThrow,
} from './create-mock-provider.js';
export {
  createRecordingCompositor,
  type RecordingCompositor,
  type RecordingCompositorOptions,
} from './create-recording-compositor.js';
export { type Closable, createTestCleanup, type TestCleanup } from './create-test-cleanup.js';
export {
  createTestServer,
  type RecordedRequest,
  type TestServer,
  type TestServerOptions,
} from './create-test-server.js';
export { emittedText } from './emitted-text.js';
export {
  type DocTableCheck,
  type DocTableRow,
  formatDocTable,
  syncDocTable,
} from './sync-doc-table.js';
export { type ErrorClass, rejectionOf, thrownBy } from './thrown-by.js';
