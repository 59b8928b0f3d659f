// The four declarations of the workshop page (API Key Authentication), verbatim. decK strips
// `_konnect` and `_info` before sending; `withoutDeckKeys` does the same for the loader.

import { parseDeclarativeText } from '../../src/declarative/parse.js';

export const keyAuthOnRoute = `_format_version: "3.0"
_konnect:
  control_plane_name: kong-workshop
_info:
  select_tags:
  - httpbin-service-route
services:
- name: httpbin-service
  host: httpbin.kong.svc.cluster.local
  port: 8000
  routes:
  - name: httpbin-route
    paths:
    - /key-auth-route
  plugins:
  - name: key-auth
    instance_name: key-auth1
`;

export const firstConsumer = `_format_version: "3.0"
_konnect:
  control_plane_name: kong-workshop
_info:
  select_tags:
  - httpbin-service-route
services:
- name: httpbin-service
  host: httpbin.kong.svc.cluster.local
  port: 8000
  routes:
  - name: httpbin-route
    paths:
    - /key-auth-route
  plugins:
  - name: key-auth
    instance_name: key-auth1
consumers:
- keyauth_credentials:
  - key: "123456"
  username: consumer1
`;

export const secondConsumer = `_format_version: "3.0"
_konnect:
  control_plane_name: kong-workshop
_info:
  select_tags:
  - httpbin-service-route
services:
- name: httpbin-service
  host: httpbin.kong.svc.cluster.local
  port: 8000
  routes:
  - name: httpbin-route
    paths:
    - /key-auth-route
  plugins:
  - name: key-auth
    instance_name: key-auth1
consumers:
- keyauth_credentials:
  - key: "123456"
  username: consumer1
- keyauth_credentials:
  - key: "987654"
  username: consumer2
`;

export const consumerRateLimits = `_format_version: "3.0"
_konnect:
  control_plane_name: kong-workshop
_info:
  select_tags:
  - httpbin-service-route
services:
- name: httpbin-service
  host: httpbin.kong.svc.cluster.local
  port: 8000
  routes:
  - name: httpbin-route
    paths:
    - /key-auth-route
  plugins:
  - name: key-auth
    instance_name: key-auth1
consumers:
- keyauth_credentials:
  - key: "123456"
  username: consumer1
  plugins:
  - name: rate-limiting
    instance_name: rate-limiting1
    config:
      minute: 5
- keyauth_credentials:
  - key: "987654"
  username: consumer2
  plugins:
  - name: rate-limiting
    instance_name: rate-limiting2
    config:
      minute: 8
`;

export const WORKSHOP_DECLARATIONS = { keyAuthOnRoute, firstConsumer, secondConsumer, consumerRateLimits } as const;

/** Parses a declaration and drops the keys decK consumes itself. */
export function withoutDeckKeys(text: string): Record<string, unknown> {
  const document = parseDeclarativeText(text) as Record<string, unknown>;
  delete document._konnect;
  delete document._info;
  return document;
}
