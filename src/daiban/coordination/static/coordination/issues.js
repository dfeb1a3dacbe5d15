// The issue page (协调事项). Loaded with defer after htmx; no inline scripts (CSP 'self').
(function () {
  "use strict";
  // htmx swaps only 2xx answers by default; a refused action (409 concurrent edit, 422 rule broken, 403)
  // still answers with the latest state and the message, so it is swapped in too.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "issue-page") return;
    var status = event.detail.xhr.status;
    if (status === 409 || status === 422 || status === 403) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // Bring the message of a refused action into view.
  document.body.addEventListener("htmx:afterSettle", function () {
    var alert = document.querySelector("#issue-page .outcome[role=alert]");
    if (alert) alert.scrollIntoView({ block: "nearest" });
  });
})();
