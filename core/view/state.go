// Package view holds what nnplay's page shows, independent of the browser: the state behind the
// URL (State, Parse, Query), the preallocated buffers one frame fills (Curves, VectorOut, Grid)
// and the colormap of the loss surface (Viridis).
//
// Everything comes from the registry in package core: the parameters, their slider ranges, the
// axes of the views. No code here names a function. The per-frame paths (Curves.Activation,
// Curves.LossCurve, VectorOut.Eval once its buffers have grown, Grid.Surface, Point, Viridis) do
// not allocate.
//
// The package is pure Go: it builds and tests natively and under GOOS=js GOARCH=wasm, and it
// avoids fmt, encoding/json and net/url to keep the wasm small.
//
// # The URL
//
// The page's state is a query string: f=<id>, then one key per parameter with PyTorch's name,
// then the view keys:
//
//	xmin, xmax  the x range of the activation plot or of the loss curve
//	t           the target of the loss curve and surface (losses only)
//	px, py      the draggable point on the loss surface (losses only)
//	x           the input of a vector activation, comma-separated (vector activations only)
//
// Every value read from a URL is checked against what the page's controls allow ("a link must
// not be able to do what the controls cannot"): a parameter must lie in its slider range
// [Param.Min, Param.Max], t in the curve's target range, px and py on the surface's axes. A
// rejected value keeps its default and is reported as a Problem; Parse never fails as a whole.
//
// Security: Problem.Key and Problem.Value are text from the URL (truncated to MaxShownLen bytes,
// possibly invalid UTF-8); show them as text, never as HTML.
package view

import (
	"math"
	"strconv"
	"strings"

	"github.com/nnplay/nnplay/core"
)

// DefaultID is the function shown when the URL names none or an unknown one.
const DefaultID = "relu"

// Limits that keep hostile URLs cheap. Parse reports a Problem when it applies one.
const (
	// MaxQueryLen is the longest raw query Parse reads, in bytes; the rest is ignored.
	MaxQueryLen = 4096
	// MaxFields is the most key=value pairs Parse reads; the rest are ignored.
	MaxFields = 64
	// MaxValueLen is the longest value, in bytes after %-decoding, that is considered at all.
	MaxValueLen = 1024
	// MaxShownLen is the longest key or value copied into a Problem or a message, in bytes.
	MaxShownLen = 64
	// ViewLimit bounds xmin and xmax: |xmin|, |xmax| <= ViewLimit.
	ViewLimit = 1e6
	// MinSpan is the narrowest x range relative to its magnitude: xmax - xmin must be at least
	// MinSpan * max(1, |xmin|, |xmax|), so a plot's points stay distinct.
	MinSpan = 1e-9
	// MaxInputLen is the longest input of a vector activation (URL key x).
	MaxInputLen = 16
	// InputLimit bounds each element of a vector activation's input: |x_i| <= InputLimit.
	InputLimit = 100
)

// State is everything the page shows, and what the URL holds.
//
// A State shares the backing arrays of P and In with its copies: use Clone before changing a
// copy independently. The zero State is not valid; start from Default, Parse or SetFunc.
type State struct {
	F          *core.Func
	P          core.Params
	XMin, XMax float64   // x range of the activation plot / loss curve (URL keys xmin, xmax); default F.XRange or F.Curve.X
	T          float64   // loss target (URL key t); default F.Curve.TDefault
	PX, PY     float64   // surface point (URL keys px, py); default F.Surface.Point
	In         []float64 // vector-activation input (URL key x, comma-separated); default F.DefaultInput
}

// Problem is a URL field that was rejected (and fell back to its default). Key is the URL key ("" for
// the query as a whole), Value the value given (truncated to MaxShownLen bytes) and Msg the
// message for the user, which names the key, the value and what is allowed.
type Problem struct{ Key, Value, Msg string }

// defaultFunc returns the function DefaultID, or the first registered one if it is missing.
func defaultFunc() *core.Func {
	if f, ok := core.Lookup(DefaultID); ok {
		return f
	}
	all := core.All()
	if len(all) == 0 {
		panic("view: no function is registered")
	}
	return all[0]
}

// Default returns the state that shows f with every parameter and view field at its default.
// A nil f means the function DefaultID.
func Default(f *core.Func) State {
	if f == nil {
		f = defaultFunc()
	}
	s := State{F: f, P: f.Defaults()}
	s.XMin, s.XMax = defaultXRange(f)
	if f.Curve != nil {
		s.T = f.Curve.TDefault
	}
	if f.Surface != nil {
		s.PX, s.PY = f.Surface.Point[0], f.Surface.Point[1]
	}
	if f.DefaultInput != nil {
		s.In = append([]float64(nil), f.DefaultInput...)
	}
	return s
}

// defaultXRange returns the default x range of f's curve: F.Curve.X for a loss, F.XRange
// otherwise, or [-4, 4] when that range is empty.
func defaultXRange(f *core.Func) (float64, float64) {
	a, b := f.XRange[0], f.XRange[1]
	if f.Kind == core.Loss && f.Curve != nil {
		a, b = f.Curve.X.Min, f.Curve.X.Max
	}
	if !(a < b) {
		return -4, 4
	}
	return a, b
}

// Clone returns a copy of s that shares no slices with s.
func (s State) Clone() State {
	c := s
	c.P = s.P.Clone()
	if s.In != nil {
		c.In = append([]float64(nil), s.In...)
	}
	return c
}

// Reset sets every parameter and view field to its default, keeping the function.
func (s *State) Reset() { *s = Default(s.F) }

// SetFunc switches to f with the defaults of f. A nil f means the function DefaultID.
func (s *State) SetFunc(f *core.Func) { *s = Default(f) }

// Set sets one field from a URL-style key and string value with the same checks as Parse: "f"
// switches the function (with its defaults), a parameter name sets that parameter, and the view
// keys set the view. On error s is unchanged and the error is a *core.ParamError whose Param is
// the key and whose Msg is the message Parse would give.
//
// Set accepts exactly what a link may hold (for a number, the slider range). A page that lets a
// typed box go beyond the slider range, as core.Param allows Go callers to, gets from Query a URL
// whose out-of-range values Parse then rejects with a Problem.
//
// A parameter value that passes its own checks but makes the combination fail F.Check is
// rejected with F.Check's message; xmin and xmax are checked against each other (use SetXRange
// to move both at once).
func (s *State) Set(key, value string) error {
	if s.F == nil {
		*s = Default(nil)
	}
	if len(value) > MaxValueLen {
		return perr(key, shown(key)+" is longer than "+strconv.Itoa(MaxValueLen)+" bytes")
	}
	if key == "f" {
		f, ok := core.Lookup(value)
		if !ok {
			return perr(key, unknownFuncMsg(value))
		}
		s.SetFunc(f)
		return nil
	}
	if i := s.F.ParamIndex(key); i >= 0 {
		oldNum, oldVec := s.P.Num[i], s.P.Vec[i]
		if err := s.setParam(i, value); err != nil {
			return err
		}
		if err := s.F.Check(s.P); err != nil {
			s.P.Num[i], s.P.Vec[i] = oldNum, oldVec
			return perr(key, err.Error())
		}
		return nil
	}
	old := *s
	if err := s.setView(key, value); err != nil {
		return err
	}
	if err := s.checkXRange(); err != nil {
		*s = old
		return err
	}
	if key == "t" {
		if err := s.checkT(s.T); err != nil {
			*s = old
			return err
		}
	}
	return nil
}

// SetXRange sets XMin and XMax together, with the checks Parse applies to xmin and xmax. On error
// s is unchanged.
func (s *State) SetXRange(xmin, xmax float64) error {
	if err := checkReal("xmin", xmin, -ViewLimit, ViewLimit, false); err != nil {
		return err
	}
	if err := checkReal("xmax", xmax, -ViewLimit, ViewLimit, false); err != nil {
		return err
	}
	if err := xRangeError(xmin, xmax); err != nil {
		return err
	}
	s.XMin, s.XMax = xmin, xmax
	return nil
}

// SetPoint sets the surface point (PX, PY), with the checks Parse applies to px and py. On error
// s is unchanged.
func (s *State) SetPoint(px, py float64) error {
	if s.F == nil || s.F.Surface == nil {
		return perr("px", "px and py apply only to a loss")
	}
	ax, ay := s.F.Surface.X, s.F.Surface.Y
	if err := checkReal("px", px, ax.Min, ax.Max, false); err != nil {
		return err
	}
	if err := checkReal("py", py, ay.Min, ay.Max, false); err != nil {
		return err
	}
	s.PX, s.PY = px, py
	return nil
}

// Keys returns the URL keys that f accepts besides "f": its parameters in declaration order,
// then its view keys.
func Keys(f *core.Func) []string {
	keys := make([]string, 0, len(f.Params)+5)
	for _, q := range f.Params {
		keys = append(keys, q.Name)
	}
	return append(keys, viewKeys(f)...)
}

// viewKeys returns the view keys that apply to f's kind.
func viewKeys(f *core.Func) []string {
	switch {
	case f.Kind == core.VectorActivation:
		return []string{"x"}
	case f.Kind == core.Loss && f.Curve != nil && f.Surface != nil:
		return []string{"xmin", "xmax", "t", "px", "py"}
	case f.Kind == core.Loss && f.Curve != nil:
		return []string{"xmin", "xmax", "t"}
	}
	return []string{"xmin", "xmax"}
}

func hasViewKey(f *core.Func, key string) bool {
	for _, k := range viewKeys(f) {
		if k == key {
			return true
		}
	}
	return false
}

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

	// The function first: every other key depends on it.
	var f *core.Func
	for _, fl := range fields {
		if fl.key != "f" {
			continue
		}
		if g, ok := core.Lookup(fl.value); ok {
			f = g
		} else {
			probs = append(probs, Problem{Key: "f", Value: clip(fl.value), Msg: unknownFuncMsg(fl.value)})
		}
		break
	}
	s := Default(f)

	seen := make([]string, 0, len(fields))
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
		if fl.key == "f" {
			continue
		}
		var err error
		switch {
		case len(fl.value) > MaxValueLen:
			err = perr(fl.key, shown(fl.key)+" is longer than "+strconv.Itoa(MaxValueLen)+" bytes")
		case s.F.ParamIndex(fl.key) >= 0:
			err = s.setParam(s.F.ParamIndex(fl.key), fl.value)
		default:
			err = s.setView(fl.key, fl.value)
		}
		if err != nil {
			probs = append(probs, Problem{Key: clip(fl.key), Value: clip(fl.value), Msg: err.Error()})
		}
	}

	// Combinations: F.Check, then the x range.
	probs = s.repairParams(probs)
	if hasViewKey(s.F, "t") {
		if err := s.checkT(s.T); err != nil {
			probs = append(probs, Problem{Key: "t", Value: formatFloat(s.T), Msg: err.Error()})
			s.T = s.F.Curve.TDefault
		}
	}
	if err := s.checkXRange(); err != nil {
		probs = append(probs, Problem{Key: "xmin", Value: formatFloat(s.XMin) + "," + formatFloat(s.XMax), Msg: err.Error()})
		s.XMin, s.XMax = defaultXRange(s.F)
	}
	return s, probs
}

// repairParams resets the parameters that make F.Check fail, one Problem each: the parameter
// the error names if it is not at its default, else every parameter.
func (s *State) repairParams(probs []Problem) []Problem {
	for range len(s.F.Params) + 1 {
		err := s.F.Check(s.P)
		if err == nil {
			return probs
		}
		name := ""
		if pe, ok := err.(*core.ParamError); ok {
			name = pe.Param
		}
		if i := s.F.ParamIndex(name); i >= 0 && !isDefaultParam(s.F, s.P, i) {
			probs = append(probs, Problem{Key: name, Value: clip(FormatParam(s.F, s.P, i)), Msg: err.Error()})
			s.resetParam(i)
			continue
		}
		probs = append(probs, Problem{Key: name, Msg: err.Error() + " (all parameters reset to their defaults)"})
		s.P = s.F.Defaults()
		return probs
	}
	return probs
}

func (s *State) resetParam(i int) {
	q := &s.F.Params[i]
	if q.Type == core.Vector {
		s.P.Vec[i] = nil
		if q.DefaultVec != nil {
			s.P.Vec[i] = append([]float64(nil), q.DefaultVec...)
		}
		return
	}
	s.P.Num[i] = q.Default
}

// setParam parses value for parameter i and assigns it when it passes the per-field checks.
func (s *State) setParam(i int, value string) error {
	q := &s.F.Params[i]
	switch q.Type {
	case core.Real, core.Int:
		v, err := parseReal(q.Name, value, q.Min, q.Max, q.Type == core.Int)
		if err != nil {
			return err
		}
		s.P.Num[i] = v
	case core.Bool:
		switch value {
		case "true", "True", "1":
			s.P.Num[i] = 1
		case "false", "False", "0":
			s.P.Num[i] = 0
		default:
			return perr(q.Name, q.Name+" must be true or false, got "+quote(value))
		}
	case core.Choice:
		for k, c := range q.Choices {
			if c == value {
				s.P.Num[i] = float64(k)
				return nil
			}
		}
		return perr(q.Name, q.Name+" must be one of "+strings.Join(q.Choices, ", ")+", got "+quote(value))
	case core.Vector:
		if value == "" {
			s.P.Vec[i] = nil
			return nil
		}
		maxLen := q.MaxLen
		if maxLen <= 0 || maxLen > MaxInputLen*4 {
			maxLen = MaxInputLen * 4
		}
		minLen := max(q.MinLen, 1)
		v, ok := parseVector(value, minLen, maxLen, q.Min, q.Max)
		if !ok {
			return perr(q.Name, vectorMsg(q.Name, minLen, maxLen, q.Min, q.Max, value))
		}
		s.P.Vec[i] = v
	default:
		return perr(q.Name, q.Name+" has an unknown type")
	}
	return nil
}

// setView parses a view key and assigns it when it passes the per-field checks (the x range
// as a whole is checked by the caller).
func (s *State) setView(key, value string) error {
	if !hasViewKey(s.F, key) {
		return perr(key, unknownKeyMsg(s.F, key))
	}
	switch key {
	case "xmin", "xmax":
		v, err := parseReal(key, value, -ViewLimit, ViewLimit, false)
		if err != nil {
			return err
		}
		if key == "xmin" {
			s.XMin = v
		} else {
			s.XMax = v
		}
	case "t":
		c := s.F.Curve
		v, err := parseReal(key, value, c.T.Min, c.T.Max, c.TStep == 1)
		if err != nil {
			return err
		}
		s.T = v
	case "px", "py":
		a := s.F.Surface.X
		if key == "py" {
			a = s.F.Surface.Y
		}
		v, err := parseReal(key, value, a.Min, a.Max, false)
		if err != nil {
			return err
		}
		if key == "px" {
			s.PX = v
		} else {
			s.PY = v
		}
	case "x":
		v, ok := parseVector(value, 1, MaxInputLen, -InputLimit, InputLimit)
		if !ok {
			return perr(key, vectorMsg(key, 1, MaxInputLen, -InputLimit, InputLimit, value))
		}
		if _, err := s.F.OutLen(len(v)); err != nil {
			return perr(key, "x has "+strconv.Itoa(len(v))+" elements: "+err.Error())
		}
		s.In = v
	}
	return nil
}

// DefaultClasses is the class count of a class-index loss whose class weights are unset
// (None): the views of core's nll_loss and cross_entropy show 3 classes then.
const DefaultClasses = 3

// Classes returns the number of classes C that a class-index target (Curve.TStep == 1) ranges
// over: the length of the function's class-weight vector (its Vector parameter), or
// DefaultClasses when that is None. It returns 0 when the target is not a class index or the
// function has no class weights, and TMax is then the curve's T.Max.
func Classes(f *core.Func, p core.Params) int {
	if f == nil || f.Curve == nil || f.Curve.TStep != 1 {
		return 0
	}
	for i := range f.Params {
		if f.Params[i].Type == core.Vector && i < len(p.Vec) {
			if p.Vec[i] == nil {
				return DefaultClasses
			}
			return len(p.Vec[i])
		}
	}
	return 0
}

// TMax returns the largest target the controls allow for s: Curve.T.Max, and at most C - 1
// for a class-index target over C classes (see Classes).
func (s *State) TMax() float64 {
	if s.F == nil || s.F.Curve == nil {
		return 0
	}
	hi := s.F.Curve.T.Max
	if c := Classes(s.F, s.P); c > 0 {
		hi = min(hi, float64(c-1))
	}
	return hi
}

// checkT checks a target against the class count (the range of the control is checked by the
// caller).
func (s *State) checkT(t float64) error {
	if c := Classes(s.F, s.P); c > 0 && t > float64(c-1) {
		return perr("t", "target "+formatFloat(t)+" is out of bounds for "+strconv.Itoa(c)+" classes (t must be from 0 to "+strconv.Itoa(c-1)+")")
	}
	return nil
}

// ClampT lowers T to TMax when the class count shrank under it (a class weight removed) and
// reports whether it did.
func (s *State) ClampT() bool {
	if s.F == nil || s.F.Curve == nil {
		return false
	}
	if hi := s.TMax(); s.T > hi {
		s.T = hi
		return true
	}
	return false
}

// checkXRange reports whether XMin and XMax form a valid range (only for kinds with an x range).
func (s *State) checkXRange() error {
	if !hasViewKey(s.F, "xmin") {
		return nil
	}
	return xRangeError(s.XMin, s.XMax)
}

func xRangeError(xmin, xmax float64) error {
	if !(xmin < xmax) {
		return perr("xmin", "xmin must be less than xmax, got xmin="+formatFloat(xmin)+" and xmax="+formatFloat(xmax))
	}
	scale := max(1, math.Abs(xmin), math.Abs(xmax))
	if w := MinSpan * scale; !(xmax-xmin >= w) {
		return perr("xmin", "the x range must be at least "+formatFloat(w)+" wide here (1e-09 times the larger of 1, |xmin| and |xmax|), got xmin="+
			formatFloat(xmin)+" and xmax="+formatFloat(xmax))
	}
	return nil
}

// CheckXBound checks one bound of the x range on its own (key "xmin" or "xmax"): a finite
// number with |v| <= ViewLimit. It is the part of SetXRange that does not depend on the other
// bound, for a page that keeps a typed bound until the other one makes the pair valid.
func CheckXBound(key string, v float64) error {
	return checkReal(key, v, -ViewLimit, ViewLimit, false)
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

func unknownKeyMsg(f *core.Func, key string) string {
	return "unknown key " + quote(key) + " for " + f.ID + " (it takes " + strings.Join(Keys(f), ", ") + ")"
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
