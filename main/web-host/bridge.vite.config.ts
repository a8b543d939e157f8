import { resolve } from 'node:path'
import { defineConfig } from 'vite'

const here = import.meta.dirname

/**
 * Builds the web host's bridge (web-bridge.ts) as one classic script, out/web-host/web-bridge.js: index.html
 * loads it before the renderer bundle, so it cannot be a module. `npm run build:web` runs it.
 */
export default defineConfig({
  publicDir: false,
  build: {
    outDir: resolve(here, '..', '..', 'out', 'web-host'),
    emptyOutDir: true,
    minify: true,
    lib: {
      entry: resolve(here, 'web-bridge.ts'),
      formats: ['iife'],
      name: 'tenantAtlasWebBridge',
      fileName: () => 'web-bridge.js'
    }
  }
})
