/**
 * The slice of WHATWG fetch the engine uses; global fetch fits. Injected so the demo and the tests route
 * requests. `redirect: 'manual'` is always sent so a redirect can never carry the bearer token elsewhere.
 */
export type FetchLike = (
  url: string,
  init: { method: 'GET'; headers: Record<string, string>; signal?: AbortSignal; redirect?: 'manual' }
) => Promise<Response>
