import type { AtlasDatabase } from '../../db/client'
import { assembleAtlas, type CreateAtlasOptions } from '../../main/app/create-atlas'
import { WorkerSyncEngine } from '../../main/sync-worker/worker-sync-engine'

/**
 * createAtlas for the suites: the same engine and API, plus what only tests may reach (the production
 * object carries neither): the database below the API, and a worker crash on demand.
 */
export function createTestAtlas(opts: CreateAtlasOptions) {
  const { api, db, engine } = assembleAtlas(opts)
  return Object.assign(api, {
    db: db as AtlasDatabase,
    testHooks: {
      /** stops the sync worker thread as a crash would (no close handshake); nothing when syncs run inline */
      killSyncWorker: async (): Promise<void> => {
        if (engine instanceof WorkerSyncEngine) await engine.terminate()
      }
    }
  })
}

export type TestAtlas = ReturnType<typeof createTestAtlas>
