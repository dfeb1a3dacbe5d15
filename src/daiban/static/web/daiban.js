// Behaviour shared by every page. Loaded after htmx; no inline scripts anywhere (CSP 'self').
(function () {
  "use strict";
  // Elements with data-confirm ask before submitting (forms) or following (links).
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-confirm]");
    if (link && !window.confirm(link.getAttribute("data-confirm"))) event.preventDefault();
  });
  // <select data-autosubmit> submits its form on change (filters).
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]") && event.target.form) event.target.form.requestSubmit();
  });
})();
