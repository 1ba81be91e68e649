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

// State is everything the page shows, and what the URL holds: the function, its parameters and
// the values of the view keys that apply to it (see Key). The keys of the views built into this
// package keep their values in the named fields; a key declared elsewhere keeps it in the
// state's generic storage (Slot).
//
// A State shares the backing arrays of P, In and Cmp with its copies: use Clone before
// changing a copy independently. The zero State is not valid; start from Default, Parse or
// SetFunc.
type State struct {
	Lab        *Lab // the lab page (URL key lab); nil for the function page
	F          *core.Func
	P          core.Params
	XMin, XMax float64   // x range of the activation plot / loss curve (URL keys xmin, xmax); default F.XRange or F.Curve.X
	T          float64   // loss target (URL key t); default F.Curve.TDefault
	PX, PY     float64   // surface point (URL keys px, py); default F.Surface.Point
	In         []float64 // vector-activation input (URL key x, comma-separated); default F.DefaultInput
	Cmp        []Series  // the comparison's series (URL key cmp); default none

	slots map[string]*float64   // generic storage of number keys declared elsewhere
	lists map[string]*[]float64 // and of list keys
	texts map[string]*string    // and of text keys
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
func Default(f *core.Func) State { return DefaultLab(nil, f) }

// DefaultLab returns the state of lab's page (nil: the function page) that shows f with every
// parameter and view field at its default. A nil f, or one the lab does not take, means the
// lab's Default function (the function page's: DefaultID).
func DefaultLab(lab *Lab, f *core.Func) State {
	if f == nil || !AppliesIn(lab, f) {
		f = nil
		if lab != nil {
			f, _ = core.Lookup(lab.Default)
		}
		if f == nil {
			f = defaultFunc()
		}
	}
	s := State{Lab: lab, F: f, P: f.Defaults()}
	for _, k := range s.ViewKeys() {
		k.setDefault(&s)
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
	if s.Cmp != nil {
		c.Cmp = make([]Series, len(s.Cmp))
		for i, sr := range s.Cmp {
			c.Cmp[i] = Series{F: sr.F, P: sr.P.Clone()}
		}
	}
	if s.slots != nil {
		c.slots = make(map[string]*float64, len(s.slots))
		for k, v := range s.slots {
			x := *v
			c.slots[k] = &x
		}
	}
	if s.texts != nil {
		c.texts = make(map[string]*string, len(s.texts))
		for k, v := range s.texts {
			x := *v
			c.texts[k] = &x
		}
	}
	if s.lists != nil {
		c.lists = make(map[string]*[]float64, len(s.lists))
		for k, v := range s.lists {
			x := append([]float64(nil), (*v)...)
			c.lists[k] = &x
		}
	}
	return c
}

// Reset sets every parameter and view field to its default, keeping the function.
func (s *State) Reset() { *s = DefaultLab(s.Lab, s.F) }

// SetFunc switches to f with the defaults of f. A nil f means the function DefaultID.
func (s *State) SetFunc(f *core.Func) { *s = DefaultLab(s.Lab, f) }

// SwitchFunc switches to f as the page's picker does: from the defaults of f, it keeps what the
// user set (a value that differs from the old function's default) and still makes sense for f,
// and reports which keys it kept:
//   - every parameter of the same name and type whose value lies in f's slider range and
//     passes f.Check (ELU alpha=2, then CELU, gives CELU alpha=2);
//   - every view key whose Scope is the same for both functions and whose value passes the new
//     checks: the x range between two activations or two losses over the same quantity, the
//     target of a loss with the same target, the surface point on the same axes;
//   - the comparison's series that suit f (CheckSeries).
func (s *State) SwitchFunc(f *core.Func) (kept []string) {
	if f == nil {
		f = defaultFunc()
	}
	old := *s
	n := DefaultLab(old.Lab, f)
	if old.F == nil {
		*s = n
		return nil
	}
	for i := range f.Params {
		q := &f.Params[i]
		j := old.F.ParamIndex(q.Name)
		if j < 0 || old.F.Params[j].Type != q.Type || isDefaultParam(old.F, old.P, j) {
			continue // only what the user set is carried over; a default gives way to f's
		}
		try := n.P.Clone()
		switch q.Type {
		case core.Vector:
			try.Vec[i] = nil
			if v := old.P.Vec[j]; v != nil {
				try.Vec[i] = append([]float64(nil), v...)
			}
		case core.Choice:
			c := old.F.ChoiceOf(old.P, j)
			k := -1
			for m, ch := range q.Choices {
				if ch == c {
					k = m
				}
			}
			if k < 0 {
				continue
			}
			try.Num[i] = float64(k)
		default:
			try.Num[i] = old.P.Num[j]
		}
		if isDefaultParam(f, try, i) || paramInRange(q, try, i) != nil || f.Check(try) != nil {
			continue
		}
		n.P = try
		kept = append(kept, q.Name)
	}
	// view keys, in URL order, each checked against what is already kept
	for _, k := range n.ViewKeys() {
		if k.Type == SeriesList {
			var keep []Series
			for _, sr := range old.Cmp {
				if CheckSeries(f, sr) == nil {
					keep = append(keep, Series{F: sr.F, P: sr.P.Clone()})
				}
			}
			if len(keep) > 0 {
				n.Cmp = keep
				kept = append(kept, k.Name)
			}
			continue
		}
		if k.Scope == nil || old.KeyFor(k.Name) != k || k.Scope(old.F) != k.Scope(f) || k.isDefault(&old) {
			continue // only what the user set is carried over; a default gives way to f's
		}
		try := n.Clone()
		switch k.Type {
		case List:
			*k.list(&try) = append([]float64(nil), (*k.list(&old))...)
		case Text:
			*k.text(&try) = k.TextValue(&old)
		default:
			*k.num(&try) = *k.num(&old)
		}
		if try.checkKey(k) != nil {
			continue
		}
		n = try
		if !k.isDefault(&n) {
			kept = append(kept, k.Name)
		}
	}
	n.ClampKeys()
	*s = n
	return kept
}

// paramInRange checks parameter i of p against its slider range (what a link may hold).
func paramInRange(q *core.Param, p core.Params, i int) error {
	switch q.Type {
	case core.Real, core.Int:
		return checkReal(q.Name, p.Num[i], q.Min, q.Max, q.Type == core.Int)
	case core.Vector:
		for _, x := range p.Vec[i] {
			if err := checkReal(q.Name, x, q.Min, q.Max, false); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkKey checks the value of k in s: in its range (each element of a List) and k.Check. Pair
// keys are checked together by Check.
func (s *State) checkKey(k *Key) error {
	switch k.Type {
	case Number, Integer:
		if err := k.checkNum(s, *k.num(s)); err != nil {
			return err
		}
	case Choice:
		v := *k.num(s)
		if v != math.Trunc(v) || v < 0 || int(v) >= len(k.Choices) {
			return perr(k.Name, k.Name+" must be one of "+strings.Join(k.Choices, ", "))
		}
	case List:
		lo, hi := k.RangeOf(s)
		v := *k.list(s)
		if len(v) < max(k.MinLen, 1) || len(v) > k.maxLen() {
			return perr(k.Name, vectorMsg(k.Name, max(k.MinLen, 1), k.maxLen(), lo, hi, formatVector(v)))
		}
		for _, x := range v {
			if checkReal(k.Name, x, lo, hi, false) != nil {
				return perr(k.Name, vectorMsg(k.Name, max(k.MinLen, 1), k.maxLen(), lo, hi, formatVector(v)))
			}
		}
	case SeriesList:
		for i, sr := range *k.series(s) {
			if err := CheckSeries(s.F, sr); err != nil {
				return perr(k.Name, "series "+strconv.Itoa(i+1)+": "+err.Error())
			}
		}
	}
	if k.Check != nil {
		return k.Check(s)
	}
	return nil
}

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
		if !AppliesIn(s.Lab, f) {
			return perr(key, NotInLabMsg(s.Lab, f))
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
	k := s.KeyFor(key)
	if k == nil {
		return perr(key, unknownKeyMsg(s, key))
	}
	return k.parse(s, value)
}

// SetXRange sets XMin and XMax together, with the checks Parse applies to xmin and xmax. On error
// s is unchanged.
func (s *State) SetXRange(xmin, xmax float64) error {
	return s.SetPair("xmin", xmin, "xmax", xmax)
}

// SetPair sets two Number keys together (a range's two bounds), each with its per-value
// checks, then both Checks. On error s is unchanged.
func (s *State) SetPair(k1 string, v1 float64, k2 string, v2 float64) error {
	a, err := s.lookupKey(k1, Number, Integer)
	if err != nil {
		return err
	}
	b, err := s.lookupKey(k2, Number, Integer)
	if err != nil {
		return err
	}
	if err := a.checkNum(s, v1); err != nil {
		return err
	}
	if err := b.checkNum(s, v2); err != nil {
		return err
	}
	old := s.Clone()
	*a.num(s), *b.num(s) = v1, v2
	for _, k := range []*Key{a, b} {
		if err := s.commit(k, old); err != nil {
			return err
		}
	}
	return nil
}

// SetPoint sets the surface point (PX, PY), with the checks Parse applies to px and py. On error
// s is unchanged.
func (s *State) SetPoint(px, py float64) error {
	if s.F == nil || s.F.Surface == nil {
		return perr("px", "px and py apply only to a loss")
	}
	return s.SetPair("px", px, "py", py)
}

// Keys returns the URL keys that f accepts besides "f": its parameters in declaration order,
// then the keys of its views (ViewKeys).
func Keys(f *core.Func) []string {
	s := State{F: f}
	return s.Keys()
}

// Keys returns the URL keys that the page s shows accepts besides "f" (and "lab"): the
// parameters of s.F, then the keys of the page's views.
func (s *State) Keys() []string {
	f := s.F
	vk := s.ViewKeys()
	keys := make([]string, 0, len(f.Params)+len(vk))
	for _, q := range f.Params {
		keys = append(keys, q.Name)
	}
	for _, k := range vk {
		keys = append(keys, k.Name)
	}
	return keys
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
// reports whether it did (ClampKeys does it for every key).
func (s *State) ClampT() bool {
	for _, k := range s.ClampKeys() {
		if k == keyT {
			return true
		}
	}
	return false
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
