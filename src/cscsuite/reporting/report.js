(function () {
  "use strict";
  document.body.classList.remove("nojs");
  var state = { status: "all", area: "", text: "" };
  var bad = { failed: 1, error: 1, xpassed: 1 };
  function matches(el) {
    var st = el.getAttribute("data-status") || "";
    var ok = state.status === "all" ||
      (state.status === "bad" && bad[st]) ||
      (state.status === "findings" && el.getAttribute("data-findings") !== "0") ||
      st === state.status;
    if (ok && state.area) ok = (el.getAttribute("data-area") || "") === state.area;
    if (ok && state.text) ok = el.textContent.toLowerCase().indexOf(state.text) >= 0;
    return ok;
  }
  function apply() {
    document.querySelectorAll("details.feature").forEach(function (f) {
      var shown = 0;
      f.querySelectorAll("article.scenario").forEach(function (s) {
        var ok = matches(s);
        s.classList.toggle("hidden", !ok);
        if (ok) shown++;
      });
      f.classList.toggle("hidden", shown === 0 && (state.status !== "all" || state.area || state.text));
      if (shown && state.status !== "all") f.open = true;
    });
    document.querySelectorAll("[data-filter]").forEach(function (b) {
      b.classList.toggle("on", b.getAttribute("data-filter") === state.status);
    });
  }
  document.querySelectorAll("[data-filter]").forEach(function (b) {
    b.addEventListener("click", function () { state.status = b.getAttribute("data-filter"); apply(); });
  });
  var area = document.getElementById("area-filter");
  if (area) area.addEventListener("change", function () { state.area = area.value; apply(); });
  var text = document.getElementById("text-filter");
  if (text) text.addEventListener("input", function () { state.text = text.value.toLowerCase(); apply(); });
  document.querySelectorAll("[data-area-link]").forEach(function (a) {
    a.addEventListener("click", function (ev) {
      ev.preventDefault();
      state.area = a.getAttribute("data-area-link");
      if (area) area.value = state.area;
      apply();
      document.getElementById("features").scrollIntoView();
    });
  });
  function all(open) { document.querySelectorAll("details.feature").forEach(function (d) { d.open = open; }); }
  var ex = document.getElementById("expand"), co = document.getElementById("collapse");
  if (ex) ex.addEventListener("click", function () { all(true); });
  if (co) co.addEventListener("click", function () { all(false); });
  if (location.hash) {
    var target = document.getElementById(location.hash.slice(1));
    var f = target && target.closest("details.feature");
    if (f) { f.open = true; target.scrollIntoView(); }
  }
  apply();
})();
