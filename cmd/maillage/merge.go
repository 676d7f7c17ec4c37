package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"maillage"
	"maillage/merge"
)

const mergeHelp = `
Fusionne les fiches de toutes les sources qui désignent le même lieu et
enregistre les lieux consolidés (voir docs/federation.md). La fusion tourne
aussi après chaque « maillage import ».

Sans option : fusionne maintenant et affiche un bilan d'une ligne (fiches,
lieux, paires comparées, lieux créés, modifiés, supprimés).

Les fiches se nomment SOURCE/ID (par ex. « hinaura/42 » ; l'id peut contenir
des « / », la source non) :

  --link A B     A et B sont le même lieu : décision enregistrée, qui prime
                 toujours sur le modèle et survit aux réimports ; puis fusion.
  --unlink A B   A et B sont deux lieux différents : idem.
  --explain A B  affiche les indices comparés (nom, adresse, distance,
                 contacts, identifiants…), leur poids et le score du modèle,
                 la décision manuelle éventuelle et les lieux actuels de A et B.
  --report       bilan par source et par paire de sources (fiches, lieux,
                 tailles des groupes) et les 50 paires les plus incertaines, à
                 relire. Calculé par une fusion à blanc : rien n'est
                 enregistré. Avec --json : un seul objet JSON
                 {"records","places","sizes","sources","source_pairs","uncertain"}.

Code de sortie : 0 si tout s'est bien passé, 2 sinon (fiche introuvable,
ligne de commande incorrecte, base illisible).`

func runMerge(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("merge", "[--link A B | --unlink A B | --explain A B | --report [--json]] [--note TEXTE] [--db DSN]", mergeHelp, stderr)
	db := dbFlag(fs)
	link := fs.Bool("link", false, "déclarer que les fiches A et B sont le même lieu")
	unlink := fs.Bool("unlink", false, "déclarer que les fiches A et B sont deux lieux différents")
	explain := fs.Bool("explain", false, "expliquer la comparaison des fiches A et B")
	report := fs.Bool("report", false, "bilan par paire de sources et paires incertaines")
	asJSON := fs.Bool("json", false, "avec --report : un objet JSON")
	note := fs.String("note", "", "avec --link ou --unlink : pourquoi (gardé avec la décision)")
	refs, err := parseArgs(fs, args)
	if err != nil {
		return exitUnreadable
	}
	modes := 0
	for _, b := range []bool{*link, *unlink, *explain, *report} {
		if b {
			modes++
		}
	}
	pair := *link || *unlink || *explain
	switch {
	case modes > 1:
		fmt.Fprintln(stderr, "maillage merge : --link, --unlink, --explain et --report s'excluent")
		return exitUnreadable
	case pair && len(refs) != 2:
		fmt.Fprintln(stderr, "maillage merge : il faut deux fiches SOURCE/ID")
		fs.Usage()
		return exitUnreadable
	case !pair && len(refs) != 0:
		fmt.Fprintf(stderr, "maillage merge : argument inattendu « %s »\n", refs[0])
		fs.Usage()
		return exitUnreadable
	case *asJSON && !*report:
		fmt.Fprintln(stderr, "maillage merge : --json va avec --report")
		return exitUnreadable
	case *note != "" && !*link && !*unlink:
		fmt.Fprintln(stderr, "maillage merge : --note va avec --link ou --unlink")
		return exitUnreadable
	}
	var pairRefs [2]maillage.RecordRef
	if pair {
		for i, s := range refs {
			r, err := parseRef(s)
			if err != nil {
				fmt.Fprintf(stderr, "maillage merge : %v\n", err)
				return exitUnreadable
			}
			pairRefs[i] = r
		}
		if pairRefs[0] == pairRefs[1] {
			fmt.Fprintf(stderr, "maillage merge : « %s » donnée deux fois : il faut deux fiches différentes\n", pairRefs[0])
			return exitUnreadable
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	store, err := openStore(ctx, *db)
	if err != nil {
		fmt.Fprintf(stderr, "maillage merge : %v\n", err)
		return exitUnreadable
	}
	defer store.Close()
	places, err := placeStore(store)
	if err != nil {
		fmt.Fprintf(stderr, "maillage merge : %v\n", err)
		return exitUnreadable
	}
	var recs [2]maillage.Record
	if pair {
		for i, r := range pairRefs {
			if recs[i], err = store.Record(ctx, r.Source, r.ID); err != nil {
				if errors.Is(err, maillage.ErrNotFound) {
					fmt.Fprintf(stderr, "maillage merge : fiche « %s » introuvable (voir « maillage export --source %s »)\n", r, r.Source)
				} else {
					fmt.Fprintf(stderr, "maillage merge : fiche « %s » : %v\n", r, err)
				}
				return exitUnreadable
			}
		}
	}
	switch {
	case *explain:
		err = explainPair(ctx, stdout, places, &recs[0], &recs[1])
	case *report:
		err = mergeReport(ctx, stdout, store, places, *asJSON)
	default:
		if *link || *unlink {
			d := maillage.Decision{A: pairRefs[0], B: pairRefs[1], Link: *link, Note: *note}
			if err := places.PutDecision(ctx, d); err != nil {
				fmt.Fprintf(stderr, "maillage merge : %v\n", err)
				return exitUnreadable
			}
			what := "même lieu"
			if !*link {
				what = "deux lieux différents"
			}
			fmt.Fprintf(stdout, "Décision enregistrée : %s et %s sont %s.\n", pairRefs[0], pairRefs[1], what)
		}
		var out merge.Refreshed
		if out, err = merge.Refresh(ctx, store, places, merge.DefaultOptions(), time.Now()); err == nil {
			fmt.Fprintln(stdout, describeMerge(out))
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "maillage merge : %v\n", err)
		return exitUnreadable
	}
	return exitOK
}

// placeStore returns the PlaceStore side of a store (both stores have one).
func placeStore(store maillage.Store) (maillage.PlaceStore, error) {
	p, ok := store.(maillage.PlaceStore)
	if !ok {
		return nil, errors.New("cette base ne sait pas garder les lieux consolidés")
	}
	return p, nil
}

// parseRef reads "source/id": the source is what comes before the first
// "/" (source names have none), the id the rest.
func parseRef(s string) (maillage.RecordRef, error) {
	source, id, ok := strings.Cut(s, "/")
	if !ok || source == "" || id == "" {
		return maillage.RecordRef{}, fmt.Errorf("« %s » : une fiche se nomme SOURCE/ID (par ex. hinaura/42)", s)
	}
	return maillage.RecordRef{Source: source, ID: id}, nil
}

// describeMerge is the one-line summary of a merge.
func describeMerge(r merge.Refreshed) string {
	merged := 0
	for _, c := range r.Clusters {
		if len(c.Members) > 1 {
			merged++
		}
	}
	total := r.Load + r.Match + r.Consolidate + r.Store
	return fmt.Sprintf("Fusion : %d fiche(s) → %d lieu(x) consolidé(s), dont %d réunissant plusieurs fiches ; %d paire(s) comparée(s), %d au-dessus du seuil, %d refusée(s) (chaînage ou taille) ; %d lieu(x) créé(s), %d modifié(s), %d supprimé(s) ; en %s (lecture %s, appariement %s, consolidation %s, écriture %s)",
		r.Records, len(r.Places), merged, r.Candidates, r.Matches, r.Rejected, r.Created, r.Updated, r.Deleted,
		round(total), round(r.Load), round(r.Match), round(r.Consolidate), round(r.Store))
}

func round(d time.Duration) time.Duration { return d.Round(time.Millisecond) }

// mergeAfterImport runs the merge after an import and prints its summary.
func mergeAfterImport(ctx context.Context, store maillage.Store, stdout io.Writer) error {
	places, err := placeStore(store)
	if err != nil {
		return err
	}
	out, err := merge.Refresh(ctx, store, places, merge.DefaultOptions(), time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, describeMerge(out))
	return nil
}

// explainPair prints the model's features and score for two records, the
// decision on them and the places they are in now.
func explainPair(ctx context.Context, w io.Writer, places maillage.PlaceStore, a, b *maillage.Record) error {
	ra := maillage.RecordRef{Source: a.Source, ID: a.ID}
	rb := maillage.RecordRef{Source: b.Source, ID: b.ID}
	for _, r := range []*maillage.Record{a, b} {
		p := &r.Place
		coords := "sans coordonnées"
		if p.HasCoordinates {
			coords = fmt.Sprintf("%.5f, %.5f", p.Latitude, p.Longitude)
			if r.Precision == maillage.PrecisionCommune {
				coords += " (centre de la commune)"
			}
		}
		fmt.Fprintf(w, "%s/%s : %s — %s %s %s — %s\n", r.Source, r.ID, p.Name, p.Address, p.PostalCode, p.Commune, coords)
	}
	fmt.Fprintln(w)
	f := merge.Compare(a, b)
	fmt.Fprint(w, merge.Explain(f))
	if merge.IdentifierMatch(f) {
		fmt.Fprintln(w, "Identifiant partagé : les deux fiches sont réunies d'office (score 1), sauf décision contraire.")
	}
	decisions, err := places.Decisions(ctx)
	if err != nil {
		return err
	}
	for _, d := range decisions {
		if d.A == ra && d.B == rb || d.A == rb && d.B == ra {
			what := "même lieu"
			if !d.Link {
				what = "deux lieux différents"
			}
			note := ""
			if d.Note != "" {
				note = " (« " + d.Note + " »)"
			}
			fmt.Fprintf(w, "Décision manuelle du %s : %s%s. Elle prime sur le modèle.\n", d.At.Local().Format("2006-01-02 15:04"), what, note)
		}
	}
	where := map[maillage.RecordRef]string{}
	if err := places.ConsolidatedPlaces(ctx, func(c *maillage.Consolidated) error {
		for _, m := range c.Members {
			if m == ra || m == rb {
				where[m] = c.Place.ID
			}
		}
		return nil
	}); err != nil {
		return err
	}
	switch pa, pb := where[ra], where[rb]; {
	case pa == "" || pb == "":
		fmt.Fprintln(w, "Lieux actuels : pas encore fusionnées (lancez « maillage merge »).")
	case pa == pb:
		fmt.Fprintf(w, "Lieux actuels : le même, %s.\n", pa)
	default:
		fmt.Fprintf(w, "Lieux actuels : %s et %s.\n", pa, pb)
	}
	return nil
}

// The report of `maillage merge --report`.
type mergeReportData struct {
	Records   int             `json:"records"`
	Places    int             `json:"places"`
	Sizes     map[string]int  `json:"sizes"` // cluster size → number of places
	Sources   []sourceReport  `json:"sources"`
	Pairs     []pairReport    `json:"source_pairs"`
	Uncertain []uncertainPair `json:"uncertain"`
}

type sourceReport struct {
	Source  string `json:"source"`
	Records int    `json:"records"`
	Places  int    `json:"places"` // places with at least one record of the source
	Merged  int    `json:"merged"` // records in places of two records or more
}

// pairReport counts the places that hold records of two sources (of one
// source twice when A = B: its duplicates).
type pairReport struct {
	A        string         `json:"a"`
	B        string         `json:"b"`
	Places   int            `json:"places"`
	RecordsA int            `json:"records_a"` // records of A in those places
	RecordsB int            `json:"records_b"`
	Sizes    map[string]int `json:"sizes"` // place size → count
}

type recordBrief struct {
	Source  string `json:"source"`
	ID      string `json:"id"`
	Name    string `json:"nom"`
	Address string `json:"adresse,omitempty"`
	Commune string `json:"commune,omitempty"`
}

type uncertainPair struct {
	A      recordBrief `json:"a"`
	B      recordBrief `json:"b"`
	Score  float64     `json:"score"`
	Reason string      `json:"reason"`
}

// buildReport computes the report from a merge's input and result.
func buildReport(in merge.Input, res merge.Result) mergeReportData {
	rep := mergeReportData{Records: len(in.Records), Places: len(res.Clusters), Sizes: map[string]int{}}
	bySource := map[string]*sourceReport{}
	srcOf := func(name string) *sourceReport {
		s := bySource[name]
		if s == nil {
			s = &sourceReport{Source: name}
			bySource[name] = s
		}
		return s
	}
	for _, r := range in.Records {
		srcOf(r.Source).Records++
	}
	pairs := map[[2]string]*pairReport{}
	for _, c := range res.Clusters {
		size := strconv.Itoa(len(c.Members))
		rep.Sizes[size]++
		count := map[string]int{}
		for _, m := range c.Members {
			count[m.Source]++
		}
		names := make([]string, 0, len(count))
		for s, n := range count {
			names = append(names, s)
			sr := srcOf(s)
			sr.Places++
			if len(c.Members) > 1 {
				sr.Merged += n
			}
		}
		sort.Strings(names)
		for i, a := range names {
			for _, b := range names[i:] {
				if a == b && count[a] < 2 {
					continue
				}
				p := pairs[[2]string{a, b}]
				if p == nil {
					p = &pairReport{A: a, B: b, Sizes: map[string]int{}}
					pairs[[2]string{a, b}] = p
				}
				p.Places++
				p.RecordsA += count[a]
				if a != b {
					p.RecordsB += count[b]
				} else {
					p.RecordsB = p.RecordsA
				}
				p.Sizes[size]++
			}
		}
	}
	for _, s := range bySource {
		rep.Sources = append(rep.Sources, *s)
	}
	sort.Slice(rep.Sources, func(i, j int) bool { return rep.Sources[i].Source < rep.Sources[j].Source })
	for _, p := range pairs {
		rep.Pairs = append(rep.Pairs, *p)
	}
	sort.Slice(rep.Pairs, func(i, j int) bool {
		a, b := rep.Pairs[i], rep.Pairs[j]
		if a.A != b.A {
			return a.A < b.A
		}
		return a.B < b.B
	})
	byRef := make(map[maillage.RecordRef]*maillage.Record, len(in.Records))
	for i := range in.Records {
		r := &in.Records[i]
		byRef[maillage.RecordRef{Source: r.Source, ID: r.ID}] = r
	}
	brief := func(ref maillage.RecordRef) recordBrief {
		b := recordBrief{Source: ref.Source, ID: ref.ID}
		if r := byRef[ref]; r != nil {
			b.Name, b.Address, b.Commune = r.Place.Name, r.Place.Address, r.Place.Commune
		}
		return b
	}
	rep.Uncertain = []uncertainPair{}
	for _, p := range res.Uncertain {
		rep.Uncertain = append(rep.Uncertain, uncertainPair{A: brief(p.A), B: brief(p.B), Score: p.Score, Reason: p.Reason})
	}
	if rep.Sources == nil {
		rep.Sources = []sourceReport{}
	}
	if rep.Pairs == nil {
		rep.Pairs = []pairReport{}
	}
	return rep
}

// mergeReport runs the engine without storing anything and prints the
// report.
func mergeReport(ctx context.Context, w io.Writer, store maillage.Store, places maillage.PlaceStore, asJSON bool) error {
	in, err := merge.Load(ctx, store, places)
	if err != nil {
		return err
	}
	rep := buildReport(in, merge.Run(in.Records, in.Decisions, merge.DefaultOptions()))
	if asJSON {
		b, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	}
	fmt.Fprintf(w, "%d fiche(s) → %d lieu(x) consolidé(s).\n", rep.Records, rep.Places)
	sizes := make([]int, 0, len(rep.Sizes))
	for s := range rep.Sizes {
		n, _ := strconv.Atoi(s)
		sizes = append(sizes, n)
	}
	sort.Ints(sizes)
	fmt.Fprint(w, "Tailles :")
	for _, s := range sizes {
		fmt.Fprintf(w, " %d lieu(x) de %d fiche(s) ;", rep.Sizes[strconv.Itoa(s)], s)
	}
	fmt.Fprintln(w)

	fmt.Fprintln(w, "\nPar source :")
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tFICHES\tLIEUX\tFICHES RÉUNIES")
	for _, s := range rep.Sources {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\n", s.Source, s.Records, s.Places, s.Merged)
	}
	tw.Flush()

	fmt.Fprintln(w, "\nPar paire de sources (lieux qui ont des fiches des deux ; une source avec elle-même : ses doublons) :")
	tw = tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE A\tSOURCE B\tLIEUX\tFICHES A\tFICHES B\tTAILLES")
	for _, p := range rep.Pairs {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\n", p.A, p.B, p.Places, p.RecordsA, p.RecordsB, formatSizes(p.Sizes))
	}
	tw.Flush()

	fmt.Fprintf(w, "\nLes %d paires les plus incertaines (score proche du seuil), à relire :\n", len(rep.Uncertain))
	for i, p := range rep.Uncertain {
		fmt.Fprintf(w, "%2d. score %.3f (%s)\n    %s/%s : %s — %s %s\n    %s/%s : %s — %s %s\n", i+1, p.Score, p.Reason,
			p.A.Source, p.A.ID, p.A.Name, p.A.Address, p.A.Commune, p.B.Source, p.B.ID, p.B.Name, p.B.Address, p.B.Commune)
	}
	if len(rep.Uncertain) > 0 {
		fmt.Fprintln(w, "\n« maillage merge --explain A B » détaille une paire ; --link ou --unlink tranche.")
	}
	return nil
}

// formatSizes writes {"2": 10, "3": 1} as "2×10 3×1".
func formatSizes(sizes map[string]int) string {
	keys := make([]int, 0, len(sizes))
	for s := range sizes {
		n, _ := strconv.Atoi(s)
		keys = append(keys, n)
	}
	sort.Ints(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d×%d", k, sizes[strconv.Itoa(k)])
	}
	return strings.Join(parts, " ")
}
