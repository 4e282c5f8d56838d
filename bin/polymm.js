#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (npm start builds first).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const entry = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'src', 'index.js');
if (!existsSync(entry)) {
  process.stderr.write('polymm: not built yet; run `npm run build` (npm start does it for you)\n');
  process.exit(2);
}
await import(entry);
