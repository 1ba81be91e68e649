package main

import (
	"strconv"
	"strings"

	"github.com/nnplay/nnplay/core"
	"github.com/nnplay/nnplay/core/view"
)

// This file implements window.nnplay's operations on plain Go values: the JavaScript side
// converts js.Value to and from float64, string, bool, nil, []any and map[string]any
// (convert_js.go), so everything here is testable natively. nnplay.evaluate is core.Evaluate,
// and the reading of parameter values (core.SetParamAny, core.NumberOf) is core's too
// (core/evaluate.go).

// Functions describes every registered function (nnplay.functions()).
func Functions() []any {
	all := core.All()
	out := make([]any, 0, len(all))
	for _, f := range all {
		ps := make([]any, 0, len(f.Params))
		for i := range f.Params {
			ps = append(ps, paramInfo(&f.Params[i]))
		}
		m := map[string]any{
			"id": f.ID, "name": f.Name, "class": f.Class, "torch": TorchName(f), "kind": string(f.Kind), "group": f.Group,
			"params": ps, "formula": f.Formula, "derivative": f.Derivative, "source": f.Source,
		}
		if f.Kind == core.Loss {
			in := make([]any, 0, len(f.Inputs))
			for _, li := range f.Inputs {
				in = append(in, li.Name)
			}
			m["inputs"] = in
		}
		out = append(out, m)
	}
	return out
}

func paramInfo(q *core.Param) map[string]any {
	m := map[string]any{
		"name": q.Name, "type": string(q.Type), "min": q.Min, "max": q.Max, "step": q.Step, "doc": q.Doc,
	}
	switch q.Type {
	case core.Bool:
		m["default"] = q.Default != 0
	case core.Choice:
		m["default"] = q.Choices[int(q.Default)]
		m["choices"] = core.Strs(q.Choices)
	case core.Vector:
		m["default"] = core.Nums(q.DefaultVec)
		m["minLen"] = q.MinLen
		m["maxLen"] = q.MaxLen
	default:
		m["default"] = q.Default
	}
	return m
}

// StateMap is nnplay.state(): {f, ...parameters} and, while there is a comparison, cmp: its
// series as {f, ...parameters that differ from their defaults} (absent when there is none, so
// that state() minus f is the parameters nnplay.evaluate takes).
func StateMap(s *view.State) map[string]any {
	m := map[string]any{"f": s.F.ID}
	if s.Lab != nil {
		m["lab"] = s.Lab.ID
	}
	for i := range s.F.Params {
		m[s.F.Params[i].Name] = view.ParamValue(s.F, s.P, i)
	}
	if len(s.Cmp) > 0 {
		m["cmp"], _ = s.Get("cmp")
	}
	return m
}

// ViewMap is nnplay.view(): every view key of the function shown, by URL key, with its value
// (view.Key.Value).
func ViewMap(s *view.State) map[string]any {
	m := map[string]any{}
	for _, k := range s.ViewKeys() {
		m[k.Name] = k.Value(s)
	}
	return m
}

// ViewsInfo is nnplay.views(): the views shown, each {id, renderer, title, keys: [{name,
// type, control, label, min, max, choices?}]}, from core/view's registry.
func ViewsInfo(s *view.State) []any {
	vs := s.Views()
	out := make([]any, 0, len(vs))
	for _, v := range vs {
		keys := make([]any, 0, len(v.Keys))
		for _, k := range v.Keys {
			if k.Applies != nil && !k.Applies(s.F) {
				continue
			}
			km := map[string]any{"name": k.Name, "type": keyTypeName(k.Type), "control": controlName(k.Control), "label": k.LabelText(s.F)}
			if k.Type == view.Number || k.Type == view.Integer || k.Type == view.List {
				lo, hi := k.RangeOf(s)
				km["min"], km["max"] = lo, hi
			}
			if k.Type == view.Choice {
				km["choices"] = core.Strs(k.Choices)
			}
			keys = append(keys, km)
		}
		out = append(out, map[string]any{"id": v.ID, "renderer": v.Renderer, "title": v.Title, "keys": keys})
	}
	return out
}

func keyTypeName(t view.KeyType) string {
	return [...]string{"number", "integer", "list", "choice", "series", "text"}[t]
}

func controlName(c view.Control) string {
	return [...]string{"none", "slider", "box", "select", "list", "series", "pin"}[c]
}

// ApplyState is nnplay.setState: it changes the function (when f names another one: its
// defaults first) and the given parameters and view keys, all or nothing, with the checks of
// the controls: a number must be finite and in its slider's range, as in the typed boxes
// (nnplay.evaluate takes any value PyTorch accepts); view keys get the URL's checks through
// view.State's typed setters (a range's two bounds are set together). It returns the change's
// number, or the error the UI shows.
func (a *App) ApplyState(m map[string]any) (int, error) {
	s := a.S.Clone()
	if v, ok := m["lab"]; ok {
		id, isStr := v.(string)
		if v != nil && !isStr {
			return 0, &core.ParamError{Param: "lab", Msg: "lab must be a lab's id (a string), or null for the function page, got " + core.Describe(v)}
		}
		var lab *view.Lab
		if id != "" {
			if lab = view.LabByID(id); lab == nil {
				return 0, &core.ParamError{Param: "lab", Msg: view.UnknownLabMsg(id)}
			}
		}
		if lab != s.Lab {
			s = view.DefaultLab(lab, s.F)
		}
	}
	if v, ok := m["f"]; ok {
		id, isStr := v.(string)
		if !isStr {
			return 0, &core.ParamError{Param: "f", Msg: "f must be a function id (a string), got " + core.Describe(v)}
		}
		f, ok := core.Lookup(id)
		if !ok {
			return 0, &core.ParamError{Param: "f", Msg: "unknown function " + strconv.Quote(core.ClipShown(id))}
		}
		if !view.AppliesIn(s.Lab, f) {
			return 0, &core.ParamError{Param: "f", Msg: view.NotInLabMsg(s.Lab, f)}
		}
		if f != s.F {
			s.SetFunc(f)
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		if k != "f" && k != "lab" {
			keys = append(keys, k)
		}
	}
	core.SortStrings(keys)
	for _, k := range keys {
		if i := s.F.ParamIndex(k); i >= 0 {
			if err := core.SetParamAny(s.F, &s.P, i, m[k]); err != nil {
				return 0, err
			}
			continue
		}
		if s.KeyFor(k) == nil {
			return 0, &core.ParamError{Param: k, Msg: unknownKey(&s, k)}
		}
	}
	if err := s.F.Check(s.P); err != nil {
		return 0, err // PyTorch's own message first (celu: "alpha cannot be 0")
	}
	for _, k := range keys {
		if i := s.F.ParamIndex(k); i >= 0 {
			if err := controlParam(s.F, s.P, i); err != nil {
				return 0, err
			}
		}
	}
	// the view keys in URL order, with the final parameters (the class count bounds a target)
	done := map[string]bool{}
	for _, k := range s.ViewKeys() {
		v, given := m[k.Name]
		if !given || done[k.Name] {
			continue
		}
		done[k.Name] = true
		if err := applyKey(&s, k, v, m, done); err != nil {
			return 0, err
		}
	}
	s.ClampKeys() // a target beyond a class count the new weights lowered, if t was not given
	changedFunc := s.F != a.S.F || s.Lab != a.S.Lab
	a.clearFieldState()
	a.urlProblems = nil
	seq := a.commit(s)
	if !changedFunc {
		a.syncCh = view.ChAll // the API may have set what a control shows as text
		a.syncControls("")
	}
	return seq, nil
}

// applyKey sets view key k of s from an API value v with its typed setter; a range's bound
// given with its pair (xmin with xmax) sets both at once.
func applyKey(s *view.State, k *view.Key, v any, m map[string]any, done map[string]bool) error {
	switch k.Type {
	case view.Number, view.Integer:
		x, err := core.NumberOf(k.Name, v)
		if err != nil {
			return err
		}
		if k.Pair != "" {
			if pv, ok := m[k.Pair]; ok {
				y, err := core.NumberOf(k.Pair, pv)
				if err != nil {
					return err
				}
				done[k.Pair] = true
				return s.SetPair(k.Name, x, k.Pair, y)
			}
		}
		return s.SetNumber(k.Name, x)
	case view.Choice:
		c, ok := v.(string)
		if !ok {
			return &core.ParamError{Param: k.Name, Msg: k.Name + " must be one of " + strings.Join(k.Choices, ", ") + ", got " + core.Describe(v)}
		}
		return s.SetChoice(k.Name, c)
	case view.Text:
		t, ok := v.(string)
		if !ok && v != nil {
			return &core.ParamError{Param: k.Name, Msg: k.Name + " must be a string (or null for none), got " + core.Describe(v)}
		}
		return s.SetText(k.Name, t)
	case view.List:
		list, ok := v.([]any)
		if !ok {
			return &core.ParamError{Param: k.Name, Msg: k.Name + " must be an array of numbers, got " + core.Describe(v)}
		}
		xs := make([]float64, len(list))
		for j, e := range list {
			x, err := core.NumberOf(k.Name+"["+strconv.Itoa(j)+"]", e)
			if err != nil {
				return err
			}
			xs[j] = x
		}
		return s.SetList(k.Name, xs)
	case view.SeriesList:
		list, ok := v.([]any)
		if !ok && v != nil {
			return &core.ParamError{Param: k.Name, Msg: k.Name + " must be an array of series such as [{f: 'tanh'}, {f: 'softplus', beta: 2}], got " + core.Describe(v)}
		}
		ss := make([]view.Series, 0, len(list))
		for j, e := range list {
			sm, ok := e.(map[string]any)
			if !ok {
				return &core.ParamError{Param: k.Name, Msg: k.Name + "[" + strconv.Itoa(j) + "] must be an object such as {f: 'tanh'}, got " + core.Describe(e)}
			}
			sr, err := view.SeriesFrom(s.F, sm)
			if err != nil {
				return &core.ParamError{Param: k.Name, Msg: "cmp[" + strconv.Itoa(j) + "]: " + err.Error()}
			}
			ss = append(ss, sr)
		}
		return s.SetSeries(k.Name, ss)
	}
	return nil
}

// controlParam checks parameter i of p against its control, as a typed box does: a number
// (or each element of a vector) finite and in the slider's range.
func controlParam(f *core.Func, p core.Params, i int) error {
	q := &f.Params[i]
	switch q.Type {
	case core.Real, core.Int:
		return controlRange(f, q.Name, p.Num[i], q.Min, q.Max)
	case core.Vector:
		for j, x := range p.Vec[i] {
			if err := controlRange(f, q.Name+"."+strconv.Itoa(j), x, q.Min, q.Max); err != nil {
				return err
			}
		}
	}
	return nil
}
