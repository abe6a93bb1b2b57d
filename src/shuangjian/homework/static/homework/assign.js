// 布置作业: keep the subject and group lists to the chosen class, show the class's load for the chosen day as it
// changes (the server renders the panel), and say what this item would add before the teacher submits.
// Without this script the page still works: the panel shows the day the page was opened with, and the server
// refuses anything over the cap with the same panel.
(function () {
  "use strict";

  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : {};
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_match, key) {
      return String(values[key]);
    });
  }

  function init() {
    var form = document.getElementById("assign-form");
    if (!form) {
      return;
    }
    var classField = form.elements.namedItem("class_id");
    var subjectField = form.elements.namedItem("subject");
    var groupField = form.elements.namedItem("group_id");
    var dueField = form.elements.namedItem("due_date");
    var startField = form.elements.namedItem("start_date");
    var minutesField = form.elements.namedItem("estimated_minutes");
    var kindField = form.elements.namedItem("kind");
    var layerField = form.elements.namedItem("layer");
    var subjectsByClass = readJSON("subjects-by-class");
    var groupsByClass = readJSON("groups-by-class");
    var panelUrl = form.getAttribute("data-panel-url");
    var pending = null;

    function limitOptions(select, allowed) {
      if (!select) {
        return;
      }
      var firstAllowed = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var ok = option.value === "" || allowed.indexOf(option.value) !== -1;
        option.hidden = !ok;
        option.disabled = !ok;
        if (ok && firstAllowed === null && option.value !== "") {
          firstAllowed = option;
        }
      });
      var current = select.options[select.selectedIndex];
      if (current && current.disabled) {
        if (select === groupField) {
          select.value = "";
        } else if (firstAllowed) {
          select.value = firstAllowed.value;
        }
      }
    }

    function syncLists() {
      var classId = classField.value;
      limitOptions(subjectField, subjectsByClass[classId] || []);
      limitOptions(groupField, (groupsByClass[classId] || []).map(String));
    }

    function panel() {
      return document.getElementById("load-panel");
    }

    function project() {
      var node = document.getElementById("load-projection");
      var box = panel();
      if (!node || !box) {
        return;
      }
      var minutes = parseInt(minutesField.value, 10);
      var capText = box.getAttribute("data-cap");
      var sameDay = !startField || !startField.value || startField.value === dueField.value;
      var counts = kindField.value === "written" && layerField.value !== "extension";
      var wholeClass = !groupField || groupField.value === "";
      if (!(minutes > 0) || capText === "" || !sameDay || !counts || !wholeClass) {
        node.hidden = true;
        return;
      }
      var cap = parseInt(capText, 10);
      var total = parseInt(box.getAttribute("data-capped"), 10) + minutes;
      var over = total - cap;
      node.textContent = over > 0
        ? format(node.getAttribute("data-text-over"), { total: total, over: over })
        : format(node.getAttribute("data-text-ok"), { total: total });
      node.classList.toggle("is-over", over > 0);
      node.hidden = false;
    }

    function refresh() {
      var box = panel();
      if (!box || !classField.value || !dueField.value) {
        return;
      }
      if (box.getAttribute("data-class") === classField.value && box.getAttribute("data-day") === dueField.value) {
        project();
        return;
      }
      var url = panelUrl.replace(/\/0\/load\/$/, "/" + encodeURIComponent(classField.value) + "/load/") +
        "?date=" + encodeURIComponent(dueField.value);
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      box.classList.add("is-loading");
      fetch(url, { credentials: "same-origin", signal: pending.signal, headers: { Accept: "text/html" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.text();
        })
        .then(function (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html.trim();
          var fresh = holder.querySelector("#load-panel");
          if (fresh) {
            panel().replaceWith(fresh);
          }
          project();
        })
        .catch(function (error) {
          if (error.name !== "AbortError") {
            box.classList.remove("is-loading");
          }
        });
    }

    form.addEventListener("click", function (event) {
      var button = event.target.closest("[data-date]");
      if (button && form.contains(button)) {
        dueField.value = button.getAttribute("data-date");
        refresh();
      }
    });
    classField.addEventListener("change", function () {
      syncLists();
      refresh();
    });
    dueField.addEventListener("change", refresh);
    [minutesField, kindField, layerField, startField, groupField].forEach(function (field) {
      if (field) {
        field.addEventListener("input", project);
        field.addEventListener("change", project);
      }
    });
    syncLists();
    project();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
