/* Expediente — Incluir Documento externo: drag-and-drop and one row of data per chosen file.
   Without JavaScript the multi-file input sends every file with the common data. */
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  var input = document.getElementById("files");
  var drop = document.getElementById("drop");
  var common = document.getElementById("common");
  var rows = document.getElementById("per-file");
  if (!form || !input || !common || !rows) return;

  function size(n) { return n > 1048576 ? (n / 1048576).toFixed(1).replace(".", ",") + " MB" : Math.ceil(n / 1024) + " KB"; }

  function rowFor(file, i) {
    /* a copy of the common fieldset whose fields are named f<i>-<field> */
    var set = common.cloneNode(true);
    set.id = "file-" + i;
    set.querySelector("legend").textContent = "Arquivo " + (i + 1) + ": " + file.name + " (" + size(file.size) + ")";
    set.querySelectorAll("[id]").forEach(function (el) { el.id = "f" + i + "-" + el.id; });
    set.querySelectorAll("label[for]").forEach(function (el) { el.htmlFor = "f" + i + "-" + el.htmlFor; });
    set.querySelectorAll("[name]").forEach(function (el) {
      var original = common.querySelector("[name='" + el.name + "']" + (el.type === "radio" ? "[value='" + el.value + "']" : ""));
      if (el.type === "radio") el.checked = original.checked; else el.value = original.value;
      el.name = "f" + i + "-" + el.name;
    });
    var name = set.querySelector("[name='f" + i + "-description']");
    if (name && !name.value) name.value = file.name.replace(/\.[^.]+$/, "").slice(0, 200);
    return set;
  }

  function render() {
    rows.textContent = "";
    var files = input.files;
    for (var i = 0; i < files.length; i++) rows.appendChild(rowFor(files[i], i));
    common.hidden = files.length > 0;
  }

  input.addEventListener("change", render);
  if (drop && window.DataTransfer) {
    ["dragenter", "dragover"].forEach(function (t) {
      drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      drop.addEventListener(t, function () { drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) { input.files = e.dataTransfer.files; render(); }
    });
  }
  var sent = false;
  form.addEventListener("submit", function (e) {
    if (sent) { e.preventDefault(); return; }  /* one click, one upload */
    sent = true;
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; button.textContent = "Enviando…"; }
  });
  window.addEventListener("pageshow", function () { sent = false; });
})();
