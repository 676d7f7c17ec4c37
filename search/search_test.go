package search

import (
	"errors"
	"testing"
	"time"

	"maillage"
)

func place(id, name, insee string, lat, lon float64, services ...maillage.Service) maillage.Consolidated {
	return maillage.Consolidated{Place: maillage.Place{ID: id, Name: name, INSEECode: insee, Latitude: lat, Longitude: lon, HasCoordinates: true, Services: services}}
}

func TestSearchNearestWithFilterAndPages(t *testing.T) {
	ix := Build([]maillage.Consolidated{
		place("a", "Médiathèque de Mende", "48095", 44.518, 3.500, maillage.ServiceAdministrative),
		place("b", "France services Marvejols", "48092", 44.553, 3.291, maillage.ServiceAdministrative),
		place("c", "EPN Florac", "48061", 44.324, 3.593, maillage.ServiceLeisure),
		place("d", "Mairie de Langogne", "48080", 44.727, 3.855, maillage.ServiceAdministrative),
	}, time.Now())
	q := Query{Near: &Point{44.518, 3.500}, Filters: map[string][]string{"services": {string(maillage.ServiceAdministrative)}}, Limit: 2}
	r, err := ix.Search(q, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 3 || len(r.Hits) != 2 || r.Hits[0].Place.Place.ID != "a" || r.Hits[1].Place.Place.ID != "b" || r.Next == "" {
		t.Fatalf("page 1: total %d, hits %+v, next %q", r.Total, r.Hits, r.Next)
	}
	q.Cursor = r.Next
	r, err = ix.Search(q, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Hits) != 1 || r.Hits[0].Place.Place.ID != "d" || r.Next != "" {
		t.Fatalf("page 2: %+v next %q", r.Hits, r.Next)
	}
	if _, err := ix.Search(Query{Filters: map[string][]string{"services": {"Cuisine"}}}, time.Now()); !errors.Is(err, ErrInvalidQuery) {
		t.Fatalf("unknown value: %v", err)
	}
	r, _ = ix.Search(Query{Text: "mediath", Departement: "48"}, time.Now())
	if r.Total != 1 || r.Hits[0].Place.Place.ID != "a" {
		t.Fatalf("text: %+v", r.Hits)
	}
}
