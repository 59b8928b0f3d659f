// The four declarations of the workshop page (seeds/000_5a18fee121b1cdee.txt), verbatim, in page order.

export const WORKSHOP_STEPS: readonly string[] = [
  `_format_version: "3.0"
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
`,
  `_format_version: "3.0"
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
`,
  `_format_version: "3.0"
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
`,
  `_format_version: "3.0"
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
`,
];
