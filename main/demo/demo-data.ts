/**
 * What the demo simulator serves per scenario. A module of its own because it pulls in the tenant
 * generator: demo-tenant.ts loads it with the simulator, at the first demo request, so an engine that
 * never syncs the demo does not evaluate it.
 */

import type { GraphFake } from './simulator/graph-fake'
import { deleteRandomItems, generateTenant, type FakeTenantData } from './simulator/tenant-generator'
import {
  DEMO_DELETED_COUNT,
  DEMO_FORBIDDEN_PATH,
  DEMO_FORBIDDEN_SCOPES,
  DEMO_SEED,
  DEMO_SIZE,
  type DemoScenario
} from './demo-constants'

/** The demo's tenant data for a scenario: the same seed every time, so every newcomer sees the same tenant. */
export function demoData(scenario: DemoScenario): FakeTenantData {
  const data = generateTenant({ seed: DEMO_SEED, size: DEMO_SIZE, profile: 'realistic' })
  if (scenario === 'changed') {
    // Deletions come from types that are still collected, so they show up as `absent` (certain), while the
    // forbidden type's objects show up as `not_collected` (unknown): the two reasons side by side.
    const paths = Object.keys(data).filter(
      (p) => p !== DEMO_FORBIDDEN_PATH && p !== '/deviceManagement/roleScopeTags'
    )
    deleteRandomItems(data, { seed: DEMO_SEED + 1, count: DEMO_DELETED_COUNT, paths })
  }
  return data
}

export function demoFaults(
  scenario: DemoScenario,
  throttleSeconds: number
): Parameters<GraphFake['script']>[0][] {
  const rules: Parameters<GraphFake['script']>[0][] = []
  if (throttleSeconds > 0) {
    // Throttling as Intune does it: a 429 with Retry-After on the busiest collections, honoured by the engine.
    rules.push(
      {
        path: '/deviceAppManagement/mobileApps',
        times: 1,
        fault: { kind: 'status429', retryAfter: 'int', seconds: throttleSeconds }
      },
      {
        path: '/deviceManagement/configurationPolicies',
        times: 1,
        afterRequests: 1,
        fault: { kind: 'status429', retryAfter: 'decimal', seconds: throttleSeconds / 2 }
      }
    )
  }
  if (scenario === 'changed') {
    rules.push({
      path: DEMO_FORBIDDEN_PATH,
      times: Infinity,
      fault: { kind: 'forbidden', scopes: DEMO_FORBIDDEN_SCOPES }
    })
  }
  return rules
}
