import { plural } from './format'

/**
 * The live panel's words for a sync Graph asked to wait (HTTP 429 or 503 with Retry-After): the countdown
 * leads (ui-design.md §4, "Waiting 12 s"), then what happened and what it means for the held types. The
 * tenant is not named: the panel's section heading above already says whose sync it is. Nothing for the
 * user to do: the engine resumes by itself, and the sentence says so, so nobody cancels a healthy sync.
 */

/** Held types named one by one; past this the rest are counted ("and 5 more types"). */
const NAMED_TYPES = 3

const listFormat = new Intl.ListFormat(undefined, { type: 'conjunction' })

export interface ThrottleNotice {
  title: string
  body: string
}

export function throttleNotice(
  secondsLeft: number,
  httpStatus: number,
  heldTypeLabels: string[]
): ThrottleNotice {
  const title = `Waiting ${secondsLeft} s`
  const asked = `Graph asked to wait (HTTP ${httpStatus}).`
  if (heldTypeLabels.length === 0) return { title, body: `${asked} The sync resumes by itself.` }
  const named = heldTypeLabels.slice(0, NAMED_TYPES)
  const rest = heldTypeLabels.length - named.length
  const items = rest > 0 ? [...named, plural(rest, 'more type', 'more types')] : named
  const resume = heldTypeLabels.length === 1 ? 'resumes by itself' : 'resume by themselves'
  return { title, body: `${asked} ${listFormat.format(items)} ${resume}.` }
}
