package stats

import (
	"cmp"
	"errors"
	"math"
	"runtime"
	"slices"
	"sync"
	"time"

	"maillage"
	"maillage/territory"
)

// counts is what is added up per territory, place by place.
type counts struct {
	places    int
	unlocated int
	services  []int // per service
	labels    []int // per programme, then per training/label
	withHours int
	openSat   int
	openEve   int
	minutes   int
	realSIRET int
	precise   int
	fresh     [4]int // by freshness bucket
}

func newCounts() counts {
	return counts{services: make([]int, nServices), labels: make([]int, nLabels)}
}

func (c *counts) add(o *counts) {
	c.places += o.places
	c.unlocated += o.unlocated
	for i := range c.services {
		c.services[i] += o.services[i]
	}
	for i := range c.labels {
		c.labels[i] += o.labels[i]
	}
	c.withHours += o.withHours
	c.openSat += o.openSat
	c.openEve += o.openEve
	c.minutes += o.minutes
	c.realSIRET += o.realSIRET
	c.precise += o.precise
	for i := range c.fresh {
		c.fresh[i] += o.fresh[i]
	}
}

// placeFacts is what the counters need of one place.
type placeFacts struct {
	services, labels uint32
	hours            weekHours
	realSIRET        bool
	precise          bool
	fresh            int
}

func (c *counts) addPlace(f *placeFacts) {
	c.places++
	for i := range c.services {
		if f.services&(1<<i) != 0 {
			c.services[i]++
		}
	}
	for i := range c.labels {
		if f.labels&(1<<i) != 0 {
			c.labels[i]++
		}
	}
	if f.hours.valid {
		c.withHours++
		c.minutes += f.hours.minutes
		if f.hours.saturday {
			c.openSat++
		}
		if f.hours.evening {
			c.openEve++
		}
	}
	if f.realSIRET {
		c.realSIRET++
	}
	if f.precise {
		c.precise++
	}
	c.fresh[f.fresh]++
}

// nThemes is the number of distance themes: any place, then each service.
var nThemes = 1 + nServices

// group is a territory above the commune being computed.
type group struct {
	ref      Ref
	parents  []Ref
	pop      int
	communes []int // indexes of its communes (arrondissements excluded)
	counts   counts
	access   []rawAccess // per theme
}

// rawAccess is what is kept of a group's access figures for one theme.
type rawAccess struct {
	median   float64 // NaN when not defined
	popKnown int     // population of the communes with a centre
	within   [len(AccessRadii)]int
	white    [len(WhiteZoneRadii)]struct{ communes, pop int }
}

// node is a territory as the Report keeps it: the figures are built into
// a Territory on request (Report.Territory), so that the report of every
// territory stays small (about 21 MB for the real territory, where fully
// built Territory values take about 250 MB).
type node struct {
	ref           Ref
	parents       []Ref
	parentCommune *Ref
	pop           int
	communes      int
	commune       int // index in the commune level; -1 above
	counts        *counts
	access        []rawAccess // per theme, above the commune level
}

// Report holds the indicators of every territory, computed at once by
// Compute. It is read-only and safe for concurrent use.
type Report struct {
	reference time.Time
	week      time.Time
	terr      *territory.Data
	levels    map[Level][]node
	index     map[Level]map[string]int
	// children lists, per territory, its child territories.
	children map[Ref][]Ref
	// communesOf lists, per territory above the commune, its communes.
	communesOf map[Ref][]int
	// nearest[theme][commune] is the commune's distance to the nearest
	// place of the theme, +Inf when none, NaN for an arrondissement.
	nearest [][]float64
}

// ErrNoReference is returned by Compute without Options.Reference.
var ErrNoReference = errors.New("stats: Options.Reference is required")

// Compute computes every indicator of every territory of terr for the
// places.
//
// How places and populations roll up: a place counts in the commune of
// its code_insee; when that code is a municipal arrondissement of Paris,
// Lyon or Marseille it counts in the arrondissement and in its commune.
// The communes then roll up into their EPCI, département, région and
// France; arrondissements do not roll up (their commune already holds
// their places and their population, which the reference data gives both
// on the arrondissements and on the commune), so nothing is counted twice.
// A place whose code_insee is missing or unknown counts in France only.
//
// Distances are measured from each commune's centre (arrondissements have
// none) to the places' coordinates, or to the centre of their commune for
// places without coordinates; places without either are left out of the
// distances.
func Compute(places []maillage.Consolidated, terr *territory.Data, opts Options) (*Report, error) {
	if opts.Reference.IsZero() {
		return nil, ErrNoReference
	}
	communes := terr.Communes()
	nc := len(communes)
	codeIndex := make(map[string]int, nc)
	for i, c := range communes {
		codeIndex[c.Code] = i
	}
	// parentOf[i] is the index of the commune of an arrondissement, -1
	// for a commune.
	parentOf := make([]int, nc)
	for i, c := range communes {
		parentOf[i] = -1
		if c.IsArrondissement() {
			if j, ok := codeIndex[c.Parent]; ok {
				parentOf[i] = j
			}
		}
	}

	// Places: counters per commune, positions per theme.
	cache := newHoursCache(opts.Reference)
	communeCounts := make([]counts, nc)
	for i := range communeCounts {
		communeCounts[i] = newCounts()
	}
	france := newCounts()
	positions := make([][]kdPoint, nThemes)
	for i := range places {
		c := &places[i]
		p := &c.Place
		f := placeFacts{
			services:  servicesMask(p),
			labels:    labelsMask(p),
			hours:     cache.measure(p.OpeningHours, p.INSEECode),
			realSIRET: IsRealSIRET(p.Pivot),
			precise:   c.Precision == maillage.PrecisionExact && p.HasCoordinates,
			fresh:     freshness(p.UpdatedOn, opts.Reference),
		}
		ci, located := codeIndex[p.INSEECode]
		if located {
			communeCounts[ci].addPlace(&f)
			if pi := parentOf[ci]; pi >= 0 {
				communeCounts[pi].addPlace(&f)
			}
		} else {
			france.addPlace(&f)
			france.unlocated++
		}
		lat, lon, ok := p.Latitude, p.Longitude, p.HasCoordinates
		if !ok && located {
			lat, lon, ok = terr.Centroid(p.INSEECode)
		}
		if ok {
			pt := kdPoint{v: unitVector(lat, lon), lat: lat, lon: lon}
			positions[0] = append(positions[0], pt)
			for s := 0; s < nServices; s++ {
				if f.services&(1<<s) != 0 {
					positions[1+s] = append(positions[1+s], pt)
				}
			}
		}
	}
	nearest := nearestDistances(communes, positions)

	r := &Report{
		reference:  opts.Reference,
		week:       cache.weekStart(),
		terr:       terr,
		levels:     map[Level][]node{},
		index:      map[Level]map[string]int{},
		children:   map[Ref][]Ref{},
		communesOf: map[Ref][]int{},
		nearest:    nearest,
	}

	// Groups above the commune.
	franceRef := Ref{Level: LevelFrance, Code: FranceCode, Name: "France"}
	var regions, deps, epcis []*group
	regionOf := map[string]int{}
	for _, x := range terr.Regions() {
		regionOf[x.Code] = len(regions)
		regions = append(regions, &group{ref: Ref{LevelRegion, x.Code, x.Name}, parents: []Ref{franceRef}})
	}
	depOf := map[string]int{}
	for _, x := range terr.Departements() {
		g := &group{ref: Ref{LevelDepartement, x.Code, x.Name}}
		if ri, ok := regionOf[x.Region]; ok {
			g.parents = append(g.parents, regions[ri].ref)
			r.children[regions[ri].ref] = append(r.children[regions[ri].ref], g.ref)
		}
		g.parents = append(g.parents, franceRef)
		depOf[x.Code] = len(deps)
		deps = append(deps, g)
	}
	epciOf := map[string]int{}
	for _, x := range terr.EPCIs() {
		epciOf[x.Siren] = len(epcis)
		epcis = append(epcis, &group{ref: Ref{LevelEPCI, x.Siren, x.Name}})
	}
	fr := &group{ref: franceRef, parents: []Ref{}, counts: france}
	for _, g := range regions {
		r.children[franceRef] = append(r.children[franceRef], g.ref)
	}

	// Communes roll up; an EPCI's parent is the département where most
	// of its population lives.
	epciDepPop := make([]map[int]int, len(epcis))
	for i, c := range communes {
		if c.IsArrondissement() {
			continue
		}
		var gs []*group
		if ei, ok := epciOf[c.EPCI]; ok {
			gs = append(gs, epcis[ei])
			if epciDepPop[ei] == nil {
				epciDepPop[ei] = map[int]int{}
			}
			if di, ok := depOf[c.Departement]; ok {
				epciDepPop[ei][di] += c.Population
			}
		}
		if di, ok := depOf[c.Departement]; ok {
			gs = append(gs, deps[di])
		}
		if ri, ok := regionOf[c.Region]; ok {
			gs = append(gs, regions[ri])
		}
		gs = append(gs, fr)
		for _, g := range gs {
			g.pop += c.Population
			g.communes = append(g.communes, i)
			if g.counts.services == nil {
				g.counts = newCounts()
			}
			g.counts.add(&communeCounts[i])
		}
	}
	for ei, g := range epcis {
		best, bestPop := -1, -1
		for di, pop := range epciDepPop[ei] {
			if pop > bestPop || (pop == bestPop && deps[di].ref.Code < deps[best].ref.Code) {
				best, bestPop = di, pop
			}
		}
		if best >= 0 {
			g.parents = append([]Ref{deps[best].ref}, deps[best].parents...)
		} else {
			g.parents = []Ref{franceRef}
		}
	}
	all := [][]*group{epcis, deps, regions, {fr}}
	for _, level := range all {
		for _, g := range level {
			if g.counts.services == nil {
				g.counts = newCounts()
			}
			g.access = make([]rawAccess, nThemes)
			r.communesOf[g.ref] = g.communes
		}
	}
	groupAccess(communes, nearest, all)

	// The commune level.
	communeLevel := make([]node, nc)
	for i, c := range communes {
		t := &communeLevel[i]
		t.ref = Ref{LevelCommune, c.Code, c.Name}
		t.pop = c.Population
		t.commune = i
		t.counts = &communeCounts[i]
		if parentOf[i] >= 0 {
			pc := communes[parentOf[i]]
			t.parentCommune = &Ref{LevelCommune, pc.Code, pc.Name}
			c = pc // the arrondissement's parents are its commune's
			r.children[*t.parentCommune] = append(r.children[*t.parentCommune], t.ref)
		} else if !c.IsArrondissement() {
			t.communes = 1
		}
		if ei, ok := epciOf[c.EPCI]; ok {
			t.parents = append(t.parents, epcis[ei].ref)
			if !communes[i].IsArrondissement() {
				r.children[epcis[ei].ref] = append(r.children[epcis[ei].ref], t.ref)
			}
		}
		if di, ok := depOf[c.Departement]; ok {
			t.parents = append(t.parents, deps[di].ref)
			t.parents = append(t.parents, deps[di].parents...)
			if !communes[i].IsArrondissement() {
				r.children[deps[di].ref] = append(r.children[deps[di].ref], t.ref)
			}
		} else {
			t.parents = append(t.parents, franceRef)
		}
	}
	r.put(LevelCommune, communeLevel)
	for li, level := range all {
		out := make([]node, len(level))
		for i, g := range level {
			out[i] = node{ref: g.ref, parents: g.parents, pop: g.pop, communes: len(g.communes), commune: -1, counts: &g.counts, access: g.access}
		}
		r.put(Levels[li+1], out)
	}
	return r, nil
}

func (r *Report) put(level Level, ns []node) {
	r.levels[level] = ns
	m := make(map[string]int, len(ns))
	for i := range ns {
		m[ns[i].ref.Code] = i
	}
	r.index[level] = m
}

// build makes the Territory of a node.
func (r *Report) build(al *arena, n *node) *Territory {
	t := &Territory{Ref: n.ref, Parents: n.parents, ParentCommune: n.parentCommune, Population: n.pop, Communes: n.communes}
	access := make([]Access, nThemes)
	for th := range access {
		if n.commune >= 0 {
			access[th] = communeAccess(al, r.nearest[th][n.commune], n.pop, n.communes == 1)
		} else {
			access[th] = groupAccessFigures(al, &n.access[th])
		}
	}
	fill(al, t, n.counts, access)
	return t
}

// groupAccessFigures turns the kept figures of a group into an Access.
func groupAccessFigures(al *arena, raw *rawAccess) Access {
	a := Access{Within: al.shares(len(AccessRadii)), WhiteZones: al.whiteZones(len(WhiteZoneRadii))}
	if !math.IsNaN(raw.median) {
		a.MedianKm = al.float(raw.median)
	}
	for k, radius := range AccessRadii {
		a.Within[k] = Share{RadiusKm: radius, Share: al.share(raw.within[k], raw.popKnown)}
	}
	for k, radius := range WhiteZoneRadii {
		w := raw.white[k]
		a.WhiteZones[k] = WhiteZone{RadiusKm: radius, Communes: w.communes, Population: w.pop, Share: al.share(w.pop, raw.popKnown)}
	}
	return a
}

// fill sets the counts and the access figures of t.
func fill(al *arena, t *Territory, c *counts, access []Access) {
	pop := t.Population
	t.Places = c.places
	t.PlacesPer10k = al.per10k(c.places, pop)
	t.Unlocated = c.unlocated
	t.Access = access[0]
	t.Services = al.services(nServices)
	for i, s := range maillage.Services {
		t.Services[i] = ServiceFigures{Service: string(s), Places: c.services[i], PlacesPer10k: al.per10k(c.services[i], pop), Access: access[1+i]}
	}
	t.Labels = al.labels(nLabels)[:0]
	for i, p := range maillage.NationalPrograms {
		t.Labels = append(t.Labels, LabelFigures{Label: string(p), Kind: KindProgram, Places: c.labels[i], PlacesPer10k: al.per10k(c.labels[i], pop)})
	}
	for i, l := range maillage.TrainingsLabels {
		n := c.labels[len(maillage.NationalPrograms)+i]
		t.Labels = append(t.Labels, LabelFigures{Label: string(l), Kind: KindLabel, Places: n, PlacesPer10k: al.per10k(n, pop)})
	}
	hoursTotal := float64(c.minutes) / 60
	t.Hours = HoursFigures{
		WithHours:         c.withHours,
		WeeklyHours:       round(hoursTotal, 1),
		OpenSaturday:      c.openSat,
		OpenSaturdayShare: al.share(c.openSat, c.withHours),
		OpenEvening:       c.openEve,
		OpenEveningShare:  al.share(c.openEve, c.withHours),
	}
	if pop > 0 {
		t.Hours.WeeklyHoursPer10k = al.float(round(hoursTotal*10000/float64(pop), 2))
	}
	n := c.places
	t.Quality = Quality{
		Places:    n,
		RealSIRET: c.realSIRET, RealSIRETShare: al.share(c.realSIRET, n),
		Precise: c.precise, PreciseShare: al.share(c.precise, n),
		WithHours: c.withHours, WithHoursShare: al.share(c.withHours, n),
		Under6Months: c.fresh[freshUnder6Months], Under6MonthsShare: al.share(c.fresh[freshUnder6Months], n),
		Under1Year: c.fresh[freshUnder1Year], Under1YearShare: al.share(c.fresh[freshUnder1Year], n),
		Older: c.fresh[freshOlder], OlderShare: al.share(c.fresh[freshOlder], n),
		NoDate: c.fresh[freshUnknown], NoDateShare: al.share(c.fresh[freshUnknown], n),
	}
}

// communeAccess is the access figures of one commune at distance d (NaN:
// no centre; +Inf: no place). isCommune is false for an arrondissement,
// which gets no distance figures (its commune has them).
func communeAccess(al *arena, d float64, pop int, isCommune bool) Access {
	a := Access{Within: al.shares(len(AccessRadii)), WhiteZones: al.whiteZones(len(WhiteZoneRadii))}
	known := isCommune && !math.IsNaN(d)
	if known && !math.IsInf(d, 1) {
		a.NearestKm = al.float(round(d, 2))
		if pop > 0 {
			a.MedianKm = a.NearestKm
		}
	}
	for k, radius := range AccessRadii {
		a.Within[k].RadiusKm = radius
		if known {
			in := 0
			if d <= radius {
				in = pop
			}
			a.Within[k].Share = al.share(in, pop)
		}
	}
	for k, radius := range WhiteZoneRadii {
		a.WhiteZones[k].RadiusKm = radius
		if known && d > radius {
			a.WhiteZones[k].Communes = 1
			a.WhiteZones[k].Population = pop
		}
		if known {
			a.WhiteZones[k].Share = al.share(a.WhiteZones[k].Population, pop)
		}
	}
	return a
}

// groupAccess computes the access figures of every group, for every
// theme. The population-weighted median comes from one pass over the
// communes sorted by distance: a group's median is the distance of the
// commune at which the running sum of its population first reaches half
// of its total.
func groupAccess(communes []*territory.Commune, nearest [][]float64, levels [][]*group) {
	// memberOf[i] lists the groups of commune i, by their position in
	// groups.
	memberOf := make([][]int32, len(communes))
	var groups []*group
	for _, level := range levels {
		for _, g := range level {
			for _, i := range g.communes {
				memberOf[i] = append(memberOf[i], int32(len(groups)))
			}
			groups = append(groups, g)
		}
	}
	order := make([]int, 0, len(communes))
	for i, c := range communes {
		if !c.IsArrondissement() && !math.IsNaN(nearest[0][i]) {
			order = append(order, i)
		}
	}
	// Population of each group's communes that have a centre.
	popKnown := make([]int, len(groups))
	for _, i := range order {
		for _, g := range memberOf[i] {
			popKnown[g] += communes[i].Population
		}
	}
	cum := make([]int, len(groups))
	for th := range nearest {
		d := nearest[th]
		slices.SortFunc(order, func(a, b int) int { return cmp.Compare(d[a], d[b]) })
		clear(cum)
		for gi, g := range groups {
			g.access[th] = rawAccess{median: math.NaN(), popKnown: popKnown[gi]}
		}
		for _, i := range order {
			pop := communes[i].Population
			for _, gi := range memberOf[i] {
				a := &groups[gi].access[th]
				for k, radius := range AccessRadii {
					if d[i] <= radius {
						a.within[k] += pop
					}
				}
				for k, radius := range WhiteZoneRadii {
					if d[i] > radius {
						a.white[k].communes++
						a.white[k].pop += pop
					}
				}
				before := cum[gi]
				cum[gi] += pop
				if a.popKnown > 0 && 2*before < a.popKnown && 2*cum[gi] >= a.popKnown && !math.IsInf(d[i], 1) {
					a.median = round(d[i], 2)
				}
			}
		}
	}
}

// nearestDistances returns, per theme and commune, the distance from the
// commune's centre to the nearest position of the theme: +Inf when the
// theme has no position, NaN for an arrondissement or a commune without
// centre. The trees are built and queried on every core.
func nearestDistances(communes []*territory.Commune, positions [][]kdPoint) [][]float64 {
	out := make([][]float64, len(positions))
	workers := max(1, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	themes := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for th := range themes {
				ix := newNearestIndex(positions[th])
				d := make([]float64, len(communes))
				for i, c := range communes {
					switch {
					case c.IsArrondissement() || !c.HasCentroid:
						d[i] = math.NaN()
					default:
						if km, ok := ix.nearest(c.Lat, c.Lon); ok {
							d[i] = km
						} else {
							d[i] = math.Inf(1)
						}
					}
				}
				out[th] = d
			}
		}()
	}
	// The largest themes first, so that the workers finish together.
	order := make([]int, len(positions))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(len(positions[b]), len(positions[a])) })
	for _, th := range order {
		themes <- th
	}
	close(themes)
	wg.Wait()
	return out
}

// arena hands out the small values of the territories from large
// blocks: a Report holds about 7 million of them (35,000 communes × 10
// themes × a dozen figures), which one allocation each made the garbage
// collector's main job.
type arena struct {
	block        int // size of the blocks; 0 is 8192
	floats       []float64
	shareBlock   []Share
	whites       []WhiteZone
	serviceBlock []ServiceFigures
	labelBlock   []LabelFigures
}

func take[T any](size int, block *[]T, n int) []T {
	if len(*block) < n {
		if size == 0 {
			size = 8192
		}
		*block = make([]T, max(size, n))
	}
	out := (*block)[:n:n]
	*block = (*block)[n:]
	return out
}

// float returns a pointer to v.
func (al *arena) float(v float64) *float64 {
	p := &take(al.block, &al.floats, 1)[0]
	*p = v
	return p
}

func (al *arena) shares(n int) []Share            { return take(al.block, &al.shareBlock, n) }
func (al *arena) whiteZones(n int) []WhiteZone    { return take(al.block, &al.whites, n) }
func (al *arena) services(n int) []ServiceFigures { return take(al.block, &al.serviceBlock, n) }
func (al *arena) labels(n int) []LabelFigures     { return take(al.block, &al.labelBlock, n) }

// per10k is n per 10,000 inhabitants; nil without population.
func (al *arena) per10k(n, pop int) *float64 {
	if pop <= 0 {
		return nil
	}
	return al.float(round(float64(n)*10000/float64(pop), 2))
}

// share is n / total; nil when total is zero.
func (al *arena) share(n, total int) *float64 {
	if total <= 0 {
		return nil
	}
	return al.float(round(float64(n)/float64(total), 4))
}

func round(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}
