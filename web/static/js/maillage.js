// Maillage: what JavaScript adds to pages that work without it — the
// commune suggestions, "Autour de moi", the map (Leaflet, loaded only when
// the map is shown) and the print button. Nothing here is needed to search.
(function () {
  "use strict";

  // Commune suggestions: a native <datalist> filled as the person types.
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    var list = document.createElement("datalist");
    list.id = input.id + "-suggestions";
    input.after(list);
    input.setAttribute("list", list.id);
    var timer = null, last = "";
    input.addEventListener("input", function () {
      var form = input.form;
      // what is typed wins over a position or a commune chosen before
      form.querySelectorAll("input[type=hidden][name=lat], input[type=hidden][name=lon], input[type=hidden][name=insee]").forEach(function (h) { h.remove(); });
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2 || q === last) return;
      timer = setTimeout(function () {
        last = q;
        fetch(input.dataset.suggest + "?q=" + encodeURIComponent(q)).then(function (r) { return r.ok ? r.json() : []; }).then(function (names) {
          list.textContent = "";
          names.forEach(function (n) { var o = document.createElement("option"); o.value = n; list.appendChild(o); });
        }).catch(function () {});
      }, 200);
    });
  });

  // "Autour de moi": the browser's position, sent with the form.
  document.querySelectorAll("[data-geo]").forEach(function (box) {
    if (!("geolocation" in navigator)) return;
    box.hidden = false;
    var button = box.querySelector("[data-geo-button]");
    var status = box.querySelector("[data-geo-status]");
    button.addEventListener("click", function () {
      var form = button.form;
      status.textContent = "Recherche de votre position…";
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.querySelectorAll("input[type=hidden][name=lat], input[type=hidden][name=lon], input[type=hidden][name=insee], input[type=hidden][name=page]").forEach(function (h) { h.remove(); });
        var ou = form.querySelector("input[name=ou]");
        if (ou) ou.value = "";
        [["lat", pos.coords.latitude], ["lon", pos.coords.longitude]].forEach(function (kv) {
          var h = document.createElement("input");
          h.type = "hidden"; h.name = kv[0]; h.value = kv[1].toFixed(5);
          form.appendChild(h);
        });
        status.textContent = "Position trouvée, recherche des lieux…";
        form.submit();
      }, function () {
        button.disabled = false;
        status.textContent = "Votre position n'est pas disponible. Écrivez votre commune ou votre code postal.";
      }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
    });
  });

  // The print button of the orientation sheet.
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.hidden = false;
    var hint = document.querySelector("[data-print-hint]");
    if (hint) hint.hidden = true;
    b.addEventListener("click", function () { window.print(); });
  });

  // The map.
  function loadCSS(href) {
    var l = document.createElement("link");
    l.rel = "stylesheet"; l.href = href;
    document.head.appendChild(l);
  }
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src; s.onload = resolve; s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  function showMap(section) {
    var d = section.dataset;
    var box = section.querySelector("[data-map-box]");
    var button = section.querySelector("[data-map-button]");
    button.hidden = true;
    box.hidden = false;
    loadCSS(d.leafletCss); loadCSS(d.clusterCss); loadCSS(d.clusterCss2);
    var data = fetch(d.map).then(function (r) { return r.json(); });
    loadScript(d.leafletJs).then(function () { return loadScript(d.clusterJs); }).then(function () { return data; }).then(function (fc) {
      var L = window.L;
      var map = L.map(box, { scrollWheelZoom: false, attributionControl: true });
      map.attributionControl.setPrefix("Leaflet");
      var outlines = null;
      function showOutlines() {
        if (outlines) return;
        outlines = true;
        fetch(d.outlines).then(function (r) { return r.json(); }).then(function (gj) {
          outlines = L.geoJSON(gj, { interactive: false, style: { color: "#6a6a6a", weight: 1, fill: true, fillColor: "#f3f3f3", fillOpacity: 1 } }).addTo(map);
          outlines.bringToBack();
          document.documentElement.dataset.mapOutlines = "shown";
        });
      }
      var tiles = L.tileLayer(d.tiles, { attribution: d.attribution || "", maxZoom: 18, minZoom: 2, crossOrigin: false });
      var failed = 0;
      tiles.on("tileerror", function () { if (++failed >= 1) showOutlines(); });
      tiles.addTo(map);
      var cluster = L.markerClusterGroup({ showCoverageOnHover: false });
      var bounds = [];
      fc.features.forEach(function (f) {
        var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
        var p = f.properties;
        var m = L.marker(ll, { title: p.n, alt: p.n, keyboard: true });
        var a = document.createElement("a");
        a.href = "/lieux/" + encodeURIComponent(p.i); a.textContent = p.n;
        if ("newTab" in d) a.target = "_blank";
        var div = document.createElement("div");
        div.appendChild(a);
        if (p.c) div.appendChild(document.createTextNode(" — " + p.c + (p.a ? " (position approximative)" : "")));
        m.bindPopup(div);
        cluster.addLayer(m);
        bounds.push(ll);
      });
      map.addLayer(cluster);
      if (bounds.length) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 14 }); else map.setView([46.6, 2.4], 5);
      box.setAttribute("aria-label", "Carte de " + bounds.length + " lieux");
      document.documentElement.dataset.map = "ready";
      document.documentElement.dataset.mapMarkers = String(bounds.length);
    }).catch(function () {
      box.textContent = "La carte n'a pas pu être chargée. La liste ci-dessus donne tous les lieux.";
      document.documentElement.dataset.map = "failed";
    });
  }

  document.querySelectorAll("section[data-map]").forEach(function (section) {
    section.hidden = false;
    var button = section.querySelector("[data-map-button]");
    button.addEventListener("click", function () { showMap(section); });
    // on a large screen the map is shown at once; on a phone, on demand
    if (window.matchMedia("(min-width: 60em)").matches) showMap(section);
  });
})();
