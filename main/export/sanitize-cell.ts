/**
 * Turns one exported value into the text of a CSV cell, neutralising spreadsheet formula injection.
 *
 * Why: exported names and descriptions come from client tenants, i.e. from people we do not control. Excel,
 * LibreOffice and Google Sheets evaluate a cell whose text starts with a formula trigger, so a policy named
 * `=HYPERLINK("http://evil","click")` would become a live link (or worse, DDE) in the consultant's
 * spreadsheet. RFC 4180 quoting does not help: the spreadsheet unquotes first and evaluates afterwards.
 * OWASP's CSV injection guidance (https://owasp.org/www-community/attacks/CSV_Injection, and ASVS 5.0
 * V1.2.10) is to prefix such cells with a single quote, which spreadsheets treat as "this is text".
 * The rule is documented for users in docs/csv-format.md; keep both in step.
 */

export type CellKind = 'text' | 'number' | 'timestamp' | 'boolean'
export type CellValue = string | number | boolean | null | undefined

/**
 * Leading characters that make a spreadsheet parse the cell as a formula: the OWASP list (= + - @ TAB CR),
 * NUL (ASVS 5.0 lists it), and the full-width forms of = + - @ that Apple Numbers folds to ASCII
 * (csv-stringify's `escape_formulas` carries the same empirical list).
 * The pattern matches a trigger as the first character, or right after leading whitespace: spreadsheets trim
 * leading blanks before deciding whether a cell is a formula, so `"  =1+1"` is just as dangerous.
 * `\s` is Unicode aware (NBSP, ideographic space, BOM...), which is what we want here.
 */
const FORMULA_START = /^\s*[=+\-@\t\r\0\uFF1D\uFF0B\uFF0D\uFF20]/

export const FORMULA_ESCAPE_PREFIX = "'"

/**
 * Prefixes `'` when the text could be evaluated as a formula; returns everything else unchanged.
 * A text that itself starts with `'` is prefixed too: otherwise `'=x` (a real name) and `=x` (escaped) would
 * both come out as `'=x`, and a script reading the file could not tell which one the tenant had.
 * With this, "drop one leading `'`" (restoreNeutralized) always gives the original text back.
 */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) || text.startsWith(FORMULA_ESCAPE_PREFIX)
    ? FORMULA_ESCAPE_PREFIX + text
    : text
}

/** Inverse of neutralizeFormula, for programs that read our CSV files back. */
export function restoreNeutralized(cell: string): string {
  return cell.startsWith(FORMULA_ESCAPE_PREFIX) ? cell.slice(FORMULA_ESCAPE_PREFIX.length) : cell
}

/**
 * Cell text for a value of a column of the given kind.
 * - null / undefined: empty cell (we never write "null").
 * - a finite number in a `number` column: written as is, NOT prefixed. A count of -2 is a number and must
 *   stay one for SUM/sort in the spreadsheet; a JS number cannot carry a formula.
 * - booleans: `true` / `false`.
 * - everything else (text, timestamps, and numbers that arrive in non-numeric columns) goes through
 *   neutralizeFormula. A non-finite number in a number column has no meaningful value: empty cell.
 */
export function formatCell(value: CellValue, kind: CellKind = 'text'): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number') {
    if (kind === 'number') return Number.isFinite(value) ? String(value) : ''
    return neutralizeFormula(String(value))
  }
  return neutralizeFormula(value)
}
