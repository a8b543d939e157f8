/**
 * The ticks of a time axis: a few instants at one whole step (5 s, 15 min, 6 h, 1 day…) and a label format
 * that fits that step, in the user's locale and time zone like every date the window shows (format.ts).
 * Left to itself the chart picks ticks in UTC and labels ticks seconds apart with bare, repeated seconds.
 */
export type TimeUnit = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year'

export interface TimeStep {
  unit: TimeUnit
  count: number
}

export interface TimeAxis {
  /** instants at whole steps of the local clock and calendar, inside [start, end], oldest first */
  ticks: Date[]
  step: TimeStep
  /** a tick's label; every tick's label differs from the others' */
  format: (date: Date) => string
}

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** Nominal length of each unit, only to order the steps and to skip ones that cannot fit. */
const UNIT_MS: Record<TimeUnit, number> = {
  second: SECOND,
  minute: MINUTE,
  hour: HOUR,
  day: DAY,
  week: 7 * DAY,
  month: 30 * DAY,
  year: 365 * DAY
}

/**
 * The steps tried, finest first: the first that needs at most `maxTicks` ticks is taken. Each is at most
 * two and a half times the one before, so the axis never drops to a lone tick where a few would fit.
 */
const STEPS: readonly TimeStep[] = [
  ...[1, 2, 5, 10, 15, 30].map((count) => ({ unit: 'second' as const, count })),
  ...[1, 2, 5, 10, 15, 30].map((count) => ({ unit: 'minute' as const, count })),
  ...[1, 2, 3, 6, 12].map((count) => ({ unit: 'hour' as const, count })),
  ...[1, 2, 3].map((count) => ({ unit: 'day' as const, count })),
  ...[1, 2].map((count) => ({ unit: 'week' as const, count })),
  ...[1, 2, 3, 6].map((count) => ({ unit: 'month' as const, count })),
  { unit: 'year', count: 1 }
]

/** Day number of a local calendar date (days since 1970-01-01), so day and week steps count whole days. */
function dayNumber(d: Date): number {
  return Math.round(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / DAY)
}

/** Local midnight of a day number. */
function fromDayNumber(n: number): number {
  const utc = new Date(n * DAY)
  return new Date(utc.getUTCFullYear(), utc.getUTCMonth(), utc.getUTCDate()).getTime()
}

/** 1970-01-05, day number 4, was a Monday: week steps start on Mondays (ISO 8601). */
const MONDAY = 4

function floorBy(n: number, step: number, origin = 0): number {
  return n - ((((n - origin) % step) + step) % step)
}

/** The local wall clock's offset from UTC at an instant. */
function offsetMs(t: number): number {
  return -new Date(t).getTimezoneOffset() * MINUTE
}

/**
 * The latest instant at a whole step at or before `t`. Seconds, minutes and single hours are fixed lengths
 * aligned on the local clock (a 15 min step lands on :00, :15… even at a +5:45 offset); longer steps are
 * counted on the local calendar, so 6 h ticks stay at 00:00, 06:00… across a daylight-saving change.
 */
function floorStep(t: number, { unit, count }: TimeStep): number {
  if (unit === 'second' || unit === 'minute' || (unit === 'hour' && count === 1)) {
    const len = UNIT_MS[unit] * count
    return t - ((((t + offsetMs(t)) % len) + len) % len)
  }
  const d = new Date(t)
  switch (unit) {
    case 'hour':
      return new Date(d.getFullYear(), d.getMonth(), d.getDate(), floorBy(d.getHours(), count)).getTime()
    case 'day':
      return fromDayNumber(floorBy(dayNumber(d), count))
    case 'week':
      return fromDayNumber(floorBy(dayNumber(d), 7 * count, MONDAY))
    case 'month': {
      const month = floorBy(d.getFullYear() * 12 + d.getMonth(), count)
      return new Date(Math.floor(month / 12), month % 12, 1).getTime()
    }
    default:
      return new Date(floorBy(d.getFullYear(), count), 0, 1).getTime()
  }
}

/** The next whole step after the whole step `t`. */
function nextStep(t: number, step: TimeStep): number {
  const d = new Date(t)
  let later: number
  switch (step.unit) {
    case 'hour':
      later = new Date(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours() + step.count).getTime()
      break
    case 'day':
    case 'week':
      later = fromDayNumber(dayNumber(d) + (step.unit === 'week' ? 7 : 1) * step.count)
      break
    case 'month':
      later = new Date(d.getFullYear(), d.getMonth() + step.count, 1).getTime()
      break
    case 'year':
      later = new Date(d.getFullYear() + step.count, 0, 1).getTime()
      break
    default:
      later = t + UNIT_MS[step.unit] * step.count
  }
  const aligned = floorStep(later, step)
  // a clock change can pull the aligned instant back to `t`; the nominal step always moves on
  return aligned > t ? aligned : t + UNIT_MS[step.unit] * step.count
}

/** The whole steps inside [start, end]; stops counting once there are more than `limit`. */
function ticksOf(start: number, end: number, step: TimeStep, limit: number): number[] {
  const ticks: number[] = []
  let t = floorStep(start, step)
  if (t < start) t = nextStep(t, step)
  while (t <= end && ticks.length <= limit) {
    ticks.push(t)
    t = nextStep(t, step)
  }
  return ticks
}

/** The steps of the list, then whole years beyond it: 2, 5, 10, 20, 50… */
function* candidateSteps(): Generator<TimeStep> {
  yield* STEPS
  for (let power = 1; ; power *= 10) {
    for (const m of power === 1 ? [2, 5] : [1, 2, 5]) yield { unit: 'year', count: m * power }
  }
}

const SHORT_DATE: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric' }

/**
 * The locale's clock with two-digit hours where it counts 0–23 ("09:05", as its short time style writes
 * it; `hour: 'numeric'` alone would give "9:05") and its own hours where it counts 1–12 ("9:05 AM").
 */
function clockOf(locale: string | undefined, seconds: boolean): Intl.DateTimeFormatOptions {
  const cycle = new Intl.DateTimeFormat(locale, { hour: 'numeric' }).resolvedOptions().hourCycle
  const hour = cycle === 'h23' || cycle === 'h24' ? '2-digit' : 'numeric'
  return seconds ? { hour, minute: '2-digit', second: '2-digit' } : { hour, minute: '2-digit' }
}

/**
 * Label formats for a unit, shortest first. A longer one is used when a shorter one would give two ticks
 * the same label: a date is added when ticks hours apart fall on different days at the same time, and the
 * zone's name when the clock goes back and an hour repeats.
 */
function formatsFor(unit: TimeUnit, locale: string | undefined): Intl.DateTimeFormatOptions[] {
  switch (unit) {
    case 'second':
    case 'minute':
    case 'hour': {
      const clock = clockOf(locale, unit === 'second')
      return [clock, { ...SHORT_DATE, ...clock }, { ...SHORT_DATE, ...clock, timeZoneName: 'short' }]
    }
    case 'day':
    case 'week':
      return [SHORT_DATE, { ...SHORT_DATE, year: 'numeric' }]
    case 'month':
      return [{ month: 'short', year: 'numeric' }]
    default:
      return [{ year: 'numeric' }]
  }
}

function labelFormat(ticks: readonly Date[], unit: TimeUnit, locale: string | undefined) {
  const formats = formatsFor(unit, locale).map((o) => new Intl.DateTimeFormat(locale, o))
  const distinct = formats.find((f) => new Set(ticks.map((t) => f.format(t))).size === ticks.length)
  const chosen = distinct ?? formats[formats.length - 1]!
  return (date: Date) => chosen.format(date)
}

/**
 * Ticks for an axis from `start` to `end` (instants or dates, either order): the finest whole step that
 * needs at most `maxTicks` of them. A span shorter than a second that holds no whole second gets one tick at
 * its start. `locale` is for tests; the window leaves it to the page's default, as format.ts does.
 */
export function timeAxis(
  start: Date | number,
  end: Date | number,
  { maxTicks = 6, locale }: { maxTicks?: number; locale?: string } = {}
): TimeAxis {
  let from = +start
  let to = +end
  // a Date holds at most ±8.64e15 ms; beyond that every calendar field is NaN
  if (Number.isNaN(new Date(from).getTime()) || Number.isNaN(new Date(to).getTime())) {
    throw new RangeError(`A time axis needs two valid instants, got ${String(start)} and ${String(end)}.`)
  }
  if (!Number.isInteger(maxTicks) || maxTicks < 1) {
    throw new RangeError(`A time axis needs at least one tick, got maxTicks = ${maxTicks}.`)
  }
  if (to < from) [from, to] = [to, from]
  const span = to - from
  for (const step of candidateSteps()) {
    // a step that would need several times too many ticks is not walked at all
    if (span / (UNIT_MS[step.unit] * step.count) > 2 * maxTicks + 2) continue
    let ticks = ticksOf(from, to, step, maxTicks)
    if (ticks.length > maxTicks) continue
    if (ticks.length === 0) ticks = [from]
    const dates = ticks.map((t) => new Date(t))
    return { ticks: dates, step, format: labelFormat(dates, step.unit, locale) }
  }
  throw new Error('unreachable: year steps grow without bound')
}

/**
 * How much wider than the span the chart's domain may be: it rounds its ends outward to whole units (d3's
 * `nice()`), which squeezes the ticks together, in practice by less than this.
 */
const NICE_SLACK = 1.15
/** Room between two labels, in pixels. */
const LABEL_GAP = 10

/**
 * The axis for a chart `widthPx` wide: the most ticks, up to `maxTicks`, whose labels do not touch. A label
 * is taken as `charPx` a character (the chart's axis text is small: 10 px) and needs its tick's share of
 * the width plus a gap, so a narrow chart or long labels (a date with the time) get fewer ticks.
 */
export function fittedTimeAxis(
  start: Date | number,
  end: Date | number,
  widthPx: number,
  { maxTicks = 6, charPx = 5.6, locale }: { maxTicks?: number; charPx?: number; locale?: string } = {}
): TimeAxis {
  if (!Number.isFinite(widthPx) || widthPx < 0) {
    throw new RangeError(`A time axis needs a width of zero or more pixels, got ${widthPx}.`)
  }
  const span = Math.abs(+end - +start)
  for (let n = maxTicks; n > 1; n--) {
    const axis = timeAxis(start, end, { maxTicks: n, locale })
    if (axis.ticks.length < 2) return axis
    const closest = Math.min(...axis.ticks.slice(1).map((t, i) => +t - +axis.ticks[i]!))
    const room = (widthPx * closest) / (span * NICE_SLACK)
    const longest = Math.max(...axis.ticks.map((t) => axis.format(t).length))
    if (room >= longest * charPx + LABEL_GAP) return axis
  }
  return timeAxis(start, end, { maxTicks: 1, locale })
}
