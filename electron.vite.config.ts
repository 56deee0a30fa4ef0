// Builds four entries: the Electron main process, its preload, the React renderer, and the agent, which
// is plain Node (`node out/agent/index.js`) and shares the main build so both use the same chunks.

import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      outDir: 'out',
      emptyOutDir: false,
      rollupOptions: {
        input: {
          'main/index': resolve(__dirname, 'src-main/index.ts'),
          'agent/index': resolve(__dirname, 'src-agent/index.ts'),
        },
        output: { entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { index: resolve(__dirname, 'src-main/preload.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [react()],
    build: { outDir: resolve(__dirname, 'out/renderer'), rollupOptions: { input: resolve(__dirname, 'src-renderer/index.html') } },
  },
});
