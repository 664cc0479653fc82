// Starts Swagger UI on /api/docs. A file rather than an inline script, so that a
// Content-Security-Policy of "script-src 'self'" lets it run. validatorUrl: null keeps
// Swagger UI from sending the API description to validator.swagger.io.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    domNode: root,
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
})();
