import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { LockOwner } from '../../db/repositories/locks-repo'

/**
 * Engine instances alive in this thread's process: a lock owned by a closed (or crashed worker) instance
 * of this pid is stale. The sync worker thread has its own module copy and cannot see this set, so it
 * asks `ownerAliveCheck(() => true)`: the API thread reclaims a dead worker's locks itself.
 */
const liveInstances = new Set<string>()

export function newLockOwner(): LockOwner {
  return { host: hostname(), pid: process.pid, instance: randomUUID() }
}

export function markInstanceLive(instance: string, live: boolean): void {
  if (live) liveInstances.add(instance)
  else liveInstances.delete(instance)
}

/**
 * Is the process that owns a lock still running? Same host: ask the OS (kill 0), or for this very process
 * `sameProcess` (by default the registry of live engine instances). Another host: unknown, so trust the
 * lease expiry.
 */
export function ownerAliveCheck(
  sameProcess: (instance: string) => boolean = (instance) => liveInstances.has(instance)
): (owner: LockOwner) => boolean {
  return (owner) => {
    if (owner.host !== hostname()) return true
    if (owner.pid === process.pid) return sameProcess(owner.instance)
    try {
      process.kill(owner.pid, 0)
      return true
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM'
    }
  }
}

export const isOwnerAlive = ownerAliveCheck()
