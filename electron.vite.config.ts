import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import license from 'rollup-plugin-license'

const here = import.meta.dirname

/**
 * Every JavaScript library is bundled into out/, so no node_modules folder carries their LICENSE files into
 * the package: each bundle writes the licenses of the libraries it contains beside itself instead.
 */
const thirdPartyNotices = (outDir: string) =>
  license({ thirdParty: { output: { file: resolve(here, outDir, 'THIRD_PARTY_NOTICES.txt') } } })

/**
 * Top-level main/ preload/ renderer/ instead of electron-vite's src/ layout. The preload is special: a
 * sandboxed preload cannot `require` anything but a few Electron modules, so it must be ONE CommonJS file
 * with its (tiny) dependencies inlined; ESM preloads only load with sandbox: false.
 */
export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        input: {
          index: resolve(here, 'main/index.ts'),
          // the sync engine's worker thread (main/sync-worker), started by createAtlas
          'sync-worker': resolve(here, 'main/sync-worker/worker-main.ts'),
          // the `tenant-atlas` CLI (bin/tenant-atlas.mjs runs it): plain JavaScript, no loader at run time
          cli: resolve(here, 'main/cli/built-entry.ts')
        },
        plugins: [thirdPartyNotices('out/main')]
      }
    }
  },
  preload: {
    build: {
      externalizeDeps: false,
      isolatedEntries: true,
      rolldownOptions: {
        input: { index: resolve(here, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve(here, 'renderer'),
    build: {
      // electron-vite leaves the renderer unminified by default; Fluent makes that 1.35 MB instead of ~0.6
      minify: true,
      outDir: resolve(here, 'out/renderer'),
      rolldownOptions: {
        input: { index: resolve(here, 'renderer/index.html') },
        plugins: [thirdPartyNotices('out/renderer')]
      }
    },
    plugins: [react()]
  }
})
