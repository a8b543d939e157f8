import { AtlasError } from '../../domain/error-codes'
import type { Clock } from '../util/clock'

export interface LimiterOptions {
  /** runs at once across all tenants */
  global: number
  /** runs at once for one tenant */
  perTenant: number
  /** waiting requests beyond this are refused at once */
  maxQueue: number
  /** a waiting request is refused after this long; undefined = wait until granted or cancelled */
  waitTimeoutMs?: number
  clock: Clock
}

export interface Permit {
  readonly tenantId: string
  release(): void
}

export interface QueuedRequest {
  id: string
  tenantId: string
  enqueuedAt: number
}

interface Waiter extends QueuedRequest {
  grant: (permit: Permit) => void
  refuse: (err: AtlasError) => void
}

/**
 * Global + per-tenant run limiter. Waiting requests are visible (`snapshot`) and cancellable (AbortSignal);
 * a refusal is an AtlasError with CONCURRENCY_LIMIT_GLOBAL / CONCURRENCY_LIMIT_TENANT so the caller records
 * a skipped run instead of failing silently. Permits are released exactly once, whatever happens.
 */
export class ConcurrencyLimiter {
  private running = 0
  private readonly perTenant = new Map<string, number>()
  private queue: Waiter[] = []

  constructor(private readonly opts: LimiterOptions) {
    if (opts.global < 1 || opts.perTenant < 1) throw new Error('limits must be >= 1')
  }

  acquire(
    tenantId: string,
    args: { id: string; signal?: AbortSignal; onQueued?: (position: number) => void }
  ): Promise<Permit> {
    if (args.signal?.aborted) return Promise.reject(cancelled())
    // work-conserving: drain() grants freed slots at once, so a waiter never stays queued while it could
    // run; a new request that fits may start without waiting behind another tenant's queued request
    if (this.canRun(tenantId)) return Promise.resolve(this.take(tenantId))
    if (this.queue.length >= this.opts.maxQueue)
      return Promise.reject(this.refusal(tenantId, 'queue is full'))

    return new Promise<Permit>((resolve, reject) => {
      const timeoutAbort = new AbortController()
      const cleanup = (): void => {
        timeoutAbort.abort()
        args.signal?.removeEventListener('abort', onAbort)
        this.queue = this.queue.filter((w) => w !== waiter)
      }
      const waiter: Waiter = {
        id: args.id,
        tenantId,
        enqueuedAt: this.opts.clock.now(),
        grant: (permit) => {
          cleanup()
          resolve(permit)
        },
        refuse: (err) => {
          cleanup()
          reject(err)
        }
      }
      const onAbort = (): void => waiter.refuse(cancelled())
      args.signal?.addEventListener('abort', onAbort, { once: true })
      this.queue.push(waiter)
      args.onQueued?.(this.queue.length)
      if (this.opts.waitTimeoutMs !== undefined) {
        this.opts.clock.sleep(this.opts.waitTimeoutMs, timeoutAbort.signal).then(
          () => {
            if (this.queue.includes(waiter))
              waiter.refuse(this.refusal(tenantId, 'request waited too long for a free slot'))
          },
          () => undefined // timer cancelled because the waiter was granted or refused
        )
      }
    })
  }

  snapshot(): { running: number; perTenant: Record<string, number>; queued: QueuedRequest[] } {
    return {
      running: this.running,
      perTenant: Object.fromEntries(this.perTenant),
      queued: this.queue.map(({ id, tenantId, enqueuedAt }) => ({ id, tenantId, enqueuedAt }))
    }
  }

  private canRun(tenantId: string): boolean {
    return this.running < this.opts.global && (this.perTenant.get(tenantId) ?? 0) < this.opts.perTenant
  }

  private take(tenantId: string): Permit {
    this.running++
    this.perTenant.set(tenantId, (this.perTenant.get(tenantId) ?? 0) + 1)
    let released = false
    return {
      tenantId,
      release: () => {
        if (released) return
        released = true
        this.running--
        const n = (this.perTenant.get(tenantId) ?? 1) - 1
        if (n <= 0) this.perTenant.delete(tenantId)
        else this.perTenant.set(tenantId, n)
        this.drain()
      }
    }
  }

  /** Grants freed slots in FIFO order, skipping waiters whose tenant is still at its own limit. */
  private drain(): void {
    for (const waiter of [...this.queue]) {
      if (this.running >= this.opts.global) return
      if (this.canRun(waiter.tenantId)) waiter.grant(this.take(waiter.tenantId))
    }
  }

  private refusal(tenantId: string, why: string): AtlasError {
    const tenantFull = (this.perTenant.get(tenantId) ?? 0) >= this.opts.perTenant
    return tenantFull
      ? new AtlasError(
          'CONCURRENCY_LIMIT_TENANT',
          `This tenant already runs ${this.opts.perTenant} sync(s) at once and the ${why}.`
        )
      : new AtlasError(
          'CONCURRENCY_LIMIT_GLOBAL',
          `${this.opts.global} sync(s) already run at once and the ${why}.`
        )
  }
}

function cancelled(): AtlasError {
  return new AtlasError('CANCELLED', 'The sync was cancelled while it waited for a free slot.')
}
