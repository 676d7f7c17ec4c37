// Package stats computes the indicators of the territorial observatory:
// for every commune, EPCI, département, région and for France, the number
// of places (overall, per service of the national schema, per national
// programme and per training/label) and per 10,000 inhabitants, the
// distance from the population to the nearest place (overall and per
// service) with its population-weighted aggregates (shares within 5, 10
// and 20 km, median distance) and white zones (communes and population
// with no place within 10 or 20 km), the opening-hours coverage (weekly
// open hours per 10,000 inhabitants, shares open on Saturday and after
// 18:00) and the quality of the data (real SIRET, precise coordinates,
// valid hours, freshness of date_maj).
//
// Compute builds a Report from the consolidated places and the territory
// reference data in one pass over the places, then one nearest-place
// query per commune and theme on a k-d tree (see nearestIndex), then one
// pass per theme over the communes sorted by distance for the weighted
// medians. The Report is immutable: the web server computes one per search
// index and serves it from memory.
//
// Populations are the municipal populations of the reference data's
// communes; an EPCI's, a département's, a région's and France's are the
// sums of their communes' (the EPCI file's own figures are of another
// vintage; the départements' and régions' equal the sums). Every
// person of a commune is counted at its centre (the reference centroid):
// the distances are those of the commune centres, the usual approximation
// of territorial observatories, coarse for large communes.
package stats
