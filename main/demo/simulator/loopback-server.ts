import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * Listens on 127.0.0.1 on a port the system picks (never another interface: the fakes answer anyone who
 * connects) and gives back the base URL and a close that also drops kept-alive and hanging connections.
 */
export async function listenOnLoopback(
  server: Server,
  scheme: 'http' | 'https' = 'http'
): Promise<{ baseUrl: string; close(): Promise<void> }> {
  server.on('clientError', (_err, socket) => socket.destroy())
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  return {
    baseUrl: `${scheme}://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
