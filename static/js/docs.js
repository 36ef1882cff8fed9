// Starts Swagger UI on /docs (a classic script: the page allows no inline script). The OpenAPI
// document's URL is relative to the page, so the docs work behind a path prefix.
/* global SwaggerUIBundle */
const root = document.getElementById("swagger-ui");
// Where this page is served: "/" or, behind a proxy, "/prefix/". The OpenAPI paths are absolute
// (/api/…); "Try it out" sends them under the same prefix unless the document already names a server.
const base = new URL(".", document.baseURI);

function underThisPrefix(request) {
  const url = new URL(request.url);
  if (url.origin === base.origin && !url.pathname.startsWith(base.pathname)) {
    url.pathname = base.pathname + url.pathname.slice(1);
    request.url = url.href;
  }
  return request;
}
SwaggerUIBundle({
  url: new URL(root.dataset.openapi, document.baseURI).href,
  domNode: root,
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  requestInterceptor: underThisPrefix,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
});
