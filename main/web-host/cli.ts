import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createLogger } from '../util/create-logger'
import { resolveDataDir } from '../cli/data-dir'
import { startWebAtlas } from './web-atlas'

/**
 * `npm run web`: the app in a browser tab, on the real engine, for working on and testing the UI where
 * Electron cannot run. Prints the URL to open (it carries this start's token) and runs until Ctrl+C.
 * The data folder is the desktop app's unless --data-dir / TENANT_ATLAS_DATA_DIR says otherwise.
 */
const USAGE = `Usage: npm run web -- [--data-dir DIR] [--export-dir DIR] [--port N]
  --data-dir    folder of tenant-atlas.db (default: TENANT_ATLAS_DATA_DIR, else the desktop app's)
  --export-dir  where CSV exports are written (default: <data-dir>/exports)
  --port        port on 127.0.0.1 (default: a free one)`

async function main(): Promise<number> {
  let values: { 'data-dir'?: string; 'export-dir'?: string; port?: string; help?: boolean }
  try {
    ;({ values } = parseArgs({
      options: {
        'data-dir': { type: 'string' },
        'export-dir': { type: 'string' },
        port: { type: 'string' },
        help: { type: 'boolean', short: 'h' }
      },
      strict: true
    }))
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`)
    return 2
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    process.stderr.write(`--port must be an integer from 0 to 65535\n${USAGE}\n`)
    return 2
  }
  const dataDir = resolveDataDir(values['data-dir'])
  const logFile = join(dataDir, 'logs', 'tenant-atlas-web.log')
  const logger = createLogger({ level: process.env.TENANT_ATLAS_LOG_LEVEL ?? 'info', destination: logFile })
  const web = await startWebAtlas({ dataDir, exportDir: values['export-dir'], port, logger })
  const warning = web.api.appStatus().credentialStorage.warning
  process.stdout.write(
    [
      'Tenant Atlas web host (real engine, this machine only)',
      `  data:    ${web.dataDir}`,
      `  exports: ${web.exportDir}`,
      `  log:     ${logFile}`,
      ...(warning ? [`  note:    ${warning}`] : []),
      '',
      `Open ${web.url}`,
      '(Ctrl+C to stop)',
      ''
    ].join('\n')
  )
  await new Promise<void>((resolveStop) => {
    process.once('SIGINT', resolveStop)
    process.once('SIGTERM', resolveStop)
  })
  process.stdout.write('Stopping…\n')
  await web.close()
  return 0
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`tenant-atlas web: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exit(1)
  }
)
