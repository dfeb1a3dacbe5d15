// Policy page: htmx swaps only 2xx answers by default; a refused payout step (409 concurrent edit,
// 422 rule broken, 403) still returns the match's row with the reason, so show it in place.
(function () {
  "use strict";
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 409 || status === 422 || status === 403) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
