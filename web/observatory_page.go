package web

import (
	"bytes"
	"encoding/csv"
	"errors"
	"net/http"
	"slices"
	"strconv"

	"maillage"
	"maillage/stats"
)

var tmplObservatory = uiParsePage("observatoire.html")

// obsColumn is a column of the key figures: the territory, its parents,
// France.
type obsColumn struct {
	Label string // "Commune", "Département"…
	Name  string
	URL   string // "" for the territory itself
}

// obsRow is a row of the key figures, formatted.
type obsRow struct {
	Label  string
	Values []string
	Group  string // the heading of the rows that follow, when it changes
}

// obsChild is a row of the table of the child territories.
type obsChild struct {
	Name, URL, Code                        string
	Population, Places, Per10k, Within10km string
	Median                                 string
	Class                                  string // the map's class of the value ("q0"…"q4", "nd")
	Value                                  string // the map's value, formatted
}

// obsWhite is a commune of a white zone, formatted.
type obsWhite struct {
	Name, URL, Population, Nearest string
}

// obsWhiteZone is the white zone of one radius.
type obsWhiteZone struct {
	Radius     string
	Communes   string
	Population string
	Share      string
	Count      int
	List       []obsWhite
	More       int // communes not listed
	CSV        string
}

// obsLabel is a row of the table of the labels.
type obsLabel struct {
	Label, Kind, Places, Per10k, FrancePer10k string
}

// obsLink is a link.
type obsLink struct{ Text, URL string }

// obsMetric is a figure the map can show.
type obsMetric struct {
	Slug, Label, Unit string
	Selected          bool
}

// obsView is the data of an observatory page.
type obsView struct {
	T           *stats.Territory
	LevelLabel  string
	Crumbs      []obsLink
	Columns     []obsColumn
	Rows        []obsRow
	Charts      []barChart
	Labels      []obsLabel
	ChildTitle  string
	ChildLevel  string
	ChildList   string // ChildTitle in lower case, inside a sentence
	Children    []obsChild
	Map         *choropleth
	Metrics     []obsMetric
	MetricLabel string
	Legend      []legendItem
	WhiteZones  []obsWhiteZone
	Downloads   []obsLink
	Regions     []obsLink // on the France page
	Services    []obsMetric
	// ServiceLabel is the service chosen for the map and the white
	// zones, "" for every place.
	ServiceLabel string
	Reference    string
	Week         string
	Built        string
	Path         string
}

// mapMetrics are the figures the map and the table of the child
// territories can be coloured by.
var mapMetrics = []obsMetric{
	{Slug: "lieux", Label: "Lieux pour 10 000 habitants"},
	{Slug: "acces10", Label: "Part de la population à moins de 10 km d'un lieu", Unit: "%"},
	{Slug: "mediane", Label: "Distance médiane au lieu le plus proche", Unit: "km"},
	{Slug: "heures", Label: "Heures d'ouverture par semaine pour 10 000 habitants"},
}

// metricValue returns the figure of the metric for t: for places
// offering service svc (an index in maillage.Services), or for all places
// when svc is -1. The opening hours are always those of all places.
func metricValue(slug string, svc int, t *stats.Territory) *float64 {
	per10k, access := t.PlacesPer10k, &t.Access
	if svc >= 0 {
		per10k, access = t.Services[svc].PlacesPer10k, &t.Services[svc].Access
	}
	switch slug {
	case "acces10":
		return percent(access.Within[1].Share)
	case "mediane":
		return access.MedianKm
	case "heures":
		return t.Hours.WeeklyHoursPer10k
	}
	return per10k
}

// parseService reads the service parameter of the pages: "" (every
// place) or a slug of stats.ServiceSlugs; it returns the service's index,
// -1 for every place.
func parseService(slug string) (int, bool) {
	if slug == "" {
		return -1, true
	}
	i := slices.Index(stats.ServiceSlugs, slug)
	return i, i >= 0
}

func metricText(slug string, v *float64) string {
	switch slug {
	case "acces10":
		if v == nil {
			return undefinedFR
		}
		return decFR(*v, 1) + nbsp + "%"
	case "mediane":
		return kmFR(v)
	}
	return numFR(v, 1)
}

// page answers /observatoire (France) and /observatoire/{niveau}/{code}.
func (o *observatory) page(w http.ResponseWriter, r *http.Request) {
	s := o.s
	q := r.URL.Query()
	for name := range q {
		if name != "carte" && name != "service" {
			s.uiError(w, r, http.StatusBadRequest, "Le paramètre « "+name+" » n'est pas connu de cette page.")
			return
		}
	}
	metric := q.Get("carte")
	if metric == "" {
		metric = "lieux"
	}
	if !slices.ContainsFunc(mapMetrics, func(m obsMetric) bool { return m.Slug == metric }) {
		s.uiError(w, r, http.StatusBadRequest, "La carte ne sait pas montrer « "+metric+" » : choisissez une valeur de la liste.")
		return
	}
	svc, ok := parseService(q.Get("service"))
	if !ok {
		s.uiError(w, r, http.StatusBadRequest, "« "+q.Get("service")+" » n'est pas un service connu : choisissez une valeur de la liste.")
		return
	}
	rep, err := o.current()
	if err != nil {
		s.cfg.Logger.Error("observatoire", "err", err)
		s.uiError(w, r, http.StatusInternalServerError, "")
		return
	}
	levelParam, code := r.PathValue("niveau"), r.PathValue("code")
	if levelParam == "" {
		levelParam = string(stats.LevelFrance)
	}
	if levelParam == string(stats.LevelFrance) && code == "" {
		code = stats.FranceCode
	}
	if code == "" && stats.ValidLevel(levelParam) {
		s.uiError(w, r, http.StatusNotFound, "Cette adresse ne désigne pas un territoire. Choisissez-en un depuis la page de la France, de sa région ou de son département.")
		return
	}
	_, t, err := lookup(rep, levelParam, code)
	if err != nil {
		var pe *paramError
		if errors.As(err, &pe) {
			s.uiError(w, r, http.StatusBadRequest, "Cette adresse ne désigne pas un territoire : "+pe.msg+".")
		} else {
			s.uiError(w, r, http.StatusNotFound, "Aucun territoire ne porte ce code. Cherchez-le depuis la page de la France ou de sa région.")
		}
		return
	}
	v := o.view(rep, t, metric, svc)
	v.Path = r.URL.Path
	s.uiRender(w, r, http.StatusOK, tmplObservatory, uiPage{Title: "Observatoire : " + t.Name, Nav: "observatoire", Data: v})
}

// columnLabels names the levels in the key figures' headers.
var columnLabels = map[stats.Level]string{
	stats.LevelCommune:     "Commune",
	stats.LevelEPCI:        "Intercommunalité",
	stats.LevelDepartement: "Département",
	stats.LevelRegion:      "Région",
	stats.LevelFrance:      "France",
}

func (o *observatory) view(rep *stats.Report, t *stats.Territory, metric string, svc int) *obsView {
	v := &obsView{T: t, LevelLabel: columnLabels[t.Level]}
	v.Reference = longDateFR(rep.Reference())
	v.Week = longDateFR(rep.Week())
	if b := o.s.cfg.Index.Load().BuiltAt(); !b.IsZero() {
		v.Built = longDateFR(b)
	}
	// Breadcrumbs, from France down.
	for i := len(t.Parents) - 1; i >= 0; i-- {
		p := t.Parents[i]
		v.Crumbs = append(v.Crumbs, obsLink{p.Name, observatoryPath(p.Level, p.Code)})
	}
	if t.ParentCommune != nil {
		v.Crumbs = append(v.Crumbs, obsLink{t.ParentCommune.Name, observatoryPath(stats.LevelCommune, t.ParentCommune.Code)})
	}
	// The territory, its parents and France.
	all := []*stats.Territory{t}
	v.Columns = []obsColumn{{Label: columnLabels[t.Level], Name: t.Name}}
	parents := t.Parents
	if t.ParentCommune != nil {
		parents = append([]stats.Ref{*t.ParentCommune}, parents...)
	}
	for _, p := range parents {
		pt, ok := rep.Territory(p.Level, p.Code)
		if !ok {
			continue
		}
		all = append(all, pt)
		v.Columns = append(v.Columns, obsColumn{Label: columnLabels[p.Level], Name: p.Name, URL: observatoryPath(p.Level, p.Code)})
	}
	france := all[len(all)-1]
	v.Rows = keyFigures(all)
	v.Charts = serviceCharts(t, france)
	for i, l := range t.Labels {
		if france.Labels[i].Places == 0 {
			continue
		}
		kind := "Dispositif national"
		if l.Kind == stats.KindLabel {
			kind = "Formation ou label"
		}
		v.Labels = append(v.Labels, obsLabel{l.Label, kind, intFR(l.Places), numFR(l.PlacesPer10k, 2), numFR(france.Labels[i].PlacesPer10k, 2)})
	}

	// Child territories, and the map of the départements.
	for _, m := range mapMetrics {
		m.Selected = m.Slug == metric
		if m.Selected {
			v.MetricLabel = m.Label
		}
		v.Metrics = append(v.Metrics, m)
	}
	var service maillage.Service
	v.Services = []obsMetric{{Slug: "", Label: "Tous les services", Selected: svc < 0}}
	for i, slug := range stats.ServiceSlugs {
		v.Services = append(v.Services, obsMetric{Slug: slug, Label: serviceNames[maillage.Services[i]], Selected: i == svc})
	}
	if svc >= 0 {
		service = maillage.Services[svc]
		v.ServiceLabel = serviceNames[service]
		if metric != "heures" {
			v.MetricLabel += " (" + lowerFirst(v.ServiceLabel) + ")"
		}
	}
	children := rep.Children(t.Ref)
	if t.Level == stats.LevelFrance {
		// The table is the map's alternative: the départements; the
		// régions are listed as links.
		for _, c := range children {
			v.Regions = append(v.Regions, obsLink{c.Name, observatoryPath(c.Level, c.Code)})
		}
		children = rep.Departements(t.Ref)
	}
	if len(children) > 0 {
		v.ChildLevel = columnLabels[children[0].Level]
		v.ChildTitle = childTitles[children[0].Level]
		v.ChildList = pluralLevel[children[0].Level]
		if t.Level == stats.LevelCommune {
			v.ChildTitle, v.ChildList = "Arrondissements", "arrondissements"
		}
	}
	var values []*float64
	for _, c := range children {
		values = append(values, metricValue(metric, svc, c))
	}
	breaks := quantileBreaks(values)
	for i, c := range children {
		v.Children = append(v.Children, obsChild{
			Name: c.Name, URL: observatoryPath(c.Level, c.Code), Code: c.Code,
			Population: intFR(c.Population), Places: intFR(c.Places), Per10k: numFR(c.PlacesPer10k, 1),
			Within10km: pctFR(c.Access.Within[1].Share), Median: kmFR(c.Access.MedianKm),
			Class: classOf(values[i], breaks), Value: metricText(metric, values[i]),
		})
	}
	if deps := rep.Departements(t.Ref); len(deps) > 0 && t.Level != stats.LevelDepartement {
		var dv []*float64
		for _, d := range deps {
			dv = append(dv, metricValue(metric, svc, d))
		}
		db := quantileBreaks(dv)
		var areas []mapArea
		for i, d := range deps {
			areas = append(areas, mapArea{Code: d.Code, Name: d.Name, Class: classOf(dv[i], db), Value: metricText(metric, dv[i])})
		}
		v.Map = newChoropleth(areas, "Carte des départements : "+lowerFirst(v.MetricLabel))
		v.Legend = legend(db, metric)
	} else if len(children) > 0 {
		v.Legend = legend(breaks, metric)
	}

	// White zones.
	access := &t.Access
	if svc >= 0 {
		access = &t.Services[svc].Access
	}
	for k, radius := range stats.WhiteZoneRadii {
		list := rep.WhiteZone(t.Ref, service, radius)
		wz := obsWhiteZone{
			Radius:     decFR(radius, 0),
			Communes:   intFR(access.WhiteZones[k].Communes),
			Population: intFR(access.WhiteZones[k].Population),
			Share:      pctFR(access.WhiteZones[k].Share),
			Count:      len(list),
			CSV:        observatoryFilePath(t.Level, t.Code) + "/zones-blanches.csv?rayon=" + strconv.Itoa(int(radius)),
		}
		if svc >= 0 {
			wz.CSV += "&service=" + stats.ServiceSlugs[svc]
		}
		const shown = 30
		for i, c := range list {
			if i == shown {
				wz.More = len(list) - shown
				break
			}
			wz.List = append(wz.List, obsWhite{c.Name, observatoryPath(stats.LevelCommune, c.Code), intFR(c.Population), kmFR(c.NearestKm)})
		}
		v.WhiteZones = append(v.WhiteZones, wz)
	}
	for _, l := range []stats.Level{stats.LevelCommune, stats.LevelEPCI, stats.LevelDepartement, stats.LevelRegion} {
		v.Downloads = append(v.Downloads, obsLink{"Indicateurs de toutes les " + pluralLevel[l] + " (CSV)", "/api/v1/indicateurs/" + string(l) + "?format=csv"})
	}
	v.Downloads = append(v.Downloads, obsLink{"Indicateurs de ce territoire (JSON)", "/api/v1/indicateurs/" + string(t.Level) + "/" + t.Code})
	return v
}

var childTitles = map[stats.Level]string{
	stats.LevelCommune:     "Communes",
	stats.LevelDepartement: "Départements",
	stats.LevelRegion:      "Régions",
}

var pluralLevel = map[stats.Level]string{
	stats.LevelCommune:     "communes",
	stats.LevelEPCI:        "intercommunalités",
	stats.LevelDepartement: "départements",
	stats.LevelRegion:      "régions",
}

// observatoryFilePath is the base of a territory's files (France
// included, whose page is /observatoire).
func observatoryFilePath(level stats.Level, code string) string {
	return "/observatoire/" + string(level) + "/" + code
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	if r[0] >= 'A' && r[0] <= 'Z' {
		r[0] += 'a' - 'A'
	}
	return string(r)
}

// keyFigures builds the rows of the key figures for the territories
// compared (the territory first, France last).
func keyFigures(ts []*stats.Territory) []obsRow {
	var rows []obsRow
	add := func(group, label string, f func(t *stats.Territory) string) {
		row := obsRow{Label: label}
		if len(rows) == 0 || rows[len(rows)-1].Group != group && group != "" {
			row.Group = group
		}
		for _, t := range ts {
			row.Values = append(row.Values, f(t))
		}
		rows = append(rows, row)
	}
	first := ts[0]
	add("Population et lieux", "Population", func(t *stats.Territory) string { return intFR(t.Population) })
	if first.Level != stats.LevelCommune {
		add("", "Communes", func(t *stats.Territory) string { return intFR(t.Communes) })
	}
	add("", "Lieux d'aide au numérique", func(t *stats.Territory) string { return intFR(t.Places) })
	add("", "Lieux pour 10 000 habitants", func(t *stats.Territory) string { return numFR(t.PlacesPer10k, 1) })
	if first.Level == stats.LevelCommune && first.Communes == 1 {
		add("Distance au lieu le plus proche", "Depuis le centre de la commune", func(t *stats.Territory) string {
			if t.Level == stats.LevelCommune {
				return kmFR(t.Access.NearestKm)
			}
			return "médiane : " + kmFR(t.Access.MedianKm)
		})
	} else {
		add("Distance au lieu le plus proche", "Distance médiane (pondérée par la population)", func(t *stats.Territory) string { return kmFR(t.Access.MedianKm) })
	}
	for k, radius := range stats.AccessRadii {
		add("", "Population à moins de "+decFR(radius, 0)+nbsp+"km d'un lieu", func(t *stats.Territory) string { return pctFR(t.Access.Within[k].Share) })
	}
	for k, radius := range stats.WhiteZoneRadii {
		r := decFR(radius, 0) + nbsp + "km"
		if first.Level != stats.LevelCommune {
			add("", "Communes sans lieu à moins de "+r, func(t *stats.Territory) string { return intFR(t.Access.WhiteZones[k].Communes) })
		}
		add("", "Habitants sans lieu à moins de "+r, func(t *stats.Territory) string { return intFR(t.Access.WhiteZones[k].Population) })
	}
	add("Horaires d'ouverture", "Heures d'ouverture par semaine pour 10 000 habitants", func(t *stats.Territory) string { return numFR(t.Hours.WeeklyHoursPer10k, 1) })
	add("", "Lieux ouverts le samedi (parmi ceux aux horaires connus)", func(t *stats.Territory) string { return pctFR(t.Hours.OpenSaturdayShare) })
	add("", "Lieux ouverts après 18"+nbsp+"h (parmi ceux aux horaires connus)", func(t *stats.Territory) string { return pctFR(t.Hours.OpenEveningShare) })
	add("Qualité des données", "Lieux avec un SIRET réel", func(t *stats.Territory) string { return pctFR(t.Quality.RealSIRETShare) })
	add("", "Lieux aux coordonnées précises", func(t *stats.Territory) string { return pctFR(t.Quality.PreciseShare) })
	add("", "Lieux aux horaires renseignés et valides", func(t *stats.Territory) string { return pctFR(t.Quality.WithHoursShare) })
	add("", "Mis à jour depuis moins de 6 mois", func(t *stats.Territory) string { return pctFR(t.Quality.Under6MonthsShare) })
	add("", "Mis à jour il y a 6 mois à 1 an", func(t *stats.Territory) string { return pctFR(t.Quality.Under1YearShare) })
	add("", "Mis à jour il y a plus d'un an", func(t *stats.Territory) string { return pctFR(t.Quality.OlderShare) })
	add("", "Date de mise à jour inconnue", func(t *stats.Territory) string { return pctFR(t.Quality.NoDateShare) })
	return rows
}

// serviceNames are short names of the services for the charts.
var serviceNames = map[maillage.Service]string{
	maillage.ServiceAdministrative: "Démarches administratives",
	maillage.ServiceEverydayTools:  "Outils numériques du quotidien",
	maillage.ServiceEmployment:     "Insertion professionnelle",
	maillage.ServiceSafeUse:        "Usage sécurisé du numérique",
	maillage.ServiceParenting:      "Parentalité et éducation",
	maillage.ServiceLeisure:        "Loisirs et créations",
	maillage.ServiceUnderstanding:  "Comprendre le numérique",
	maillage.ServiceAccess:         "Accès internet et matériel",
	maillage.ServiceEquipment:      "Matériel à prix solidaire",
}

// serviceCharts builds the charts per service: places per 10,000
// inhabitants and share of the population within 10 km, for the
// territory and France.
func serviceCharts(t, france *stats.Territory) []barChart {
	series := []string{t.Name}
	if t != france {
		series = append(series, "France")
	}
	per10k := barChart{ID: "graphique-lieux", Title: "Lieux pour 10 000 habitants, par service", Series: series, Decimals: 2}
	within := barChart{ID: "graphique-acces", Title: "Part de la population à moins de 10 km d'un lieu, par service", Series: series, Unit: "%", Decimals: 1, Max: 100}
	for i, s := range maillage.Services {
		name := serviceNames[s]
		a, f := t.Services[i], france.Services[i]
		g1 := barGroup{Label: name}
		g2 := barGroup{Label: name}
		g1.Values = append(g1.Values, a.PlacesPer10k)
		g2.Values = append(g2.Values, percent(a.Access.Within[1].Share))
		if t != france {
			g1.Values = append(g1.Values, f.PlacesPer10k)
			g2.Values = append(g2.Values, percent(f.Access.Within[1].Share))
		}
		per10k.Groups = append(per10k.Groups, g1)
		within.Groups = append(within.Groups, g2)
	}
	per10k.layout()
	within.layout()
	return []barChart{per10k, within}
}

func percent(v *float64) *float64 {
	if v == nil {
		return nil
	}
	p := *v * 100
	return &p
}

// whiteZoneCSV answers the communes of a territory's white zone as CSV.
func (o *observatory) whiteZoneCSV(w http.ResponseWriter, r *http.Request) {
	s := o.s
	q := r.URL.Query()
	radius := 10.0
	switch q.Get("rayon") {
	case "", "10":
	case "20":
		radius = 20
	default:
		s.uiError(w, r, http.StatusBadRequest, "Le rayon d'une zone blanche est 10 ou 20 (kilomètres).")
		return
	}
	svc, ok := parseService(q.Get("service"))
	if !ok {
		s.uiError(w, r, http.StatusBadRequest, "« "+q.Get("service")+" » n'est pas un service connu.")
		return
	}
	var service maillage.Service
	if svc >= 0 {
		service = maillage.Services[svc]
	}
	rep, err := o.current()
	if err != nil {
		s.uiError(w, r, http.StatusInternalServerError, "")
		return
	}
	_, t, err := lookup(rep, r.PathValue("niveau"), r.PathValue("code"))
	if err != nil {
		var pe *paramError
		if errors.As(err, &pe) {
			s.uiError(w, r, http.StatusBadRequest, "Cette adresse ne désigne pas un territoire : "+pe.msg+".")
		} else {
			s.uiError(w, r, http.StatusNotFound, "Aucun territoire ne porte ce code.")
		}
		return
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Write([]string{"code_insee", "nom", "population", "distance_km_lieu_le_plus_proche"})
	for _, c := range rep.WhiteZone(t.Ref, service, radius) {
		d := ""
		if c.NearestKm != nil {
			d = strconv.FormatFloat(*c.NearestKm, 'f', -1, 64)
		}
		cw.Write([]string{c.Code, c.Name, strconv.Itoa(c.Population), d})
	}
	cw.Flush()
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="zones-blanches-`+strconv.Itoa(int(radius))+`km-`+string(t.Level)+`-`+t.Code+`.csv"`)
	writeCompressed(w, r, http.StatusOK, buf.Bytes())
}
