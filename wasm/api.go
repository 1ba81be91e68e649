package main

import (
	"math"
	"strconv"
	"strings"

	"github.com/nnplay/nnplay/core"
	"github.com/nnplay/nnplay/core/view"
)

// This file implements window.nnplay's operations on plain Go values: the JavaScript side
// converts js.Value to and from float64, string, bool, nil, []any and map[string]any
// (convert_js.go), so everything here is testable natively.

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
		m["choices"] = strs(q.Choices)
	case core.Vector:
		m["default"] = nums(q.DefaultVec)
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
		return nums(p.Vec[i])
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
			m[k] = nums(s.In)
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
			return 0, &core.ParamError{Param: "f", Msg: "f must be a function id (a string), got " + describe(v)}
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
			if err := setParamAny(s.F, &s.P, i, v); err != nil {
				return 0, err
			}
			continue
		}
		if !contains(view.Keys(s.F), k) {
			return 0, &core.ParamError{Param: k, Msg: unknownKey(s.F, k)}
		}
		switch k {
		case "xmin", "xmax":
			x, err := numberOf(k, v)
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
				return 0, &core.ParamError{Param: k, Msg: "x must be an array of numbers, got " + describe(v)}
			}
			parts := make([]string, len(list))
			for j, e := range list {
				x, err := numberOf("x["+strconv.Itoa(j)+"]", e)
				if err != nil {
					return 0, err
				}
				parts[j] = strconv.FormatFloat(x, 'g', -1, 64)
			}
			if err := s.Set("x", strings.Join(parts, ",")); err != nil {
				return 0, err
			}
		default:
			x, err := numberOf(k, v)
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

// setParamAny sets parameter i of p from an API value (or a control's text): a number (or
// numeric string) for Real and Int, a boolean (or "true"/"false", 0/1) for Bool, one of the
// choice strings for Choice, an array of numbers or null for Vector. Slider ranges are not
// applied; f.Check is the caller's.
func setParamAny(f *core.Func, p *core.Params, i int, v any) error {
	q := &f.Params[i]
	switch q.Type {
	case core.Real, core.Int:
		x, err := numberOf(q.Name, v)
		if err != nil {
			return err
		}
		p.Num[i] = x
	case core.Bool:
		switch b := v.(type) {
		case bool:
			p.Num[i] = b2f(b)
		case float64:
			if b != 0 && b != 1 {
				return &core.ParamError{Param: q.Name, Msg: q.Name + " must be true or false, got " + describe(v)}
			}
			p.Num[i] = b
		case string:
			switch b {
			case "true", "True", "1":
				p.Num[i] = 1
			case "false", "False", "0":
				p.Num[i] = 0
			default:
				return &core.ParamError{Param: q.Name, Msg: q.Name + " must be true or false, got " + describe(v)}
			}
		default:
			return &core.ParamError{Param: q.Name, Msg: q.Name + " must be true or false, got " + describe(v)}
		}
	case core.Choice:
		s, ok := v.(string)
		k := index(q.Choices, s)
		if !ok || k < 0 {
			return &core.ParamError{Param: q.Name, Msg: q.Name + " must be one of " + strings.Join(q.Choices, ", ") + ", got " + describe(v)}
		}
		p.Num[i] = float64(k)
	case core.Vector:
		if v == nil {
			p.Vec[i] = nil
			return nil
		}
		list, ok := v.([]any)
		if !ok {
			return &core.ParamError{Param: q.Name, Msg: q.Name + " must be an array of numbers or null, got " + describe(v)}
		}
		out := make([]float64, len(list))
		for j, e := range list {
			x, err := numberOf(q.Name+"["+strconv.Itoa(j)+"]", e)
			if err != nil {
				return err
			}
			out[j] = x
		}
		p.Vec[i] = out
	}
	return nil
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// numberOf reads a number from an API value: a number, or a string holding one.
func numberOf(name string, v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		if !finite(x) {
			return 0, &core.ParamError{Param: name, Msg: displayKey(name) + " must be a finite number, got " + short(x)}
		}
		return x, nil
	case string:
		return parseNumber(name, x)
	}
	return 0, &core.ParamError{Param: name, Msg: name + " must be a number, got " + describe(v)}
}

// describe shows an API value in a message.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(clip(x))
	case float64:
		return core.PyFloat(x)
	case bool:
		return strconv.FormatBool(x)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "a value of another type"
}

// paramsFrom builds a function's parameters from an API object: defaults, then the given
// values, then f.Check.
func paramsFrom(f *core.Func, m map[string]any) (core.Params, error) {
	p := f.Defaults()
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sortStrings(keys)
	for _, k := range keys {
		i := f.ParamIndex(k)
		if i < 0 {
			names := make([]string, len(f.Params))
			for j := range f.Params {
				names[j] = f.Params[j].Name
			}
			takes := "no parameters"
			if len(names) > 0 {
				takes = strings.Join(names, ", ")
			}
			return p, &core.ParamError{Param: k, Msg: "unknown parameter " + strconv.Quote(clip(k)) + " for " + f.ID + " (it takes " + takes + ")"}
		}
		if err := setParamAny(f, &p, i, m[k]); err != nil {
			return p, err
		}
	}
	return p, f.Check(p)
}

// Evaluate is nnplay.evaluate(id, params, x). For an activation x is a number or a (nested)
// array and the result is {value, grad} of the same shape; for a vector activation x is a
// vector (or an array of vectors, evaluated along the last dimension) and grad is the
// vector-Jacobian product with ones; for a loss x is {<input names>..., reduction?} and the
// result is {loss, grad[, notes]}, grad being an array for one differentiable input and an
// object keyed by input name for several.
func Evaluate(id string, params any, x any) (any, error) {
	f, ok := core.Lookup(id)
	if !ok {
		return nil, &core.ParamError{Param: "f", Msg: "unknown function " + strconv.Quote(clip(id))}
	}
	pm, ok := params.(map[string]any)
	if params == nil {
		pm, ok = map[string]any{}, true
	}
	if !ok {
		return nil, &core.ParamError{Msg: "params must be an object, got " + describe(params)}
	}
	if f.Kind == core.Loss {
		if xm, isMap := x.(map[string]any); isMap {
			if r, has := xm["reduction"]; has && f.ParamIndex("reduction") >= 0 {
				pm2 := make(map[string]any, len(pm)+1)
				for k, v := range pm {
					pm2[k] = v
				}
				pm2["reduction"] = r
				pm = pm2
			}
		}
	}
	p, err := paramsFrom(f, pm)
	if err != nil {
		return nil, err
	}
	switch f.Kind {
	case core.Activation:
		return evalScalar(f, p, x)
	case core.VectorActivation:
		return evalVector(f, p, x)
	}
	return evalLoss(f, p, x)
}

func evalScalar(f *core.Func, p core.Params, x any) (any, error) {
	var walk func(v any, path string) (any, any, error)
	walk = func(v any, path string) (any, any, error) {
		switch t := v.(type) {
		case float64:
			y, dy := f.Scalar(p, t)
			return y, dy, nil
		case []any:
			ys, ds := make([]any, len(t)), make([]any, len(t))
			for i, e := range t {
				y, d, err := walk(e, path+"["+strconv.Itoa(i)+"]")
				if err != nil {
					return nil, nil, err
				}
				ys[i], ds[i] = y, d
			}
			return ys, ds, nil
		}
		return nil, nil, &core.ParamError{Msg: "xs" + path + " must be a number or an array of numbers, got " + describe(v)}
	}
	y, d, err := walk(x, "")
	if err != nil {
		return nil, err
	}
	return map[string]any{"value": y, "grad": d}, nil
}

func evalVector(f *core.Func, p core.Params, x any) (any, error) {
	var walk func(v any, path string) (any, any, error)
	walk = func(v any, path string) (any, any, error) {
		list, ok := v.([]any)
		if !ok {
			return nil, nil, &core.ParamError{Msg: "xs" + path + " must be an array of numbers (the vector), got " + describe(v)}
		}
		if len(list) > 0 {
			if _, nested := list[0].([]any); nested {
				ys, ds := make([]any, len(list)), make([]any, len(list))
				for i, e := range list {
					y, d, err := walk(e, path+"["+strconv.Itoa(i)+"]")
					if err != nil {
						return nil, nil, err
					}
					ys[i], ds[i] = y, d
				}
				return ys, ds, nil
			}
		}
		in := make([]float64, len(list))
		for i, e := range list {
			n, isNum := e.(float64)
			if !isNum {
				return nil, nil, &core.ParamError{Msg: "xs" + path + "[" + strconv.Itoa(i) + "] must be a number, got " + describe(e)}
			}
			in[i] = n
		}
		m, err := f.OutLen(len(in))
		if err != nil {
			return nil, nil, err
		}
		y, g := make([]float64, m), make([]float64, len(in))
		if len(in) > 0 {
			f.Vector(p, in, y, g)
		}
		return nums(y), nums(g), nil
	}
	y, d, err := walk(x, "")
	if err != nil {
		return nil, err
	}
	return map[string]any{"value": y, "grad": d}, nil
}

func evalLoss(f *core.Func, p core.Params, x any) (any, error) {
	xm, ok := x.(map[string]any)
	if !ok {
		return nil, &core.ParamError{Msg: f.ID + " takes an object {" + inputNames(f) + "}, got " + describe(x)}
	}
	for k := range xm {
		if k == "reduction" {
			continue
		}
		if !hasInput(f, k) {
			return nil, &core.ParamError{Param: k, Msg: "unknown input " + strconv.Quote(clip(k)) + " for " + f.ID + " (it takes " + inputNames(f) + ")"}
		}
	}
	in := make(map[string]core.Tensor, len(f.Inputs))
	var diff []string
	for _, li := range f.Inputs {
		if li.Differentiable {
			diff = append(diff, li.Name)
		}
		v, has := xm[li.Name]
		if !has || v == nil {
			return nil, &core.ParamError{Param: li.Name, Msg: f.ID + " needs " + li.Name + " (" + li.Doc + ")"}
		}
		t, err := toTensor(li.Name, v)
		if err != nil {
			return nil, err
		}
		in[li.Name] = t
	}
	res, err := f.Loss(p, in)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"loss": fromTensor(res.Loss)}
	if len(diff) == 1 {
		out["grad"] = fromTensor(res.Grad[diff[0]])
	} else {
		g := map[string]any{}
		for _, name := range diff {
			if t, ok := res.Grad[name]; ok {
				g[name] = fromTensor(t)
			}
		}
		out["grad"] = g
	}
	if len(res.Notes) > 0 {
		out["notes"] = strs(res.Notes)
	}
	return out, nil
}

func inputNames(f *core.Func) string {
	names := make([]string, len(f.Inputs))
	for i, li := range f.Inputs {
		names[i] = li.Name
	}
	return strings.Join(names, ", ")
}

// toTensor converts a number or a rectangular nested array of numbers to a Tensor.
func toTensor(name string, v any) (core.Tensor, error) {
	var shape []int
	for w := v; ; {
		list, ok := w.([]any)
		if !ok {
			break
		}
		shape = append(shape, len(list))
		if len(list) == 0 {
			break
		}
		w = list[0]
	}
	if shape == nil {
		shape = []int{}
	}
	n := 1
	for _, d := range shape {
		n *= d
	}
	data := make([]float64, 0, n)
	var walk func(w any, depth int) error
	walk = func(w any, depth int) error {
		if depth == len(shape) {
			x, ok := w.(float64)
			if !ok {
				if b, isBool := w.(bool); isBool {
					x, ok = b2f(b), true
				}
			}
			if !ok {
				return &core.ParamError{Param: name, Msg: name + " must hold numbers, got " + describe(w)}
			}
			data = append(data, x)
			return nil
		}
		list, ok := w.([]any)
		if !ok || len(list) != shape[depth] {
			return &core.ParamError{Param: name, Msg: name + " is not rectangular: every row must have the same length (its shape starts " + shapeString(shape) + ")"}
		}
		for _, e := range list {
			if err := walk(e, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(v, 0); err != nil {
		return core.Tensor{}, err
	}
	return core.Tensor{Shape: shape, Data: data}, nil
}

func shapeString(shape []int) string {
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = strconv.Itoa(d)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// fromTensor converts a Tensor to a number (shape []) or a nested array.
func fromTensor(t core.Tensor) any {
	if len(t.Shape) == 0 {
		if len(t.Data) == 0 {
			return math.NaN()
		}
		return t.Data[0]
	}
	var build func(depth, off int) any
	build = func(depth, off int) any {
		n := t.Shape[depth]
		out := make([]any, n)
		stride := 1
		for _, d := range t.Shape[depth+1:] {
			stride *= d
		}
		for i := range n {
			if depth == len(t.Shape)-1 {
				if off+i < len(t.Data) {
					out[i] = t.Data[off+i]
				} else {
					out[i] = math.NaN()
				}
			} else {
				out[i] = build(depth+1, off+i*stride)
			}
		}
		return out
	}
	return build(0, 0)
}

func nums(v []float64) any {
	if v == nil {
		return nil
	}
	out := make([]any, len(v))
	for i, x := range v {
		out[i] = x
	}
	return out
}

func strs(v []string) []any {
	out := make([]any, len(v))
	for i, s := range v {
		out[i] = s
	}
	return out
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

func hasInput(f *core.Func, name string) bool {
	for _, li := range f.Inputs {
		if li.Name == name {
			return true
		}
	}
	return false
}
