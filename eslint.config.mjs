// ESLint (flat config), run by `npm test` as the `lint` group and by `npx eslint .`.
// TypeScript is linted with type information (each file through the tsconfig of its layer, found by
// typescript-eslint's project service), so that promises nobody awaits are caught; the .mjs scripts
// are linted without it. The layer rules repeat the compiler's boundaries (see the tsconfig.json of
// each layer) with a message that says why, and add the ones the compiler cannot see: a side-effect
// `import 'vscode'`, and imports between our own folders.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** `node:fs`, `fs`, `fs/promises`…: every Node built-in, with or without its prefix. */
const NODE_BUILTINS = {
  regex: `^(?:node:|(?:${builtinModules.map(escape).join('|')})(?:/|$))`,
  message: 'Node built-ins are not available here (a web worker or a browser page runs this code).',
};

/** An import of one of our own folders, relative (`../extension/x`) however deep. */
const ourFolder = (names) => `^\\.{1,2}/(?:.*/)?(?:${names.join('|')})(?:/|$)`;

const engineImports = {
  paths: [
    { name: 'vscode', message: 'The engine never imports vscode: it runs in Node, a web worker and the renderer. Put VS Code code in src/extension.' },
    { name: 'vscode-notebook-renderer', message: 'The renderer API belongs in renderer/.' },
    { name: 'katex', message: 'KaTeX belongs to the renderer; the engine makes formula trees (present/formula.ts) and TeX text.' },
  ],
  patterns: [
    NODE_BUILTINS,
    { regex: ourFolder(['extension', 'cli', 'renderer', 'test', 'bench']), message: 'The engine depends on nothing outside src/engine: the extension, CLI and renderer depend on it.' },
  ],
};

export default defineConfig(
  globalIgnores([
    '**/node_modules/', 'dist/', 'out/', 'test-results/', '.vscode-test/', '.vscode-test-web/',
    'not-allowed-in-this-layer.d.ts', // comments only, and in no tsconfig's program
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Matching control characters is deliberate here: outputs are stripped of them before they
      // reach a terminal, Markdown or LaTeX, and the tests prove it.
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': ['error', {
        args: 'after-used', argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_',
        destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true,
      }],
    },
  },
  {
    files: ['**/*.ts', '**/*.mts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Playwright callbacks (page.evaluate) that run in the page.
    files: ['bench/renderer.mjs', 'test/extension/ui.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', engineImports] },
  },
  {
    files: ['renderer/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The renderer runs in the output webview, where the vscode API does not exist; talk to the extension through the renderer context.' }],
        patterns: [NODE_BUILTINS, { regex: ourFolder(['extension', 'cli']), message: 'The renderer may use the engine, never the extension or the CLI.' }],
      }],
    },
  },
  {
    files: ['src/extension/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { ...NODE_BUILTINS, message: 'The extension also runs in the web extension host (a web worker): use vscode.workspace.fs and the like, not Node built-ins.' },
          { regex: ourFolder(['cli', 'renderer']), message: 'The extension may use the engine, never the CLI or the renderer (which runs in the webview).' },
        ],
      }],
    },
  },
);
