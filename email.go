package maillage

import "net/mail"

// FirstPlainEmail returns the first of emails that is a plain ASCII e-mail
// address (RFC 5321, the "email" format of JSON Schema, which HSDS and
// data·inclusion use), "" when none is. Addresses with accents
// ("médiathèque@…", mostly typing slips that mail providers do not
// accept) are skipped rather than corrected; so are display forms
// ("Nom <a@b.fr>").
func FirstPlainEmail(emails []string) string {
	for _, e := range emails {
		if plainEmail(e) {
			return e
		}
	}
	return ""
}

func plainEmail(e string) bool {
	for i := 0; i < len(e); i++ {
		if e[i] >= 0x80 || e[i] <= ' ' {
			return false
		}
	}
	a, err := mail.ParseAddress(e)
	return err == nil && a.Address == e && a.Name == ""
}
