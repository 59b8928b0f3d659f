import { describe, expect, it } from 'vitest';
import {
  defaultErrorMessage,
  mimeTypeOf,
  renderErrorBody,
  responseTypeFromAccept,
} from '../../src/http/error-response.js';

const ID = '1f8a6c1c9d0d1853d9db426588c1ce1c';

describe('kong.response.error bodies', () => {
  it('renders the workshop 401 byte for byte (Content-Length 96)', () => {
    const body = renderErrorBody('application/json; charset=utf-8', 'No API key found in request', ID);
    expect(body).toBe(`{\n  "message":"No API key found in request",\n  "request_id":"${ID}"\n}`);
    expect(Buffer.byteLength(body)).toBe(96);
  });

  it('has the lengths the page shows for Unauthorized (81) and the rate limit (92)', () => {
    expect(Buffer.byteLength(renderErrorBody('application/json; charset=utf-8', 'Unauthorized', ID))).toBe(81);
    expect(Buffer.byteLength(renderErrorBody('application/json; charset=utf-8', 'API rate limit exceeded', ID))).toBe(92);
    expect(Buffer.byteLength(renderErrorBody('application/json; charset=utf-8', 'no Route matched with those values', ID))).toBe(103);
  });

  it('renders text, html and xml like Kong', () => {
    expect(renderErrorBody('text/plain; charset=utf-8', 'Unauthorized', ID)).toBe(`Unauthorized\nrequest_id: ${ID}\n`);
    expect(renderErrorBody('text/html; charset=utf-8', 'Unauthorized', ID)).toContain(`<p>Unauthorized.</p>\n    <p>request_id: ${ID}</p>`);
    expect(renderErrorBody('application/xml; charset=utf-8', 'Unauthorized', ID)).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<error>\n  <message>Unauthorized</message>\n  <requestid>${ID}</requestid>\n</error>\n`,
    );
  });
});

describe('response type from Accept', () => {
  it.each([
    [undefined, 'application/json; charset=utf-8'],
    ['*/*', 'application/json; charset=utf-8'],
    ['text/html', 'text/html; charset=utf-8'],
    ['text/*', 'text/plain; charset=utf-8'],
    ['application/xml;q=0.9, text/html;q=0.5', 'application/xml; charset=utf-8'],
    ['text/html;q=0.2, text/plain', 'text/plain; charset=utf-8'],
    ['image/png', 'application/json; charset=utf-8'],
    ['garbage', 'application/json; charset=utf-8'],
  ])('Accept %s → %s', (accept, expected) => {
    expect(responseTypeFromAccept(accept)).toBe(expected);
  });

  it('maps single media types like get_mime_type', () => {
    expect(mimeTypeOf('text/plain')).toBe('text/plain; charset=utf-8');
    expect(mimeTypeOf('application/json; charset=utf-8')).toBe('application/json; charset=utf-8');
    expect(mimeTypeOf('application/*')).toBe('application/json; charset=utf-8');
  });

  it('knows the default messages', () => {
    expect(defaultErrorMessage(429)).toBe('Too many requests');
    expect(defaultErrorMessage(418)).toBe('The upstream server responded with 418');
  });
});
