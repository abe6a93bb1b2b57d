/* Roster import page: upload with a progress bar, then "正在校验…" while the server works.
   Without JavaScript the form posts normally and the same page comes back. */
(function () {
  "use strict";

  function bind(root) {
    var form = root.querySelector("#roster-form");
    if (!form || !window.FormData || !window.XMLHttpRequest || !window.DOMParser) {
      return;
    }
    var box = form.querySelector("#roster-progress");
    var bar = form.querySelector("#roster-progress-bar");
    var text = form.querySelector("#roster-progress-text");
    var buttons = form.querySelectorAll("button[type=submit]");
    var clicked = null;

    function busy(on) {
      for (var i = 0; i < buttons.length; i += 1) {
        buttons[i].disabled = on;
      }
      form.setAttribute("aria-busy", on ? "true" : "false");
    }

    form.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("button[type=submit]") : null;
      if (button) {
        clicked = button;
      }
    });

    form.addEventListener("submit", function (event) {
      var input = form.querySelector("input[type=file]");
      if (!input || !input.files || input.files.length === 0) {
        return; /* the server explains what is missing */
      }
      event.preventDefault();
      var submitter = event.submitter || clicked;
      var data = new FormData(form);
      if (submitter && submitter.name) {
        data.set(submitter.name, submitter.value);
      }
      var validateOnly = Boolean(submitter && submitter.value === "validate");
      var xhr = new XMLHttpRequest();

      busy(true);
      box.hidden = false;
      bar.value = 0;
      text.textContent = form.dataset.textUploading + " 0%";

      xhr.upload.addEventListener("progress", function (progress) {
        if (progress.lengthComputable) {
          var percent = Math.round((progress.loaded * 100) / progress.total);
          bar.value = percent;
          text.textContent = form.dataset.textUploading + " " + percent + "%";
        }
      });
      xhr.upload.addEventListener("load", function () {
        bar.removeAttribute("value"); /* indeterminate while the server validates */
        text.textContent = validateOnly ? form.dataset.textValidating : form.dataset.textImporting;
      });
      xhr.addEventListener("load", function () {
        var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
        var fresh = page.getElementById("roster-import");
        var current = document.getElementById("roster-import");
        if (!fresh || !current) {
          /* signed out, refused or a server error: show that page */
          window.location.assign(xhr.responseURL || window.location.href);
          return;
        }
        current.replaceWith(fresh);
        bind(fresh);
        var result = fresh.querySelector("#roster-result");
        if (result) {
          result.focus();
        }
      });
      xhr.addEventListener("error", function () {
        busy(false);
        bar.value = 0;
        text.textContent = form.dataset.textFailed;
      });
      xhr.open("POST", form.getAttribute("action") || window.location.href);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.send(data);
    });
  }

  function start() {
    var root = document.getElementById("roster-import");
    if (root) {
      bind(root);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
