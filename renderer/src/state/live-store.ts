import { useMemo, useSyncExternalStore } from 'react'
import type { SyncEvent } from '../atlas-client'
import {
  isActive,
  pendingSync,
  PENDING_REQUEST,
  reduceLive,
  type LiveState,
  type LiveSync
} from './live-sync'

/**
 * The live sync state lives outside React state so that an engine event re-renders only what shows it (the
 * live panel's changed rows, the tenant's live cell, the header's counter), not the whole window: with the
 * state in the shell, every event re-rendered the current screen (a 100k-row inventory, the tenants table)
 * and put the first running type on screen tens of milliseconds after its event arrived. Subscribers read
 * it with useSyncExternalStore, which renders synchronously, straight from the socket's message task.
 */
export type LiveAction =
  | { kind: 'event'; event: SyncEvent; now: number }
  | { kind: 'attach'; sync: LiveSync }
  | { kind: 'pending'; tenantId: string; policyTypes: string[] }
  | { kind: 'refused'; tenantId: string }

export function liveReducer(state: LiveState, action: LiveAction): LiveState {
  switch (action.kind) {
    case 'attach':
      return { ...state, [action.sync.tenantId]: action.sync }
    case 'pending':
      // a sync already running keeps its rows: the engine answers the second start itself
      if (isActive(state[action.tenantId])) return state
      return { ...state, [action.tenantId]: pendingSync(action.tenantId, action.policyTypes) }
    case 'refused': {
      if (state[action.tenantId]?.requestId !== PENDING_REQUEST) return state
      const rest = { ...state }
      delete rest[action.tenantId]
      return rest
    }
    case 'event':
      return reduceLive(state, action.event, action.now)
  }
}

export interface LiveStore {
  get(): LiveState
  dispatch(action: LiveAction): void
  /** called after every change, with the state before it (for announcements that say what changed) */
  subscribe(listener: (before: LiveState) => void): () => void
}

export function createLiveStore(initial: LiveState = {}): LiveStore {
  let state = initial
  const listeners = new Set<(before: LiveState) => void>()
  return {
    get: () => state,
    dispatch(action) {
      const before = state
      state = liveReducer(state, action)
      if (state === before) return
      for (const l of [...listeners]) l(before)
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    }
  }
}

/** Every tenant's live sync (the live panel). */
export function useLiveState(store: LiveStore): LiveState {
  return useSyncExternalStore(store.subscribe, store.get)
}

/**
 * One tenant's live sync: the reducer keeps the other tenants' objects as they were, so a row re-renders
 * only for its own tenant's events.
 */
export function useLiveSync(store: LiveStore, tenantId: string): LiveSync | undefined {
  return useSyncExternalStore(store.subscribe, () => store.get()[tenantId])
}

/** Ids of the tenants syncing now (queued or running), sorted; a new set only when that changes. */
export function activeTenantIds(state: LiveState): string[] {
  return Object.values(state)
    .filter(isActive)
    .map((s) => s.tenantId)
    .sort()
}

export function useActiveTenants(store: LiveStore): ReadonlySet<string> {
  // a string snapshot is compared by value, so page progress does not re-render the subscriber
  const key = useSyncExternalStore(store.subscribe, () => JSON.stringify(activeTenantIds(store.get())))
  return useMemo(() => new Set(JSON.parse(key) as string[]), [key])
}
