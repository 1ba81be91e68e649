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

// paramValue returns parameter i of p as the API shows it.
func paramValue(f *core.Func, p core.Params, i int) any {
	q := &f.Params[i]
	switch q.Type {
	case core.Bool:
		return p.Num[i] != 0
	case core.Choice:
		return f.ChoiceOf(p, i)
	case core.Vector:
		return core.Nums(p.Vec[i])
	}
	return p.Num[i]
}

// StateMap is nnplay.state(): {f, ...parameters}.
func StateMap(s *view.State) map[string]any {
	m := map[string]any{"f": s.F.ID}
	for i := range s.F.Params {
		m[s.F.Params[i].Name] = paramValue(s.F, s.P, i)
	}
	return m
}

// ViewMap is nnplay.view(): the view keys of the URL with their values.
func ViewMap(s *view.State) map[string]any {
	m := map[string]any{}
	for _, k := range view.Keys(s.F)[len(s.F.Params):] {
		switch k {
		case "xmin":
			m[k] = s.XMin
		case "xmax":
			m[k] = s.XMax
		case "t":
			m[k] = s.T
		case "px":
			m[k] = s.PX
		case "py":
			m[k] = s.PY
		case "x":
			m[k] = core.Nums(s.In)
		}
	}
	return m
}

// ApplyState is nnplay.setState: it changes the function (when f names another one: its
// defaults first) and the given parameters and view keys, all or nothing, with the checks of
// the controls: a number must be finite and in its slider's range, as in the typed boxes
// (nnplay.evaluate takes any value PyTorch accepts); view keys get the URL's checks. It returns the change's number, or the error the UI shows.
func (a *App) ApplyState(m map[string]any) (int, error) {
	s := a.S.Clone()
	if v, ok := m["f"]; ok {
		id, isStr := v.(string)
		if !isStr {
			return 0, &core.ParamError{Param: "f", Msg: "f must be a function id (a string), got " + core.Describe(v)}
		}
		f, ok := core.Lookup(id)
		if !ok {
			return 0, &core.ParamError{Param: "f", Msg: "unknown function " + strconv.Quote(clip(id))}
		}
		if f != s.F {
			s.SetFunc(f)
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		if k != "f" {
			keys = append(keys, k)
		}
	}
	sortStrings(keys)
	xmin, xmax := s.XMin, s.XMax
	for _, k := range keys {
		v := m[k]
		if i := s.F.ParamIndex(k); i >= 0 {
			if err := core.SetParamAny(s.F, &s.P, i, v); err != nil {
				return 0, err
			}
			continue
		}
		if !contains(view.Keys(s.F), k) {
			return 0, &core.ParamError{Param: k, Msg: unknownKey(s.F, k)}
		}
		switch k {
		case "xmin", "xmax":
			x, err := core.NumberOf(k, v)
			if err != nil {
				return 0, err
			}
			if k == "xmin" {
				xmin = x
			} else {
				xmax = x
			}
		case "x":
			list, ok := v.([]any)
			if !ok {
				return 0, &core.ParamError{Param: k, Msg: "x must be an array of numbers, got " + core.Describe(v)}
			}
			parts := make([]string, len(list))
			for j, e := range list {
				x, err := core.NumberOf("x["+strconv.Itoa(j)+"]", e)
				if err != nil {
					return 0, err
				}
				parts[j] = strconv.FormatFloat(x, 'g', -1, 64)
			}
			if err := s.Set("x", strings.Join(parts, ",")); err != nil {
				return 0, err
			}
		default:
			x, err := core.NumberOf(k, v)
			if err != nil {
				return 0, err
			}
			if err := s.Set(k, strconv.FormatFloat(x, 'g', -1, 64)); err != nil {
				return 0, err
			}
		}
	}
	if xmin != s.XMin || xmax != s.XMax {
		if err := s.SetXRange(xmin, xmax); err != nil {
			return 0, err
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
	if _, hasT := m["t"]; hasT {
		// again, with the final class weights: the class count bounds a class-index target
		if err := s.Set("t", strconv.FormatFloat(s.T, 'g', -1, 64)); err != nil {
			return 0, err
		}
	} else {
		s.ClampT()
	}
	changedFunc := s.F != a.S.F
	a.S = s
	a.clearFieldState()
	a.urlProblems = nil
	if changedFunc {
		return a.change(dAll), nil
	}
	a.syncControls("")
	return a.change(dAll &^ dMeta), nil
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

// Small helpers instead of sort and slices: their generic instantiations cost about 20 KB of
// wasm code for a few short lists.

func sortStrings(a []string) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

func index(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func contains(list []string, s string) bool { return index(list, s) >= 0 }
