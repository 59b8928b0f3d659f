// The request methods nginx can send upstream (ngx.req.set_method's method ids), the only ones
// kong.service.request.set_method accepts.
export const NGINX_METHODS: ReadonlySet<string> = new Set([
  'GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'MKCOL', 'COPY', 'MOVE', 'PROPFIND', 'PROPPATCH', 'LOCK', 'UNLOCK', 'PATCH', 'TRACE',
]);
