// The endpoint's home page: Yasgui, offline, talking only to this server.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("nikkan-catalogue").textContent);
  var entries = data.entries;
  var endpoint = new URL(document.body.getAttribute("data-endpoint"), window.location.href).href;

  // No autocompleter that fetches vocabularies from other hosts (LOV, prefix.cc):
  // only variable names and the bundled prefix list.
  var offlineCompleters = ["variables", "prefixes"].filter(function (name) {
    return Yasgui.Yasqe.Autocompleters && Yasgui.Yasqe.Autocompleters[name];
  });
  Yasgui.Yasqe.defaults.autocompleters = offlineCompleters;
  Yasgui.Yasqe.defaults.prefixCcApi = null;
  Yasgui.Yasqe.defaults.createShortLink = undefined;

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    populateFromUrl: false,
    autofocus: false,
    corsProxy: undefined,
    yasqe: { autocompleters: offlineCompleters, prefixCcApi: null, createShortLink: undefined },
  });
  window.nikkanYasgui = yasgui;

  function show(entry) {
    document.getElementById("current-name").textContent = entry ? entry.name : "";
    document.getElementById("current-en").textContent = entry ? entry.question_en : "";
    document.getElementById("current-ja").textContent = entry ? entry.question_ja : "";
    var items = document.querySelectorAll("#catalogue li.entry");
    for (var i = 0; i < items.length; i++) {
      var button = items[i].querySelector("button.load");
      items[i].classList.toggle("active", !!entry && button.getAttribute("data-query") === entry.name);
    }
  }

  function load(entry) {
    var tab = yasgui.getTab();
    tab.setQuery(entry ? entry.sparql : data["default"]);
    show(entry);
  }

  var byName = {};
  entries.forEach(function (entry) { byName[entry.name] = entry; });
  var buttons = document.querySelectorAll("#catalogue button.load");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener("click", function (event) {
      load(byName[event.currentTarget.getAttribute("data-query")]);
    });
  }
  load(entries.length ? entries[0] : null);
  document.body.setAttribute("data-ready", "true");
})();
