// Package fold turns French text into comparison keys, so that names written
// by different people ("SAINT-ÉTIENNE", "Saint Etienne", "st-étienne" once
// abbreviations are expanded by the caller) can be compared and indexed.
//
// A key is built by:
//   - lower-casing;
//   - removing diacritics (é→e, ç→c, ÿ→y) and expanding ligatures and
//     special letters (œ→oe, æ→ae, ß→ss, ø→o, ł→l, đ→d, þ→th);
//   - applying Unicode compatibility decomposition (NFKD) to other
//     characters, so that "ﬁ" becomes "fi", "²" becomes "2" and full-width
//     letters become ASCII;
//   - turning every run of characters that are neither letters nor digits
//     (spaces, hyphens, apostrophes of any kind, punctuation, symbols) into a
//     single space, with no space at either end.
//
// Combining marks are dropped, not turned into separators, so decomposed
// input ("e" + U+0301) folds like precomposed input ("é"). Invisible format
// characters (soft hyphen, zero-width space, joiners) are dropped too.
//
// Letters and digits of other scripts (Greek, Cyrillic, Arabic, CJK…) are
// kept, lower-cased and without their combining marks: "Αθήνα" folds to
// "αθηνα". Modifier letters of the U+02B0–U+02FF block that survive
// decomposition (such as the modifier apostrophe U+02BC) count as
// separators. So a key contains only [a-z0-9 ] for Latin text, and may
// contain other lower-case letters and digits otherwise.
//
// Key is idempotent: Key(Key(s)) == Key(s).
package fold

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Key returns the comparison key of s. When s is already a key (lower-case
// ASCII letters and digits separated by single spaces), Key returns s
// itself without allocating.
func Key(s string) string {
	if isKey(s) {
		return s
	}
	var buf [64]byte
	return string(AppendKey(buf[:0], s))
}

func isMark(r rune) bool {
	return unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || unicode.Is(unicode.Mc, r)
}

// AppendKey appends the key of s to dst and returns the extended slice. It
// lets callers fold into a reusable buffer without allocating.
func AppendKey(dst []byte, s string) []byte {
	start := len(dst)
	space := false // a separator is pending
	emit := func(c byte) {
		if space && len(dst) > start {
			dst = append(dst, ' ')
		}
		space = false
		dst = append(dst, c)
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if o := asciiTable[c]; o != 0 {
				emit(o)
			} else {
				space = true
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == 0xAD {
			continue // soft hyphen: invisible, like the format characters below
		}
		if r < tableEnd {
			t := latinTable[r-utf8.RuneSelf]
			if t == "" {
				space = true
				continue
			}
			for j := 0; j < len(t); j++ {
				emit(t[j])
			}
			continue
		}
		if 0x2000 <= r && r <= 0x206F { // General Punctuation: spaces, dashes, quotes
			if !unicode.Is(unicode.Cf, r) {
				space = true
			}
			continue
		}
		if isMark(r) || unicode.Is(unicode.Cf, r) {
			// A combining mark belongs to the previous letter; a format
			// character (zero-width space, joiners…) is invisible.
			continue
		}
		var buf [32]byte
		out := foldRune(buf[:0], r)
		for j := 0; j < len(out); j++ {
			if out[j] == ' ' {
				space = true
				continue
			}
			emit(out[j])
		}
	}
	return dst
}

// Equal reports whether a and b have the same key. It does not allocate
// when both keys fit in a small stack buffer.
func Equal(a, b string) bool {
	if a == b {
		return true
	}
	ka, kb := isKey(a), isKey(b)
	if ka && kb {
		return false // two different keys
	}
	var bufA, bufB [128]byte
	var x, y []byte
	if ka {
		x = append(bufA[:0], a...)
	} else {
		x = AppendKey(bufA[:0], a)
	}
	if kb {
		y = append(bufB[:0], b...)
	} else {
		y = AppendKey(bufB[:0], b)
	}
	return string(x) == string(y)
}

// isKey reports whether s is already a key made of ASCII: [a-z0-9] words
// separated by single spaces, without leading or trailing space.
func isKey(s string) bool {
	prevSpace := true // forbids a leading space
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			prevSpace = false
		case c == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		default:
			return false
		}
	}
	return len(s) == 0 || !prevSpace
}

// asciiTable maps an ASCII byte to its folded byte, or 0 for a separator.
var asciiTable [utf8.RuneSelf]byte

// tableEnd is the first rune not covered by latinTable: the table covers
// Latin-1 Supplement, Latin Extended-A and Latin Extended-B.
const tableEnd = 0x250

// latinTable maps runes U+0080…U+024F to their folded ASCII form, "" for a
// separator. It is computed once from foldRune, so that both paths agree.
var latinTable [tableEnd - utf8.RuneSelf]string

// special lists the letters that Unicode decomposition leaves alone but
// that French keys should spell in ASCII. Keys are lower-case letters.
var special = map[rune]string{
	'œ': "oe", 'æ': "ae", 'ß': "ss", 'ø': "o", 'đ': "d", 'ð': "d",
	'þ': "th", 'ł': "l", 'ħ': "h", 'ŧ': "t", 'ı': "i", 'ĸ': "k",
	'ŋ': "n", 'ƀ': "b", 'ƈ': "c", 'ɉ': "j", 'ɇ': "e", 'ƶ': "z",
	'ȥ': "z", 'ɍ': "r", 'ɏ': "y", 'ƒ': "f", 'ƙ': "k", 'ƚ': "l",
	'ƴ': "y", 'ȼ': "c", 'ȿ': "s", 'ɀ': "z",
}

func init() {
	for c := 0; c < utf8.RuneSelf; c++ {
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			asciiTable[c] = byte(c)
		case 'A' <= c && c <= 'Z':
			asciiTable[c] = byte(c) + 'a' - 'A'
		}
	}
	for r := rune(utf8.RuneSelf); r < tableEnd; r++ {
		var buf [32]byte
		out := foldRune(buf[:0], r)
		latinTable[r-utf8.RuneSelf] = strings.TrimSpace(string(out))
	}
}

// foldRune appends the folded form of a non-ASCII rune r to dst: ASCII
// letters and digits, other lower-case letters and digits, and ' ' for each
// separator in the expansion.
func foldRune(dst []byte, r rune) []byte {
	if unicode.Is(unicode.Cf, r) {
		return dst
	}
	lower := unicode.ToLower(r)
	if s, ok := special[lower]; ok {
		return append(dst, s...)
	}
	var in [utf8.UTFMax]byte
	n := utf8.EncodeRune(in[:], lower)
	var dec [64]byte
	d := norm.NFKD.Append(dec[:0], in[:n]...)
	for len(d) > 0 {
		x, size := utf8.DecodeRune(d)
		d = d[size:]
		if x < utf8.RuneSelf {
			if o := asciiTable[x]; o != 0 {
				dst = append(dst, o)
			} else {
				dst = append(dst, ' ')
			}
			continue
		}
		if isMark(x) || unicode.Is(unicode.Cf, x) {
			continue
		}
		x = unicode.ToLower(x)
		if s, ok := special[x]; ok {
			dst = append(dst, s...)
			continue
		}
		if (0x2B0 <= x && x <= 0x2FF) || !(unicode.IsLetter(x) || unicode.IsDigit(x)) {
			dst = append(dst, ' ')
			continue
		}
		dst = utf8.AppendRune(dst, x)
	}
	return dst
}
