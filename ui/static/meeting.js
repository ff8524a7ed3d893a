// The minutes page's print button: the browser prints the page with
// meeting.css's print rules (forms and navigation left out).
(function () {
  "use strict";
  var b = document.getElementById("cetak");
  if (b) b.addEventListener("click", function () { window.print(); });
})();
