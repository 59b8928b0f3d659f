// Free loopback ports (process/free-port.ts); waiting for a server to answer is waitForHttp of harness/src/http.

export { freePort } from '../process/free-port.js';
