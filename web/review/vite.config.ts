import { defineConfig } from 'vite';

// Served by `smartocr serve --ui-dir <dist>` at /review/ (same origin as the API).
export default defineConfig({
  base: '/review/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
  },
});
