package view

import (
	"math"
	"strconv"
	"strings"

	"github.com/nnplay/nnplay/core"
)

// Query encodes s canonically, without the leading "?": f first (always), then the parameters
// in declaration order, then the view keys (xmin, xmax, t, px, py, x), each only when its value
// differs from its default (bit for bit, so -0 is kept). Numbers are written with strconv's
// shortest round-tripping form ('g', -1) without the "+" of the exponent ("1e06"), so
// Parse(s.Query()) gives back s exactly for any valid s.
func (s State) Query() string {
	f := s.F
	if f == nil {
		f = defaultFunc()
	}
	var b strings.Builder
	if s.Lab != nil {
		b.WriteString("lab=")
		writeEscaped(&b, s.Lab.ID)
		b.WriteByte('&')
	}
	b.WriteString("f=")
	writeEscaped(&b, f.ID)
	if len(s.P.Num) == len(f.Params) && len(s.P.Vec) == len(f.Params) {
		for i := range f.Params {
			if isDefaultParam(f, s.P, i) {
				continue
			}
			b.WriteByte('&')
			writeEscaped(&b, f.Params[i].Name)
			b.WriteByte('=')
			writeEscaped(&b, FormatParam(f, s.P, i))
		}
	}
	s.F = f
	for _, k := range s.ViewKeys() {
		if k.isDefault(&s) {
			continue
		}
		b.WriteByte('&')
		b.WriteString(k.Name)
		b.WriteByte('=')
		writeEscaped(&b, k.Format(&s))
	}
	return b.String()
}

// FormatParam returns parameter i's value in p as the URL writes it: a number, "true" or
// "false", the choice string, or a comma-separated vector ("" for a nil vector).
func FormatParam(f *core.Func, p core.Params, i int) string {
	q := &f.Params[i]
	if q.Type == core.Vector {
		return formatVector(p.Vec[i])
	}
	v := p.Num[i]
	switch q.Type {
	case core.Bool:
		if v == 0 {
			return "false"
		}
		if v == 1 {
			return "true"
		}
	case core.Choice:
		if v >= 0 && v < float64(len(q.Choices)) && v == math.Trunc(v) {
			return q.Choices[int(v)]
		}
	}
	return formatFloat(v)
}

// isDefaultParam reports whether parameter i of p equals its default bit for bit.
func isDefaultParam(f *core.Func, p core.Params, i int) bool {
	q := &f.Params[i]
	if q.Type == core.Vector {
		return sameVec(p.Vec[i], q.DefaultVec)
	}
	return math.Float64bits(p.Num[i]) == math.Float64bits(q.Default)
}

// sameVec reports whether a and b hold the same bits; nil and empty are the same.
func sameVec(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// formatFloat writes v in strconv's shortest round-tripping form, dropping the exponent's "+"
// (which a form decoder would read as a space): 0.5, 2, 1e-08, 1e06, -0.
func formatFloat(v float64) string {
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if i := strings.Index(s, "e+"); i >= 0 {
		s = s[:i+1] + s[i+2:]
	}
	return s
}

func formatVector(v []float64) string {
	var b strings.Builder
	for i, x := range v {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(formatFloat(x))
	}
	return b.String()
}

// writeEscaped writes s %-escaping every byte outside the unreserved set and ",", ":" and ";"
// (which a query may hold as they are; the comparison's series use them).
func writeEscaped(b *strings.Builder, s string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' || c == ',' || c == ':' || c == ';' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
}
