import { describe, expect, it } from 'vitest'
import { hasUnsafeText } from '../../domain/unsafe-text'
import { addTenantSchema } from '../../main/tenants/tenant-input'
import { safeText } from '../../main/cli/output'
import { hasUnsafeText as pageHasUnsafeText, visibleText } from '../../renderer/src/format'

const ALL_BMP_UP_TO = 0x3000
const chars = Array.from({ length: ALL_BMP_UP_TO }, (_, cp) => String.fromCodePoint(cp))

describe('one rule for characters that change how text is shown', () => {
  it('the page refuses in names and hides in shown text exactly what the engine calls unsafe', () => {
    for (const ch of chars) {
      const unsafe = hasUnsafeText(ch)
      expect(pageHasUnsafeText(ch), `U+${ch.codePointAt(0)!.toString(16)}`).toBe(unsafe)
      expect(visibleText(ch) !== ch, `U+${ch.codePointAt(0)!.toString(16)}`).toBe(unsafe)
      expect(safeText(ch) !== ch, `U+${ch.codePointAt(0)!.toString(16)}`).toBe(unsafe)
    }
  })

  it('covers controls, separators and every bidi embedding, override and isolate', () => {
    const unsafe = chars.filter(hasUnsafeText).map((c) => c.codePointAt(0)!)
    expect(unsafe).toHaveLength(32 + 1 + 32 + 2 + 5 + 4)
    expect(unsafe).toEqual(expect.arrayContaining([0x1b, 0x7f, 0x85, 0x2028, 0x202e, 0x2066, 0x2069]))
    // repeated calls do not depend on the global regex's lastIndex
    expect([hasUnsafeText('a\u202e'), hasUnsafeText('a\u202e'), hasUnsafeText('ok')]).toEqual([
      true,
      true,
      false
    ])
  })

  it('refuses a tenant name with a right-to-left override, and names the reason', () => {
    const input = {
      displayName: 'Contoso \u202egnp.exe',
      azureTenantId: 'contoso.onmicrosoft.com',
      clientId: '11111111-2222-3333-4444-555555555555',
      cloud: 'global',
      credential: { kind: 'secret', value: 's' }
    }
    const refused = addTenantSchema.safeParse(input)
    expect(refused.success).toBe(false)
    expect(refused.error?.issues[0]?.message).toBe(
      'the display name contains control or text-direction characters'
    )
    expect(addTenantSchema.safeParse({ ...input, displayName: 'Contoso Ägypten 東京' }).success).toBe(true)
  })
})
