/* Expediente — the light document editor. Hand-written, no dependencies, loaded only on the editor page.
   Without JavaScript the page is a plain <textarea> of simple HTML; with it, a contenteditable area with a
   toolbar. Pasted HTML (Word, LibreOffice, Google Docs) is rebuilt from an allow-list; the server sanitises
   every save again (nh3). Leaving the page with unsaved changes asks for confirmation. Images: only the
   process's image documents the server listed for this clerk (the "Inserir imagem" select). */
(function () {
  "use strict";
  var form = document.getElementById("editor-form");
  var source = document.getElementById("html");
  if (!form || !source || !document.execCommand) return;

  var LEAVE = "Há alterações não salvas neste documento. Sair mesmo assim?";
  var ALIGN = ["al-left", "al-center", "al-right", "al-justify"];
  var BLOCKS = /^(P|H[1-4]|BLOCKQUOTE|LI|TD|TH)$/;
  var OWN_IMAGE = /^\/documentos\/imagens\/[0-9a-f]{64}$/;
  var dirty = false, submitting = false;

  /* ---- paste / load cleaner: rebuilds the DOM keeping only what the server allows ---- */
  var RENAME = {B: "strong", STRONG: "strong", I: "em", EM: "em", U: "u", S: "s", STRIKE: "s", DEL: "s",
    P: "p", DIV: "p", H1: "h1", H2: "h2", H3: "h3", H4: "h4", H5: "h4", H6: "h4", UL: "ul", OL: "ol", LI: "li",
    TABLE: "table", THEAD: "thead", TBODY: "tbody", TFOOT: "tbody", TR: "tr", TD: "td", TH: "th",
    BLOCKQUOTE: "blockquote", A: "a", BR: "br"};
  var DROP = /^(SCRIPT|STYLE|META|LINK|TITLE|HEAD|XML|TEMPLATE|IFRAME|OBJECT|EMBED|SVG|MATH|NOSCRIPT|BUTTON|INPUT|SELECT|TEXTAREA|O:P|VIDEO|AUDIO|CANVAS)$/;

  function styleOf(el) { return (el.getAttribute && el.getAttribute("style") || "").toLowerCase(); }

  function alignOf(el) {
    var m = /text-align\s*:\s*(left|center|right|justify)/.exec(styleOf(el));
    var a = m ? m[1] : (el.getAttribute && (el.getAttribute("align") || "").toLowerCase());
    if (el.className && typeof el.className === "string") {
      for (var i = 0; i < ALIGN.length; i++) if (el.classList.contains(ALIGN[i])) return ALIGN[i];
    }
    return a && ["left", "center", "right", "justify"].indexOf(a) >= 0 ? "al-" + a : "";
  }

  function wrapInline(el, out) {
    /* spans and fonts: keep their bold/italic/underline as tags */
    var st = styleOf(el), node = out;
    var wraps = [];
    if (/font-weight\s*:\s*(bold|[6-9]00)/.test(st)) wraps.push("strong");
    if (/font-style\s*:\s*italic/.test(st)) wraps.push("em");
    if (/text-decoration[^;]*underline/.test(st)) wraps.push("u");
    if (/text-decoration[^;]*line-through/.test(st)) wraps.push("s");
    wraps.forEach(function (t) { var w = document.createElement(t); node.appendChild(w); node = w; });
    return node;
  }

  function cleanChildren(from, to) {
    for (var c = from.firstChild; c; c = c.nextSibling) cleanNode(c, to);
  }

  function cleanNode(node, out) {
    if (node.nodeType === 3) {
      var text = node.nodeValue.replace(/[\r\n\t]+/g, " ");
      if (text) out.appendChild(document.createTextNode(text));
      return;
    }
    if (node.nodeType !== 1) return;
    var tag = node.tagName.toUpperCase(), st = styleOf(node);
    if (DROP.test(tag) || /mso-list\s*:\s*ignore/.test(st) || /display\s*:\s*none/.test(st)) return;
    if (tag === "IMG") { var img = ownImage(node.getAttribute("src"), node.getAttribute("alt")); if (img) out.appendChild(img); return; }
    var name = RENAME[tag];
    if (tag === "B" && /font-weight\s*:\s*(normal|400)/.test(st)) name = null;  /* Google Docs wrapper */
    if (!name) { cleanChildren(node, wrapInline(node, out)); return; }
    if (name === "a") {
      var href = (node.getAttribute("href") || "").trim();
      if (!/^(https?:\/\/|mailto:)/i.test(href)) { cleanChildren(node, out); return; }
    }
    var el = document.createElement(name);
    if (name === "a") el.setAttribute("href", node.getAttribute("href").trim());
    if (name === "td" || name === "th") {
      ["colspan", "rowspan"].forEach(function (a) {
        var v = parseInt(node.getAttribute(a), 10);
        if (v > 1 && v <= 100) el.setAttribute(a, String(v));
      });
    }
    if (BLOCKS.test(name.toUpperCase())) { var al = alignOf(node); if (al && al !== "al-left") el.className = al; }
    out.appendChild(el);
    cleanChildren(node, name === "p" || /^h/.test(name) || name === "li" ? wrapInline(node, el) : el);
  }

  function ownImage(src, alt) {
    /* our stored images only (pasted from a document page they may be absolute); Word's files are dropped */
    src = src || "";
    if (src.indexOf(location.origin + "/") === 0) src = src.slice(location.origin.length);
    if (!OWN_IMAGE.test(src)) return null;
    var img = document.createElement("img");
    img.setAttribute("src", src);
    img.setAttribute("alt", alt || "");
    return img;
  }

  function wordLists(root) {
    /* Word pastes lists as <p style="mso-list:l0 level2 lfo1"><span style="mso-list:Ignore">1.</span>…</p> */
    var paras = root.querySelectorAll("p"), stack = [];
    for (var i = 0; i < paras.length; i++) {
      var p = paras[i], m = /mso-list\s*:\s*\S+\s+level(\d)/.exec(styleOf(p));
      if (!m) { stack = []; continue; }
      var level = Math.min(parseInt(m[1], 10), 6), ign = p.querySelector("[style*='mso-list']");
      var ordered = /^\(?[0-9a-zA-Z]{1,4}[.)]/.test(ign ? (ign.textContent || "").trim() : "");
      if (stack.length && p.previousElementSibling !== stack[0]) stack = [];
      while (stack.length > level) stack.pop();
      while (stack.length < level) {
        var list = document.createElement(ordered ? "ol" : "ul");
        if (!stack.length) p.parentNode.insertBefore(list, p);
        else (stack[stack.length - 1].lastElementChild || stack[stack.length - 1]).appendChild(list);
        stack.push(list);
      }
      var li = document.createElement("li");
      while (p.firstChild) li.appendChild(p.firstChild);
      stack[stack.length - 1].appendChild(li);
      p.parentNode.removeChild(p);
    }
  }

  function clean(html) {
    var doc = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
    wordLists(doc.body);
    var out = document.createElement("div");
    cleanChildren(doc.body, out);
    /* loose inline content at top level goes into paragraphs */
    var frag = document.createElement("div"), para = null;
    while (out.firstChild) {
      var n = out.firstChild;
      var block = n.nodeType === 1 && /^(P|H[1-4]|UL|OL|TABLE|BLOCKQUOTE)$/.test(n.tagName);
      if (block) { para = null; frag.appendChild(n); }
      else if (n.nodeType === 3 && !n.nodeValue.trim() && !para) { out.removeChild(n); }
      else { if (!para) { para = document.createElement("p"); frag.appendChild(para); } para.appendChild(n); }
    }
    return frag.innerHTML;
  }

  function escapeText(t) {
    return t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  /* ---- the editable area and the toolbar ---- */
  var area = document.createElement("div");
  area.className = "ed-area doc-body";
  area.contentEditable = "true";
  area.setAttribute("role", "textbox");
  area.setAttribute("aria-multiline", "true");
  area.setAttribute("aria-label", "Texto do documento");
  area.innerHTML = clean(source.value) || "<p><br></p>";
  var bar = document.createElement("div");
  bar.className = "ed-bar";
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", "Formatação");

  function cmd(name, value) { area.focus(); document.execCommand(name, false, value); changed(); }

  function selectedBlocks() {
    var sel = window.getSelection(), found = [];
    if (!sel.rangeCount) return found;
    var range = sel.getRangeAt(0);
    var start = range.startContainer.nodeType === 1 ? range.startContainer : range.startContainer.parentNode;
    var all = area.querySelectorAll("p,h1,h2,h3,h4,blockquote,li,td,th");
    for (var i = 0; i < all.length; i++) if (range.intersectsNode(all[i])) found.push(all[i]);
    if (!found.length) { var b = start.closest && start.closest("p,h1,h2,h3,h4,blockquote,li,td,th"); if (b && area.contains(b)) found.push(b); }
    /* innermost only: a cell, not the whole table; a nested item, not its parent */
    return found.filter(function (el) { return !found.some(function (o) { return o !== el && el.contains(o); }); });
  }

  function align(cls) {
    selectedBlocks().forEach(function (el) {
      ALIGN.forEach(function (a) { el.classList.remove(a); });
      if (cls !== "al-left") el.classList.add(cls);
      if (!el.className) el.removeAttribute("class");
    });
    changed();
  }

  function currentCell() {
    var sel = window.getSelection();
    if (!sel.rangeCount) return null;
    var n = sel.getRangeAt(0).startContainer;
    n = n.nodeType === 1 ? n : n.parentNode;
    var cell = n.closest && n.closest("td,th");
    return cell && area.contains(cell) ? cell : null;
  }

  function insertTable() {
    var answer = window.prompt("Tamanho da tabela (linhas x colunas):", "3x3");
    var m = /^\s*(\d{1,2})\s*[xX×]\s*(\d{1,2})\s*$/.exec(answer || "");
    if (!m) return;
    var rows = Math.min(+m[1], 50), cols = Math.min(+m[2], 12), html = "<table><tbody>";
    for (var r = 0; r < rows; r++) {
      html += "<tr>";
      for (var c = 0; c < cols; c++) html += r === 0 ? "<th><br></th>" : "<td><br></td>";
      html += "</tr>";
    }
    cmd("insertHTML", html + "</tbody></table><p><br></p>");
  }

  function tableOp(op) {
    var cell = currentCell();
    if (!cell) { window.alert("Coloque o cursor dentro de uma célula da tabela."); return; }
    var row = cell.parentNode, index = Array.prototype.indexOf.call(row.cells, cell);
    if (op === "row") {
      var copy = row.cloneNode(true);
      Array.prototype.forEach.call(copy.cells, function (c) { c.innerHTML = "<br>"; c.removeAttribute("rowspan"); });
      row.parentNode.insertBefore(copy, row.nextSibling);
    } else if (op === "col") {
      row.parentNode.parentNode.querySelectorAll("tr").forEach(function (tr) {
        var ref = tr.cells[Math.min(index, tr.cells.length - 1)];
        var c = document.createElement(ref && ref.tagName === "TH" ? "th" : "td");
        c.innerHTML = "<br>";
        tr.insertBefore(c, ref ? ref.nextSibling : null);
      });
    } else if (op === "delrow") {
      var body = row.parentNode;
      body.removeChild(row);
      if (!body.querySelector("tr")) body.parentNode.parentNode.removeChild(body.parentNode);
    } else if (op === "delcol") {
      var table = row.parentNode.parentNode;
      table.querySelectorAll("tr").forEach(function (tr) { if (tr.cells[index]) tr.removeChild(tr.cells[index]); });
      if (!table.querySelector("td,th")) table.parentNode.removeChild(table);
    } else if (op === "right") {
      var next = cell.nextElementSibling;
      if (!next) return;
      cell.colSpan = (cell.colSpan || 1) + (next.colSpan || 1);
      while (next.firstChild) cell.appendChild(next.firstChild);
      row.removeChild(next);
    } else if (op === "down") {
      var span = cell.rowSpan || 1, below = row.parentNode.rows ? row.parentNode.rows[row.sectionRowIndex + span] : null;
      if (!below || !below.cells[index]) return;
      var other = below.cells[index];
      cell.rowSpan = span + (other.rowSpan || 1);
      while (other.firstChild) cell.appendChild(other.firstChild);
      below.removeChild(other);
    }
    changed();
  }

  function link() {
    var url = window.prompt("Endereço do link (https://… ou mailto:…):", "https://");
    if (url === null) return;
    url = url.trim();
    if (!/^(https?:\/\/\S+|mailto:\S+)$/i.test(url)) { window.alert("Use um endereço que comece com http://, https:// ou mailto:."); return; }
    cmd("createLink", url);
  }

  /* ---- images: the select rendered by the server moves into the toolbar, shown by "Imagem" ---- */
  var imageSelect = document.getElementById("image_id"), imagePanel = null, savedRange = null;
  document.addEventListener("selectionchange", function () {
    var sel = window.getSelection();
    if (sel.rangeCount && area.contains(sel.getRangeAt(0).commonAncestorContainer)) savedRange = sel.getRangeAt(0).cloneRange();
  });

  function toggleImages() {
    if (!imagePanel) {   /* no image in the process: point at the hint below the text (no modal dialogs) */
      var none = document.getElementById("image-none");
      if (none) { none.setAttribute("role", "status"); none.scrollIntoView({block: "center"}); }
      return;
    }
    imagePanel.hidden = !imagePanel.hidden;
    if (!imagePanel.hidden) imageSelect.focus();
  }

  function insertImage() {
    var opt = imageSelect.options[imageSelect.selectedIndex], img = opt && ownImage(opt.getAttribute("data-src"), opt.textContent);
    imageSelect.value = "0";   /* inserted here: the save must not append it again */
    imagePanel.hidden = true;
    if (!img) return;
    area.focus();
    if (savedRange) { var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(savedRange); }
    cmd("insertHTML", img.outerHTML);
  }

  var showingSource = false;
  function toggleSource() {
    showingSource = !showingSource;
    if (showingSource) { source.value = area.innerHTML; }
    else { area.innerHTML = clean(source.value) || "<p><br></p>"; }
    source.hidden = !showingSource;
    area.hidden = showingSource;
    bar.querySelectorAll("button,select").forEach(function (b) { if (!b.dataset.keep) b.disabled = showingSource; });
  }

  var BUTTONS = [
    ["B", "Negrito (Ctrl+B)", function () { cmd("bold"); }, "b"],
    ["I", "Itálico (Ctrl+I)", function () { cmd("italic"); }, "i"],
    ["U", "Sublinhado (Ctrl+U)", function () { cmd("underline"); }, "u"],
    ["S", "Tachado", function () { cmd("strikeThrough"); }, "s"],
    ["|"],
    ["• Lista", "Lista com marcadores", function () { cmd("insertUnorderedList"); }],
    ["1. Lista", "Lista numerada", function () { cmd("insertOrderedList"); }],
    ["→", "Aumentar recuo (subitem da lista)", function () { cmd("indent"); }],
    ["←", "Diminuir recuo", function () { cmd("outdent"); }],
    ["|"],
    ["Esq.", "Alinhar à esquerda", function () { align("al-left"); }],
    ["Centro", "Centralizar", function () { align("al-center"); }],
    ["Dir.", "Alinhar à direita", function () { align("al-right"); }],
    ["Just.", "Justificar", function () { align("al-justify"); }],
    ["|"],
    ["Tabela", "Inserir tabela", insertTable],
    ["+Lin", "Inserir linha abaixo", function () { tableOp("row"); }],
    ["+Col", "Inserir coluna à direita", function () { tableOp("col"); }],
    ["−Lin", "Excluir linha", function () { tableOp("delrow"); }],
    ["−Col", "Excluir coluna", function () { tableOp("delcol"); }],
    ["Mesclar →", "Mesclar com a célula à direita", function () { tableOp("right"); }],
    ["Mesclar ↓", "Mesclar com a célula abaixo", function () { tableOp("down"); }],
    ["|"],
    ["Link", "Inserir link", link],
    ["Sem link", "Remover link", function () { cmd("unlink"); }],
    ["Imagem", "Inserir imagem (documento externo PNG ou JPEG deste processo)", toggleImages],
    ["Desfazer", "Desfazer (Ctrl+Z)", function () { cmd("undo"); }],
    ["Refazer", "Refazer (Ctrl+Y)", function () { cmd("redo"); }],
    ["HTML", "Ver/editar o código HTML", toggleSource, null, true]
  ];

  var blockSelect = document.createElement("select");
  blockSelect.setAttribute("aria-label", "Estilo do parágrafo");
  [["p", "Parágrafo"], ["h1", "Título 1"], ["h2", "Título 2"], ["h3", "Título 3"], ["h4", "Título 4"],
   ["blockquote", "Citação"]].forEach(function (o) {
    var opt = document.createElement("option"); opt.value = o[0]; opt.textContent = o[1]; blockSelect.appendChild(opt);
  });
  blockSelect.addEventListener("change", function () { cmd("formatBlock", "<" + blockSelect.value + ">"); });
  bar.appendChild(blockSelect);

  BUTTONS.forEach(function (spec) {
    if (spec[0] === "|") { var sep = document.createElement("span"); sep.className = "ed-sep"; bar.appendChild(sep); return; }
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = spec[0];
    b.title = spec[1];
    b.setAttribute("aria-label", spec[1]);
    if (spec[3]) b.className = "ed-" + spec[3];
    if (spec[4]) b.dataset.keep = "1";
    b.addEventListener("mousedown", function (e) { e.preventDefault(); });  /* keep the selection */
    b.addEventListener("click", spec[2]);
    bar.appendChild(b);
    if (spec[2] === toggleImages && imageSelect) {
      imagePanel = document.createElement("span");
      imagePanel.hidden = true;
      var field = imageSelect.closest(".field"), go = document.createElement("button");
      go.type = "button";
      go.textContent = "Inserir";
      go.addEventListener("mousedown", function (e) { e.preventDefault(); });
      go.addEventListener("click", insertImage);
      imageSelect.setAttribute("aria-label", "Imagem a inserir no cursor");
      imageSelect.removeAttribute("aria-describedby");
      imagePanel.appendChild(imageSelect);
      imagePanel.appendChild(go);
      bar.appendChild(imagePanel);
      if (field) field.hidden = true;
    }
  });

  document.execCommand("styleWithCSS", false, false);
  document.execCommand("defaultParagraphSeparator", false, "p");
  source.hidden = true;
  source.parentNode.insertBefore(bar, source);
  source.parentNode.insertBefore(area, source);
  var hint = document.getElementById("html-hint");
  if (hint) hint.hidden = true;
  var label = form.querySelector("label[for=html]");
  if (label) label.addEventListener("click", function (e) { e.preventDefault(); area.focus(); });

  /* ---- paste: HTML through the cleaner, plain text as paragraphs ---- */
  area.addEventListener("paste", function (e) {
    var data = e.clipboardData;
    if (!data) return;
    e.preventDefault();
    var html = data.getData("text/html");
    if (html) { cmd("insertHTML", clean(html)); return; }
    var text = data.getData("text/plain") || "";
    var paras = text.replace(/\r\n?/g, "\n").split(/\n{2,}/).map(function (p) {
      return "<p>" + escapeText(p).replace(/\n/g, "<br>") + "</p>";
    });
    cmd("insertHTML", paras.length > 1 ? paras.join("") : escapeText(text).replace(/\n/g, "<br>"));
  });
  area.addEventListener("drop", function (e) { if (e.dataTransfer && e.dataTransfer.files.length) e.preventDefault(); });

  /* ---- unsaved changes ---- */
  function changed() { dirty = true; }
  area.addEventListener("input", changed);
  source.addEventListener("input", changed);
  area.addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") { e.preventDefault(); form.requestSubmit ? form.requestSubmit() : form.submit(); }
  });
  form.addEventListener("submit", function () {
    if (!showingSource) source.value = clean(area.innerHTML);
    submitting = true;
  });
  window.addEventListener("beforeunload", function (e) {
    if (dirty && !submitting) { e.preventDefault(); e.returnValue = LEAVE; return LEAVE; }
  });
  document.addEventListener("htmx:confirm", function (e) {
    if (!dirty || submitting) return;
    e.preventDefault();
    if (window.confirm(LEAVE)) { dirty = false; e.detail.issueRequest(true); }
  });
  window.expedienteEditor = {clean: clean, isDirty: function () { return dirty; }};
})();
