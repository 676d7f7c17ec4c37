package stats

import (
	"cmp"
	"encoding/csv"
	"io"
	"math"
	"slices"
	"strconv"
	"time"

	"maillage"
)

// Reference is the date freshness was measured from.
func (r *Report) Reference() time.Time { return r.reference }

// Week is the Monday (a civil date, UTC midnight) of the week the opening
// hours were measured over.
func (r *Report) Week() time.Time { return r.week }

// ValidLevel reports whether s names a level.
func ValidLevel(s string) bool { return slices.Contains(Levels, Level(s)) }

// Territory returns the indicators of a territory, built for the
// caller. The code of France is FranceCode or "".
func (r *Report) Territory(level Level, code string) (*Territory, bool) {
	n, ok := r.node(level, code)
	if !ok {
		return nil, false
	}
	return r.build(&arena{block: 64}, n), true
}

// Ref returns the name of a territory.
func (r *Report) Ref(level Level, code string) (Ref, bool) {
	n, ok := r.node(level, code)
	if !ok {
		return Ref{}, false
	}
	return n.ref, true
}

func (r *Report) node(level Level, code string) (*node, bool) {
	if level == LevelFrance && code == "" {
		code = FranceCode
	}
	i, ok := r.index[level][code]
	if !ok {
		return nil, false
	}
	return &r.levels[level][i], true
}

// Len is the number of territories of a level.
func (r *Report) Len(level Level) int { return len(r.levels[level]) }

// Level returns every territory of a level, in code order (communes and
// arrondissements together), built for the caller. For the communes it
// is about 250 MB: WriteCSV streams them instead.
func (r *Report) Level(level Level) []*Territory {
	al := &arena{}
	ns := r.levels[level]
	out := make([]*Territory, len(ns))
	for i := range ns {
		out[i] = r.build(al, &ns[i])
	}
	return out
}

// Children returns the territories directly below ref: France's régions,
// a région's départements, a département's or an EPCI's communes, a
// commune's arrondissements.
func (r *Report) Children(ref Ref) []*Territory {
	var out []*Territory
	for _, c := range r.children[ref] {
		if t, ok := r.Territory(c.Level, c.Code); ok {
			out = append(out, t)
		}
	}
	return out
}

// Departements returns the départements of a territory: every one for
// France, a région's, a département itself; nil below.
func (r *Report) Departements(ref Ref) []*Territory {
	switch ref.Level {
	case LevelFrance:
		return r.Level(LevelDepartement)
	case LevelRegion:
		return r.Children(ref)
	case LevelDepartement:
		t, _ := r.Territory(ref.Level, ref.Code)
		return []*Territory{t}
	}
	return nil
}

// NearestKm returns the distance from a commune's centre to the nearest
// place offering the service ("" for any place): false when the commune
// is unknown, is an arrondissement or has no centre, +Inf when no place
// offers the service.
func (r *Report) NearestKm(commune string, service maillage.Service) (float64, bool) {
	i, ok := r.index[LevelCommune][commune]
	th, known := themeOf(service)
	if !ok || !known {
		return 0, false
	}
	d := r.nearest[th][i]
	return d, !math.IsNaN(d)
}

func themeOf(service maillage.Service) (int, bool) {
	if service == "" {
		return 0, true
	}
	i, ok := serviceIndex[service]
	return 1 + i, ok
}

// WhiteCommune is a commune of a white zone.
type WhiteCommune struct {
	Ref
	Population int
	// NearestKm is the distance from its centre to the nearest place; nil
	// when no place offers the service at all.
	NearestKm *float64
}

// WhiteZone returns the communes of a territory (the commune itself at
// the commune level) with no place offering the service ("" for any
// place) within radiusKm of their centre, the most populated first.
func (r *Report) WhiteZone(ref Ref, service maillage.Service, radiusKm float64) []WhiteCommune {
	th, ok := themeOf(service)
	if !ok {
		return nil
	}
	var idx []int
	if ref.Level == LevelCommune {
		if i, ok := r.index[LevelCommune][ref.Code]; ok && r.levels[LevelCommune][i].communes == 1 {
			idx = []int{i}
		}
	} else {
		idx = r.communesOf[ref]
	}
	var out []WhiteCommune
	for _, i := range idx {
		if d := r.nearest[th][i]; !math.IsNaN(d) && d > radiusKm {
			n := &r.levels[LevelCommune][i]
			w := WhiteCommune{Ref: n.ref, Population: n.pop}
			if !math.IsInf(d, 1) {
				km := round(d, 2)
				w.NearestKm = &km
			}
			out = append(out, w)
		}
	}
	slices.SortFunc(out, func(a, b WhiteCommune) int {
		return cmp.Or(cmp.Compare(b.Population, a.Population), cmp.Compare(a.Code, b.Code))
	})
	return out
}

// csvColumn is one column of the CSV export.
type csvColumn struct {
	name  string
	value func(t *Territory) string
}

func csvInt(n int) string { return strconv.Itoa(n) }

func csvFloat(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// ServiceSlugs are the short names of the services in the CSV headers,
// in the order of maillage.Services.
var ServiceSlugs = []string{
	"demarches", "outils_quotidien", "insertion_pro", "usage_securise", "parentalite",
	"loisirs", "comprendre_numerique", "acces_materiel", "materiel_solidaire",
}

func accessColumns(prefix string, get func(t *Territory) *Access) []csvColumn {
	cols := []csvColumn{
		{prefix + "distance_km", func(t *Territory) string { return csvFloat(get(t).NearestKm) }},
		{prefix + "distance_mediane_km", func(t *Territory) string { return csvFloat(get(t).MedianKm) }},
	}
	for k, radius := range AccessRadii {
		name := prefix + "part_pop_moins_" + strconv.FormatFloat(radius, 'f', -1, 64) + "km"
		cols = append(cols, csvColumn{name, func(t *Territory) string { return csvFloat(get(t).Within[k].Share) }})
	}
	for k, radius := range WhiteZoneRadii {
		r := strconv.FormatFloat(radius, 'f', -1, 64) + "km"
		cols = append(cols,
			csvColumn{prefix + "zone_blanche_" + r + "_communes", func(t *Territory) string { return csvInt(get(t).WhiteZones[k].Communes) }},
			csvColumn{prefix + "zone_blanche_" + r + "_population", func(t *Territory) string { return csvInt(get(t).WhiteZones[k].Population) }},
		)
	}
	return cols
}

// csvColumns lists the columns of the export: one line per territory,
// one column per figure; an empty cell is a figure that is not defined.
func csvColumns() []csvColumn {
	parent := func(t *Territory, field func(Ref) string) string {
		if len(t.Parents) == 0 {
			return ""
		}
		return field(t.Parents[0])
	}
	cols := []csvColumn{
		{"niveau", func(t *Territory) string { return string(t.Level) }},
		{"code", func(t *Territory) string { return t.Code }},
		{"nom", func(t *Territory) string { return t.Name }},
		{"niveau_parent", func(t *Territory) string { return parent(t, func(r Ref) string { return string(r.Level) }) }},
		{"code_parent", func(t *Territory) string { return parent(t, func(r Ref) string { return r.Code }) }},
		{"commune_parente", func(t *Territory) string {
			if t.ParentCommune == nil {
				return ""
			}
			return t.ParentCommune.Code
		}},
		{"population", func(t *Territory) string { return csvInt(t.Population) }},
		{"communes", func(t *Territory) string { return csvInt(t.Communes) }},
		{"lieux", func(t *Territory) string { return csvInt(t.Places) }},
		{"lieux_pour_10000_hab", func(t *Territory) string { return csvFloat(t.PlacesPer10k) }},
	}
	cols = append(cols, accessColumns("", func(t *Territory) *Access { return &t.Access })...)
	h := func(t *Territory) *HoursFigures { return &t.Hours }
	q := func(t *Territory) *Quality { return &t.Quality }
	cols = append(cols,
		csvColumn{"lieux_avec_horaires", func(t *Territory) string { return csvInt(h(t).WithHours) }},
		csvColumn{"heures_hebdo", func(t *Territory) string { return strconv.FormatFloat(h(t).WeeklyHours, 'f', -1, 64) }},
		csvColumn{"heures_hebdo_pour_10000_hab", func(t *Territory) string { return csvFloat(h(t).WeeklyHoursPer10k) }},
		csvColumn{"part_ouverts_samedi", func(t *Territory) string { return csvFloat(h(t).OpenSaturdayShare) }},
		csvColumn{"part_ouverts_apres_18h", func(t *Territory) string { return csvFloat(h(t).OpenEveningShare) }},
		csvColumn{"part_siret_reel", func(t *Territory) string { return csvFloat(q(t).RealSIRETShare) }},
		csvColumn{"part_coordonnees_precises", func(t *Territory) string { return csvFloat(q(t).PreciseShare) }},
		csvColumn{"part_horaires_valides", func(t *Territory) string { return csvFloat(q(t).WithHoursShare) }},
		csvColumn{"part_maj_moins_6_mois", func(t *Territory) string { return csvFloat(q(t).Under6MonthsShare) }},
		csvColumn{"part_maj_6_mois_a_1_an", func(t *Territory) string { return csvFloat(q(t).Under1YearShare) }},
		csvColumn{"part_maj_plus_1_an", func(t *Territory) string { return csvFloat(q(t).OlderShare) }},
		csvColumn{"part_maj_inconnue", func(t *Territory) string { return csvFloat(q(t).NoDateShare) }},
	)
	for i, slug := range ServiceSlugs {
		cols = append(cols,
			csvColumn{"lieux_" + slug, func(t *Territory) string { return csvInt(t.Services[i].Places) }},
			csvColumn{"lieux_pour_10000_hab_" + slug, func(t *Territory) string { return csvFloat(t.Services[i].PlacesPer10k) }},
		)
		cols = append(cols, accessColumns(slug+"_", func(t *Territory) *Access { return &t.Services[i].Access })...)
	}
	for i, slug := range LabelSlugs() {
		cols = append(cols, csvColumn{"lieux_" + slug, func(t *Territory) string { return csvInt(t.Labels[i].Places) }})
	}
	return cols
}

// LabelSlugs returns the short names of the programmes then of the
// trainings/labels, in the order of Territory.Labels.
func LabelSlugs() []string {
	return []string{
		"aidants_connect", "bibliotheques_numeriques_reference", "certification_pix", "conseillers_numeriques",
		"emmaus_connect", "france_services", "grande_ecole_numerique", "croix_rouge", "point_numerique_caf",
		"promeneurs_du_net", "relais_numerique_emmaus",
		"forme_mon_espace_sante", "forme_duplex", "arnia_mednum_bfc", "reemploi_normandie", "etapes_numeriques_la_poste",
		"fabriques_de_territoire", "eclaireurs_numerique_drome", "mes_papiers_lyon", "ordi_3_0", "sud_labs_paca",
	}
}

// WriteCSV writes every territory of a level as CSV (RFC 4180, comma
// separator, point as decimal mark, header line first).
func (r *Report) WriteCSV(w io.Writer, level Level) error {
	cols := csvColumns()
	cw := csv.NewWriter(w)
	row := make([]string, len(cols))
	for i, c := range cols {
		row[i] = c.name
	}
	if err := cw.Write(row); err != nil {
		return err
	}
	ns := r.levels[level]
	for i := range ns {
		t := r.build(&arena{block: 64}, &ns[i])
		for j, c := range cols {
			row[j] = c.value(t)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Summary is the main figures of a territory, for lists.
type Summary struct {
	Ref
	Population   int
	Places       int
	PlacesPer10k *float64
}

// Each calls f for every territory of a level, in code order, with its
// main figures (without building its indicators).
func (r *Report) Each(level Level, f func(Summary)) {
	al := &arena{block: 1024}
	ns := r.levels[level]
	for i := range ns {
		n := &ns[i]
		f(Summary{Ref: n.ref, Population: n.pop, Places: n.counts.places, PlacesPer10k: al.per10k(n.counts.places, n.pop)})
	}
}
