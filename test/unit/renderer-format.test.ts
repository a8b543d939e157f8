import { describe, expect, it } from 'vitest'
import { visibleText } from '../../renderer/src/format'

/** Names are stored as Graph sent them; the window shows every one of their characters, none invisibly. */
describe('visibleText', () => {
  it('shows line breaks and tabs as symbols, so words stay apart on one row', () => {
    expect(visibleText('Line one\nLine two\r\nLine three')).toBe('Line one⏎Line two⏎Line three')
    expect(visibleText('Tab\tseparated\tname')).toBe('Tab⇥separated⇥name')
    expect(visibleText('\r=starts with CR')).toBe('⏎=starts with CR')
  })

  it('replaces other controls and bidi overrides, leaving the rest as it is', () => {
    expect(visibleText('Red \u001b[31malert\u0007')).toBe('Red \ufffd[31malert\ufffd')
    expect(visibleText('Invoice \u202egnp.exe')).toBe('Invoice \ufffdgnp.exe')
    expect(visibleText('nul\u0000 c1\u0085 ls\u2028 iso\u2066')).toBe('nul\ufffd c1\ufffd ls\ufffd iso\ufffd')
    expect(visibleText('  Ünïcode ✓ 🚀 日本 "quoted", =1+1  ')).toBe('  Ünïcode ✓ 🚀 日本 "quoted", =1+1  ')
  })
})
