/* The key ceremony's shares page: one holder at a time opens their share, prints their sheet, then hides it for
   good (the share is removed from the page, so the next holder cannot open it again). Without JavaScript each
   share stays in its closed <details> and the sheet prints with the browser's own print command. */
(function () {
  "use strict";
  var shares = document.querySelectorAll("[data-key-share]");
  shares.forEach(function (share) {
    var actions = share.querySelector("[data-key-actions]");
    if (actions) { actions.hidden = false; }
    share.addEventListener("toggle", function () {
      if (!share.open) { return; }
      shares.forEach(function (other) { if (other !== share) { other.open = false; } });
    });
    var print = share.querySelector("[data-key-print]");
    if (print) {
      print.addEventListener("click", function () {
        document.body.classList.add("printing-key-sheet");
        share.classList.add("key-share--printing");
        window.print();
        share.classList.remove("key-share--printing");
        document.body.classList.remove("printing-key-sheet");
      });
    }
    var done = share.querySelector("[data-key-done]");
    if (done) {
      done.addEventListener("click", function () {
        var sheet = share.querySelector("[data-key-sheet]");
        if (sheet) { sheet.remove(); }
        var summary = share.querySelector("summary");
        var handed = share.querySelector("[data-key-handed]");
        if (handed) { handed.hidden = false; }
        share.classList.add("key-share--handed");
        if (summary) { summary.setAttribute("aria-disabled", "true"); summary.focus(); }
      });
    }
  });
})();
