import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The dashboard build: `vite build web` writes `web/dist` (index.html and
 * hashed files under assets/), which the server serves (src/api/dashboard.ts).
 * No inline scripts, so the page runs under a strict CSP. For development,
 * `vite web` proxies the API to a server on WIREREPORT_API (default :8080).
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  server: {
    proxy: { '/api': process.env.WIREREPORT_API ?? 'http://127.0.0.1:8080' },
  },
});
