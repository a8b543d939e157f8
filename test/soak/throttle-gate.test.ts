/**
 * Found by the soak's timeline check, reduced to one deterministic case (a regression test since the fix).
 *
 * main/graph/graph-client.ts fetchPage() used to check the tenant's throttle gate inside `pacer.acquire(...)`
 * and send the request only after `await session.getToken(...)`. When getting the
 * token takes real time (MSAL refreshing an expired token over the network, about once an hour), another
 * collection of the same tenant can receive a 429 in between: the client then knows the tenant is paused
 * and still sends this request into the pause. The fake's `violations` cannot see it (it only flags retries
 * of the same collection), so this test checks the client-side timeline, like the soak does.
 *
 * Fixed by fetching the token before taking the pacing slot: acquire → fetch has no await in between.
 */
import { afterEach, expect, it } from 'vitest'
import type { TenantAuthConfig, TokenProvider } from '../../main/auth/token-provider'
import { createHarness, syncAndWait, type Harness } from '../support/harness'

let h: Harness | undefined
afterEach(async () => h?.close())

/** Answers at once, except one call that waits until the test opens it (a token refresh on the wire). */
class OneSlowTokenProvider implements TokenProvider {
  private calls = 0
  release!: () => void
  private readonly released = new Promise<void>((r) => (this.release = r))
  constructor(private readonly slowCall: number) {}
  async getToken(_cfg: TenantAuthConfig): Promise<string> {
    this.calls++
    if (this.calls === this.slowCall) await this.released
    return 'test-token'
  }
  forget(): void {}
}

it('sends no request of a tenant after it learned of a 429 pause and before the pause ends', async () => {
  // call 1: the run's up-front token; calls 2 and 3: the first request of each of the two collections
  const tokens = new OneSlowTokenProvider(3)
  const fetches: Array<{ at: number; url: string }> = []
  const clockRef: { now?: () => number } = {}
  h = await createHarness({
    size: 200,
    atlas: { tokenProvider: tokens },
    wrapFetch: (f) => (url, init) => {
      fetches.push({ at: clockRef.now!(), url })
      return f(url, init)
    }
  })
  const harness = h
  clockRef.now = () => harness.clock.now()
  // the first request to arrive (the collection whose token came at once) is throttled for 10 s
  h.fake.script({ times: 1, fault: { kind: 'status429', retryAfter: 'int', seconds: 10 } })
  let pausedUntil = 0
  h.atlas.onSyncEvent((e) => {
    if (e.kind !== 'throttled') return
    pausedUntil = harness.clock.now() + e.waitSeconds * 1000
    // the other collection's token arrives only now: the client already knows about the pause
    tokens.release()
  })
  const run = await syncAndWait(h, { policy_types: ['compliancePolicy', 'mobileApp'] })
  expect(run.status).toBe('success')
  expect(pausedUntil).toBeGreaterThan(0)
  const afterPause = fetches.slice(1) // the throttled request itself came first
  expect(afterPause.length).toBeGreaterThanOrEqual(2)
  for (const f of afterPause) expect(f.at, f.url).toBeGreaterThanOrEqual(pausedUntil)
})
