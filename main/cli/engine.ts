/**
 * What CLI commands need from the engine, in one module that index.ts imports only when a command runs.
 * `--version`, `--help` and usage errors then load the command line alone: in the built CLI this module
 * and everything below it (SQLite, MSAL, the demo simulator) become chunks loaded on demand.
 */
export { createAtlas } from '../app/create-atlas'
export { MemorySecretStore } from '../auth/secret-store'
export {
  createDemoEnvironment,
  DEMO_DELETED_COUNT,
  ensureDemoTenant,
  startDemoSync
} from '../demo/demo-tenant'
