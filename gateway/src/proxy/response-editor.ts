// The response headers as plugins see and change them in the response phase (Kong's header_filter),
// kept as the flat [name, value, …] list writeHead takes so an untouched response pays nothing.

import type { ResponseEditor } from '../plugins/types.js';

export type BodyFilter = (body: Buffer) => Buffer;

export class ResponseHeaderList implements ResponseEditor {
  /** Buffered body filters registered by plugins, in plugin order (null: the body streams). */
  bodyFilters: BodyFilter[] | null = null;
  /** Whether any plugin changed a header (Kong's late headers then check what is left). */
  touched = false;

  constructor(readonly list: string[]) {}

  get(name: string): string[] {
    const lower = name.toLowerCase();
    const values: string[] = [];
    const list = this.list;
    for (let i = 0; i < list.length; i += 2) if (list[i].length === lower.length && list[i].toLowerCase() === lower) values.push(list[i + 1]);
    return values;
  }

  snapshot(): Map<string, string[]> {
    const headers = new Map<string, string[]>();
    const list = this.list;
    for (let i = 0; i < list.length; i += 2) {
      const lower = list[i].toLowerCase();
      const values = headers.get(lower);
      if (values === undefined) headers.set(lower, [list[i + 1]]);
      else values.push(list[i + 1]);
    }
    return headers;
  }

  lines(): readonly string[] {
    return this.list;
  }

  /** Replaces in place: the first line of that name keeps its position, later ones go. */
  set(name: string, value: string | readonly string[]): void {
    this.touched = true;
    const values = typeof value === 'string' ? [value] : value;
    const lower = name.toLowerCase();
    const list = this.list;
    let at = -1;
    for (let i = 0; i < list.length; i += 2) {
      if (list[i].length !== lower.length || list[i].toLowerCase() !== lower) continue;
      if (at === -1) at = i;
      else {
        list.splice(i, 2);
        i -= 2;
      }
    }
    if (at === -1) {
      for (const one of values) list.push(name, one);
      return;
    }
    list.splice(at, 2, ...values.flatMap((one) => [name, one]));
  }

  add(name: string, value: string): void {
    this.touched = true;
    this.list.push(name, value);
  }

  clear(name: string): void {
    this.touched = true;
    const lower = name.toLowerCase();
    const list = this.list;
    for (let i = list.length - 2; i >= 0; i -= 2) {
      if (list[i].length === lower.length && list[i].toLowerCase() === lower) list.splice(i, 2);
    }
  }

  /**
   * When the plugins took Content-Length away, the body goes out chunked: say so where nginx writes it,
   * right before Connection (Node would otherwise append it last). Only for HTTP/1.1 bodies.
   */
  placeChunkedFraming(hadContentLength: boolean, chunked: boolean): void {
    if (!this.touched || !hadContentLength || !chunked) return;
    if (this.get('content-length').length > 0 || this.get('transfer-encoding').length > 0) return;
    const connection = this.list.findIndex((name, i) => i % 2 === 0 && name.toLowerCase() === 'connection');
    this.list.splice(connection === -1 ? this.list.length : connection, 0, 'Transfer-Encoding', 'chunked');
  }

  filterBody(filter: BodyFilter): void {
    (this.bodyFilters ??= []).push(filter);
  }

  /** The body after every registered filter. */
  filtered(body: Buffer): Buffer {
    let out = body;
    for (const filter of this.bodyFilters ?? []) out = filter(out);
    return out;
  }
}
