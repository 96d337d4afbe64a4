(function () {
  "use strict";
  var each = function (list, f) { Array.prototype.forEach.call(list, f); };
  var numeric = /^[-+]?[0-9]+(\.[0-9]+)?$/;
  function key(cell) {
    var v = cell.getAttribute("data-v");
    return v === null ? cell.textContent.trim() : v;
  }
  function sortBy(table, i, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var asc = th.getAttribute("data-sort") !== "asc";
    each(th.parentNode.cells, function (c) { c.removeAttribute("data-sort"); });
    th.setAttribute("data-sort", asc ? "asc" : "desc");
    rows.sort(function (x, y) {
      var a = key(x.cells[i]), b = key(y.cells[i]);
      var r = numeric.test(a) && numeric.test(b) ? parseFloat(a) - parseFloat(b) : a.localeCompare(b);
      return asc ? r : -r;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  each(document.querySelectorAll("table.data"), function (table) {
    if (!table.tHead) { return; }
    each(table.tHead.rows[0].cells, function (th, i) {
      th.title = "Sort";
      th.addEventListener("click", function () { sortBy(table, i, th); });
    });
  });
  each(document.querySelectorAll("input.filter"), function (input) {
    var table = document.getElementById(input.getAttribute("data-for"));
    if (!table) { return; }
    input.addEventListener("input", function () {
      var q = input.value.toLowerCase();
      each(table.tBodies[0].rows, function (r) {
        r.style.display = r.textContent.toLowerCase().indexOf(q) < 0 ? "none" : "";
      });
    });
  });
})();
