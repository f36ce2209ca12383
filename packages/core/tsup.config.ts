import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.package.js';

export default defineConfig(
  packageConfig({
    index: 'src/index.ts',
    'http/index': 'src/http/index.ts',
    'pipeline/index': 'src/pipeline/index.ts',
    'testing/index': 'src/testing/index.ts',
  }),
);
