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
  var COSE = { name: "cose", animate: false, padding: 40, randomize: true,
    idealEdgeLength: function () { return 110; }, nodeRepulsion: function () { return 90000; } };

  function draw(box) {
    var dataEl = document.getElementById(box.id + "-data");
    if (!dataEl) { return null; }
    var data = JSON.parse(dataEl.textContent || "{}");
    var info = document.getElementById(box.id + "-info");
    var field = document.getElementById(box.id + "-field");

    function nodeEl(n) {
      var label = n.label || "";
      return { group: "nodes", data: { id: n.id, name: n.name || n.id, label: label,
        label_zh: n.label_zh || label,
        key: n.key || ((label === "Cadre" ? "Person" : label) + ":" + n.id),
        color: COLORS[label] || "#34495e" } };
    }
    function edgeEl(e) {
      var span = (e.start || "") + (e.end ? " ~ " + e.end : (e.start ? " 起" : ""));
      return { group: "edges", data: { id: e.id || (e.from + "|" + e.type + "|" + e.to + "|" + (e.start || "")),
        source: e.from, target: e.to, type: e.type, text: (e.type_zh || e.type) + (span ? "\n" + span : ""),
        raw: e } };
    }
    var nodes = (data.nodes || []).map(nodeEl);
    var known = {};
    nodes.forEach(function (n) { known[n.data.id] = true; });
    var edges = (data.edges || []).filter(function (e) { return known[e.from] && known[e.to]; }).map(edgeEl);

    var cy = cytoscape({
      container: box,
      elements: nodes.concat(edges),
      wheelSensitivity: 0.3,
      minZoom: 0.2,
      maxZoom: 1.8,
      style: [
        { selector: "node", style: { "background-color": "data(color)", "label": "data(name)",
          "color": "#1f2933", "font-size": 12, "text-valign": "bottom", "text-margin-y": 4,
          "width": 28, "height": 28, "border-width": 2, "border-color": "#fff",
          "font-family": "Noto Sans CJK SC, Microsoft YaHei, sans-serif" } },
        { selector: "node:selected", style: { "border-color": "#f1c40f", "border-width": 4 } },
        { selector: "edge", style: { "width": 2, "line-color": "#b8c2cc", "curve-style": "bezier",
          "target-arrow-shape": "triangle", "target-arrow-color": "#b8c2cc", "label": "data(text)",
          "font-size": 10, "color": "#52606d", "text-wrap": "wrap", "text-background-color": "#fff",
          "text-background-opacity": 0.85, "text-background-padding": 2 } }
      ],
      layout: nodes.length <= 6
        ? { name: "circle", padding: 60, animate: false }
        : COSE
    });
    box.setAttribute("data-ready", String(cy.nodes().length));

    function show(text) { if (info) { info.textContent = text; } }
    function sync() {
      if (!field) { return; }
      var out = { nodes: [], edges: [], query: data.query || {} };
      cy.nodes().forEach(function (n) { out.nodes.push({ id: n.id(), label: n.data("label"), label_zh: n.data("label_zh"), name: n.data("name"), key: n.data("key") }); });
      cy.edges().forEach(function (e) { out.edges.push(e.data("raw")); });
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
      var e = ev.target.data("raw");
      show((e.type_zh || e.type) + "\n" + (e.start || "") + (e.end ? " 至 " + e.end : "") + "\n来源：" + (e.source || "—"));
    });
    if (box.dataset.expand) {
      cy.on("dbltap", "node", function (ev) {
        var n = ev.target;
        var url = box.dataset.api.replace("__KEY__", encodeURIComponent(n.data("key")));
        show("正在展开 " + n.data("name") + " …");
        fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
          .then(function (res) {
            var added = 0;
            (res.nodes || []).forEach(function (m) {
              if (!cy.getElementById(m.id).length) { cy.add(nodeEl(m)); added++; }
            });
            (res.edges || []).forEach(function (e) {
              var el = edgeEl(e);
              if (!cy.getElementById(el.data.id).length && cy.getElementById(e.from).length && cy.getElementById(e.to).length) { cy.add(el); }
            });
            cy.layout(COSE).run();
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
