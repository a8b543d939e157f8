import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { SyncEvent } from '../../main/inventory/sync-events'
import { startWebHost, type WebHostHandle } from '../e2e/support/web-host'

/**
 * The e2e harness's custom-cloud tenant: the host's real engine (worker, MSAL) reaches the Graph and
 * identity fakes through the tenant's https origins, and a test's fault script shapes what Graph answers.
 */

let host: WebHostHandle | undefined
let fixtureDir: string | undefined

afterEach(async () => {
  await host?.close()
  if (fixtureDir) rmSync(fixtureDir, { recursive: true, force: true })
  host = undefined
})

function fixtureRenderer(): string {
  fixtureDir = mkdtempSync(join(tmpdir(), 'atlas-web-fixture-'))
  writeFileSync(join(fixtureDir, 'index.html'), '<!doctype html><html><head></head><body></body></html>')
  return fixtureDir
}

describe('web host harness fakes', () => {
  it('syncs the fake tenant, with a scripted 429 and a 403 with missing scopes', async () => {
    host = await startWebHost({
      rendererDir: fixtureRenderer(),
      fakes: {
        size: 60,
        faults: [
          {
            path: '/deviceManagement/deviceConfigurations',
            times: 1,
            fault: { kind: 'status429', retryAfter: 'int', seconds: 1 }
          },
          {
            path: '/deviceManagement/deviceManagementScripts',
            times: Infinity,
            fault: { kind: 'forbidden', scopes: ['DeviceManagementScripts.Read.All'] }
          }
        ]
      }
    })
    const api = host.web.api
    const tenant = host.fakes!.tenant!
    expect(tenant).toMatchObject({ displayName: 'Fabrikam', cloud: 'custom' })
    const events: SyncEvent[] = []
    api.onSyncEvent((e) => events.push(e))
    const { requestId } = api.startSync({
      tenantId: tenant.id,
      selection: { policy_types: ['deviceConfiguration', 'deviceManagementScript'] }
    })
    const run = await api.waitForSync(requestId)
    expect(run.status).toBe('partial')
    expect(run.typeOutcomes.deviceConfiguration?.status).toBe('complete')
    expect(run.typeOutcomes.deviceManagementScript).toMatchObject({ errorCode: 'GRAPH_FORBIDDEN' })
    expect(events.some((e) => e.kind === 'throttled' && e.requestId === requestId)).toBe(true)

    const report = await api.testConnection({ tenantId: tenant.id, policyTypes: ['deviceManagementScript'] })
    expect(JSON.stringify(report)).toContain('DeviceManagementScripts.Read.All')
  }, 60_000)

  it('leaves the tenant to the test when asked (the form adds it), with its input ready', async () => {
    host = await startWebHost({ rendererDir: fixtureRenderer(), fakes: { add: false } })
    expect(host.fakes!.tenant).toBeUndefined()
    expect(host.web.api.listTenants()).toEqual([])
    const added = await host.web.api.addTenant(host.fakes!.tenantInput)
    const report = await host.web.api.testConnection({
      tenantId: added.id,
      policyTypes: ['deviceConfiguration']
    })
    expect(report).toMatchObject({ auth: { ok: true } })
  }, 60_000)
})
