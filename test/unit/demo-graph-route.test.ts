import { describe, expect, it } from 'vitest'
import { MemorySecretStore } from '../../main/auth/secret-store'
import { createDemoEnvironment, DEMO_GRAPH_ORIGIN } from '../../main/demo/demo-tenant'

describe('the demo Graph route', () => {
  it('is one loopback server, started by the first ask, serving the simulator until close', async () => {
    const demo = createDemoEnvironment({ vault: new MemorySecretStore(), throttleSeconds: 0 })
    expect(demo.simulator()).toBeUndefined()
    const routes = await demo.graphRoutes()
    expect(Object.keys(routes)).toEqual([DEMO_GRAPH_ORIGIN])
    const base = routes[DEMO_GRAPH_ORIGIN]!
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(await demo.graphRoutes()).toEqual(routes)
    // the server is up before the simulator: its modules and data load with the first request
    expect(demo.simulator()).toBeUndefined()
    const res = await fetch(`${base}/beta/deviceManagement/deviceCompliancePolicies`, {
      headers: { Authorization: 'Bearer not-issued-by-the-demo-authority' }
    })
    expect(res.status).toBe(401)
    expect(demo.simulator()?.requests).toHaveLength(1)
    expect(demo.scenario).toBe('first')
    await demo.close()
    await expect(fetch(`${base}/beta/deviceManagement/deviceCompliancePolicies`)).rejects.toThrow()
  })
})
