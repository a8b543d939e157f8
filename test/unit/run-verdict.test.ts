import { describe, expect, it } from 'vitest'
import { emptyTypeOutcome, type TypeOutcome } from '../../domain/run'
import { runVerdict } from '../../main/inventory/run-ledger'

// Pure checks of a run's verdict, fast enough to run for every mutant (npm run mutate).
const outcome = (status: TypeOutcome['status'], extra: Partial<TypeOutcome> = {}): TypeOutcome => ({
  ...emptyTypeOutcome(),
  status,
  ...extra
})

describe('runVerdict status', () => {
  it.each<[string, Record<string, TypeOutcome>, boolean, string]>([
    ['every type complete', { a: outcome('complete'), b: outcome('complete') }, false, 'success'],
    ['an empty selection', {}, false, 'success'],
    ['an empty selection with a fatal error', {}, true, 'failed'],
    ['one type skipped without a code', { a: outcome('complete'), b: outcome('skipped') }, false, 'partial'],
    ['one type still pending', { a: outcome('complete'), b: outcome('pending') }, false, 'partial'],
    ['all complete but a fatal error', { a: outcome('complete') }, true, 'partial'],
    ['no type complete', { a: outcome('failed'), b: outcome('skipped') }, false, 'failed'],
    ['a single failed type', { a: outcome('failed') }, false, 'failed']
  ])('%s → %s', (_name, outcomes, fatal, status) => {
    const v = runVerdict(outcomes, fatal ? { code: 'CANCELLED', message: 'stopped' } : undefined)
    expect(v.status).toBe(status)
  })
})

describe('runVerdict errors', () => {
  it('reports no error for a clean run', () => {
    expect(runVerdict({ a: outcome('complete') }, undefined)).toStrictEqual({
      status: 'success',
      hadErrors: false,
      errorCodes: [],
      errorContext: {},
      errorsCount: 0
    })
  })

  it('counts types not complete plus skipped and duplicate items', () => {
    const v = runVerdict(
      {
        a: outcome('complete', { skippedItems: 1, duplicateItems: 2 }),
        b: outcome('failed', { errorCode: 'GRAPH_UNAVAILABLE' }),
        c: outcome('skipped', { errorCode: 'GRAPH_NOT_LICENSED', skippedItems: 3 })
      },
      undefined
    )
    expect(v.errorsCount).toBe(2 + 1 + 2 + 3)
    expect(v.errorCodes).toEqual([
      'GRAPH_ITEM_INVALID',
      'GRAPH_NOT_LICENSED',
      'GRAPH_PAGING_INCONSISTENT',
      'GRAPH_UNAVAILABLE'
    ])
    expect(v.hadErrors).toBe(true)
  })

  it('names item warnings only when items were skipped or duplicated', () => {
    expect(runVerdict({ a: outcome('complete', { skippedItems: 1 }) }, undefined).errorCodes).toEqual([
      'GRAPH_ITEM_INVALID'
    ])
    expect(runVerdict({ a: outcome('complete', { duplicateItems: 1 }) }, undefined).errorCodes).toEqual([
      'GRAPH_PAGING_INCONSISTENT'
    ])
  })

  it('lists each code once, the fatal one included, sorted', () => {
    const v = runVerdict(
      {
        a: outcome('failed', { errorCode: 'GRAPH_UNAVAILABLE' }),
        b: outcome('failed', { errorCode: 'GRAPH_UNAVAILABLE' }),
        c: outcome('failed', { errorCode: 'GRAPH_FORBIDDEN' })
      },
      { code: 'CANCELLED', message: 'stopped by the user' }
    )
    expect(v.errorCodes).toEqual(['CANCELLED', 'GRAPH_FORBIDDEN', 'GRAPH_UNAVAILABLE'])
    expect(v.errorContext.fatal).toStrictEqual({ code: 'CANCELLED', message: 'stopped by the user' })
  })

  it('keeps a per-type context only for types with a code, with scopes and request id when known', () => {
    const v = runVerdict(
      {
        done: outcome('complete'),
        scoped: outcome('skipped', {
          errorCode: 'GRAPH_FORBIDDEN',
          errorMessage: 'missing permission X.Read.All',
          missingScopes: ['X.Read.All']
        }),
        plain: outcome('failed', { errorCode: 'GRAPH_UNAVAILABLE', errorMessage: 'Graph failed' })
      },
      undefined,
      { done: 'req-done', scoped: 'req-1', plain: '' }
    )
    expect(v.errorContext).toStrictEqual({
      types: {
        scoped: {
          code: 'GRAPH_FORBIDDEN',
          message: 'missing permission X.Read.All',
          missingScopes: ['X.Read.All'],
          requestId: 'req-1'
        },
        plain: { code: 'GRAPH_UNAVAILABLE', message: 'Graph failed' }
      }
    })
  })

  it('has no per-type context when only items were skipped', () => {
    const v = runVerdict({ a: outcome('complete', { skippedItems: 1 }) }, undefined)
    expect(v.errorContext).toStrictEqual({})
  })
})
