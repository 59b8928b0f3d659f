// acl (Kong PRIORITY 950): lets a request through by the groups of who called, after the auth
// plugins ran (their higher priorities guarantee it). Mirrors Kong 3.11's handler.lua: 401 when
// nobody was identified, 403 `You cannot consume this service` when the groups say no.

import { BUNDLED_VERSION, KongExit } from '../types.js';
import type { AclConfig, PluginContext, PluginHandler, PluginHandlerModule } from '../types.js';

export const PRIORITY = 950;
export const VERSION: typeof BUNDLED_VERSION = BUNDLED_VERSION;

const FORBIDDEN = 'You cannot consume this service';
const CONSUMER_GROUPS_HEADER = 'X-Consumer-Groups';
const AUTHENTICATED_GROUPS_HEADER = 'X-Authenticated-Groups';

/** kong.response.error(401): the status's default message, `Unauthorized`. */
const unauthorized = () => new KongExit(401, null);
const forbidden = () => new KongExit(403, FORBIDDEN);

/** A failed lookup with a credential present is a refusal; without one, nobody proved who they are. */
function noGroups(ctx: PluginContext): KongExit {
  return ctx.credential !== null ? forbidden() : unauthorized();
}

/** Kong's config.type: a deny list with at least one group makes it DENY, anything else ALLOW. */
function isDenyList(config: AclConfig): boolean {
  return config.deny !== null && config.deny.length > 0;
}

function decide(ctx: PluginContext, config: AclConfig, groups: readonly string[], header: string): KongExit | void {
  const deny = isDenyList(config);
  const listed = (deny ? config.deny : config.allow) ?? [];
  const inGroup = listed.some((group) => groups.includes(group));
  if (deny ? inGroup : !inGroup) return forbidden();
  if (config.hide_groups_header) return;
  // An empty value: ngx.req.set_header removes the header, so a client-sent copy does not survive either.
  if (groups.length === 0) ctx.upstream.removeHeader(header);
  else ctx.upstream.setHeader(header, groups.join(', '));
}

function access(ctx: PluginContext, config: AclConfig): KongExit | void {
  const consumer = ctx.consumer;
  if (consumer === null) {
    if (ctx.authenticatedGroups === undefined) return noGroups(ctx);
    return decide(ctx, config, ctx.authenticatedGroups, AUTHENTICATED_GROUPS_HEADER);
  }
  // Authenticated groups replace the anonymous consumer's groups, and a real consumer's only when asked to.
  if ((ctx.credential === null || config.always_use_authenticated_groups) && ctx.authenticatedGroups !== undefined) {
    return decide(ctx, config, ctx.authenticatedGroups, AUTHENTICATED_GROUPS_HEADER);
  }
  const groups = ctx.entities.consumerGroups(consumer.id);
  // No groups at all: a deny list cannot match, an allow list cannot be met.
  if (groups.length === 0 && !isDenyList(config)) return noGroups(ctx);
  return decide(ctx, config, groups, CONSUMER_GROUPS_HEADER);
}

export const aclHandler: PluginHandler<AclConfig> = {
  name: 'acl',
  priority: PRIORITY,
  noConsumer: true,
  access,
};

/** Stateless: every gateway can share the one handler. */
export const aclPlugin: PluginHandlerModule<AclConfig> = { name: 'acl', PRIORITY, VERSION, create: () => aclHandler };
