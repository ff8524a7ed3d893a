// The board's filters apply as soon as one is picked; without JS the
// form's button does the same.
document.querySelectorAll('#papan-filter select').forEach(function (s) {
  s.addEventListener('change', function () { s.form.submit(); });
});
