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
    [...BOT.filter((p) => p !== '**/config/**' && p !== '**/domain/**' && p !== '**/index.js')],
  ),
  layer('wire', ['src/wire/**'], [...CORE, ...EDGES, ...TOP.filter((p) => p !== '**/index.js')]),
  layer(
    'core',
    ['src/quant/**', 'src/state/**', 'src/strategy/**', 'src/execution/**'],
    [...EDGES, ...TOP.filter((p) => p !== '**/index.js'), '**/wire/**'],
  ),
  layer('operators', ['src/operators/**'], ['**/streams/**', '**/sinks/**', ...TOP.filter((p) => p !== '**/index.js')]),
  layer('streams', ['src/streams/**'], ['**/sinks/**', ...TOP.filter((p) => p !== '**/index.js')]),
  layer('sinks', ['src/sinks/**'], ['**/streams/**', ...TOP.filter((p) => p !== '**/index.js')]),
  layer('pipeline', ['src/pipeline.ts', 'src/app.ts'], ['**/cli/**', '**/backtest/**']),
  layer('replay', ['src/replay/**'], ['**/cli/**', '**/backtest/**']),
  layer('backtest', ['src/backtest/**'], ['**/cli/**']),
];

// ---- The venue package (packages/venue, @polymm/venue) is a second product. Its own rule name
// (typescript-eslint's copy of no-restricted-imports) so that it adds to the layers above instead of
// replacing them (flat config: the last block matching a file sets a rule). Type imports count too.
const VENUE_IMPORTERS = ['src/cli/**', 'src/backtest/**', 'src/chain/venueChain.ts', 'src/chain/venueMirror.ts'];
const venueRule = (name, files, patterns, ignores = []) => ({
  name: `venue/${name}`,
  files,
  ignores,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
});
// A file `depth` folders below packages/venue leaves the package with depth + 1 '../'.
const leavesPackage = (depth) =>
  venueRule(
    `imports nothing from the bot (depth ${depth})`,
    [`packages/venue/${'*/'.repeat(depth)}*.ts`],
    [
      {
        regex: `^(\\.\\./){${depth + 1},}`,
        message: 'The venue imports nothing from the bot (or anything outside packages/venue): it is its own package.',
      },
      { group: ['polymarket-mm-bot', 'polymarket-mm-bot/**'], message: 'The venue imports nothing from the bot.' },
    ],
  );
const venueBoundary = [
  venueRule(
    'only the CLI and the backtest start a venue',
    ['src/**'],
    [
      {
        group: ['@polymm/venue', '@polymm/venue/**', '**/packages/venue/**'],
        message: `Only the CLI that starts a venue, the backtest and the venue's chain plug-in (${VENUE_IMPORTERS.join(', ')}) import @polymm/venue.`,
      },
    ],
    VENUE_IMPORTERS,
  ),
  venueRule(
    "the venue's public API only",
    [...VENUE_IMPORTERS, 'test/**', 'marbles/**', 'bench/**'],
    [
      {
        group: ['**/packages/venue/**'],
        message: "Import the venue's public entry, '@polymm/venue', never a file inside it.",
      },
    ],
  ),
  // After the block above, whose patterns it repeats (the last block matching a file sets the rule).
  venueRule(
    'the backtest loads the venue without its servers',
    ['src/backtest/**'],
    [
      {
        group: ['**/packages/venue/**'],
        message: "Import the venue's public entry, '@polymm/venue', never a file inside it.",
      },
      {
        regex: '^@polymm/venue$',
        message:
          "The backtest imports '@polymm/venue/in-process': the full entry loads the venue's servers, ethers and the CLOB client.",
      },
    ],
  ),
  ...[0, 1, 2, 3, 4].map(leavesPackage),
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
  ...venueBoundary,
  {
    // RxJS habits, with type information (the bot's sources only: tests may subscribe freely).
    name: 'rxjs',
    files: ['src/**/*.ts'],
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
