// Fill in the browser's time zone when the sign-up form's field still says UTC.
(function () {
  var field = document.getElementById("time_zone");
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (field && zone && field.value === "UTC") { field.value = zone; }
  } catch (e) {}
})();
