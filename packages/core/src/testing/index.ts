export {
  createTestServer,
  type RecordedRequest,
  type TestServer,
  type TestServerOptions,
} from './create-test-server.js';
