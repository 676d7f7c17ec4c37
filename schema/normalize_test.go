package schema

import "testing"

// TestPlainURLAgreesWithParse: the fast path never accepts what the full
// check refuses.
func TestPlainURLAgreesWithParse(t *testing.T) {
	for _, u := range []string{
		"https://www.reims.fr", "http://x.fr/a?b=c#d", "https://a.b", "https://.fr", "https://fr.", "https://a..fr",
		"https://localhost", "https://exa mple.fr", "https://xn--bcher-kva.ch/", "https://éco.fr", "https://x.fr/%zz",
		"https://x.fr:8080/", "https://user@x.fr/",
	} {
		fast := plainURL(u)
		_, _, err := NormalizeURL(u)
		if fast && err != nil {
			t.Errorf("plainURL(%q) accepts what NormalizeURL refuses: %v", u, err)
		}
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct{ in, zone, want string }{
		{"+33180059880", "", "+33180059880"},
		{"01 80 05 98 80", "", "+33180059880"},
		{"01.80.05.98.80", "", "+33180059880"},
		{"0033 1 80 05 98 80", "", "+33180059880"},
		{"+33 (0)1 80 05 98 80", "", "+33180059880"},
		{"180059880", "", "+33180059880"},
		{"0590 12 34 56", "", "+590590123456"},
		{"0694 12 34 56", "", "+594694123456"},
		{"0262 12 34 56", "", "+262262123456"},
		{"0639 12 34 56", "", "+262639123456"},
		{"0596 12 34 56", "", "+596596123456"},
		{"0508 41 23 45", "", "+508508412345"},
		{"44 57 28", "988", "+687445728"},
		{"40 41 42 43", "987", "+68940414243"},
		{"72 12 34", "986", "+681721234"},
	}
	for _, tt := range tests {
		got, _, err := NormalizePhone(tt.in, tt.zone)
		if err != nil || got != tt.want {
			t.Errorf("NormalizePhone(%q, %q) = %q, %v; want %q", tt.in, tt.zone, got, err, tt.want)
		}
	}
	for _, bad := range []string{"3939", "01 23", "+32 2 123 45 67", "00 12 34 56 78", "tél : 01", "44 57 28"} {
		if got, _, err := NormalizePhone(bad, ""); err == nil {
			t.Errorf("NormalizePhone(%q) = %q, want an error", bad, got)
		}
	}
	got, others, err := NormalizePhone("01 80 05 98 80 / 06 12 34 56 78", "")
	if err != nil || got != "+33180059880" || len(others) != 1 {
		t.Errorf("two numbers: %q %v %v", got, others, err)
	}
}

func TestNormalizePivot(t *testing.T) {
	tests := []struct {
		in, zone string
		want     string
		kind     PivotKind
	}{
		{"43493312300029", "", "43493312300029", PivotSIRET},
		{"434 933 123 00029", "", "43493312300029", PivotSIRET},
		{"434933123", "", "434933123", PivotSIREN},
		{"35600000000056", "", "35600000000056", PivotSIRET},
		{"W751234567", "", "W751234567", PivotRNA},
		{"w2a1234567", "", "W2A1234567", PivotRNA},
		{"1234567001", "988", "1234567001", PivotRIDET},
		{"1234567.001", "988", "1234567001", PivotRIDET},
		{"A12345001", "987", "A12345001", PivotTahiti},
		{"00000000000000", "", "00000000000000", PivotUnknown},
	}
	for _, tt := range tests {
		got, kind, err := NormalizePivot(tt.in, tt.zone)
		if err != nil || got != tt.want || kind != tt.kind {
			t.Errorf("NormalizePivot(%q, %q) = %q, %q, %v; want %q %q", tt.in, tt.zone, got, kind, err, tt.want, tt.kind)
		}
	}
	for _, bad := range []string{"43493312300028", "35600000000057", "1234567001", "12345", "ABCDEFGHIJ", "W12345678"} {
		if got, _, err := NormalizePivot(bad, ""); err == nil {
			t.Errorf("NormalizePivot(%q) = %q, want an error", bad, got)
		}
	}
}
