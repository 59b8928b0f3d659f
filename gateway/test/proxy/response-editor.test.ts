// The response headers as plugins edit them: kong.response.set_header / add_header / clear_header on
// the flat list writeHead takes, and where a chunked body says so.

import { describe, expect, it } from 'vitest';
import { ResponseHeaderList } from '../../src/proxy/response-editor.js';

const list = () => new ResponseHeaderList(['Content-Type', 'application/json', 'Content-Length', '10', 'Connection', 'keep-alive', 'X-A', '1', 'x-a', '2']);

describe('ResponseHeaderList', () => {
  it('reads a header case-insensitively, every value in order', () => {
    expect(list().get('X-a')).toEqual(['1', '2']);
    expect(list().get('missing')).toEqual([]);
    expect(list().snapshot().get('x-a')).toEqual(['1', '2']);
  });

  it('set replaces every line of the name where the first one was', () => {
    const headers = list();
    headers.set('x-A', 'new');
    expect(headers.list).toEqual(['Content-Type', 'application/json', 'Content-Length', '10', 'Connection', 'keep-alive', 'x-A', 'new']);
    headers.set('X-B', ['b1', 'b2']);
    expect(headers.get('x-b')).toEqual(['b1', 'b2']);
  });

  it('add appends a line, clear removes them all; both mark the list as touched', () => {
    const headers = list();
    expect(headers.touched).toBe(false);
    headers.add('X-A', '3');
    expect(headers.get('x-a')).toEqual(['1', '2', '3']);
    headers.clear('X-A');
    expect(headers.get('x-a')).toEqual([]);
    expect(headers.touched).toBe(true);
  });

  it('says Transfer-Encoding: chunked before Connection once Content-Length is gone, as nginx writes it', () => {
    const headers = list();
    headers.clear('Content-Length');
    headers.placeChunkedFraming(true, true);
    expect(headers.list.slice(0, 6)).toEqual(['Content-Type', 'application/json', 'Transfer-Encoding', 'chunked', 'Connection', 'keep-alive']);
  });

  it('leaves framing alone when the length stays, never was, or the body is not chunked', () => {
    const kept = list();
    kept.set('X-A', 'v');
    kept.placeChunkedFraming(true, true);
    expect(kept.get('transfer-encoding')).toEqual([]);
    const neverHad = new ResponseHeaderList(['Connection', 'close']);
    neverHad.clear('Content-Length');
    neverHad.placeChunkedFraming(false, true);
    expect(neverHad.get('transfer-encoding')).toEqual([]);
    const head = list();
    head.clear('Content-Length');
    head.placeChunkedFraming(true, false);
    expect(head.get('transfer-encoding')).toEqual([]);
  });

  it('runs body filters in the order plugins registered them', () => {
    const headers = list();
    headers.filterBody((body) => Buffer.concat([body, Buffer.from('-first')]));
    headers.filterBody((body) => Buffer.concat([body, Buffer.from('-second')]));
    expect(headers.filtered(Buffer.from('body')).toString()).toBe('body-first-second');
  });
});
