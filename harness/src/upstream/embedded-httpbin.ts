// An httpbin that needs nothing but Node: the endpoints the labs call, answering like Debian's
// httpbin 0.7.0 under gunicorn (same status codes, headers, and JSON bytes), except that it says
// `Server: labkit-httpbin` so nobody mistakes it for the real one.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ContradictorySchemeHeaders, HttpbinRequest } from './httpbin/request-view.js';
import { internalServerError, reasonPhrase, type HttpbinResponse } from './httpbin/responses.js';
import { dispatch, UnsendableStatus, type RouteContext } from './httpbin/routes.js';
import { PythonRandom } from './httpbin/python-random.js';
import { UpstreamStartError, type RunningUpstream } from './running-upstream.js';

export const EMBEDDED_SERVER_HEADER = 'labkit-httpbin';

/** gunicorn's own page for contradictory X-Forwarded-* scheme headers (sent before the app runs). */
const GUNICORN_BAD_SCHEME = Buffer.from(
  '<html>\n  <head>\n    <title>Bad Request</title>\n  </head>\n  <body>\n' +
    '    <h1><p>Bad Request</p></h1>\n    Contradictory scheme headers\n  </body>\n</html>\n',
);

class RequestGone extends Error {}

export async function startEmbeddedHttpbin(options: { host?: string; port?: number } = {}): Promise<RunningUpstream> {
  const host = options.host ?? '127.0.0.1';
  const random = new PythonRandom();
  const inFlight = new Set<AbortController>();
  // gunicorn accepts HTTP/1.1 requests without a Host header; so do we.
  const server = createServer({ requireHostHeader: false }, (req, res) => {
    const abort = new AbortController();
    inFlight.add(abort);
    res.on('close', () => {
      abort.abort();
      inFlight.delete(abort);
    });
    handle(req, res, { random, sleep: (ms) => sleep(ms, abort.signal) }).catch(() => res.destroy());
  });
  server.on('clientError', (_err, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new UpstreamStartError(
          `embedded httpbin cannot listen on ${host}:${options.port ?? 0}: ${err.code ?? err.message}. ` +
            'Choose another port, or leave the port out to get a free one.',
        ),
      ),
    );
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    kind: 'embedded-httpbin',
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    host,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const abort of inFlight) abort.abort(); // pending /delay waits end now
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, ctx: RouteContext): Promise<void> {
  res.on('error', () => undefined); // a client that vanished mid-write is not our failure
  const body = await readBody(req);
  if (body === undefined) return;

  let view: HttpbinRequest;
  try {
    view = new HttpbinRequest(req, body);
  } catch (err) {
    if (!(err instanceof ContradictorySchemeHeaders)) throw err;
    res.sendDate = false;
    res.writeHead(400, 'Bad Request', [
      'Server', EMBEDDED_SERVER_HEADER,
      'Connection', 'close',
      'Content-Type', 'text/html',
      'Content-Length', String(GUNICORN_BAD_SCHEME.length),
    ]);
    res.end(GUNICORN_BAD_SCHEME);
    return;
  }

  let response: HttpbinResponse;
  try {
    response = await dispatch(view, ctx);
  } catch (err) {
    if (err instanceof RequestGone) return;
    if (err instanceof UnsendableStatus) {
      res.destroy();
      return;
    }
    // Whatever would make Flask log a traceback answers its 500 page.
    response = internalServerError();
  }
  send(view, res, response);
}

function send(view: HttpbinRequest, res: ServerResponse, response: HttpbinResponse): void {
  const headers: string[] = ['Server', EMBEDDED_SERVER_HEADER];
  for (const [k, v] of response.headers) headers.push(k, v);
  // httpbin's after_request hook, on every response including errors.
  headers.push('Access-Control-Allow-Origin', view.header('Origin') ?? '*', 'Access-Control-Allow-Credentials', 'true');
  if (view.method === 'OPTIONS') {
    headers.push('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, PATCH, OPTIONS', 'Access-Control-Max-Age', '3600');
    const requested = view.header('Access-Control-Request-Headers');
    if (requested !== undefined) headers.push('Access-Control-Allow-Headers', requested);
  }
  const bodyless = response.status === 204 || response.status === 304;
  if (!bodyless && !response.headers.some(([k]) => k.toLowerCase() === 'content-length')) {
    headers.push('Content-Length', String(response.body.length));
  }
  try {
    res.writeHead(response.status, reasonPhrase(response.status), headers);
  } catch {
    // A header value /response-headers was asked to send is not valid HTTP: Werkzeug fails the same way.
    const fallback = internalServerError();
    const plain: string[] = ['Server', EMBEDDED_SERVER_HEADER];
    for (const [k, v] of fallback.headers) plain.push(k, v);
    plain.push('Access-Control-Allow-Origin', '*', 'Access-Control-Allow-Credentials', 'true');
    res.writeHead(fallback.status, reasonPhrase(fallback.status), plain);
    res.end(view.method === 'HEAD' ? undefined : fallback.body);
    return;
  }
  // HEAD keeps the GET answer's headers, Content-Length included, and sends no body.
  res.end(view.method === 'HEAD' || bodyless ? undefined : response.body);
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(undefined));
    req.on('close', () => {
      if (!req.complete) resolve(undefined);
    });
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new RequestGone());
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new RequestGone());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
