import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './build/precompress.js';
import { walletServiceWorker } from './build/service-worker.js';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Chunks reached only from the console or the merchant pages carry their audience's prefix, so the
 * wallet's service worker (ignorePrefixes below) never precaches them; nor the chart library's.
 * Rollup groups modules by the
 * entries that reach them, so a chunk holding console code or antd (the console's component
 * library) holds nothing the wallet needs.
 */
function audienceChunkName(chunk: { moduleIds: readonly string[] }): string {
  const ids = chunk.moduleIds.map((id) => id.replaceAll('\\', '/'));
  if (
    ids.some(
      (id) =>
        id.includes('/web/ops/') || id.includes('/node_modules/antd/') || id.includes('/node_modules/@ant-design/'),
    )
  )
    return 'assets/ops-[name]-[hash].js';
  if (ids.some((id) => id.includes('/web/merchant/'))) return 'assets/merchant-[name]-[hash].js';
  // The chart library (savings' yield chart) is large and never needed offline: not precached.
  if (ids.some((id) => id.includes('/node_modules/echarts/') || id.includes('/node_modules/zrender/')))
    return 'assets/charts-[name]-[hash].js';
  return 'assets/[name]-[hash].js';
}

/**
 * One Vite build, three HTML entries: the wallet at `/`, merchant pages at `/merchant` and the
 * operations console at `/ops`. Each entry pulls only its own code, so the wallet never loads the
 * merchant or console bundles. The service worker precaches the wallet shell only.
 */
export default defineConfig({
  root,
  base: '/',
  publicDir: 'public',
  plugins: [
    react(),
    walletServiceWorker({
      ignorePrefixes: ['merchant/', 'ops/', 'assets/merchant-', 'assets/ops-', 'assets/charts-', 'assets/placeholder-'],
      networkOnlyPrefixes: ['/api/', '/docs', '/dev/', '/healthz', '/readyz', '/merchant', '/ops', '/sw.js'],
    }),
    precompress(`${root}dist`),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      input: {
        wallet: `${root}index.html`,
        merchant: `${root}merchant/index.html`,
        ops: `${root}ops/index.html`,
      },
      output: { chunkFileNames: audienceChunkName },
    },
  },
  server: {
    proxy: { '/api': 'http://localhost:8080', '/dev': 'http://localhost:8080' },
  },
});
