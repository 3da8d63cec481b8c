// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'release/**', 'bench/work/**', 'test/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // The renderer runs in a browser (Electron's sandboxed window or Chromium in browser mode).
    files: ['renderer/**/*.{ts,tsx}', 'test/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'the renderer has no Node: talk to the host through window.intake / the bridge.' },
            { regex: '(^|/)app/(?!contract/)', message: 'the renderer imports only the contract (app/contract/), never the engine.' },
          ],
        },
      ],
    },
  },
  {
    // The contract depends on nothing: the engine imports it, never the reverse.
    files: ['app/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^\\.\\./', message: 'app/contract/ imports nothing from the rest of app/.' }, { group: ['node:*'], message: 'the contract is plain types and constants.' }] }],
    },
  },
  {
    // main/ uses the engine through its public entry (app/index.ts) and the contract, not its insides.
    files: ['main/**/*.{ts,cts}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^\\.\\./app/(?!index\\.js$|contract/index\\.js$)', message: 'main/ imports app/index.js or app/contract/index.js only.' }] }],
    },
  },
  {
    // Raw IPC only in the one typed wrapper on each side (GitHub Desktop's rule).
    files: ['**/*.{ts,cts,tsx}'],
    ignores: ['main/ipc.ts', 'main/preload.cts'],
    rules: {
      'no-restricted-syntax': ['error', { selector: "ImportSpecifier[imported.name=/^ipc(Main|Renderer)$/]", message: 'use the typed wrappers in main/ipc.ts and main/preload.cts' }],
    },
  },
  {
    // The engine is pure Node: it must run under plain Node (CLI, browser mode) and inside Electron.
    files: ['app/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'app/ is the engine and must not depend on Electron; put the glue in main/.' }] }],
    },
  },
);
