/**
 * Characters that change how text around them is shown rather than being shown: C0 and C1 controls (ANSI
 * escapes, BEL, CR, line breaks, tabs), DEL, the line and paragraph separators, and the bidi embeddings,
 * overrides and isolates (a right-to-left override makes "gnp.exe" read "exe.png"). Names from a client
 * tenant may contain them and are shown safely on every surface; names the consultant types (tenant
 * names) are refused when they contain them. The page keeps one copy (renderer/src/format.ts: it may
 * import only the contract), held equal by test/unit/unsafe-text.test.ts.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this names
export const UNSAFE_TEXT_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

/** search() ignores the global regex's lastIndex, so this is safe to call again and again */
export function hasUnsafeText(s: string): boolean {
  return s.search(UNSAFE_TEXT_CHARS) !== -1
}
