/* django-celery-beat's periodic-task admin form, without its inline script (Content-Security-Policy): under the
   crontab field, the chosen schedule in words. The data comes from the json_script elements of
   templates/admin/djcelery/change_periodictask_form.html; text is set as text, never parsed as HTML. */
(function () {
  "use strict";
  function read(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var crontabs = read("readable-crontabs") || {};
    var originalHelp = String(read("crontab-help") || "");
    var label = read("crontab-in-words-label") || "";
    var field = document.getElementById("id_crontab");
    var help = document.querySelector(".field-crontab .help");
    document.querySelectorAll(".field-crontab_translation").forEach(function (row) {
      row.hidden = true;
    });
    if (!field || !help) {
      return;
    }
    field.addEventListener("change", function () {
      help.textContent = originalHelp;
      var words = crontabs[field.value];
      if (words) {
        help.appendChild(document.createElement("br"));
        help.appendChild(document.createTextNode(label + ": " + words));
      }
    });
  });
})();
