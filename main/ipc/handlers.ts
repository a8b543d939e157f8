import { BRIDGE_METHODS, CHANNEL_NAMES } from '../../preload/channel-names'
import type {
  ChannelHandlers,
  ChannelName,
  DemoOutcome,
  EventName,
  EventPayloads,
  ExportOutcome,
  PackOutcome,
  ParsedInput
} from '../../preload/contract'
import type { AtlasApi } from '../app/atlas-api'
import type { Logger } from '../util/logger'
import { silentLogger } from '../util/logger'
import { createProgressCoalescer, type CoalescerTimers } from './progress-coalescer'

/**
 * Channels → engine calls. Deliberately dumb: inputs arrive already parsed by the contract (dispatch.ts),
 * and the engine does all semantic validation. A channel is served by the AtlasApi method its bridge
 * method is named after (channel-names.ts), called with the parsed input object, so most channels need no
 * code here; SPECIAL lists the rest: engine methods with positional arguments, what the page may not
 * claim (a run's trigger), and what only the desktop edge can supply (the save dialog, the demo).
 */
export interface HandlerDeps {
  api: AtlasApi
  /** creates (once) and syncs the demo tenant against its simulator */
  exploreDemo: () => Promise<DemoOutcome>
  /** asks the user where to save; undefined when the dialog is closed without choosing */
  chooseSavePath: (suggestedName: string) => Promise<string | undefined>
  /**
   * asks the user where the audit pack folder goes (a save dialog without a file type in the app); the web
   * host, without dialogs, picks a free name as it does for files (chooseSavePath, the default)
   */
  choosePackFolder?: (suggestedName: string) => Promise<string | undefined>
}

function specialHandlers(deps: HandlerDeps) {
  const { api } = deps
  return {
    'tenants:get': ({ idOrName }) => api.getTenant(idOrName),
    'tenants:remove': ({ idOrName }) => api.removeTenant(idOrName),
    // The page cannot claim another trigger (cli, test…): a run started here was a button press.
    'sync:start': ({ tenantId, selection }) => api.startSync({ tenantId, selection, trigger: 'button' }),
    'sync:cancel': ({ id }) => api.cancelSync(id),
    'runs:get': ({ runId }) => api.getRun(runId),
    'runs:ledger': ({ runId }) => api.getRunLedger(runId),
    'export:csv': (input) => exportWithDialog(deps, input),
    'demo:explore': () => deps.exploreDemo(),
    'export:pack': (input) => packWithDialog(deps, input)
  } satisfies Partial<ChannelHandlers>
}

type SpecialChannel = keyof ReturnType<typeof specialHandlers>
type DerivedChannel = Exclude<ChannelName, SpecialChannel>

/**
 * Compile-time proof that deriving is sound: for every other channel, what the contract lets through is
 * what the engine method takes (nothing, for channels without input).
 */
type Assert<T extends true> = T
type Fits<K extends DerivedChannel> = K extends DerivedChannel
  ? [ParsedInput<K>] extends [Parameters<AtlasApi[(typeof BRIDGE_METHODS)[K]]>[0]]
    ? true
    : false
  : never
export type _DerivedChannelsFit = Assert<false extends Fits<DerivedChannel> ? false : true>

export function createHandlers(deps: HandlerDeps): ChannelHandlers {
  const special: Partial<Record<ChannelName, unknown>> = specialHandlers(deps)
  const handlers = Object.fromEntries(
    CHANNEL_NAMES.map((channel) => {
      const method = BRIDGE_METHODS[channel] as keyof AtlasApi
      const derived = (input: unknown): unknown =>
        (deps.api[method] as (i?: unknown) => unknown).call(deps.api, input)
      return [channel, special[channel] ?? derived]
    })
  )
  return handlers as ChannelHandlers
}

async function exportWithDialog(deps: HandlerDeps, input: ParsedInput<'export:csv'>): Promise<ExportOutcome> {
  const path = await deps.chooseSavePath(suggestedFileName(input))
  if (!path) return { canceled: true }
  const written = await deps.api.exportCsv({ ...input, path })
  return { canceled: false, ...written }
}

/** A name the dialog proposes: view and tenant, reduced to characters every file system accepts. */
export function suggestedFileName(input: Pick<ParsedInput<'export:csv'>, 'view' | 'tenant'>): string {
  const tenant = typeof input.tenant === 'string' ? input.tenant : 'all-tenants'
  const safe = tenant
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 60)
  return `tenant-atlas-${input.view}${safe ? `-${safe}` : ''}.csv`
}

/**
 * The audit pack's folder, chosen like an export's file: the save dialog proposes a folder name (the web host
 * a free one under its export folder), and the engine creates it. The page never names a path.
 */
async function packWithDialog(deps: HandlerDeps, input: ParsedInput<'export:pack'>): Promise<PackOutcome> {
  const dir = await (deps.choosePackFolder ?? deps.chooseSavePath)(suggestedPackName(input.tenant))
  if (!dir) return { canceled: true }
  const { dir: written, manifest } = await deps.api.exportAuditPack({ tenant: input.tenant, dir })
  return {
    canceled: false,
    dir: written,
    files: manifest.files.map((f) => ({ name: f.name, rows: f.rows, sha256: f.sha256 }))
  }
}

/** "tenant-atlas-pack-Contoso": the folder name the dialog proposes (no extension: it is a folder). */
export function suggestedPackName(tenant: string): string {
  return suggestedFileName({ view: 'inventory', tenant })
    .replace(/^tenant-atlas-inventory/, 'tenant-atlas-pack')
    .replace(/\.csv$/, '')
}

/** Where a pushed event goes: the WebContents of our windows, the web host's sockets, a spy in tests. */
export interface EventTarget {
  isDestroyed(): boolean
  send<E extends EventName>(channel: E, payload: EventPayloads[E]): void
}

/**
 * The one event forwarder of both transports (Electron windows, the web host's sockets): engine sync
 * events go out as 'sync:progress', page progress coalesced to about ten a second per sync
 * (progress-coalescer.ts), and when a run finishes its tenant's overview row follows as
 * 'tenants:overview-changed'. Events are small plain objects and only hints: the renderer re-reads the run
 * (runs:get) for the truth, so a window that missed some (reload, not yet open) loses nothing.
 */
export function forwardSyncEvents(
  api: Pick<AtlasApi, 'onSyncEvent' | 'tenantOverview'>,
  targets: () => Iterable<EventTarget>,
  opts: { timers?: CoalescerTimers; logger?: Logger } = {}
): () => void {
  const logger = opts.logger ?? silentLogger
  const send = <E extends EventName>(channel: E, payload: EventPayloads[E]): void => {
    for (const target of targets()) {
      if (!target.isDestroyed()) target.send(channel, payload)
    }
  }
  const coalescer = createProgressCoalescer(
    (event) => {
      send('sync:progress', event)
      if (event.kind !== 'finished') return
      try {
        const [row] = api.tenantOverview({ tenantId: event.tenantId })
        if (row) send('tenants:overview-changed', row)
      } catch (err) {
        // the list is re-read on the next open; a failed push must not stop the events
        logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'overview push failed')
      }
    },
    { timers: opts.timers }
  )
  const stop = api.onSyncEvent((event) => coalescer.push(event))
  return () => {
    stop()
    coalescer.close()
  }
}
