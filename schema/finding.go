package schema

import "fmt"

// Severity tells whether a finding makes a row invalid.
type Severity string

// Severities of findings.
const (
	Error   Severity = "error"   // the row breaks the schema: it is not written by convert
	Warning Severity = "warning" // the row is kept, possibly repaired; the producer should look
)

// Finding is one thing the validator says about one value of one row.
type Finding struct {
	Row      int      `json:"row"`   // 1-based data row (0: the whole file)
	Field    string   `json:"field"` // national schema field name (v1.0.2), or the input column
	Value    string   `json:"value"` // the value as read
	Code     string   `json:"code"`  // stable machine code, see codes.go
	Severity Severity `json:"severity"`
	Message  string   `json:"message"` // in French, for a person
}

func (f Finding) String() string {
	return fmt.Sprintf("ligne %d, %s : %s", f.Row, f.Field, f.Message)
}

// HasError reports whether any finding is an error.
func HasError(findings []Finding) bool {
	for _, f := range findings {
		if f.Severity == Error {
			return true
		}
	}
	return false
}
