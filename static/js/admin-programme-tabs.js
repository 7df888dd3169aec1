// The event form's FR/DE tabs in programme slots and workshops added with "Add another".
//
// modeltranslation turns the translated fields of each form into tabs, also of forms added
// later. Adding a programme slot, it also makes tabs in the workshop template nested in that
// slot, and every workshop then added to the slot gets a dead copy of those tabs. So, after
// each addition: undo the tabs inside templates, and give tabs to new forms that have none.
(function ($) {
    "use strict";
    var fieldClass = "mt-field-";
    var mainSwitch = "#modeltranslation-main-switch";

    function untabTemplates() {
        $(".djn-empty-form .ui-tabs").each(function () {
            var $tabs = $(this);
            $tabs.children("[id^='tab_']").children().insertBefore($tabs);
            $tabs.remove();
        });
    }

    // "mt-field-title-de" → "de"
    function fieldLanguage(el) {
        var cls = (el.className || "").split(/\s+/).filter(function (name) {
            return name.indexOf(fieldClass) === 0;
        })[0];
        return cls ? cls.slice(fieldClass.length).split("-")[1] : null;
    }

    function tabNewForm($form) {
        var groups = {};
        var keys = [];
        $form.find(".mt").filter("input, textarea, select").each(function () {
            var lang = fieldLanguage(this);
            if (!lang || !this.id || $(this).parentsUntil($form, ".ui-tabs, .djn-empty-form").length) {
                return;
            }
            var key = this.id.slice(0, -(lang.length + 1));
            if (!groups[key]) {
                groups[key] = [];
                keys.push(key);
            }
            groups[key].push({lang: lang, el: this});
        });
        var active = parseInt($(mainSwitch).val(), 10) || 0;
        keys.forEach(function (key) {
            var $box = $("<div class='programme-mt-tabs'><ul></ul></div>");
            var $list = $box.children("ul");
            groups[key].forEach(function (item, index) {
                var $row = $(item.el).closest(".form-row");
                var panelId = "tab_" + item.el.id;
                if (index === 0) {
                    $box.insertBefore($row);
                }
                $row.find("label").each(function () {
                    $(this).text($(this).text().replace(/ \[.+\]/, ""));
                });
                $list.append($("<li>").append($("<a>", {href: "#" + panelId, text: item.lang})));
                $("<div>", {id: panelId}).append($row).appendTo($box);
            });
            $box.tabs({active: active});
        });
    }

    $(document).on("djnesting:added", function (event, $inline, $form) {
        // modeltranslation's own handler runs after this event: wait for it.
        setTimeout(function () {
            untabTemplates();
            tabNewForm($form);
        }, 0);
    });
    $(document).on("change", mainSwitch, function () {
        $(".programme-mt-tabs").tabs("option", "active", parseInt(this.value, 10));
    });
})(django.jQuery);
