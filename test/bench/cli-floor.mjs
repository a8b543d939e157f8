// The least a `runs --tenant Demo --json` can do: load the native SQLite module, read the tenant's runs and
// print them as JSON. No argument parser, no migrations, no validation. The CLI cold-start bench reports it
// beside the real command (context, not a goal): how much of the ratio any Node CLI reading this store pays.
import { createRequire } from 'node:module'
import { join } from 'node:path'

const require = createRequire(import.meta.url)
const Database = require('better-sqlite3')
const [dataDir, tenantName] = process.argv.slice(2)
const db = new Database(join(dataDir, 'tenant-atlas.db'), { readonly: true })
const tenant = db.prepare('SELECT id, display_name FROM tenants WHERE display_name = ?').get(tenantName)
const runs = db
  .prepare('SELECT * FROM inventory_sync_runs WHERE tenant_id = ? ORDER BY id DESC')
  .all(tenant.id)
process.stdout.write(`${JSON.stringify({ tenant, total: runs.length, runs }, null, 2)}\n`)
db.close()
