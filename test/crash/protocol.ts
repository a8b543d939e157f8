/** What the crash child prints, one JSON object per stdout line (shared by child.ts and crash.test.ts). */
export type ChildLine =
  | { kind: 'ready'; pid: number }
  /** statements: SQLite statements the child executed so far (the unit kill points are placed in) */
  | { kind: 'started'; runId: number; statements: number }
  | {
      kind: 'page'
      runId: number
      policyTypes: string[]
      pageIndex: number
      items: number
      runObserved: number
    }
  | { kind: 'finished'; runId: number; status: string; statements: number }

/** The https origin the crash tenant is configured with; the child routes it to the parent's fake. */
export const CRASH_GRAPH_ORIGIN = 'https://graph.crash.test'
export const CRASH_LOGIN_ORIGIN = 'https://login.crash.test'
