// The periodic task's admin page (django-celery-beat): the chosen crontab in words under the
// field, as the package's own inline script did (moved here for the Content-Security-Policy).
(function ($) {
  "use strict";
  var readableCrontabs = JSON.parse(document.getElementById("readable-crontabs").textContent);
  var originalCrontabHelp = JSON.parse(document.getElementById("crontab-help").textContent);
  $(".field-crontab_translation").hide();
  $(".field-crontab").change(function () {
    var help = $(".field-crontab .help").text(originalCrontabHelp);
    help.append("<br>", document.createTextNode("Translation: " + readableCrontabs[$("#id_crontab").val()]));
  });
})(django.jQuery);
