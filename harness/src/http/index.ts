// The kit's HTTP layer: send() for one request, waitForHttp() for "is it up yet?", AdminApi for the
// gateway's Admin API. Everything of the kit that speaks HTTP (except the bench's load generators) goes through it.

export { ADMIN_READY_MS, CONNECT_TIMEOUT_MS, PROBE_TIMEOUT_MS, TOTAL_TIMEOUT_MS, type Timeouts } from './timeouts.js';
export { HttpRequestError, maskUrlCredentials, type HttpFailure } from './errors.js';
export { headerRecord, openConnections, send, type ConnectionOptions, type Connections, type HeaderPairs, type HttpResponse, type SendOptions } from './send.js';
export { HttpWaitError, waitForHttp, type WaitForHttpOptions } from './wait-for-http.js';
export {
  ADMIN_API_TARGET,
  AdminApi,
  AdminApiError,
  answerMessage,
  nodeAdminApis,
  waitForAdminApi,
  type AdminApiOptions,
  type AdminHealth,
  type CounterCount,
  type PostConfigResult,
} from './admin-api.js';
