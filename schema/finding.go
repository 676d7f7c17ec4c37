package schema

import (
	"fmt"

	"maillage"
)

// Severity and Finding are the domain's: see maillage.Finding.
type (
	Severity = maillage.Severity
	Finding  = maillage.Finding
)

// Severities of findings.
const (
	Error   = maillage.SeverityError
	Warning = maillage.SeverityWarning
)

// FormatFinding renders a finding for a person: "ligne 3, services : …".
func FormatFinding(f Finding) string {
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
