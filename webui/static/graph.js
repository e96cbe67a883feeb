/* Draws each evidence / link graph of the page (every .graph[id] box, e.g. #graph) with
   cytoscape (served from node_modules). Data comes from the JSON block #<id>-data:
   {nodes: [{id, label, label_zh, name}], edges: [{type, type_zh, from, to, start, end,
   source}]}; node details go to #<id>-info, the (expanded) graph to the form field
   #<id>-field. With data-expand, double-clicking a node fetches its neighbours from the
   JSON API and adds them. window.riskgraphCy is the first graph, riskgraphCys all by id. */
(function () {
  "use strict";
  if (typeof cytoscape !== "function") { return; }
  var COLORS = { Cadre: "#c0392b", Person: "#e67e22", Company: "#2e86de", Organization: "#16a085",
    Post: "#8e44ad", Project: "#7f8c8d", Payment: "#7f8c8d", Region: "#95a5a6" };
  // fcose (npm cytoscape-fcose) places nodes with their labels as their size, so
  // neither nodes nor names overlap; the built-in cose is the fallback.
  var READABLE = 0.72;
  var HAS_FCOSE = false;
  try { HAS_FCOSE = typeof cytoscape("layout", "fcose") === "function"; } catch (e) { HAS_FCOSE = false; }
  function edgeLength(edge) {   // long enough for the edge's own label between its ends
    var text = edge.data("text") || "";
    var widest = Math.max.apply(null, text.split("\n").map(function (t) { return t.length; }));
    return Math.max(90, 30 + widest * 7);
  }
  function layoutOptions(incremental) {
    if (!HAS_FCOSE) {
      return { name: "cose", animate: false, padding: 40, randomize: !incremental, fit: !incremental,
        nodeDimensionsIncludeLabels: true, nodeOverlap: 40, componentSpacing: 80,
        idealEdgeLength: edgeLength, nodeRepulsion: function () { return 400000; } };
    }
    return { name: "fcose", quality: "proof", randomize: !incremental, fit: !incremental,
      animate: !!incremental, animationDuration: 450, padding: 30,
      nodeDimensionsIncludeLabels: true, packComponents: true, nodeSeparation: 90,
      idealEdgeLength: edgeLength, nodeRepulsion: function () { return 12000; },
      edgeElasticity: function () { return 0.3; }, gravity: 0.4, gravityRange: 2.0,
      numIter: 4000, tile: true, tilingPaddingVertical: 20, tilingPaddingHorizontal: 20 };
  }

  function nodeEl(n) {
    var label = n.label || "";
    return { group: "nodes", data: { id: n.id, name: n.name || n.id, label: label,
      label_zh: n.label_zh || label,
      key: n.key || ((label === "Cadre" ? "Person" : label) + ":" + n.id),
      color: COLORS[label] || "#34495e" } };
  }
  function edgeLine(e, sep) {
    var span = (e.start || "") + (e.end ? " ~ " + e.end : (e.start ? " 起" : ""));
    return (e.type_zh || e.type) + (span ? sep + span : "");
  }
  function edgeKey(e) { return e.id || (e.from + "|" + e.type + "|" + e.to + "|" + (e.start || "")); }
  function edgeText(raws) {   // one relation: name over dates; several: one line each
    return raws.length === 1 ? edgeLine(raws[0], "\n")
      : raws.map(function (e) { return edgeLine(e, " "); }).join("\n");
  }
  function draw(box) {
    var dataEl = document.getElementById(box.id + "-data");
    if (!dataEl) { return null; }
    var data = JSON.parse(dataEl.textContent || "{}");
    var info = document.getElementById(box.id + "-info");
    var field = document.getElementById(box.id + "-field");

    // Relations from one node to another are drawn as one edge listing them all, so
    // parallel edges and their labels do not pile up on each other.
    function addEdges(list) {
      list.forEach(function (e) {
        if (!cy.getElementById(e.from).length || !cy.getElementById(e.to).length) { return; }
        var id = "rel|" + e.from + "|" + e.to;
        var drawn = cy.getElementById(id);
        if (!drawn.length) {
          cy.add({ group: "edges", data: { id: id, source: e.from, target: e.to, raws: [e], text: edgeText([e]) } });
          return;
        }
        var raws = drawn.data("raws");
        if (raws.some(function (r) { return edgeKey(r) === edgeKey(e); })) { return; }
        drawn.data({ raws: raws.concat([e]), text: edgeText(raws.concat([e])) });
      });
    }
    var nodes = (data.nodes || []).map(nodeEl);

    var cy = cytoscape({
      container: box,
      elements: nodes,
      wheelSensitivity: 0.3,
      minZoom: 0.2,
      maxZoom: 1.8,
      style: [
        { selector: "node", style: { "background-color": "data(color)", "label": "data(name)",
          "color": "#1f2933", "font-size": 13, "text-valign": "bottom", "text-margin-y": 4,
          "width": 28, "height": 28, "border-width": 2, "border-color": "#fff",
          "text-wrap": "wrap", "text-max-width": 112, "text-overflow-wrap": "anywhere", "text-background-color": "#fff",
          "text-background-opacity": 0.7, "text-background-padding": 1,
          "font-family": "Noto Sans CJK SC, Microsoft YaHei, sans-serif" } },
        { selector: "node:selected", style: { "border-color": "#f1c40f", "border-width": 4 } },
        { selector: "edge", style: { "width": 2, "line-color": "#b8c2cc", "curve-style": "bezier",
          "target-arrow-shape": "triangle", "target-arrow-color": "#b8c2cc", "label": "data(text)",
          "font-size": 11, "color": "#52606d", "text-wrap": "wrap", "text-background-color": "#fff",
          "text-background-opacity": 0.85, "text-background-padding": 2 } }
      ],
      layout: { name: "preset" }
    });
    addEdges(data.edges || []);
    // Big graphs, and graphs in a narrow column, get the whole width (the side panel
    // moves below); big ones also more height.
    if (box.parentNode && (nodes.length > 12 || box.clientWidth < 640)) {
      box.parentNode.classList.add("wide");
      if (nodes.length > 12) { box.classList.add("big"); }
      cy.resize();
    }
    cy.layout(layoutOptions(false)).run();
    readable();
    box.setAttribute("data-ready", String(cy.nodes().length));

    // Fit the graph, but never so small that names and dates cannot be read: below
    // READABLE the view centres on the subjects instead ("显示全图" shows everything).
    function readable() {
      fitAll();
      if (cy.zoom() < READABLE) {
        var subjects = cy.nodes("[label = 'Cadre']");
        cy.zoom(READABLE);
        cy.center(subjects.length ? subjects : cy.elements());
      }
    }
    var fitButton = document.getElementById(box.id + "-fit");
    function fitAll() {
      cy.fit(cy.elements(), 30);
      if (cy.zoom() > 1.2) { cy.zoom(1.2); cy.center(); }
    }
    if (fitButton) { fitButton.addEventListener("click", fitAll); }

    function show(text) { if (info) { info.textContent = text; } }
    function sync() {
      if (!field) { return; }
      var out = { nodes: [], edges: [], query: data.query || {} };
      cy.nodes().forEach(function (n) { out.nodes.push({ id: n.id(), label: n.data("label"), label_zh: n.data("label_zh"), name: n.data("name"), key: n.data("key") }); });
      cy.edges().forEach(function (e) { out.edges = out.edges.concat(e.data("raws")); });
      field.value = JSON.stringify(out);
    }
    cy.on("tap", "node", function (ev) {
      var n = ev.target.data();
      show(n.name + "（" + n.label_zh + "）\n编号：" + n.id);
      if (n.label === "Cadre" && box.dataset.cadre) {
        var link = document.createElement("a");
        link.href = box.dataset.cadre.replace("__ID__", encodeURIComponent(n.id));
        link.textContent = "打开一人一档";
        info.appendChild(document.createElement("br"));
        info.appendChild(link);
      }
    });
    cy.on("tap", "edge", function (ev) {
      show(ev.target.data("raws").map(function (e) {
        return (e.type_zh || e.type) + "\n" + (e.start || "") + (e.end ? " 至 " + e.end : "") + "\n来源：" + (e.source || "—");
      }).join("\n\n"));
    });
    // New neighbours start on a ring around the expanded node; the layout then goes on
    // from the current positions (no restart), so the rest of the graph stays in place.
    function placeAround(center, fresh) {
      var p = center.position();
      var r = 140;
      fresh.forEach(function (node, i) {
        var a = 2 * Math.PI * i / Math.max(fresh.length, 1);
        node.position({ x: p.x + r * Math.cos(a), y: p.y + r * Math.sin(a) });
      });
    }
    function relayout(center, fresh) {
      var layout = cy.layout(layoutOptions(true));
      layout.one("layoutstop", function () {
        var view = cy.extent();
        var outside = fresh.some(function (node) {
          var b = node.boundingBox({ includeLabels: true });
          return b.x1 < view.x1 || b.x2 > view.x2 || b.y1 < view.y1 || b.y2 > view.y2;
        });
        // pan (never zoom) so the new neighbourhood is in view
        if (outside) { cy.animate({ center: { eles: center.union(fresh) }, duration: 300 }); }
      });
      layout.run();
    }
    if (box.dataset.expand) {
      cy.on("dbltap", "node", function (ev) {
        var n = ev.target;
        var url = box.dataset.api.replace("__KEY__", encodeURIComponent(n.data("key")));
        show("正在展开 " + n.data("name") + " …");
        fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
          .then(function (res) {
            var fresh = cy.collection();
            (res.nodes || []).forEach(function (m) {
              if (!cy.getElementById(m.id).length) { fresh = fresh.union(cy.add(nodeEl(m))); }
            });
            var added = fresh.length;
            placeAround(n, fresh);
            addEdges(res.edges || []);
            relayout(n, fresh);
            show("已展开 " + n.data("name") + "：新增 " + added + " 个节点");
            box.setAttribute("data-ready", String(cy.nodes().length));
            sync();
          })
          .catch(function (err) { show("展开失败：" + err.message); });
      });
    }
    sync();
    return cy;
  }

  window.riskgraphCys = {};
  Array.prototype.forEach.call(document.querySelectorAll(".graph[id]"), function (box) {
    var cy = draw(box);
    if (!cy) { return; }
    window.riskgraphCys[box.id] = cy;
    if (!window.riskgraphCy) { window.riskgraphCy = cy; }
  });
})();
