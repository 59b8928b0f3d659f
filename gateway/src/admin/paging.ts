// Kong's list paging and tag filtering (kong/api/endpoints.lua, kong/db/dao/init.lua page()):
// `size` 1–1000 (default 100), an opaque `offset` that resumes after the last entity shown,
// and `tags=a,b` (all of them) or `tags=a/b` (any of them). Entities are listed in id order,
// as the DB-less store (LMDB keys end with the id) lists them.

import { AdminHttpError, KONG_ERROR } from './http.js';
import type { EntityRecord } from './collections.js';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;
const MAX_TAGS = 5;

export interface TagFilter {
  cond: 'and' | 'or';
  tags: string[];
}

export interface PageQuery {
  size: number;
  /** Resume at the first id >= this (the decoded offset token). */
  startAt: string | null;
  tags: TagFilter | null;
}

// Printable ASCII except ',' and '/', plus anything non-ASCII (Kong accepts UTF-8 bytes 0x80-0xF4).
const TAG_CHAR = '[\\x20-\\x2B\\x2D\\x2E\\x30-\\x7E\\u0080-\\uFFFF]';
const TAGS_AND = new RegExp(`^(${TAG_CHAR}+(?:,|$))+$`);
const TAGS_OR = new RegExp(`^(${TAG_CHAR}+(?:/|$))+$`);

function invalidOptions(message: string): AdminHttpError {
  return new AdminHttpError(400, {
    ...KONG_ERROR.INVALID_OPTIONS,
    message: `invalid option (tags: ${message})`,
    options: { tags: message },
  });
}

/** Lua's tonumber() on a query string: decimal, hex or exponent notation; anything else is nil. */
function luaToNumber(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '' || !/^[-+]?(0x[0-9a-f]+|(\d+\.?\d*|\.\d+)(e[-+]?\d+)?)$/i.test(trimmed)) return null;
  const value = Number(trimmed.replace(/^\+/, ''));
  return Number.isNaN(value) ? null : value;
}

function parseSize(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_PAGE_SIZE;
  const size = luaToNumber(raw);
  if (size === null) throw new AdminHttpError(400, { ...KONG_ERROR.INVALID_SIZE, message: 'size must be a number' });
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new AdminHttpError(400, {
      ...KONG_ERROR.INVALID_SIZE,
      message: `size must be an integer between 1 and ${MAX_PAGE_SIZE}`,
    });
  }
  return size;
}

export function parseTags(raw: string | undefined): TagFilter | null {
  if (raw === undefined) return null;
  let filter: TagFilter;
  if (TAGS_AND.test(raw)) filter = { cond: 'and', tags: raw.split(',').filter(Boolean) };
  else if (TAGS_OR.test(raw)) filter = { cond: 'or', tags: raw.split('/').filter(Boolean) };
  else throw invalidOptions('invalid filter syntax');
  if (filter.tags.length > MAX_TAGS) throw invalidOptions(`cannot query more than ${MAX_TAGS} tags`);
  return filter;
}

export function encodeOffset(lastId: string): string {
  // Like Kong: base64 (no padding) of the last key plus a NUL byte, i.e. "just after it".
  return Buffer.from(`${lastId}\0`, 'utf8').toString('base64').replace(/=+$/, '');
}

export function decodeOffset(token: string): string {
  const valid = /^[A-Za-z0-9+/]*={0,2}$/.test(token) && token.replace(/=+$/, '').length % 4 !== 1 && token.length > 0;
  if (!valid) {
    throw new AdminHttpError(400, {
      ...KONG_ERROR.INVALID_OFFSET,
      message: `'${token}' is not a valid offset: bad base64 encoding`,
    });
  }
  return Buffer.from(token, 'base64').toString('utf8');
}

/** Validates in Kong's order: size type, size range, tags, then the offset. */
export function parsePageQuery(query: Record<string, string>): PageQuery {
  const size = parseSize(query.size);
  const tags = parseTags(query.tags);
  const startAt = query.offset !== undefined ? decodeOffset(query.offset) : null;
  return { size, startAt, tags };
}

export function matchesTags(entity: EntityRecord, filter: TagFilter | null): boolean {
  if (!filter) return true;
  const own = Array.isArray(entity.tags) ? (entity.tags as unknown[]) : [];
  return filter.cond === 'and' ? filter.tags.every((tag) => own.includes(tag)) : filter.tags.some((tag) => own.includes(tag));
}

export interface Page {
  data: EntityRecord[];
  /** Token for the next page, or null on the last one. */
  offset: string | null;
}

export function paginate(entities: readonly EntityRecord[], query: PageQuery): Page {
  const sorted = entities
    .filter((entity) => matchesTags(entity, query.tags))
    .filter((entity) => query.startAt === null || entity.id >= query.startAt)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const data = sorted.slice(0, query.size);
  const more = sorted.length > query.size;
  return { data, offset: more ? encodeOffset(data[data.length - 1].id) : null };
}
