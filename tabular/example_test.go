package tabular_test

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"maillage/tabular"
)

func ExampleNewReader() {
	const file = "\ufeffnom;commune;Mardi;Mardi\r\n" +
		"Médiathèque;Guéret;9h-12h;14h-18h\r\n" +
		"Mairie;Aubusson\r\n"
	r, err := tabular.NewReader(strings.NewReader(file), "lieux.csv", tabular.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Format(), string(r.Delimiter()), r.Encoding(), r.Header())
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		var rowErr *tabular.RowError
		if errors.As(err, &rowErr) {
			fmt.Println("signalé :", rowErr)
		}
		if row != nil {
			mardi, _ := row.Get("Mardi_2")
			fmt.Printf("%d %s %q\n", row.Line, row.Values[0], mardi)
		}
	}
	// Output:
	// csv ; utf-8 [nom commune Mardi Mardi_2]
	// 2 Médiathèque "14h-18h"
	// signalé : ligne 3 (enregistrement 2) : 2 champs au lieu de 4 (les champs manquants sont vides)
	// 3 Mairie ""
}

func ExampleRow_Point() {
	const file = `{"type": "FeatureCollection", "features": [
	  {"type": "Feature", "id": 12, "properties": {"nom": "Tiers-lieu", "adresse": {"commune": "Guéret"}},
	   "geometry": {"type": "Point", "coordinates": [1.8716, 46.1714]}}]}`
	r, err := tabular.NewReader(strings.NewReader(file), "carte.geojson", tabular.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	row, err := r.Next()
	if err != nil {
		fmt.Println(err)
		return
	}
	lon, lat, ok := row.Point()
	fmt.Println(row.Names, row.Values, lon, lat, ok)
	// Output:
	// [nom adresse.commune id] [Tiers-lieu Guéret 12] 1.8716 46.1714 true
}
