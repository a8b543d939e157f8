/** What the API shows of a sync that has not ended: queued or running. */
export interface ActiveSyncView {
  requestId: string
  tenantId: string
  runId?: number
}

/**
 * The syncs that have not ended, by request id, with the run id once it is known: one implementation of
 * "which syncs are active" and "which one does this id name" (a request id or a run id) for the engine on
 * the worker and for its host on the API thread, each keeping its own extra per entry.
 */
export class ActiveSyncs<T extends ActiveSyncView> {
  private readonly entries = new Map<string, T>()

  add(entry: T): void {
    this.entries.set(entry.requestId, entry)
  }

  get(requestId: string): T | undefined {
    return this.entries.get(requestId)
  }

  /** the entry named by a request id or a run id */
  find(id: string | number): T | undefined {
    for (const e of this.entries.values()) if (e.requestId === id || e.runId === id) return e
    return undefined
  }

  remove(requestId: string): T | undefined {
    const e = this.entries.get(requestId)
    this.entries.delete(requestId)
    return e
  }

  hasRun(runId: number): boolean {
    return this.find(runId) !== undefined
  }

  all(): T[] {
    return [...this.entries.values()]
  }

  get size(): number {
    return this.entries.size
  }

  list(): ActiveSyncView[] {
    return this.all().map(({ requestId, tenantId, runId }) => ({
      requestId,
      tenantId,
      ...(runId !== undefined ? { runId } : {})
    }))
  }
}
