// The admin's pre-filled slugs (Django's prepopulated fields) as the server makes them
// (events/slugs.py): in a German slug ä, ö, ü and ß become ae, oe, ue and ss ("mobilitaet"),
// where Django's URLify would drop the dots ("mobilitat"). Django fills a slug by calling the
// global URLify() from the title field's keyup, change and focus listeners; this remembers which
// field the staff member is typing in (listening before Django does) and spells its text the
// German way first when that field fills a German slug.
(function () {
  "use strict";
  var urlify = window.URLify;
  var constants = document.getElementById("django-admin-prepopulated-fields-constants");
  if (typeof urlify !== "function" || !constants) return;

  var GERMAN = { "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ẞ": "SS" };
  var languageOf = {}; // "#id_title_de" → "de", from the slug each title fills ("slug_de")
  JSON.parse(constants.dataset.prepopulatedFields || "[]").forEach(function (field) {
    var match = /_([a-z]{2})$/.exec(field.name);
    if (!match) return;
    field.dependency_ids.forEach(function (id) {
      languageOf[id] = match[1];
    });
  });

  var language = null;
  function remember(event) {
    var id = event.target && event.target.id ? "#" + event.target.id : "";
    language = Object.prototype.hasOwnProperty.call(languageOf, id) ? languageOf[id] : null;
  }
  ["keyup", "change", "focus", "input"].forEach(function (type) {
    document.addEventListener(type, remember, true); // capture: before Django's own listener
  });

  window.URLify = function (text, maxLength, allowUnicode) {
    if (language === "de" && !allowUnicode) {
      text = String(text).normalize("NFC").replace(/[äöüßÄÖÜẞ]/g, function (letter) {
        return GERMAN[letter];
      });
    }
    return urlify(text, maxLength, allowUnicode);
  };
})();
