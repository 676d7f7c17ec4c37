package importer

import (
	"maillage/ingest"
	"maillage/tabular"
)

// FromMapping is the Mapper of a declarative source mapping (package
// ingest): what `maillage import --mapping` uses.
func FromMapping(m *ingest.Mapping) Mapper { return mapping{m} }

type mapping struct{ m *ingest.Mapping }

func (a mapping) ReaderOptions() tabular.Options { return a.m.ReaderOptions() }

func (a mapping) MapRow(row *tabular.Row) (Mapped, error) {
	m, err := a.m.Map(row)
	if err != nil {
		return Mapped{}, err
	}
	return Mapped{Names: m.Names, Values: m.Values, Extra: m.Extra, Findings: m.Findings}, nil
}
