/* The relation graph of a debtor (知识图谱): <div data-graph-source="ID"> draws the nodes and links of the
   json_script element ID as an ECharts graph series with a force layout. Categories with a legend, labels on
   the links, hidden-asset clue transfers in red and thicker with their reasons in the tooltip; clicking a node
   opens its page (party → its graph, case → the case, asset → its case). No inline script: the
   Content-Security-Policy forbids it. Sets data-graph-drawn="true" once drawn (browser tests wait for it). */
(function () {
  "use strict";
  var COLOURS = ["#a61b1b", "#2f6fad", "#3c8d5a", "#c98a1b", "#7a55a8"];
  var SIZES = { debtor: 46, person: 28, company: 32, case: 20, asset: 16 };
  var SYMBOLS = { debtor: "circle", person: "circle", company: "roundRect", case: "rect", asset: "diamond" };
  var CLUE = "#dc3545";

  function escape(text) {
    return String(text === null || text === undefined ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function lines(title, rows) {
    var out = ["<strong>" + escape(title) + "</strong>"];
    rows.forEach(function (row) {
      if (row !== null && row !== undefined && row !== "") {
        out.push(escape(row));
      }
    });
    return out.join("<br>");
  }

  // the score, the case whose rules made it a clue and the reasons (none when there is no clue)
  function clueRows(clue) {
    return clue ? ["⚠ " + clue.score + " · " + clue.case].concat(clue.reasons) : [];
  }

  function nodeTooltip(node) {
    var d = node.detail || {};
    var rows = [];
    if (node.kind === "party") {
      rows.push(d.kind);
    } else if (node.kind === "case") {
      rows.push(d.court, d.status, d.filing_date, d.amount ? "¥" + d.amount : "");
    } else {
      rows.push(d.category, d.description, d.value ? "¥" + d.value : "", d.case);
    }
    return lines(node.name, rows.concat(clueRows(node.clue)));
  }

  function linkTooltip(link, names) {
    var d = link.detail || {};
    var rows = [names[link.source] + (link.directed ? " → " : " ↔ ") + names[link.target]];
    if (link.kind === "transfer") {
      rows.push(d.description, d.category, d.value ? "¥" + d.value : "");
    }
    return lines(link.label, rows.concat(clueRows(link.clue)));
  }

  function option(data) {
    var names = {};
    data.nodes.forEach(function (node) {
      names[node.id] = node.name;
    });
    var nodes = data.nodes.map(function (node) {
      var item = {
        id: node.id,
        name: node.name,
        category: node.category,
        symbol: SYMBOLS[node.category_key],
        symbolSize: SIZES[node.category_key],
        raw: node,
        value: { party: 10, case: 5, asset: 2 }[node.kind], // parties push hardest (repulsion follows the value)
        label: { show: true, position: node.kind === "party" ? "right" : "bottom", fontSize: node.kind === "party" ? 13 : 11 },
      };
      if (node.clue) {
        item.itemStyle = { borderColor: CLUE, borderWidth: 4, shadowColor: CLUE, shadowBlur: 12 };
        item.label.color = CLUE;
        item.label.fontWeight = "bold";
      }
      if (node.id === data.centre) {
        item.label.fontSize = 15;
        item.label.fontWeight = "bold";
      }
      return item;
    });
    var links = data.links.map(function (link) {
      var style = { color: "#9aa4ad", width: 1.2, opacity: 0.6, curveness: 0.08 };
      if (link.kind === "relation") {
        style = { color: "#56606b", width: 2, opacity: 0.85, curveness: 0.08 };
      } else if (link.kind === "transfer") {
        style = { color: "#6c757d", width: 1.5, opacity: 0.8, type: "dashed", curveness: 0.25 };
      }
      if (link.clue) {
        style = { color: CLUE, width: 4.5, opacity: 0.95, curveness: 0.25 };
      }
      return {
        source: link.source,
        target: link.target,
        raw: link,
        value: { relation: 1, transfer: 1, role: 3, owner: 5 }[link.kind], // party–party links are the longest
        symbol: link.directed ? ["none", "arrow"] : ["none", "none"],
        symbolSize: link.clue ? 12 : 8,
        lineStyle: style,
        label: {
          show: link.kind !== "owner",
          formatter: link.label,
          fontSize: link.clue ? 12 : 10,
          color: link.clue ? CLUE : "#495057",
          fontWeight: link.clue ? "bold" : "normal",
        },
      };
    });
    return {
      color: COLOURS,
      tooltip: {
        confine: true,
        formatter: function (item) {
          if (!item.data || !item.data.raw) {
            return escape(item.name);
          }
          return item.dataType === "edge" ? linkTooltip(item.data.raw, names) : nodeTooltip(item.data.raw);
        },
      },
      legend: [{ top: 4, data: data.categories.map(function (c) { return c.name; }) }],
      animationDuration: 600,
      series: [
        {
          type: "graph",
          layout: "force",
          layoutAnimation: false,
          roam: true,
          draggable: true,
          top: 48,
          zoom: 0.85,
          force: { repulsion: [450, 1200], edgeLength: [70, 200], gravity: 0.1, friction: 0.2 },
          categories: data.categories.map(function (c, index) {
            return { name: c.name, itemStyle: { color: COLOURS[index] } };
          }),
          edgeLabel: { show: true },
          emphasis: { focus: "adjacency", lineStyle: { width: 5 } },
          data: nodes,
          links: links,
        },
      ],
    };
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof window.echarts === "undefined") {
      return;
    }
    document.querySelectorAll("[data-graph-source]").forEach(function (element) {
      var source = document.getElementById(element.getAttribute("data-graph-source"));
      if (!source) {
        return;
      }
      var data = JSON.parse(source.textContent);
      element.style.height = "600px";
      var chart = window.echarts.init(element);
      chart.setOption(option(data));
      chart.on("click", function (item) {
        if (item.dataType === "node" && item.data && item.data.raw && item.data.raw.url) {
          window.location.assign(item.data.raw.url);
        }
      });
      element.setAttribute("data-graph-drawn", "true");
      window.addEventListener("resize", function () {
        chart.resize();
      });
    });
  });
})();
