import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.package.js';

export default defineConfig(packageConfig({ index: 'src/index.ts' }));
