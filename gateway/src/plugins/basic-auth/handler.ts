// basic-auth (Kong PRIORITY 1100): `Proxy-Authorization`, then `Authorization`, as Kong 3.11's
// access.lua reads them. Every failure is 401 `Unauthorized` with `WWW-Authenticate: Basic
// realm="<realm>"` (3.6+). The password is checked only as Kong stores it, sha1(password ..
// consumer_id); what the client sent never reaches a log line or an error message.

import { authenticateAnonymous, authenticateConsumer } from '../authenticated-consumer.js';
import { BUNDLED_VERSION, KongExit } from '../types.js';
import type { BasicAuthConfig, BasicauthLookup, EntityLookup, PluginContext, PluginHandler, PluginHandlerModule } from '../types.js';
import { BoundedMemo } from '../bounded-memo.js';
import { passwordMatches } from './crypto.js';

export const PRIORITY = 1100;
export const VERSION: typeof BUNDLED_VERSION = BUNDLED_VERSION;

// Kong's `\s*[Bb]asic\s*(.+)` through ngx.re.gmatch: unanchored, the first match wins. PCRE's `.` stops only at \n.
const BASIC_SCHEME = /[Bb]asic\s*([^\n]+)/;
// `([^:]+):(.*)` through ngx.re.match: unanchored too, so a leading `:` is skipped to the next colon.
const USER_PASSWORD = /([^:]+):([^\n]*)/;
const BASE64_ALPHABET = /^[A-Za-z0-9+/]*$/;

interface GivenCredentials {
  username: string;
  /** The bytes the client sent: hashed as they are. */
  password: Buffer;
}

/**
 * ngx.decode_base64 (nginx's ngx_decode_base64): the text up to the first `=` must be the standard
 * alphabet, and its length cannot leave a lone sextet; anything after that `=` is ignored. null → invalid.
 */
export function decodeBase64LikeNginx(text: string): Buffer | null {
  const padAt = text.indexOf('=');
  const data = padAt === -1 ? text : text.slice(0, padAt);
  if (!BASE64_ALPHABET.test(data) || data.length % 4 === 1) return null;
  return Buffer.from(data, 'base64');
}

/** `Basic <base64 of user:password>` → the credentials, or null when the header does not carry any. */
export function parseBasicAuthorization(header: string): GivenCredentials | null {
  const scheme = BASIC_SCHEME.exec(header);
  if (scheme === null) return null;
  const decoded = decodeBase64LikeNginx(scheme[1]);
  if (decoded === null) return null;
  // Lua strings are bytes: match on latin1 so every byte is one character, then turn each part back into bytes.
  const parts = USER_PASSWORD.exec(decoded.toString('latin1'));
  if (parts === null) return null;
  return { username: Buffer.from(parts[1], 'latin1').toString('utf8'), password: Buffer.from(parts[2], 'latin1') };
}

function headerValue(ctx: PluginContext, name: 'authorization' | 'proxy-authorization'): string | undefined {
  // Node keeps the first of repeated Authorization headers, as kong.request.get_header does.
  const value = ctx.request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Header values whose credentials were verified, per loaded configuration (a new one starts empty, so a
 * changed password or a removed credential is never answered from here). sha1 through OpenSSL costs
 * more per request than the rest of the plugin together; Kong pays it on every request, we pay it once
 * per distinct header. Only successes are kept, so wrong guesses cannot fill it, and the entries hold no
 * more than the configuration already does (the consumer's credential); the value itself is a secret
 * held in memory as key-auth's keys are, never logged.
 */
export const VERIFIED_HEADERS_PER_CONFIGURATION = 1024;

class VerifiedHeaders {
  readonly #byEntities = new WeakMap<EntityLookup, BoundedMemo<string, BasicauthLookup>>();

  get(entities: EntityLookup, header: string): BasicauthLookup | undefined {
    return this.#byEntities.get(entities)?.get(header);
  }

  remember(entities: EntityLookup, header: string, credential: BasicauthLookup): void {
    let verified = this.#byEntities.get(entities);
    if (verified === undefined) this.#byEntities.set(entities, (verified = new BoundedMemo(VERIFIED_HEADERS_PER_CONFIGURATION)));
    verified.set(header, credential);
  }
}

type HeaderCheck =
  /** The header names no known user (or carries no credentials): Proxy-Authorization then gives way to Authorization. */
  | { user: 'unknown' }
  | { user: 'known'; credential: BasicauthLookup; passwordMatches: boolean };

const UNKNOWN_USER: HeaderCheck = { user: 'unknown' };

function checkHeader(ctx: PluginContext, verified: VerifiedHeaders, header: string | undefined): HeaderCheck {
  if (header === undefined) return UNKNOWN_USER;
  const remembered = verified.get(ctx.entities, header);
  if (remembered !== undefined) return { user: 'known', credential: remembered, passwordMatches: true };
  const given = parseBasicAuthorization(header);
  const credential = given === null ? undefined : ctx.entities.basicauthCredentialByUsername(given.username);
  if (given === null || credential === undefined) return UNKNOWN_USER;
  const matches = passwordMatches(credential.passwordHash, given.password, credential.consumerId);
  if (matches) verified.remember(ctx.entities, header, credential);
  return { user: 'known', credential, passwordMatches: matches };
}

/** Kong's do_authentication; true when a consumer was authenticated. */
function authenticate(ctx: PluginContext, config: BasicAuthConfig, verified: VerifiedHeaders): boolean {
  const authorization = headerValue(ctx, 'authorization');
  const proxyAuthorization = headerValue(ctx, 'proxy-authorization');
  if (authorization === undefined && proxyAuthorization === undefined) return false;

  // retrieve_credentials clears a header upstream with hide_credentials whatever it held.
  let check = checkHeader(ctx, verified, proxyAuthorization);
  if (config.hide_credentials) ctx.upstream.removeHeader('proxy-authorization');
  // Authorization is read (and hidden) only when Proxy-Authorization named no known user.
  if (check.user === 'unknown') {
    check = checkHeader(ctx, verified, authorization);
    if (config.hide_credentials) ctx.upstream.removeHeader('authorization');
  }
  if (check.user === 'unknown' || !check.passwordMatches) return false;

  const { credential } = check;
  const consumer = ctx.entities.consumerById(credential.consumerId);
  // The loader guarantees every credential's consumer exists; a snapshot without it is our bug, not the client's.
  if (consumer === undefined) throw new Error(`basic-auth credential ${credential.id} has no consumer`);
  authenticateConsumer(ctx, consumer, { id: credential.id, kind: 'basic-auth', identifier: credential.username });
  return true;
}

/** One per gateway: the verified headers are that gateway's state. */
export function createBasicAuthHandler(): PluginHandler<BasicAuthConfig> {
  const verified = new VerifiedHeaders();
  return {
    name: 'basic-auth',
    priority: PRIORITY,
    noConsumer: true,
    access(ctx, config) {
      // Logical OR with another auth plugin that already authenticated this request.
      if (config.anonymous !== null && ctx.credential !== null) return;
      if (authenticate(ctx, config, verified)) return;
      if (config.anonymous !== null) return authenticateAnonymous(ctx, config.anonymous);
      return new KongExit(401, 'Unauthorized', { 'WWW-Authenticate': `Basic realm="${config.realm}"` });
    },
  };
}

export const basicAuthPlugin: PluginHandlerModule<BasicAuthConfig> = { name: 'basic-auth', PRIORITY, VERSION, create: createBasicAuthHandler };
