import { afterEach, describe, expect, it } from 'vitest'
import {
  INTENT_TEMPLATES,
  INTENT_TEMPLATES_PATH,
  type FakeItem
} from '../../main/demo/simulator/graph-catalog'
import { startGraphFake, type GraphFake } from '../../main/demo/simulator/graph-fake'
import { generateTenant } from '../../main/demo/simulator/tenant-generator'
import { getPolicyType, INTENT_TEMPLATE_PLATFORM } from '../../main/graph/registry'
import { normalizeItem } from '../../main/inventory/normalize-item'
import { FakeClock } from '../support/fake-clock'

// issue 13 item 6: a legacy endpoint security intent gets the platform of its Microsoft template
const intentType = getPolicyType('endpointSecurityIntent')!
const INTENTS = '/deviceManagement/intents'

function platformOf(intent: FakeItem): string {
  const result = normalizeItem(intentType, intent)
  if (!result.ok) throw new Error(result.reason)
  return result.item.platform
}

/** Graph's deviceManagementTemplatePlatform values as the platform column names them. */
const TEMPLATE_PLATFORM: Record<string, string> = { windows10AndLater: 'windows', macOS: 'macos' }

describe('endpointSecurityIntent platform', () => {
  it.each([
    ['034ccd46-190c-4afc-adf1-ad7cc11262eb', 'windows'], // MDM security baseline
    ['cef15778-c3b9-4d53-a00a-042929f0aad0', 'windows'], // Windows 365 baseline
    ['a8d6fa0e-1e66-455b-bb51-8ce0dde1559e', 'windows'], // Edge baseline
    ['d1174162-1dd2-4976-affc-6667049ab0ae', 'windows'], // BitLocker
    ['A239407C-698D-4EF8-B314-E3AE409204B8', 'macos'], // FileVault, id in another case
    ['4356d05c-a4ab-4a07-9ece-739f7c792910', 'unknown'], // a template not in the table
    ['', 'unknown'],
    [null, 'unknown']
  ])('template %s → %s', (templateId, platform) => {
    expect(platformOf({ id: 'i1', displayName: 'Intent', templateId })).toBe(platform)
    expect(platformOf({ id: 'i1', displayName: 'No template id' })).toBe('unknown')
  })

  it("agrees with the platformType of every template the fake knows, or says 'unknown'", () => {
    for (const template of INTENT_TEMPLATES) {
      const id = template.id as string
      const expected = Object.hasOwn(INTENT_TEMPLATE_PLATFORM, id)
        ? TEMPLATE_PLATFORM[template.platformType as string]
        : 'unknown'
      expect(platformOf({ id: 'i', displayName: 'x', templateId: id }), id).toBe(expected)
    }
    // the fake exercises both outcomes
    const outcomes = new Set(INTENT_TEMPLATES.map((t) => platformOf({ id: 'i', templateId: t.id })))
    expect([...outcomes].sort()).toEqual(['macos', 'unknown', 'windows'])
  })

  it('every generated intent names a template the fake serves', () => {
    const data = generateTenant({ seed: 3, size: 2000 })
    const served = new Set(INTENT_TEMPLATES.map((t) => t.id))
    const intents = data[INTENTS] ?? []
    expect(intents.length).toBeGreaterThan(0)
    for (const intent of intents) expect(served.has(intent.templateId as string)).toBe(true)
  })
})

describe('the fake serves /deviceManagement/templates', () => {
  let fake: GraphFake | undefined
  afterEach(async () => {
    await fake?.close()
    fake = undefined
  })

  it('lists the templates with their platformType next to the intents', async () => {
    const data = generateTenant({ seed: 3, size: 500 })
    fake = await startGraphFake({
      clock: new FakeClock(),
      data: { ...data, [INTENT_TEMPLATES_PATH]: [...INTENT_TEMPLATES] }
    })
    const res = await fetch(`${fake.graphBaseUrl}${INTENT_TEMPLATES_PATH}`, {
      headers: { authorization: 'Bearer t' }
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { value: FakeItem[] }
    expect(body.value.map((t) => [t.id, t.platformType]).sort()).toEqual(
      INTENT_TEMPLATES.map((t) => [t.id, t.platformType]).sort()
    )
  })
})
