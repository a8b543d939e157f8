import { afterEach, describe, expect, it } from 'vitest'
import { fittedTimeAxis, timeAxis, type TimeAxis, type TimeStep } from '../../renderer/src/time-axis'

/**
 * The runs timeline's x-axis: a few ticks at whole steps of the local clock, each with its own label, for
 * runs seconds apart up to years apart, in zones with daylight saving and with odd offsets. The process's
 * time zone is switched per test (Node applies a TZ change at once, to Date and to Intl alike).
 */
const ZONES = ['UTC', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe'] as const
const savedTz = process.env.TZ

afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ
  else process.env.TZ = savedTz
})

const at = (iso: string) => new Date(iso)
const labels = (axis: TimeAxis) => axis.ticks.map(axis.format)

/** Whether a tick sits on a whole step of the local clock or calendar. */
function onStep(d: Date, { unit, count }: TimeStep): boolean {
  const midnight = d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0
  switch (unit) {
    case 'second':
      return d.getMilliseconds() === 0 && d.getSeconds() % count === 0
    case 'minute':
      return d.getSeconds() === 0 && d.getMilliseconds() === 0 && d.getMinutes() % count === 0
    case 'hour':
      return d.getMinutes() === 0 && d.getSeconds() === 0 && d.getHours() % count === 0
    case 'day':
      return midnight
    case 'week':
      return midnight && d.getDay() === 1
    case 'month':
      return midnight && d.getDate() === 1 && d.getMonth() % count === 0
    case 'year':
      return midnight && d.getDate() === 1 && d.getMonth() === 0 && d.getFullYear() % count === 0
  }
}

// [what, start, end, the step expected]
const SPANS: Array<[string, string, string, TimeStep]> = [
  [
    'runs seconds apart',
    '2026-12-04T10:25:24.300Z',
    '2026-12-04T10:25:30.800Z',
    { unit: 'second', count: 1 }
  ],
  [
    'runs under a minute apart',
    '2026-12-04T10:25:24Z',
    '2026-12-04T10:26:04Z',
    { unit: 'second', count: 10 }
  ],
  ['three minutes', '2026-12-04T10:25:24Z', '2026-12-04T10:28:24Z', { unit: 'second', count: 30 }],
  ['twenty minutes', '2026-12-04T10:25:24Z', '2026-12-04T10:45:24Z', { unit: 'minute', count: 5 }],
  ['two and a half hours', '2026-12-04T10:25:24Z', '2026-12-04T12:55:24Z', { unit: 'minute', count: 30 }],
  ['ten hours', '2026-12-04T10:25:24Z', '2026-12-04T20:25:24Z', { unit: 'hour', count: 2 }],
  ['thirty hours', '2026-12-04T10:25:24Z', '2026-12-05T16:25:24Z', { unit: 'hour', count: 6 }],
  ['four days', '2026-12-04T10:25:24Z', '2026-12-08T10:25:24Z', { unit: 'day', count: 1 }],
  ['sixteen days', '2026-12-01T10:25:24Z', '2026-12-17T10:25:24Z', { unit: 'day', count: 3 }],
  ['three weeks', '2026-12-04T10:25:24Z', '2026-12-25T10:25:24Z', { unit: 'week', count: 1 }],
  ['four months', '2026-09-04T10:25:24Z', '2026-12-25T10:25:24Z', { unit: 'month', count: 1 }],
  ['eight months', '2026-01-10T10:25:24Z', '2026-09-10T10:25:24Z', { unit: 'month', count: 2 }],
  ['two years', '2024-09-04T10:25:24Z', '2026-12-25T10:25:24Z', { unit: 'month', count: 6 }],
  ['forty years', '1986-09-04T10:25:24Z', '2026-12-25T10:25:24Z', { unit: 'year', count: 10 }]
]

describe('timeAxis', () => {
  for (const zone of ZONES) {
    it.each(SPANS)(
      `%s (${zone}): at most 6 whole-step ticks inside the span, labels distinct`,
      (_, a, b, step) => {
        process.env.TZ = zone
        const axis = timeAxis(at(a), at(b), { locale: 'en-GB' })
        expect(axis.step).toEqual(step)
        expect(axis.ticks.length).toBeGreaterThanOrEqual(2)
        expect(axis.ticks.length).toBeLessThanOrEqual(6)
        for (const [i, t] of axis.ticks.entries()) {
          expect(+t).toBeGreaterThanOrEqual(+at(a))
          expect(+t).toBeLessThanOrEqual(+at(b))
          if (i > 0) expect(+t).toBeGreaterThan(+axis.ticks[i - 1]!)
          expect(onStep(t, step), `${t.toString()} on a ${step.count} ${step.unit} step`).toBe(true)
        }
        expect(new Set(labels(axis)).size).toBe(axis.ticks.length)
      }
    )
  }

  it('labels ticks seconds apart with the time to the second, not bare repeated seconds', () => {
    process.env.TZ = 'UTC'
    const axis = timeAxis(at('2026-12-04T10:25:24.300Z'), at('2026-12-04T10:25:30.800Z'), { locale: 'en-GB' })
    expect(labels(axis)).toEqual(['10:25:25', '10:25:26', '10:25:27', '10:25:28', '10:25:29', '10:25:30'])
  })

  it('writes the time in the locale’s clock: HH:mm where it counts to 23, its own hours where to 12', () => {
    process.env.TZ = 'UTC'
    const [start, end] = [at('2026-12-04T08:25:24Z'), at('2026-12-04T10:55:24Z')]
    expect(labels(timeAxis(start, end, { locale: 'en-GB' }))).toEqual([
      '08:30',
      '09:00',
      '09:30',
      '10:00',
      '10:30'
    ])
    expect(labels(timeAxis(start, end, { locale: 'en-US' }))).toEqual([
      '8:30 AM',
      '9:00 AM',
      '9:30 AM',
      '10:00 AM',
      '10:30 AM'
    ])
  })

  it('adds the date when ticks hours apart would read the same time on two days', () => {
    process.env.TZ = 'UTC'
    const axis = timeAxis(at('2026-12-03T10:25:24Z'), at('2026-12-05T22:25:24Z'), { locale: 'en-GB' })
    expect(axis.step).toEqual({ unit: 'hour', count: 12 })
    expect(labels(axis)).toEqual([
      '3 Dec, 12:00',
      '4 Dec, 00:00',
      '4 Dec, 12:00',
      '5 Dec, 00:00',
      '5 Dec, 12:00'
    ])
  })

  it('shows a short date at day and week steps, and the month with its year at month steps', () => {
    process.env.TZ = 'UTC'
    expect(labels(timeAxis(at('2026-12-04T10:00Z'), at('2026-12-08T10:00Z'), { locale: 'en-GB' }))).toEqual([
      '5 Dec',
      '6 Dec',
      '7 Dec',
      '8 Dec'
    ])
    expect(labels(timeAxis(at('2026-09-04T10:00Z'), at('2026-12-25T10:00Z'), { locale: 'en-US' }))).toEqual([
      'Oct 2026',
      'Nov 2026',
      'Dec 2026'
    ])
  })

  it('names the zone when the clock goes back and an hour repeats', () => {
    process.env.TZ = 'America/New_York'
    // 01:00 EDT to 01:30 EST: the same half hours twice
    const axis = timeAxis(at('2026-11-01T05:00:00Z'), at('2026-11-01T06:30:00Z'), { locale: 'en-US' })
    expect(labels(axis)).toEqual([
      'Nov 1, 1:00 AM EDT',
      'Nov 1, 1:30 AM EDT',
      'Nov 1, 1:00 AM EST',
      'Nov 1, 1:30 AM EST'
    ])
  })

  it('keeps hour steps on the local clock across the spring change, skipping the hour that does not exist', () => {
    process.env.TZ = 'America/New_York'
    const sixHours = timeAxis(at('2026-03-08T03:00:00Z'), at('2026-03-09T05:00:00Z'), { locale: 'en-GB' })
    expect(sixHours.ticks.map((t) => t.getHours())).toEqual([0, 6, 12, 18, 0])
    const hourly = timeAxis(at('2026-03-08T05:30:00Z'), at('2026-03-08T09:00:00Z'), { locale: 'en-GB' })
    expect(labels(hourly)).toEqual(['01:00', '03:00', '04:00', '05:00'])
  })

  it('aligns minute steps on the local clock at a +5:45 offset', () => {
    process.env.TZ = 'Asia/Kathmandu'
    const axis = timeAxis(at('2026-12-04T10:25:24Z'), at('2026-12-04T11:40:00Z'), { locale: 'en-GB' })
    expect(axis.step).toEqual({ unit: 'minute', count: 15 })
    expect(labels(axis)).toEqual(['16:15', '16:30', '16:45', '17:00', '17:15'])
  })

  it('takes the span in either order, and honours a smaller tick budget', () => {
    process.env.TZ = 'UTC'
    const [a, b] = [at('2026-12-04T10:25:24Z'), at('2026-12-04T12:55:24Z')]
    expect(timeAxis(b, a).ticks).toEqual(timeAxis(a, b).ticks)
    const three = timeAxis(a, b, { maxTicks: 3 })
    expect(three.step).toEqual({ unit: 'hour', count: 1 })
    expect(three.ticks.length).toBeLessThanOrEqual(3)
  })

  it('puts one tick at the start of a span too short to hold a whole second', () => {
    process.env.TZ = 'UTC'
    const start = at('2026-12-04T10:25:24.100Z')
    const axis = timeAxis(start, at('2026-12-04T10:25:24.600Z'), { locale: 'en-GB' })
    expect(axis.ticks).toEqual([start])
    expect(labels(axis)).toEqual(['10:25:24'])
  })

  it('refuses instants that are not dates, and a budget of no ticks, with a clear error', () => {
    expect(() => timeAxis(Number.NaN, 0)).toThrow(/two valid instants/)
    expect(() => timeAxis(new Date('not a date'), 0)).toThrow(/two valid instants/)
    expect(() => timeAxis(0, 1e300)).toThrow(/two valid instants/)
    expect(() => timeAxis(0, 1000, { maxTicks: 0 })).toThrow(/at least one tick/)
  })
})

describe('fittedTimeAxis', () => {
  const start = Date.parse('2026-12-01T08:00:00Z')

  it('gives a wide chart up to six ticks and a narrower one fewer, so labels do not touch', () => {
    process.env.TZ = 'UTC'
    const end = start + 25_000
    const wide = fittedTimeAxis(start, end, 1000, { locale: 'en-US' })
    expect(wide.step).toEqual({ unit: 'second', count: 5 })
    expect(labels(wide)).toEqual([
      '8:00:00 AM',
      '8:00:05 AM',
      '8:00:10 AM',
      '8:00:15 AM',
      '8:00:20 AM',
      '8:00:25 AM'
    ])
    expect(labels(fittedTimeAxis(start, end, 250, { locale: 'en-US' }))).toEqual([
      '8:00:00 AM',
      '8:00:10 AM',
      '8:00:20 AM'
    ])
    expect(labels(fittedTimeAxis(start, end, 150, { locale: 'en-US' }))).toEqual(['8:00:00 AM', '8:00:15 AM'])
    // a wider character estimate is a narrower chart
    expect(fittedTimeAxis(start, end, 1000, { locale: 'en-US', charPx: 20 }).ticks.length).toBeLessThan(6)
  })

  it('prefers fewer day ticks to a crowd of dates with times', () => {
    process.env.TZ = 'UTC'
    const [a, b] = [Date.parse('2026-12-03T10:25:24Z'), Date.parse('2026-12-05T22:25:24Z')]
    expect(labels(fittedTimeAxis(a, b, 1000, { locale: 'en-US' }))).toEqual([
      'Dec 3, 12:00 PM',
      'Dec 4, 12:00 AM',
      'Dec 4, 12:00 PM',
      'Dec 5, 12:00 AM',
      'Dec 5, 12:00 PM'
    ])
    expect(labels(fittedTimeAxis(a, b, 420, { locale: 'en-US' }))).toEqual(['Dec 4', 'Dec 5'])
  })

  it('puts one tick on an axis with no width, and refuses a width that is not one', () => {
    process.env.TZ = 'UTC'
    expect(fittedTimeAxis(start, start + 25_000, 0).ticks).toHaveLength(1)
    expect(() => fittedTimeAxis(start, start + 25_000, -1)).toThrow(/width of zero or more pixels/)
    expect(() => fittedTimeAxis(start, start + 25_000, Number.NaN)).toThrow(/width of zero or more pixels/)
  })
})
