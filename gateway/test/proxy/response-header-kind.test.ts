import { describe, expect, it } from 'vitest';
import { HOP_BY_HOP } from '../../src/http/kong-headers.js';
import {
  CONTENT_LENGTH,
  CONTENT_TYPE,
  DATE,
  HOP_BY_HOP_HEADER,
  PASS,
  SERVER,
  VIA,
  responseHeaderKind,
} from '../../src/proxy/response-header-kind.js';

const kind = (name: string) => responseHeaderKind(Buffer.from(name, 'latin1'));

describe('responseHeaderKind', () => {
  it('recognises every hop-by-hop header, in any case', () => {
    for (const name of HOP_BY_HOP) {
      expect(kind(name)).toBe(HOP_BY_HOP_HEADER);
      expect(kind(name.toUpperCase())).toBe(HOP_BY_HOP_HEADER);
    }
  });

  it('recognises the headers the proxy places itself', () => {
    expect(kind('Content-Type')).toBe(CONTENT_TYPE);
    expect(kind('CONTENT-LENGTH')).toBe(CONTENT_LENGTH);
    expect(kind('via')).toBe(VIA);
    expect(kind('Server')).toBe(SERVER);
    expect(kind('DaTe')).toBe(DATE);
  });

  it('passes everything else through, near misses included', () => {
    for (const name of ['X-Custom', 'Dates', 'Vía', 'content_type', 'Content-Typf', 'tE-', 'ETag', 'Set-Cookie', 'Keep_Alive', '']) {
      expect(kind(name)).toBe(PASS);
    }
  });
});
