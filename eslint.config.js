// @ts-check
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/**
 * Boundaries (architecture.md): only the Electron edge may import 'electron'; the renderer never reaches
 * into Node, main/ or db/. Everything else is plain Node so vitest and the CLI can run it.
 */
const ELECTRON_EDGE = [
  'main/index.ts',
  'main/window.ts',
  'main/ipc/**',
  'main/electron/**',
  'preload/index.ts'
]

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.tools/**',
      'out/**',
      'dist/**',
      'coverage/**',
      'db/migrations/**',
      'bench-results/**',
      'reports/**',
      '.stryker-tmp/**'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
      ecmaVersion: 2023,
      sourceType: 'module'
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // every IPC channel goes through the sender check + zod parse in main/ipc/register.ts
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.property.name=/^(handle|handleOnce|on)$/][callee.object.name='ipcMain']",
          message: 'Only main/ipc/register.ts may register IPC handlers (sender check + zod validation).'
        }
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message:
                'Only the Electron edge (main/index.ts, main/window.ts, main/ipc/, main/electron/, preload/index.ts) may import electron.'
            }
          ]
        }
      ]
    }
  },
  {
    files: ELECTRON_EDGE,
    rules: { 'no-restricted-imports': 'off' }
  },
  {
    files: ['main/ipc/register.ts'],
    rules: { 'no-restricted-syntax': 'off' }
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // the page has no Node: these globals exist only through @types/node leaking in via shared types
      'no-restricted-globals': [
        'error',
        ...['process', 'Buffer', 'require', 'global', '__dirname', '__filename', 'setImmediate'].map(
          (name) => ({
            name,
            message: 'The renderer runs in a sandboxed page: no Node globals.'
          })
        )
      ],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to main only through window.atlas.' }],
          patterns: [
            { group: ['node:*'], message: 'The renderer runs in a sandboxed page: no Node modules.' },
            {
              group: ['**/main/**', '**/db/**'],
              message: 'The renderer may only import types from preload/contract.',
              allowTypeImports: true
            }
          ]
        }
      ]
    }
  }
)
