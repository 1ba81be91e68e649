package main

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/nnplay/nnplay/core"
	"github.com/nnplay/nnplay/core/view"
)

// This file holds the edits of the controls: a parameter's slider, box, select or checkbox; a
// vector parameter's editor; and the view keys' controls, whatever their view (a number, a
// range's bound, a choice, a list's element, the surface point). Every edit builds the next
// state with the typed setters of core/view and commits it (App.commit), so the URL parser,
// the controls and the API share one set of checks.

// setFieldErr records (msg != "") or clears the error of a typed field and shows it next to
// the field.
func (a *App) setFieldErr(key, msg string) {
	a.fieldErrs = setKeyed(a.fieldErrs, key, msg)
	a.fieldNotes = setKeyed(a.fieldNotes, key, "")
	a.host.FieldError(key, msg)
	a.msgsDirty = true
	a.request()
}

func (a *App) setFieldNote(key, msg string) {
	a.fieldErrs = setKeyed(a.fieldErrs, key, "")
	a.fieldNotes = setKeyed(a.fieldNotes, key, msg)
	a.host.FieldError(key, msg)
}

func setKeyed(list []fieldErr, key, msg string) []fieldErr {
	out := slices.DeleteFunc(list, func(e fieldErr) bool { return e.key == key })
	if msg != "" {
		out = append(out, fieldErr{key, msg})
	}
	return out
}

// SetParamText sets the parameter name from the text of its control (a slider, a typed box,
// a select or a checkbox; source is the data-param-box key of a typed box, "" otherwise).
// A number must be finite and lie in the slider's range ("a link must not be able to do what
// the controls cannot": every value shown can be shared), and pass the function's check.
// On error the state is unchanged and the message is shown next to the field; the text stays.
func (a *App) SetParamText(name, text, source string) error {
	f := a.S.F
	i := f.ParamIndex(name)
	if i < 0 {
		return &core.ParamError{Param: name, Msg: unknownKey(&a.S, name)}
	}
	q := &f.Params[i]
	p := a.S.P.Clone()
	var err error
	switch q.Type {
	case core.Real, core.Int:
		var v float64
		v, err = parseNumber(name, text)
		if err == nil {
			p.Num[i] = v
		}
	default:
		err = core.SetParamAny(f, &p, i, text)
	}
	if err == nil {
		err = f.Check(p) // PyTorch's own message first (celu: "alpha cannot be 0")
	}
	if err == nil {
		err = controlParam(f, p, i)
	}
	if err != nil {
		a.setFieldErr(name, err.Error())
		return err
	}
	s := a.S.Clone()
	s.P = p
	a.dropURLProblem(name)
	a.setFieldNote(name, "")
	clamped := s.ClampKeys()
	a.commit(s)
	a.syncControls(source)
	a.noteClamped(clamped)
	return nil
}

// controlRange checks a number for the control of key with the range [lo, hi]: finite and in
// the range. The message says what the controls allow and that nnplay.evaluate takes more.
func controlRange(f *core.Func, key string, v, lo, hi float64) error {
	if !finite(v) {
		return &core.ParamError{Param: key, Msg: core.DisplayKey(key) + " must be a finite number, got " + core.ShortNum(v)}
	}
	if v < lo || v > hi {
		return &core.ParamError{Param: key, Msg: core.DisplayKey(key) + " = " + core.ShortNum(v) + " is outside this control's range, " +
			core.ShortNum(lo) + " to " + core.ShortNum(hi) + ": not applied, so that a link shows what you see " +
			"(nnplay.evaluate('" + f.ID + "', ...) accepts any value PyTorch accepts)"}
	}
	return nil
}

// dropURLProblem forgets the link's problem about key once the user has set key.
func (a *App) dropURLProblem(key string) {
	a.urlProblems = slices.DeleteFunc(a.urlProblems, func(p view.Problem) bool { return p.Key == key })
}

// SetVectorParam sets element idx of the Vector parameter name from text; idx == -1 with text
// "add" or "remove" grows or shrinks it, and "none" clears it (PyTorch's None).
func (a *App) SetVectorParam(name string, idx int, text string) error {
	f := a.S.F
	i := f.ParamIndex(name)
	if i < 0 || f.Params[i].Type != core.Vector {
		return &core.ParamError{Param: name, Msg: unknownKey(&a.S, name)}
	}
	q := &f.Params[i]
	p := a.S.P.Clone()
	v := p.Vec[i]
	key := name
	switch {
	case idx < 0 && text == "none":
		v = nil
	case idx < 0 && text == "add":
		if v == nil {
			n := max(q.MinLen, 2)
			v = make([]float64, n)
			for k := range v {
				v[k] = 1
			}
		} else if q.MaxLen <= 0 || len(v) < q.MaxLen {
			v = append(v, 1)
		}
	case idx < 0 && text == "remove":
		if len(v) > max(q.MinLen, 1) {
			v = v[:len(v)-1]
		}
	case idx >= 0 && idx < len(v):
		key = name + "." + strconv.Itoa(idx)
		x, err := parseNumber(core.DisplayKey(key), text)
		if err != nil {
			a.setFieldErr(key, err.Error())
			return err
		}
		v[idx] = x
	default:
		return &core.ParamError{Param: name, Msg: name + " has no element " + strconv.Itoa(idx)}
	}
	p.Vec[i] = v
	err := f.Check(p)
	if err == nil && idx >= 0 {
		err = controlRange(f, key, v[idx], q.Min, q.Max)
	}
	if err != nil {
		a.setFieldErr(key, err.Error())
		return err
	}
	s := a.S.Clone()
	s.P = p
	a.dropURLProblem(name)
	a.setFieldNote(key, "")
	clamped := s.ClampKeys()
	a.commit(s)
	skip := ""
	if idx >= 0 {
		skip = key
	}
	a.syncControls(skip)
	a.noteClamped(clamped)
	return nil
}

// SetViewText sets the number-valued view key from the text of its control (a slider, a typed
// box, a select), with the URL's checks (view.State's typed setters). source is the typed
// box's key, "" for a slider or a select.
//
// The two bounds of a range (Key.Pair: xmin and xmax, a fixed y range) are a pair: a typed
// value that is valid alone but not with the other bound (xmin 10 while xmax is 4, on the way
// from -4..4 to 10..20) is kept pending with its message, and a later change of the other box
// applies the pair when it is valid, so nothing typed is lost.
func (a *App) SetViewText(key, text, source string) error {
	k := a.S.KeyFor(key)
	if k == nil {
		return &core.ParamError{Param: key, Msg: unknownKey(&a.S, key)}
	}
	s := a.S.Clone()
	var err error
	switch k.Type {
	case view.Choice:
		err = s.SetChoice(key, strings.TrimSpace(text))
	case view.Text:
		err = s.SetText(key, strings.TrimSpace(text))
	case view.Number, view.Integer:
		var v float64
		v, err = parseNumber(key, text)
		if err != nil {
			a.dropPending(key)
			break
		}
		if k.Pair == "" {
			err = s.SetNumber(key, v)
			break
		}
		other := k.Pair
		ov := s.Number(other)
		if p, ok := a.pendingOf(other); ok {
			ov = p
		}
		first, second, v1, v2 := key, other, v, ov
		if isSecond(&s, key, other) {
			first, second, v1, v2 = other, key, ov, v
		}
		err = s.SetPair(first, v1, second, v2)
		if err != nil {
			if ve := k.CheckValue(&s, v); ve != nil {
				a.dropPending(key) // invalid alone: nothing to retry
				err = ve
			} else {
				a.setPending(key, v)
				err = &core.ParamError{Param: key, Msg: err.Error() + "; " + key + " " + core.ShortNum(v) + " is kept and applies when " + other + " makes the pair valid"}
			}
		}
	default:
		return &core.ParamError{Param: key, Msg: key + " is not a number"}
	}
	if err != nil {
		a.setFieldErr(key, err.Error())
		return err
	}
	if k.Pair != "" {
		for _, kk := range []string{key, k.Pair} {
			a.dropPending(kk)
			a.fieldErrs = setKeyed(a.fieldErrs, kk, "")
			a.host.FieldError(kk, "")
			a.dropURLProblem(kk)
		}
	}
	a.dropURLProblem(key)
	a.setFieldNote(key, "")
	a.commit(s)
	a.syncControls(source)
	return nil
}

// isSecond reports whether key comes after other in f's URL order (xmax after xmin).
func isSecond(s *view.State, key, other string) bool {
	for _, k := range s.ViewKeys() {
		switch k.Name {
		case key:
			return false
		case other:
			return true
		}
	}
	return false
}

func (a *App) pendingOf(key string) (float64, bool) {
	for _, p := range a.pending {
		if p.key == key {
			return p.v, true
		}
	}
	return 0, false
}

func (a *App) setPending(key string, v float64) {
	a.dropPending(key)
	a.pending = append(a.pending, pendingBound{key, v})
}

func (a *App) dropPending(key string) {
	a.pending = slices.DeleteFunc(a.pending, func(p pendingBound) bool { return p.key == key })
}

// SetListText sets element idx of a List view key (a vector activation's input x) from text;
// idx == -1 with "add" or "remove" grows or shrinks it.
func (a *App) SetListText(key string, idx int, text string) error {
	k := a.S.KeyFor(key)
	if k == nil || k.Type != view.List {
		return &core.ParamError{Param: key, Msg: unknownKey(&a.S, key)}
	}
	cur, _ := a.S.Get(key)
	in := make([]float64, 0, view.MaxInputLen)
	for _, x := range cur.([]any) {
		in = append(in, x.(float64))
	}
	fkey := key
	maxLen := k.MaxLen
	if maxLen <= 0 {
		maxLen = view.MaxInputLen
	}
	switch {
	case idx < 0 && text == "add":
		if len(in) >= maxLen {
			return a.listErr(key, &core.ParamError{Param: key, Msg: "the input has at most " + strconv.Itoa(maxLen) + " elements"})
		}
		in = append(in, 0)
	case idx < 0 && text == "remove":
		if len(in) <= max(k.MinLen, 1) {
			return a.listErr(key, &core.ParamError{Param: key, Msg: "the input needs at least one element"})
		}
		in = in[:len(in)-1]
	case idx >= 0 && idx < len(in):
		fkey = key + "." + strconv.Itoa(idx)
		v, err := parseNumber(key+"["+strconv.Itoa(idx)+"]", text)
		if err == nil {
			lo, hi := k.RangeOf(&a.S)
			err = controlRange(a.S.F, fkey, v, lo, hi)
		}
		if err != nil {
			a.setFieldErr(fkey, err.Error())
			return err
		}
		in[idx] = v
	default:
		return &core.ParamError{Param: key, Msg: "the input has no element " + strconv.Itoa(idx)}
	}
	s := a.S.Clone()
	err := s.SetList(key, in)
	if err != nil && idx < 0 {
		// a length the function rejects (glu: odd) is shown, with its message, as the page
		// always did: the state keeps the list and the view says why it cannot draw it
		s2 := a.S.Clone()
		if e2 := s2.SetListUnchecked(key, in); e2 == nil {
			s, err = s2, nil
		}
	}
	if err != nil {
		a.setFieldErr(fkey, err.Error())
		return err
	}
	a.dropURLProblem(key)
	a.setFieldNote(fkey, "")
	if idx < 0 {
		a.setFieldNote(key, "")
	}
	clamped := s.ClampKeys()
	a.commit(s)
	a.syncControls(fkey)
	a.noteClamped(clamped)
	return nil
}

// listErr shows err next to the list editor and returns it.
func (a *App) listErr(key string, err error) error {
	a.setFieldErr(key, err.Error())
	return err
}

// SetListValue sets element idx of the List key to v (a bar dragged in a view), clamped to the
// key's range.
func (a *App) SetListValue(key string, idx int, v float64) {
	k := a.S.KeyFor(key)
	if k == nil || k.Type != view.List || v != v {
		return
	}
	cur, _ := a.S.Get(key)
	list := anyFloats(cur)
	if idx < 0 || idx >= len(list) {
		return
	}
	lo, hi := k.RangeOf(&a.S)
	list[idx] = min(max(v, lo), hi)
	s := a.S.Clone()
	if s.SetListUnchecked(key, list) != nil {
		return
	}
	a.setFieldNote(key+"."+strconv.Itoa(idx), "") // the box now shows the dragged value
	a.commit(s)
	a.syncControls("")
}

// Drag sets the number keys kx and ky together (a point dragged on a view: the surface's px
// and py), each clamped to its key's range and rounded to 4 significant digits of its span.
func (a *App) Drag(kx string, x float64, ky string, y float64) {
	X, Y := a.S.KeyFor(kx), a.S.KeyFor(ky)
	if X == nil || Y == nil || x != x || y != y {
		return
	}
	s := a.S.Clone()
	if s.SetPair(kx, onRange(x, X, &s), ky, onRange(y, Y, &s)) == nil {
		a.commit(s)
	}
}

// noteClamped shows, next to each key that a change of the parameters lowered to the end of its
// control (a class-index target when a class weight is removed; the Jacobian row when the
// input shrinks), its new value (after the controls are synchronised, which may rebuild them).
func (a *App) noteClamped(keys []*view.Key) {
	for _, k := range keys {
		a.setFieldNote(k.Name, "now "+core.ShortNum(a.S.Number(k.Name))+", the end of its range for these parameters")
	}
}

// isFieldErr reports whether key currently holds invalid text (rather than a note).
func (a *App) isFieldErr(key string) bool {
	for _, e := range a.fieldErrs {
		if e.key == key {
			return true
		}
	}
	return false
}

func unknownKey(s *view.State, key string) string {
	return "unknown parameter " + strconv.Quote(core.ClipShown(key)) + " for " + s.F.ID + " (it takes " + strings.Join(s.Keys(), ", ") + ")"
}

// onRange is a dragged coordinate clamped to the key's range and rounded (roundTo), then
// clamped again: rounding an end such as π to 3.1416 must not put the point off the axis.
func onRange(v float64, k *view.Key, s *view.State) float64 {
	lo, hi := k.RangeOf(s)
	return min(max(roundTo(min(max(v, lo), hi), hi-lo), lo), hi)
}

// roundTo rounds a dragged coordinate to 4 significant digits of the axis span (2.4, not
// 2.3999999515594 in the URL): a pixel is coarser than that.
func roundTo(v, span float64) float64 {
	if !(span > 0) || !finite(v) {
		return v
	}
	dec := 4 - int(math.Floor(math.Log10(span)))
	if dec < 0 {
		dec = 0
	}
	if dec > 15 {
		return v
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'f', dec, 64), 64)
	if err != nil {
		return v
	}
	if r == 0 {
		r = 0 // no -0 in the URL
	}
	return r
}

// boxNum formats v for a typed box: the shortest text that reads back as v, with the exponent
// as people type it (-1e6 and 1e-9, not -1e+06 and 1e-09).
func boxNum(v float64) string {
	s := strconv.FormatFloat(v, 'g', -1, 64)
	i := strings.IndexByte(s, 'e')
	if i < 0 {
		return s
	}
	mant, exp := s[:i], s[i+1:]
	sign := ""
	if exp[0] == '-' {
		sign = "-"
	}
	exp = strings.TrimLeft(exp[1:], "0")
	return mant + "e" + sign + exp
}

// parseNumber reads a typed number: core.ParseNumber (Python's float(), a pasted minus sign;
// NaN and the infinities rejected, underflow read as 0).
func parseNumber(name, text string) (float64, error) { return core.ParseNumber(name, text) }

// anyFloats turns an API list of numbers (view.State.Get of a List key) into a []float64.
func anyFloats(v any) []float64 {
	list, _ := v.([]any)
	out := make([]float64, len(list))
	for i, x := range list {
		out[i], _ = x.(float64)
	}
	return out
}
