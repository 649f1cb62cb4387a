import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
// `vite dev` / `vite preview` forward API calls to a running Haven server.
const apiTarget = process.env.HAVEN_API_URL ?? 'http://127.0.0.1:8080';
const proxy = { '/api': { target: apiTarget, changeOrigin: false } };

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The CSP forbids inline assets of any kind; emit every asset as a file.
    assetsInlineLimit: 0,
  },
  server: { fs: { allow: [repoRoot] }, proxy },
  preview: { proxy },
});
