/* 执行 Zhixing page behaviour. No inline scripts or handlers anywhere (Content-Security-Policy):
   templates mark elements with data-* attributes and this file wires them up. Every page works
   without it; it only adds conveniences. */
(function () {
  "use strict";

  // <form data-confirm="Are you sure?">: ask before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // <select data-autosubmit>: submit the enclosing form on change.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) {
      if (field.form.requestSubmit) {
        field.form.requestSubmit();
      } else {
        field.form.submit();
      }
    }
  });

  // Django formsets: <button data-formset-add="parties"> appends a copy of <template id="parties-empty">
  // to <tbody id="parties-rows">, numbering it from the management form's TOTAL_FORMS.
  function addFormsetRow(prefix) {
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    var template = document.getElementById(prefix + "-empty");
    var rows = document.getElementById(prefix + "-rows");
    if (!total || !template || !rows) {
      return false;
    }
    var count = parseInt(total.value, 10);
    if (max && count >= parseInt(max.value, 10)) {
      return false;
    }
    var html = template.innerHTML.replace(/__prefix__/g, String(count)).replace(/__num__/g, String(count + 1));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(count + 1);
    var first = rows.lastElementChild && rows.lastElementChild.querySelector("select, input");
    if (first) {
      first.focus();
    }
    return !(max && count + 1 >= parseInt(max.value, 10));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-formset-add]");
    if (!button) {
      return;
    }
    event.preventDefault();
    if (!addFormsetRow(button.getAttribute("data-formset-add"))) {
      button.disabled = true;
    }
  });

  // Buttons that only make sense with JavaScript are rendered hidden and shown here.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-needs-js]").forEach(function (element) {
      element.classList.remove("d-none");
    });
  });
})();

/* Enforcement bulk assignment: <input type="checkbox" data-check-all="cases"> checks every box named "cases"
   in its form. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var box = event.target;
    var name = box.getAttribute && box.getAttribute("data-check-all");
    if (!name || !box.form) {
      return;
    }
    box.form.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (other) {
      other.checked = box.checked;
    });
  });
})();

/* Relation graph of a case's debtors (hidden-asset clues): <div data-relation-graph="ID"> draws the nodes and
   links of the json_script element ID with ECharts, when the page loaded it. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof window.echarts === "undefined") {
      return;
    }
    document.querySelectorAll("[data-relation-graph]").forEach(function (element) {
      var source = document.getElementById(element.getAttribute("data-relation-graph"));
      if (!source) {
        return;
      }
      var data = JSON.parse(source.textContent);
      element.style.height = "320px";
      var chart = window.echarts.init(element);
      chart.setOption({
        tooltip: {
          // drawn on the canvas as plain text: a name is never parsed as HTML, and no inline style attribute (CSP)
          renderMode: "richText",
          formatter: function (item) {
            return item.dataType === "edge" ? item.data.label : item.data.name;
          },
        },
        series: [
          {
            type: "graph",
            layout: "force",
            roam: true,
            draggable: true,
            force: { repulsion: 220, edgeLength: 90 },
            label: { show: true, position: "right" },
            edgeLabel: {
              show: true,
              fontSize: 10,
              formatter: function (item) {
                return item.data.label;
              },
            },
            categories: [{ name: "debtor" }, { name: "related" }],
            data: data.nodes.map(function (node) {
              return { id: node.id, name: node.name, category: node.category, symbolSize: node.category === 0 ? 26 : 16 };
            }),
            links: data.links,
          },
        ],
      });
      window.addEventListener("resize", function () {
        chart.resize();
      });
    });
  });
})();
