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
// part of a valid UTF-8 sequence as a Windows-1252 character.
type lenientUTF8 struct {
	src  io.Reader
	in   []byte // bytes read but not yet converted (an unfinished character)
	out  []byte // converted bytes not yet returned
	buf  []byte
	err  error
	done bool
}

func (l *lenientUTF8) Read(p []byte) (int, error) {
	for len(l.out) == 0 {
		if l.done {
			return 0, l.err
		}
		l.fill()
	}
	n := copy(p, l.out)
	l.out = l.out[n:]
	return n, nil
}

// fill reads one chunk from src and converts it into l.out.
func (l *lenientUTF8) fill() {
	if l.buf == nil {
		l.buf = make([]byte, 32<<10)
	}
	n := copy(l.buf, l.in)
	m, err := l.src.Read(l.buf[n:])
	chunk := l.buf[:n+m]
	atEOF := err != nil
	if err != nil {
		l.done = true
		l.err = err
	}
	l.out = l.out[:0]
	l.in = l.in[:0]
	for len(chunk) > 0 {
		// Fast path: the longest valid run.
		i := validRun(chunk)
		l.out = append(l.out, chunk[:i]...)
		chunk = chunk[i:]
		if len(chunk) == 0 {
			break
		}
		if !atEOF && !utf8.FullRune(chunk) {
			l.in = append(l.in, chunk...) // wait for the rest of the character
			break
		}
		l.out = utf8.AppendRune(l.out, win1252Rune(chunk[0]))
		chunk = chunk[1:]
	}
}

// validRun returns the length of the longest prefix of b made of complete,
// valid UTF-8 characters.
func validRun(b []byte) int {
	if utf8.Valid(b) {
		return len(b)
	}
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
