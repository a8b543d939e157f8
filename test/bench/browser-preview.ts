/**
 * Goal: sorting, filtering and scrolling the inventory preview in the browser costs at most 2× as much on
 * 100k rows as on 1k rows. It drives the built renderer (out/renderer) in Chromium through playwright-core,
 * with window.atlas stubbed so the page holds N generated items; the engine is not involved.
 * Until a table exists in renderer/ the goal is reported as not measured, never as passed.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, relative, resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { goal, type BenchSection } from './bench-types'
import { median, round } from './measure'

/** Markers of a virtualised inventory grid in the renderer sources. */
const TABLE_MARKERS = [/useVirtualizer\s*\(/, /data-testid=["']inventory-table["']/]
const CHROMIUM = '/usr/bin/chromium'
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run'
]

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(tsx?|jsx?|css|html)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
}

export function findInventoryTable(rendererDir: string): string | undefined {
  return sourceFiles(rendererDir)
    .filter((file) => /\.(tsx?|jsx?)$/.test(file))
    .find((file) => {
      const text = readFileSync(file, 'utf8')
      return TABLE_MARKERS.some((m) => m.test(text))
    })
}

/**
 * Builds with electron-vite when out/renderer is missing or older than a renderer source, so the bench
 * never measures a stale page. Returns an error text when the build fails.
 */
export function ensureRendererBuilt(rootDir: string, rendererDir: string, outDir: string): string | null {
  const index = join(outDir, 'index.html')
  const newest = Math.max(...sourceFiles(rendererDir).map((f) => statSync(f).mtimeMs))
  if (existsSync(index) && statSync(index).mtimeMs >= newest) return null
  const bin = join(rootDir, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  const res = spawnSync(process.execPath, [bin, 'build'], { cwd: rootDir, encoding: 'utf8' })
  return res.status === 0 ? null : `electron-vite build failed: ${(res.stderr || res.stdout).slice(-500)}`
}

const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml'
}

/** A static server for the built renderer on 127.0.0.1 and a port the OS picks. */
export async function serveStatic(dir: string): Promise<{ url: string; server: Server }> {
  const root = resolve(dir)
  const server = createServer((req, res) => {
    let file = resolve(root, `.${decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)}`)
    if (file.endsWith('/') || file === root) file = join(file, 'index.html')
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' })
    res.end(readFileSync(file))
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}/`, server }
}

/**
 * window.atlas for the page: one tenant, no runs, and `rows` generated inventory items served through
 * listInventory pages exactly as the channel would (limit/offset, total). Plain JS text, not a function:
 * tsx would inject its own helpers into a serialised function, and they do not exist in the page.
 */
export function atlasStub(rows: number): string {
  return `(() => {
  const N = ${rows}
  const ok = (value) => Promise.resolve({ ok: true, value })
  const types = ['deviceConfiguration', 'deviceCompliancePolicy', 'configurationPolicy', 'mobileApp',
    'windowsAutopilotDeploymentProfile', 'groupPolicyConfiguration', 'deviceManagementScript',
    'managedAppProtection', 'windowsFeatureUpdateProfile', 'deviceEnrollmentConfiguration']
  const platforms = ['windows', 'ios', 'android', 'macos', 'all']
  const categories = ['configuration', 'compliance', 'apps', 'enrollment', 'scripts']
  const words = ['Baseline', 'WiFi', 'VPN', 'Kiosk', 'BitLocker', 'Edge', 'Defender', 'Office', 'Teams',
    'Finance', 'Sales', 'Contoso', 'Fabrikam', 'Pilot', 'Ring', 'Legacy', 'Corporate', 'BYOD']
  let seed = 42
  // mulberry32: a seeded generator whose low bits are usable with %, so the data is the same every run
  const rnd = (n) => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t)
    return ((t ^ (t >>> 14)) >>> 0) % n
  }
  const items = new Array(N)
  const t0 = Date.parse('2026-11-01T00:00:00Z')
  for (let i = 0; i < N; i++) {
    const p = rnd(types.length)
    items[i] = { id: i + 1, tenantId: 't1', policyType: types[p], category: categories[p % categories.length],
      platform: platforms[rnd(platforms.length)], externalId: 'ext-' + i,
      displayName: words[rnd(words.length)] + ' ' + words[rnd(words.length)] + ' ' + rnd(100000),
      meta: {}, firstSeenAt: new Date(t0).toISOString(), firstSeenRunId: 1,
      lastSeenAt: new Date(t0 + rnd(1000000) * 1000).toISOString(), lastSeenRunId: 2,
      updatedAt: new Date(t0).toISOString() }
  }
  const tenants = [{ id: 't1', displayName: 'Bench tenant', isDemo: false, cloud: 'global', azureTenantId: 'bench.invalid' }]
  window.atlas = new Proxy({}, { get: (_t, k) => {
    if (k === 'on') return () => () => {}
    if (k === 'appStatus') return () => ok({ version: '0', dataDir: '/x', credentialStorage: { kind: 'memory', persistent: true, warning: null } })
    if (k === 'listTenants') return () => ok(tenants)
    if (k === 'listCategories') return () => ok([{ key: 'apps', label: 'Apps', policyTypes: [] }])
    if (k === 'listRuns') return () => ok([])
    if (k === 'listPolicyTypes' || k === 'activeSyncs') return () => ok([])
    if (k === 'listInventory') return (input) => {
      const offset = input.offset ?? 0
      return ok({ total: N, items: items.slice(offset, offset + (input.limit ?? 500)) })
    }
    return () => ok(null)
  } })
})()`
}

/**
 * In-page timing. Each interaction is timed from the moment it is triggered (click, input event,
 * scrollTop) until the frame that shows changed rows has been painted: rows are checked once per
 * animation frame, and a message posted from that frame's rAF callback is delivered after its paint.
 */
const PROBE = `window.__preview = (() => {
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()))
  const afterPaint = () => new Promise((r) => requestAnimationFrame(() => {
    const c = new MessageChannel(); c.port1.onmessage = () => r(); c.port2.postMessage(0)
  }))
  const box = () => document.querySelector('[data-testid="inventory-table"]')
  const signature = () => {
    const rows = box().querySelectorAll('[data-testid="inventory-row"]')
    const count = document.querySelector('[data-testid="inventory-count"]')?.textContent ?? ''
    return count + '|' + rows.length + '|' + (rows[0]?.getAttribute('data-index') ?? '') + '|' +
      (rows[0]?.textContent ?? '') + '|' + (rows[rows.length - 1]?.textContent ?? '')
  }
  async function time(act) {
    await afterPaint()
    const before = signature()
    const t0 = performance.now()
    act()
    for (let i = 0; i < 1200; i++) {
      if (signature() !== before) { await afterPaint(); return performance.now() - t0 }
      await frame()
    }
    throw new Error('the rows did not change')
  }
  const headers = () => [...box().querySelectorAll('[role="columnheader"] button')]
  const setFilter = (text) => {
    const input = document.querySelector('input[aria-label="Filter inventory"]')
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, text)
    input.dispatchEvent(new Event('input', { bubbles: true }))
  }
  return {
    sort: (col) => time(() => headers()[col].click()),
    filter: (text) => time(() => setFilter(text)),
    scrollTo: (fraction) => time(() => { const el = box(); el.scrollTop = fraction * (el.scrollHeight - el.clientHeight) }),
    rowCount: () => box().querySelectorAll('[data-testid="inventory-row"]').length
  }
})()`

interface SizeResult {
  rows: number
  loadMs: number
  sortMs: number[]
  filterMs: number[]
  scrollMs: number[]
}

/** Opens the app with `rows` items, goes to Inventory in the nav and waits until every item is loaded. */
export async function openInventory(
  browser: Browser,
  url: string,
  rows: number
): Promise<{ page: Page; loadMs: number }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 700 } })
  await page.addInitScript({ content: atlasStub(rows) })
  await page.addInitScript({ content: PROBE })
  await page.goto(url)
  const nav = page.getByRole('navigation').getByText('Inventory', { exact: true })
  await nav.waitFor()
  const started = Date.now()
  await nav.click()
  await page
    .getByTestId('inventory-count')
    // the page formats counts in its locale (Chromium's default here: en-US)
    .filter({ hasText: `${rows.toLocaleString('en-US')} items` })
    .waitFor({ timeout: 120_000 })
  return { page, loadMs: Date.now() - started }
}

async function measureSize(browser: Browser, url: string, rows: number, runs: number, warmup: number) {
  const { page, loadMs } = await openInventory(browser, url, rows)
  const call = (expr: string): Promise<number> => page.evaluate(expr) as Promise<number>
  const result: SizeResult = { rows, loadMs, sortMs: [], filterMs: [], scrollMs: [] }
  try {
    // sort: Name asc → desc → unsorted, then Type; every click changes the visible order
    const sortCols = [1, 1, 1, 0, 0, 0]
    for (let i = 0; i < warmup + runs; i++) {
      const ms = await call(`window.__preview.sort(${sortCols[i % sortCols.length]})`)
      if (i >= warmup) result.sortMs.push(ms)
    }
    // filter: apply a term (measured), then clear it (not measured) so every run starts from all rows
    const terms = ['wifi', 'kiosk', 'mobileapp', 'edge', 'script', 'sales ring']
    for (let i = 0; i < warmup + runs; i++) {
      const ms = await call(`window.__preview.filter(${JSON.stringify(terms[i % terms.length])})`)
      await call(`window.__preview.filter('')`)
      if (i >= warmup) result.filterMs.push(ms)
    }
    // scroll: middle, end, top, ... of the whole list
    const stops = [0.5, 1, 0]
    for (let i = 0; i < warmup + runs; i++) {
      const ms = await call(`window.__preview.scrollTo(${stops[i % stops.length]})`)
      if (i >= warmup) result.scrollMs.push(ms)
    }
    const rendered = await call('window.__preview.rowCount()')
    if (rendered > 200) throw new Error(`${rendered} rows in the DOM: the table is not virtualised`)
  } finally {
    await page.close()
  }
  return result
}

function notMeasured(note: string, setup: Record<string, unknown>): BenchSection {
  return {
    name: 'Browser preview (sort / filter / scroll)',
    goals: [
      goal({
        id: 'preview.100kVs1k',
        title: 'Preview sort / filter / scroll latency, 100k rows vs 1k rows',
        ratio: null,
        goal: '<= 2',
        definition:
          'median interaction latency on 100k rows / the same on 1k rows (Chromium, playwright-core)',
        context: {},
        note
      })
    ],
    findings: [note],
    setup
  }
}

export async function benchBrowserPreview(opts: {
  rendererDir: string
  small?: number
  large?: number
  runs?: number
  warmup?: number
}): Promise<BenchSection> {
  const { small = 1000, large = 100_000, runs = 7, warmup = 2 } = opts
  const table = findInventoryTable(opts.rendererDir)
  const setup: Record<string, unknown> = {
    rendererDir: relative(process.cwd(), opts.rendererDir) || '.',
    tableFound: table ? relative(process.cwd(), table) : 'none'
  }
  if (!table) {
    return notMeasured(
      'Not measured yet: no table renderer. renderer/src has no inventory table to sort, filter or scroll ' +
        '(the app only lists tenants and runs).',
      setup
    )
  }
  if (!existsSync(CHROMIUM)) return notMeasured(`Not measured: no Chromium at ${CHROMIUM}.`, setup)
  const rootDir = resolve(opts.rendererDir, '..')
  const outDir = join(rootDir, 'out', 'renderer')
  const buildError = ensureRendererBuilt(rootDir, opts.rendererDir, outDir)
  if (buildError) return notMeasured(`Not measured: ${buildError}`, setup)

  const { url, server } = await serveStatic(outDir)
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  let results: SizeResult[]
  try {
    results = []
    for (const rows of [small, large]) results.push(await measureSize(browser, url, rows, runs, warmup))
  } finally {
    await browser.close()
    server.close()
  }
  const [a, b] = results as [SizeResult, SizeResult]
  const kinds = ['sort', 'filter', 'scroll'] as const
  const ratios = Object.fromEntries(
    kinds.map((k) => [k, median(b[`${k}Ms`]) / median(a[`${k}Ms`])])
  ) as Record<(typeof kinds)[number], number>
  const worst = kinds.reduce((w, k) => (ratios[k] > ratios[w] ? k : w), kinds[0])
  const context: Record<string, unknown> = {}
  for (const k of kinds) {
    context[`${k}MedianMs`] = {
      [small]: round(median(a[`${k}Ms`]), 1),
      [large]: round(median(b[`${k}Ms`]), 1)
    }
    context[`${k}Ratio`] = round(ratios[k], 2)
  }
  context.initialLoadMs = { [small]: a.loadMs, [large]: b.loadMs }
  const findings = [
    `Worst interaction: ${worst} (${round(ratios[worst], 2)}×). Latency = trigger → the frame showing ` +
      'changed rows has painted (60 Hz frames, so ~16 ms is the floor on the small side).'
  ]
  for (const k of kinds) {
    if (ratios[k] > 2)
      findings.push(
        `${k} misses the goal: ${round(median(b[`${k}Ms`]), 1)} ms on ${large} rows vs ` +
          `${round(median(a[`${k}Ms`]), 1)} ms on ${small}.`
      )
  }
  return {
    name: 'Browser preview (sort / filter / scroll)',
    goals: [
      goal({
        id: 'preview.100kVs1k',
        title: 'Preview sort / filter / scroll latency, 100k rows vs 1k rows',
        ratio: ratios[worst],
        goal: '<= 2',
        definition:
          'median interaction latency on 100k rows / the same on 1k rows, worst of sort, filter and scroll ' +
          '(Chromium, playwright-core, stubbed window.atlas)',
        context
      })
    ],
    findings,
    setup: {
      ...setup,
      rows: [small, large],
      runs,
      warmup,
      chromium: CHROMIUM,
      viewport: '1200×700',
      interactions:
        'sort: header clicks (Name, Type); filter: a term typed into the box; scroll: middle, end, top'
    }
  }
}
