package tabular

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Names of the encodings, as reported by Reader.Encoding.
const (
	EncodingUTF8        = "utf-8"
	EncodingWindows1252 = "windows-1252"
	EncodingUTF16LE     = "utf-16le"
	EncodingUTF16BE     = "utf-16be"
)

// sniffSize is how much of the file is looked at to detect the encoding (and
// then the format). It bounds the memory used for detection.
const sniffSize = 64 << 10

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// decodeInput wraps src so that it yields UTF-8, following the encoding asked
// for (enc) or detected, and returns the name of the encoding used.
//
// Detection, when enc is "": a UTF-8 BOM means UTF-8 (the BOM is dropped); a
// UTF-16 BOM means UTF-16 of that byte order; otherwise the first 64 KiB are
// checked: if they are valid UTF-8 (a character cut by the 64 KiB limit
// counts as valid) the file is read as UTF-8, else as Windows-1252. A file
// read as UTF-8 by detection still goes through a lenient filter: any byte
// further on that is not part of valid UTF-8 is taken as Windows-1252, so a
// file whose first accented letter comes after 64 KiB is still decoded right.
//
// Forced names: "utf-8"/"utf8" (bytes passed as they are, BOM dropped),
// "windows-1252"/"cp1252", and "latin1"/"iso-8859-1", which are decoded as
// Windows-1252 like web browsers do, because files labelled Latin-1 are in
// practice Windows-1252 (’, œ and € are common in French text).
func decodeInput(src *bufio.Reader, enc string) (io.Reader, string, error) {
	head, err := src.Peek(sniffSize)
	atEOF := err != nil
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, "", fmt.Errorf("lecture du début du fichier : %w", err)
	}
	switch strings.ToLower(strings.TrimSpace(enc)) {
	case "":
		switch {
		case bytes.HasPrefix(head, utf8BOM):
			_, _ = src.Discard(len(utf8BOM))
			return &lenientUTF8{src: src}, EncodingUTF8, nil
		case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
			return utf16Reader(src, unicode.LittleEndian), EncodingUTF16LE, nil
		case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
			return utf16Reader(src, unicode.BigEndian), EncodingUTF16BE, nil
		case validUTF8Prefix(head, atEOF):
			return &lenientUTF8{src: src}, EncodingUTF8, nil
		default:
			return transform.NewReader(src, charmap.Windows1252.NewDecoder()), EncodingWindows1252, nil
		}
	case "utf-8", "utf8":
		if bytes.HasPrefix(head, utf8BOM) {
			_, _ = src.Discard(len(utf8BOM))
		}
		return src, EncodingUTF8, nil
	case "windows-1252", "cp1252", "latin1", "latin-1", "iso-8859-1", "iso8859-1":
		return transform.NewReader(src, charmap.Windows1252.NewDecoder()), EncodingWindows1252, nil
	case "utf-16le":
		return utf16Reader(src, unicode.LittleEndian), EncodingUTF16LE, nil
	case "utf-16be":
		return utf16Reader(src, unicode.BigEndian), EncodingUTF16BE, nil
	}
	return nil, "", fmt.Errorf("encodage %q non pris en charge (utf-8, windows-1252, latin1, utf-16le, utf-16be)", enc)
}

func utf16Reader(src io.Reader, order unicode.Endianness) io.Reader {
	// UseBOM drops the BOM when present.
	return transform.NewReader(src, unicode.UTF16(order, unicode.UseBOM).NewDecoder())
}

// validUTF8Prefix reports whether b is valid UTF-8, forgiving an incomplete
// character at the very end when more bytes follow (atEOF false).
func validUTF8Prefix(b []byte, atEOF bool) bool {
	if utf8.Valid(b) {
		return true
	}
	if atEOF {
		return false
	}
	// Drop at most utf8.UTFMax-1 trailing bytes of an unfinished character.
	for i := 1; i < utf8.UTFMax && i <= len(b); i++ {
		start := len(b) - i
		if utf8.RuneStart(b[start]) {
			return !utf8.FullRune(b[start:]) && utf8.Valid(b[:start])
		}
	}
	return false
}

// lenientUTF8 passes valid UTF-8 through and converts every byte that is not
// part of a valid UTF-8 sequence as a Windows-1252 character. Valid input is
// read straight into the caller's buffer and only checked, so the common
// case costs one pass of utf8.Valid.
type lenientUTF8 struct {
	src   io.Reader
	carry [utf8.UTFMax]byte // start of a character cut by the previous read
	nc    int
	out   []byte // converted bytes not yet returned, from pos
	pos   int
	small [512]byte // read buffer for callers with tiny buffers
	err   error
}

func (l *lenientUTF8) Read(p []byte) (int, error) {
	for {
		if l.pos < len(l.out) {
			n := copy(p, l.out[l.pos:])
			l.pos += n
			return n, nil
		}
		if len(p) == 0 {
			return 0, nil
		}
		if l.err != nil {
			if l.nc > 0 { // an unfinished character at the end of the input
				l.out, l.pos = l.out[:0], 0
				l.convert(l.carry[:l.nc], true)
				l.nc = 0
				continue
			}
			return 0, l.err
		}
		buf := p
		if len(buf) < 2*utf8.UTFMax {
			buf = l.small[:]
		}
		c := copy(buf, l.carry[:l.nc])
		l.nc = 0
		m, err := l.src.Read(buf[c:])
		if err != nil {
			l.err = err
		}
		chunk := buf[:c+m]
		i := 0
		if len(buf) == len(p) && utf8.Valid(chunk) {
			i = len(chunk) // the common case: nothing to convert
		} else if len(buf) == len(p) {
			i = validRun(chunk)
		}
		l.out, l.pos = l.out[:0], 0
		l.convert(chunk[i:], l.err != nil) // copies what follows the valid prefix
		if i > 0 {
			return i, nil
		}
	}
}

// convert appends b to l.out, turning invalid bytes into Windows-1252
// characters; an unfinished character at the end goes to l.carry unless
// atEOF.
func (l *lenientUTF8) convert(b []byte, atEOF bool) {
	for len(b) > 0 {
		i := validRun(b)
		l.out = append(l.out, b[:i]...)
		b = b[i:]
		if len(b) == 0 {
			return
		}
		if !atEOF && !utf8.FullRune(b) {
			l.nc = copy(l.carry[:], b)
			return
		}
		l.out = utf8.AppendRune(l.out, win1252Rune(b[0]))
		b = b[1:]
	}
}

// validRun returns the length of the longest prefix of b made of complete,
// valid UTF-8 characters. It stops at the first bad byte, so calling it
// after each converted byte stays linear.
func validRun(b []byte) int {
	i := 0
	for i < len(b) {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return i
}

// win1252Rune returns the character a Windows-1252 byte stands for.
func win1252Rune(b byte) rune {
	return charmap.Windows1252.DecodeByte(b)
}
