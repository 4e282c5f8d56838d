import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import rxjsX from 'eslint-plugin-rxjs-x';
import globals from 'globals';

// ---- Layers (ARCHITECTURE.md): streams -> operators -> core -> sinks, wired by pipeline/app, run by
// the CLI. Each layer lists the folders it must not import; the venue is imported only by the CLI
// that starts it (and the backtest, which runs one in virtual time). Tests may import anything.
const TOP = ['**/cli/**', '**/app.js', '**/pipeline.js', '**/index.js', '**/backtest/**', '**/replay/**'];
const EDGES = ['**/streams/**', '**/operators/**', '**/sinks/**'];
const CORE = ['**/quant/**', '**/state/**', '**/strategy/**', '**/execution/**'];
// The venue, as a folder (src/venue) or as the workspace package (packages/venue, @polymm/venue).
const VENUE = ['**/venue/**', '@polymm/venue', '@polymm/venue/**'];
const BOT = ['**/domain/**', '**/config/**', '**/wire/**', ...CORE, ...EDGES, ...TOP];

/** `files` may not import any of `banned` (relative specifiers, gitignore-style patterns). */
const layer = (name, files, banned, ignores = []) => ({
  name: `layers/${name}`,
  files,
  ignores,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: banned,
            message: `${name} may not import this: imports run one way (streams -> operators -> core -> sinks; the venue only from cli/ and backtest/; see ARCHITECTURE.md).`,
          },
        ],
      },
    ],
  },
});

const layers = [
  // The index.js pattern is for src/index.ts (the CLI); domain/index.ts and streams/index.ts are barrels.
  layer('domain', ['src/domain/**'], ['../**']),
  layer(
    'config',
    ['src/config/**'],
    [...BOT.filter((p) => p !== '**/config/**' && p !== '**/domain/**' && p !== '**/index.js'), ...VENUE],
  ),
  layer('wire', ['src/wire/**'], [...CORE, ...EDGES, ...TOP.filter((p) => p !== '**/index.js'), ...VENUE]),
  layer(
    'core',
    ['src/quant/**', 'src/state/**', 'src/strategy/**', 'src/execution/**'],
    [...EDGES, ...TOP.filter((p) => p !== '**/index.js'), '**/wire/**', ...VENUE],
  ),
  layer(
    'operators',
    ['src/operators/**'],
    ['**/streams/**', '**/sinks/**', ...TOP.filter((p) => p !== '**/index.js'), ...VENUE],
  ),
  layer('streams', ['src/streams/**'], ['**/sinks/**', ...TOP.filter((p) => p !== '**/index.js'), ...VENUE]),
  layer('sinks', ['src/sinks/**'], ['**/streams/**', ...TOP.filter((p) => p !== '**/index.js'), ...VENUE]),
  layer('pipeline', ['src/pipeline.ts', 'src/app.ts'], ['**/cli/**', '**/backtest/**', ...VENUE]),
  layer('replay', ['src/replay/**'], ['**/cli/**', '**/backtest/**', ...VENUE]),
  layer('backtest', ['src/backtest/**'], ['**/cli/**']),
  // The simulated venue is its own product: it imports nothing from the bot.
  layer(
    'venue',
    ['src/venue/**'],
    BOT.map((p) => p.replace('**/', '**/../../')),
  ),
  // Whoever may import the venue imports its public entry ('@polymm/venue'), never a file inside it.
  layer(
    "the venue's public API",
    ['src/cli/**', 'src/backtest/**', 'src/index.ts', 'test/**', 'marbles/**', 'bench/**'],
    ['**/packages/venue/**'],
  ),
  layer(
    'venue package',
    ['packages/venue/**'],
    [...BOT.filter((p) => p !== '**/index.js'), 'polymarket-mm-bot', '**/../../../src/**'],
  ),
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // The CLI and debug taps are the only places that talk to the terminal.
    files: ['src/index.ts', 'src/cli/**', 'src/operators/tapDebug.ts', 'bench/**', 'bin/**'],
    rules: { 'no-console': 'off' },
  },
  ...layers,
  {
    // RxJS habits, with type information (the bot's sources only: tests may subscribe freely).
    name: 'rxjs',
    files: ['src/**/*.ts'],
    ignores: ['src/venue/**'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'rxjs-x': rxjsX },
    rules: {
      ...rxjsX.configs.recommended.rules,
      'rxjs-x/no-nested-subscribe': 'error',
      'rxjs-x/no-exposed-subjects': 'error',
      'rxjs-x/no-ignored-error': 'error',
      'rxjs-x/no-unsafe-takeuntil': 'error',
    },
  },
);
