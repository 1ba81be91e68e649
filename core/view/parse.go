package view

import (
	"math"
	"strconv"
	"strings"

	"github.com/nnplay/nnplay/core"
)

// Parse reads a raw query string such as "f=elu&alpha=2" (a leading "?", or a path ending in
// "?", is skipped) and returns the state it describes with the problems found. It never fails as
// a whole and never returns a nil F:
//
//   - no f, or an unknown one: the function DefaultID (an unknown one is a Problem);
//   - a value that is not a finite number, lies outside the slider range [Param.Min, Param.Max],
//     is not an integer for an Int, not one of the choices, not true/false/1/0 for a Bool, or a
//     vector of the wrong length or with a bad element: that field keeps its default (Problem);
//   - an unknown key, a key given twice (the first counts), a malformed %-escape: Problem;
//   - a parameter combination that fails F.Check (celu alpha=0): the parameter F.Check names is
//     reset to its default, with F.Check's message (Problem);
//   - a class-index target t beyond the class count (t=9 with 3 classes; see Classes): t
//     reset (Problem);
//   - xmin >= xmax (or closer than MinSpan): both reset (Problem).
//
// '+' is read as a plus sign, not a space ("1e+06"); values never contain spaces.
// Hostile input (huge strings, many keys, NaN, Inf, 1e999) never panics: see MaxQueryLen,
// MaxFields and MaxValueLen.
func Parse(rawQuery string) (State, []Problem) {
	var probs []Problem
	q := trimQuery(rawQuery)
	if len(q) > MaxQueryLen {
		probs = append(probs, Problem{Msg: "the query is longer than " + strconv.Itoa(MaxQueryLen) + " bytes: the rest is ignored"})
		q = q[:MaxQueryLen]
	}
	type field struct{ key, value string }
	fields := make([]field, 0, 8)
	for q != "" {
		var part string
		if i := strings.IndexByte(q, '&'); i >= 0 {
			part, q = q[:i], q[i+1:]
		} else {
			part, q = q, ""
		}
		if part == "" {
			continue
		}
		if len(fields) == MaxFields {
			probs = append(probs, Problem{Msg: "the query has more than " + strconv.Itoa(MaxFields) + " fields: the rest are ignored"})
			break
		}
		rk, rv, _ := strings.Cut(part, "=")
		k, ok1 := unescape(rk)
		v, ok2 := unescape(rv)
		if !ok1 || !ok2 {
			probs = append(probs, Problem{Key: clip(rk), Value: clip(rv), Msg: quote(part) + " has a malformed %-escape: ignored"})
			continue
		}
		fields = append(fields, field{k, v})
	}

	// The page (lab) first, then the function: every other key depends on them.
	var lab *Lab
	for _, fl := range fields {
		if fl.key != "lab" {
			continue
		}
		if lab = LabByID(fl.value); lab == nil {
			probs = append(probs, Problem{Key: "lab", Value: clip(fl.value), Msg: UnknownLabMsg(fl.value)})
		}
		break
	}
	var f *core.Func
	for _, fl := range fields {
		if fl.key != "f" {
			continue
		}
		if g, ok := core.Lookup(fl.value); !ok {
			probs = append(probs, Problem{Key: "f", Value: clip(fl.value), Msg: unknownFuncMsg(fl.value)})
		} else if !AppliesIn(lab, g) {
			probs = append(probs, Problem{Key: "f", Value: clip(fl.value), Msg: NotInLabMsg(lab, g)})
		} else {
			f = g
		}
		break
	}
	s := DefaultLab(lab, f)

	seen := make([]string, 0, len(fields))
	var views []field
	for _, fl := range fields {
		dup := false
		for _, k := range seen {
			if k == fl.key {
				dup = true
				break
			}
		}
		if dup {
			probs = append(probs, Problem{Key: clip(fl.key), Value: clip(fl.value), Msg: quote(fl.key) + " is given more than once: the first value is used"})
			continue
		}
		seen = append(seen, fl.key)
		if fl.key == "f" || fl.key == "lab" {
			continue
		}
		var err error
		switch {
		case len(fl.value) > MaxValueLen:
			err = perr(fl.key, shown(fl.key)+" is longer than "+strconv.Itoa(MaxValueLen)+" bytes")
		case s.F.ParamIndex(fl.key) >= 0:
			err = s.setParam(s.F.ParamIndex(fl.key), fl.value)
		default:
			views = append(views, fl)
		}
		if err != nil {
			probs = append(probs, Problem{Key: clip(fl.key), Value: clip(fl.value), Msg: err.Error()})
		}
	}
	// The parameters' combination (F.Check) before the view keys: a key's range may depend on
	// the parameters (a class-index target on the class count).
	probs = s.repairParams(probs)
	// The view keys in the views' order (the x range before the surface point that may follow
	// it), each with its per-value checks; then every key's combined checks (Key.Check) in the
	// same order, resetting the key (and its pair) that fails.
	for _, k := range s.ViewKeys() {
		for _, fl := range views {
			if fl.key == k.Name {
				if err := k.parseRaw(&s, fl.value); err != nil {
					probs = append(probs, Problem{Key: clip(fl.key), Value: clip(fl.value), Msg: err.Error()})
				}
			}
		}
	}
	for _, fl := range views {
		if s.KeyFor(fl.key) == nil {
			probs = append(probs, Problem{Key: clip(fl.key), Value: clip(fl.value), Msg: unknownKeyMsg(&s, fl.key)})
		}
	}
	for _, k := range s.ViewKeys() {
		err := s.checkKey(k)
		if err == nil {
			continue
		}
		if k.isDefault(&s) {
			// a default outside a range that depends on the state (the surface point on a
			// narrowed x range): clamped, nothing the link said is rejected
			s.ClampKeys()
			continue
		}
		key := k.Name
		if pe, ok := err.(*core.ParamError); ok && pe.Param != "" {
			key = pe.Param
		}
		val := k.Format(&s)
		if p := s.KeyFor(k.Pair); p != nil && (key == k.Name || key == p.Name) && k.Check != nil && k.Check(&s) != nil {
			// a range's bounds that fail together: reported under the first, both reset
			a, b := k, p
			if isAfter(&s, k.Name, p.Name) {
				a, b = p, k
			}
			val = a.Format(&s) + "," + b.Format(&s)
			key = a.Name
			p.setDefault(&s)
		}
		probs = append(probs, Problem{Key: key, Value: clip(val), Msg: err.Error()})
		k.setDefault(&s)
		s.ClampKeys()
	}
	return s, probs
}

// isAfter reports whether key a comes after key b among f's view keys.
func isAfter(s *State, a, b string) bool {
	for _, k := range s.ViewKeys() {
		switch k.Name {
		case a:
			return false
		case b:
			return true
		}
	}
	return false
}

// parseRaw reads the key's URL text into s with the per-value checks only (Parse checks the
// combinations once every key is read).
func (k *Key) parseRaw(s *State, value string) error {
	switch k.Type {
	case Number, Integer:
		lo, hi := k.RangeOf(s)
		v, err := parseReal(k.Name, value, lo, hi, k.IsInt(s.F))
		if err != nil {
			return err
		}
		*k.num(s) = v
	case Choice:
		i, err := k.choiceIndex(value)
		if err != nil {
			return err
		}
		*k.num(s) = i
	case List:
		lo, hi := k.RangeOf(s)
		v, ok := parseVector(value, max(k.MinLen, 1), k.maxLen(), lo, hi)
		if !ok {
			return perr(k.Name, vectorMsg(k.Name, max(k.MinLen, 1), k.maxLen(), lo, hi, value))
		}
		*k.list(s) = v
	case SeriesList:
		ss, err := parseSeries(s, value)
		if err != nil {
			return err
		}
		*k.series(s) = ss
	case Text:
		*k.text(s) = value
		if value == "" {
			k.setDefault(s)
		}
	}
	return nil
}

// parseReal parses a finite number in [lo, hi] (an integer if integer is set).
func parseReal(key, value string, lo, hi float64, integer bool) (float64, error) {
	v, err := strconv.ParseFloat(value, 64)
	if err != nil && !isRangeErr(err) {
		return 0, perr(key, rangeMsg(key, lo, hi, integer)+", got "+quote(value))
	}
	if err != nil || checkReal(key, v, lo, hi, integer) != nil {
		return 0, perr(key, rangeMsg(key, lo, hi, integer)+", got "+quote(value))
	}
	return v, nil
}

// checkReal checks that v is a finite number in [lo, hi] (an integer if integer is set).
func checkReal(key string, v, lo, hi float64, integer bool) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < lo || v > hi || (integer && v != math.Trunc(v)) {
		return perr(key, rangeMsg(key, lo, hi, integer)+", got "+formatFloat(v))
	}
	return nil
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

func rangeMsg(key string, lo, hi float64, integer bool) string {
	kind := "a number"
	if integer {
		kind = "an integer"
	}
	return key + " must be " + kind + " from " + msgNum(lo) + " to " + msgNum(hi)
}

func vectorMsg(key string, minLen, maxLen int, lo, hi float64, value string) string {
	return key + " must be " + strconv.Itoa(minLen) + " to " + strconv.Itoa(maxLen) +
		" comma-separated numbers from " + msgNum(lo) + " to " + msgNum(hi) + ", got " + quote(value)
}

// msgNum formats a bound for a message: whole numbers in plain decimal (1000000, not 1e06).
func msgNum(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return formatFloat(v)
}

// parseVector parses a comma-separated list of minLen..maxLen finite numbers in [lo, hi].
func parseVector(value string, minLen, maxLen int, lo, hi float64) ([]float64, bool) {
	n := strings.Count(value, ",") + 1
	if n < minLen || n > maxLen {
		return nil, false
	}
	v := make([]float64, 0, n)
	for part := range strings.SplitSeq(value, ",") {
		x, err := strconv.ParseFloat(part, 64)
		if err != nil || checkReal("", x, lo, hi, false) != nil {
			return nil, false
		}
		v = append(v, x)
	}
	return v, true
}

func unknownFuncMsg(id string) string {
	return "unknown function " + quote(id) + ": showing " + defaultFunc().ID
}

func unknownKeyMsg(s *State, key string) string {
	where := s.F.ID
	if s.Lab != nil {
		where += " in the " + s.Lab.ID + " lab"
	}
	return "unknown key " + quote(key) + " for " + where + " (it takes " + strings.Join(s.Keys(), ", ") + ")"
}

// UnknownLabMsg is the message for an unknown lab id.
func UnknownLabMsg(id string) string {
	names := make([]string, 0, len(labs))
	for _, l := range labs {
		names = append(names, l.ID)
	}
	if len(names) == 0 {
		return "unknown lab " + quote(id) + ": this page has no labs (the labs load their own program from a ?lab= link)"
	}
	return "unknown lab " + quote(id) + " (the labs are " + strings.Join(names, ", ") + ")"
}

// NotInLabMsg says that f cannot be shown in lab (its picker lists what it can).
func NotInLabMsg(lab *Lab, f *core.Func) string {
	return "the " + lab.ID + " lab does not take " + f.ID + " (its picker lists the functions it takes): showing " + lab.Default
}

// perr returns a *core.ParamError for a URL key.
func perr(key, msg string) error { return &core.ParamError{Param: clip(key), Msg: msg} }

// clip truncates s to MaxShownLen bytes.
func clip(s string) string {
	if len(s) > MaxShownLen {
		return s[:MaxShownLen]
	}
	return s
}

// quote returns s clipped and in double quotes with Go's escapes, so control characters and
// invalid UTF-8 show as escapes; a clipped string ends in "...".
func quote(s string) string {
	if len(s) > MaxShownLen {
		return strconv.Quote(s[:MaxShownLen]) + "..."
	}
	return strconv.Quote(s)
}

// shown is a key as it appears in a message: itself when it is short and plain, quoted otherwise.
func shown(key string) string {
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return quote(key)
		}
	}
	return clip(key)
}

// trimQuery drops a leading "?" or anything up to the first "?" when q starts with "/" (a path),
// and a trailing "#fragment".
func trimQuery(q string) string {
	if strings.HasPrefix(q, "/") {
		if i := strings.IndexByte(q, '?'); i >= 0 {
			q = q[i+1:]
		} else {
			q = ""
		}
	}
	q = strings.TrimPrefix(q, "?")
	if i := strings.IndexByte(q, '#'); i >= 0 {
		q = q[:i]
	}
	return q
}

// unescape decodes %XX escapes; '+' stays a plus sign. It reports false for a malformed escape.
func unescape(s string) (string, bool) {
	if strings.IndexByte(s, '%') < 0 {
		return s, true
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '%' {
			b = append(b, c)
			continue
		}
		if i+2 >= len(s) {
			return "", false
		}
		h, ok1 := unhex(s[i+1])
		l, ok2 := unhex(s[i+2])
		if !ok1 || !ok2 {
			return "", false
		}
		b = append(b, h<<4|l)
		i += 2
	}
	return string(b), true
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
