// Copies the files `tsc` does not emit (the inspector's page) from src/ to dist/.
import { cpSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
cpSync(join(root, 'src/visualizer/page'), join(root, 'dist/visualizer/page'), {
  recursive: true,
  filter: (source) => !source.endsWith('tsconfig.json'),
});
