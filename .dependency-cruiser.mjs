// @ts-check
/**
 * The layer rules of architecture.md, enforced by dependency-cruiser (`npm run lint:layers`, a gate of
 * `npm test`); test/security/layer-rules.test.ts plants one violation per rule in a fixture tree and checks
 * each is caught. Type-only imports count everywhere: a type import is still a dependency of the layer.
 *
 * Layers: domain/ (pure run, selection, error-code and policy-type definitions) is shared by all and depends
 * on nothing; db/ depends only on domain/; main/ is the engine (plain Node) with the Electron edge;
 * renderer/ sees only the contract.
 */

/** Files that may import electron (same list as eslint.config.js and test/security/boundaries.test.ts). */
const ELECTRON_EDGE = [
  '^main/index\\.ts$',
  '^main/window\\.ts$',
  '^main/ipc/',
  '^main/electron/',
  '^preload/index\\.ts$'
]
/** The contract module(s) the renderer may import: preload/contract.ts today, a contract/ folder later. */
const CONTRACT = '(^|/)contract(\\.ts$|/)'
const NODE_ONLY_PACKAGES =
  'node_modules/(better-sqlite3|drizzle-orm|@azure/msal-node|pino|commander|electron)/'

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'renderer-only-contract',
      comment:
        'The page knows only the contract types and window.atlas: no main/, db/, domain/ or preload/ code.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { pathNot: ['^renderer/', CONTRACT, '^node_modules/'], dependencyTypesNot: ['core'] }
    },
    {
      name: 'renderer-no-node',
      comment: 'The renderer runs in a sandboxed page: no Node built-ins and no Node-only packages.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { dependencyTypes: ['core'] }
    },
    {
      name: 'renderer-no-node-packages',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: NODE_ONLY_PACKAGES }
    },
    {
      name: 'core-no-electron',
      comment:
        'The engine runs in plain Node (CLI, tests, worker thread): only the Electron edge imports electron.',
      severity: 'error',
      from: { pathNot: ELECTRON_EDGE },
      to: { path: ['^electron$', '^electron/', 'node_modules/electron/'] }
    },
    {
      name: 'db-not-main',
      comment: 'The store depends on the domain definitions only, never on the engine that uses it.',
      severity: 'error',
      from: { path: '^db/' },
      to: { path: '^main/' }
    },
    {
      name: 'domain-is-a-leaf',
      comment: 'domain/ is shared by every layer, so it may import nothing of ours outside itself.',
      severity: 'error',
      from: { path: '^domain/' },
      to: { pathNot: ['^domain/', '^node_modules/'], dependencyTypesNot: ['core'] }
    },
    {
      name: 'product-not-test',
      comment: 'The built app must not bundle test code.',
      severity: 'error',
      from: { path: '^(main|db|domain|preload|renderer|bin)/' },
      to: { path: '^test/' }
    },
    {
      name: 'no-folder-cycles',
      comment:
        'Folders of product code form layers: two folders importing each other (even through others) are one ' +
        'layer. Known exception until the contract lives in its own module that imports nothing of main/ ' +
        '(issue 11 item 6): preload/ <-> main/app/, type-only both ways.',
      severity: 'error',
      scope: 'folder',
      // the exception: cycles starting at either folder are not reported; a cycle of either with any
      // other folder still is, from that folder's side (test/security/layer-rules.test.ts)
      from: { path: '^(main|db|domain|preload|renderer|bin)/', pathNot: '^(main/app|preload)/?$' },
      to: { circular: true }
    }
  ],
  options: {
    // type-only imports are dependencies too (see the header)
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^out/', '^db/migrations/'] },
    tsConfig: { fileName: 'tsconfig.json' },
    // packages whose package.json has only "exports" (e.g. @tanstack/react-table) resolve through it
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types']
    }
  }
}
