// Swagger UI (the swagger-ui-dist npm package, copied by `make assets`) over the API's OpenAPI document.
document.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({url: root.dataset.specUrl, dom_id: "#swagger-ui", deepLinking: true});
});
