package sources

// Sample names a real file a shipped mapping was written for (and tested
// on), as found in the project's shared data folder (../shared/data next to
// the repository: see its README for origin and licence). Sources named
// "schema-…" are files already in the national schema: no mapping. The
// files themselves are not part of the project — those of sources_2020 have
// no stated licence and must never be copied into it.
type Sample struct {
	Source string // source name; for the others, also the mapping's name
	File   string // path under ../shared/data
}

// Samples lists the real files the project's tests import.
var Samples = []Sample{
	{"aidants-connect", "sources_raw/aidants-connect-structures.json"},
	{"aix-en-provence", "sources_raw/aix-en-provence.json"},
	{"angers-conumm", "sources_raw/angers-conumm.json"},
	{"bus-france-services-charente", "sources_raw/bus-france-services-charente-raw.json"},
	{"cnfs-conseiller-numerique", "sources_raw/cnfs-conseiller-numerique-raw.json"},
	{"corse", "sources_raw/corse.json"},
	{"epernay", "sources_raw/epernay.json"},
	{"etapes-numerique-la-poste", "sources_raw/etapes-numerique-la-poste.json"},
	{"fibre-64", "sources_raw/fibre-64-pyrenees-atlantiques.json"},
	{"france-services", "sources_raw/france-services-liste-20221201.csv"},
	{"gironde", "sources_raw/gironde.json"},
	{"haute-vienne", "sources_raw/haute-vienne.json"},
	{"hinaura", "sources_raw/hinaura-aura-raw.json"},
	{"hub-lo", "sources_raw/hub-lo-centre-val-de-loire.json"},
	{"la-creuse", "sources_raw/la-creuse.json"},
	{"le-havre", "sources_raw/le-havre.json"},
	{"maine-et-loire", "sources_raw/maine-et-loire.json"},
	{"mednum-hub-antilles", "sources_raw/mednum-hub-antilles.json"},
	{"mulhouse", "sources_raw/mulhouse.json"},
	{"nouvelle-caledonie", "sources_raw/nouvelle-caledonie-raw.json"},
	{"paca-regionsud", "sources_raw/paca-regionsud-lieux-inclusion-numerique-2022.csv"},
	{"ultra-numerique-reunion", "sources_raw/ultra-numerique-reunion.geocoded.csv"},
	{"2020-auvergne-espaces-numeriques", "sources_2020/auvergne-espaces-numeriques-2020.csv"},
	{"2020-connumm", "sources_2020/connumm-pays-de-la-loire-2020.csv"},
	{"2020-corse-epn", "sources_2020/corse-epn-2020.csv"},
	{"2020-creuse-umap", "sources_2020/creuse-umap-e-inclusion-2020.geojson"},
	{"2020-france-services-cget", "sources_2020/france-services-cget-2020.csv"},
	{"2020-hubik-pyrenees-atlantiques", "sources_2020/hubik-pyrenees-atlantiques-2020.csv"},
	{"2020-normandie-epn", "sources_2020/normandie-epn-2020.csv"},
	{"schema-bus-france-services-charente", "lieux_schema/bus-france-services-charente-20231003.json"},
	{"schema-charente", "lieux_schema/charente-20230711.json"},
	{"schema-cnfs", "lieux_schema/conseillers-numeriques-cnfs-2022.json"},
	{"schema-hinaura", "lieux_schema/hinaura-transformed-2022.json"},
	{"schema-hub-du-sud", "lieux_schema/hub-du-sud-paca-20230516.json"},
	{"schema-ile-de-france-cnfs", "lieux_schema/ile-de-france-cnfs-2022.json"},
	{"schema-nouvelle-caledonie", "lieux_schema/nouvelle-caledonie-20240320.json"},
	{"schema-data-inclusion", "data_inclusion/data-inclusion-as-mednum-2023.json"},
}
