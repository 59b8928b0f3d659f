// What every auth plugin does once it knows who called (Kong's set_consumer in key-auth and
// basic-auth): kong.client.authenticate, the X-Consumer-* headers upstream, and the anonymous
// fallback of OR mode. Client-sent copies of these headers are overwritten or cleared.

import { KongExit } from './types.js';
import type { AuthenticatedCredential, Consumer, PluginContext } from './types.js';

const HEADER_CONSUMER_ID = 'X-Consumer-ID';
const HEADER_CONSUMER_CUSTOM_ID = 'X-Consumer-Custom-ID';
const HEADER_CONSUMER_USERNAME = 'X-Consumer-Username';
const HEADER_CREDENTIAL_IDENTIFIER = 'X-Credential-Identifier';
const HEADER_ANONYMOUS = 'X-Anonymous-Consumer';

/** `credential` null: authenticated as the anonymous consumer. */
export function authenticateConsumer(ctx: PluginContext, consumer: Consumer, credential: AuthenticatedCredential | null): void {
  const upstream = ctx.upstream;
  upstream.setHeader(HEADER_CONSUMER_ID, consumer.id);
  if (consumer.custom_id !== null) upstream.setHeader(HEADER_CONSUMER_CUSTOM_ID, consumer.custom_id);
  else upstream.removeHeader(HEADER_CONSUMER_CUSTOM_ID);
  if (consumer.username !== null) upstream.setHeader(HEADER_CONSUMER_USERNAME, consumer.username);
  else upstream.removeHeader(HEADER_CONSUMER_USERNAME);
  if (credential !== null) {
    upstream.setHeader(HEADER_CREDENTIAL_IDENTIFIER, credential.identifier);
    upstream.removeHeader(HEADER_ANONYMOUS);
  } else {
    upstream.removeHeader(HEADER_CREDENTIAL_IDENTIFIER);
    upstream.setHeader(HEADER_ANONYMOUS, 'true');
  }
  ctx.consumer = consumer;
  ctx.credential = credential;
  ctx.anonymous = credential === null;
}

/**
 * OR mode's fallback after a failed authentication: the `anonymous` consumer (by id, else by username).
 * 3.10+ answers 500 with this message when it does not exist.
 */
export function authenticateAnonymous(ctx: PluginContext, anonymous: string): KongExit | void {
  const consumer = ctx.entities.consumerById(anonymous) ?? ctx.entities.consumerByUsername(anonymous);
  if (consumer === undefined) return new KongExit(500, `anonymous consumer ${anonymous} is configured but doesn't exist`);
  authenticateConsumer(ctx, consumer, null);
}
