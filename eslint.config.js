// Lint: TypeScript rules plus the layer table of ARCHITECTURE.md, enforced on every import.
// proto <- fleet <- src-agent (agent, hub) <- src-main;  proto <- fleet <- src-renderer.

import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'http', 'https', 'net', 'dgram', 'child_process', 'crypto', 'zlib', 'stream', 'url', 'util', 'worker_threads'];

const NO_ELECTRON_IN_AGENT = { name: 'electron', message: 'The agent runs headless without Electron; only src-main/ may import it.' };

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'test-support/fake-gpu-hardware/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] })] },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './proto', from: ['./fleet', './src-agent', './src-main', './src-renderer'], message: 'proto/ imports nothing of ours: it is the isomorphic base every layer builds on.' },
            { target: './fleet', from: ['./src-agent', './src-main', './src-renderer'], message: 'fleet/ may import proto/ only: the same fleet engine runs in the hub and, until every window reads the hub, in a page.' },
            { target: './src-agent', from: ['./src-main', './src-renderer'], message: 'src-agent/ may import proto/ and fleet/ only; the agent runs headless without the app.' },
            { target: './src-renderer', from: ['./src-agent', './src-main'], message: 'src-renderer/ may import proto/ and fleet/ only; reach the main process through the Platform interface.' },
            { target: './src-main', from: './src-renderer', except: ['./platform'], message: 'src-main/ may import proto/, src-agent/ and the renderer\'s Platform contract (src-renderer/platform) only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['proto/**/*.ts', 'fleet/**/*.ts'],
    ignores: ['proto/**/*.test.ts', 'proto/**/test-*.ts', 'fleet/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: [...NODE_BUILTINS, 'ws', 'electron', 'systeminformation'], message: 'proto/ runs in the browser and under Node: no Node, DOM-only or Electron APIs. Take a WebSocket constructor as a parameter instead.' }] }],
    },
  },
  {
    files: ['src-agent/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [NO_ELECTRON_IN_AGENT] }] },
  },
  {
    files: ['src-agent/**/*.ts'],
    ignores: ['src-agent/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            NO_ELECTRON_IN_AGENT,
            ...['node:http', 'node:https', 'http', 'https'].map((name) => ({
              name,
              allowTypeImports: true,
              message: "Take http/https from src-agent/net/node-http: an ESM import of node:http loads Node's undici (~11 MB RSS).",
            })),
            ...['node:util', 'util'].map((name) => ({
              name,
              allowTypeImports: true,
              message: 'Take util from process.getBuiltinModule (see src-agent/cli/parse-args): an ESM import of node:util loads every lazy export (~1 MB RSS).',
            })),
          ],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    ignores: ['src-renderer/**/*.test.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: [...NODE_BUILTINS, 'electron', 'ws', 'systeminformation'], message: 'The renderer is sandboxed: no Node or Electron modules. Use the Platform interface.' }] }] },
  },
);
