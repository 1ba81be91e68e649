package core

import (
	"math"
	"strconv"
	"strings"
)

// This file evaluates a function on plain Go values, the ones a JavaScript bridge produces
// from JSON-like data: float64, string, bool, nil, []any and map[string]any. It is the body of
// the page's nnplay.evaluate and of its parameter checks, kept here so that it is tested
// natively with the functions themselves. Every error is a *ParamError whose Msg is the text
// the user sees; values quoted in a message are truncated to maxShownLen bytes.
// Like the rest of core, it uses neither fmt nor sort's generic helpers: the wasm stays small.

// maxShownLen is the longest piece of user text (a key, a string value) copied into a message,
// in bytes: the same as view.MaxShownLen, which the URL's messages use.
const maxShownLen = 64

// Evaluate evaluates the function id with params on x and returns the result as plain values.
//
// params is nil or an object {<parameter name>: value} (values as SetParamAny takes them; the
// others keep their defaults). What x is depends on the function's Kind:
//
//   - Activation: x is a number or a nested array of numbers (ragged is fine); the result is
//     {value, grad} with x's structure, grad being f′ at each element.
//   - VectorActivation: x is an array of numbers, the vector, or a nested array of vectors,
//     evaluated along the last dimension; the result is {value, grad} with value the output
//     vector(s) and grad the vector-Jacobian product with ones, of the input's length.
//   - Loss: x is an object {<input name>: tensor, ..., reduction?}, each tensor a number or a
//     rectangular nested array (ToTensor); a "reduction" there overrides the one in params.
//     The result is {loss, grad[, notes]}: loss a number (or the per-sample array for
//     reduction "none"), grad an array for a loss with one differentiable input and an object
//     keyed by input name for several, notes an array of strings when there are any.
//
// The errors are *ParamError: an unknown function or parameter, a parameter value of the wrong
// type or rejected by Func.Check (PyTorch's own message, as "alpha cannot be 0" for celu), an
// x of the wrong shape for the kind, a missing or unknown loss input, and whatever Func.OutLen
// or Func.Loss returns. Slider ranges are not applied: any value PyTorch accepts is evaluated.
func Evaluate(id string, params any, x any) (any, error) {
	f, ok := Lookup(id)
	if !ok {
		return nil, &ParamError{Param: "f", Msg: "unknown function " + strconv.Quote(ClipShown(id))}
	}
	pm, ok := params.(map[string]any)
	if params == nil {
		pm, ok = map[string]any{}, true
	}
	if !ok {
		return nil, &ParamError{Msg: "params must be an object, got " + Describe(params)}
	}
	if f.Kind == Loss {
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
	p, err := ParamsFrom(f, pm)
	if err != nil {
		return nil, err
	}
	switch f.Kind {
	case Activation:
		return evaluateScalar(f, p, x)
	case VectorActivation:
		return evaluateVector(f, p, x)
	}
	return evaluateLoss(f, p, x)
}

// evaluateScalar is Evaluate for an Activation.
func evaluateScalar(f *Func, p Params, x any) (any, error) {
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
		return nil, nil, &ParamError{Msg: "xs" + path + " must be a number or an array of numbers, got " + Describe(v)}
	}
	y, d, err := walk(x, "")
	if err != nil {
		return nil, err
	}
	return map[string]any{"value": y, "grad": d}, nil
}

// evaluateVector is Evaluate for a VectorActivation.
func evaluateVector(f *Func, p Params, x any) (any, error) {
	var walk func(v any, path string) (any, any, error)
	walk = func(v any, path string) (any, any, error) {
		list, ok := v.([]any)
		if !ok {
			return nil, nil, &ParamError{Msg: "xs" + path + " must be an array of numbers (the vector), got " + Describe(v)}
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
				return nil, nil, &ParamError{Msg: "xs" + path + "[" + strconv.Itoa(i) + "] must be a number, got " + Describe(e)}
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
		return Nums(y), Nums(g), nil
	}
	y, d, err := walk(x, "")
	if err != nil {
		return nil, err
	}
	return map[string]any{"value": y, "grad": d}, nil
}

// evaluateLoss is Evaluate for a Loss.
func evaluateLoss(f *Func, p Params, x any) (any, error) {
	xm, ok := x.(map[string]any)
	if !ok {
		return nil, &ParamError{Msg: f.ID + " takes an object {" + inputNames(f) + "}, got " + Describe(x)}
	}
	for k := range xm {
		if k == "reduction" {
			continue
		}
		if !hasInput(f, k) {
			return nil, &ParamError{Param: k, Msg: "unknown input " + strconv.Quote(ClipShown(k)) + " for " + f.ID + " (it takes " + inputNames(f) + ")"}
		}
	}
	in := make(map[string]Tensor, len(f.Inputs))
	var diff []string
	for _, li := range f.Inputs {
		if li.Differentiable {
			diff = append(diff, li.Name)
		}
		v, has := xm[li.Name]
		if !has || v == nil {
			return nil, &ParamError{Param: li.Name, Msg: f.ID + " needs " + li.Name + " (" + li.Doc + ")"}
		}
		t, err := ToTensor(li.Name, v)
		if err != nil {
			return nil, err
		}
		in[li.Name] = t
	}
	res, err := f.Loss(p, in)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"loss": FromTensor(res.Loss)}
	if len(diff) == 1 {
		out["grad"] = FromTensor(res.Grad[diff[0]])
	} else {
		g := map[string]any{}
		for _, name := range diff {
			if t, ok := res.Grad[name]; ok {
				g[name] = FromTensor(t)
			}
		}
		out["grad"] = g
	}
	if len(res.Notes) > 0 {
		out["notes"] = Strs(res.Notes)
	}
	return out, nil
}

// inputNames lists f's loss inputs for a message: "input, target".
func inputNames(f *Func) string {
	names := make([]string, len(f.Inputs))
	for i, li := range f.Inputs {
		names[i] = li.Name
	}
	return strings.Join(names, ", ")
}

func hasInput(f *Func, name string) bool {
	for _, li := range f.Inputs {
		if li.Name == name {
			return true
		}
	}
	return false
}

// ToTensor converts the value v of the input name to a Tensor: a number gives shape [], a
// nested array of numbers the shape of its nesting, read along the first element of each level
// ([[1, 2, 3], [4, 5, 6]] is (2, 3); [] is (0)). Booleans read as 0 and 1.
//
// The errors are *ParamError for name: an element that is not a number ("<name> must hold
// numbers, got ..."), or an array that is not rectangular ("<name> is not rectangular: every
// row must have the same length (its shape starts (2, 3))").
func ToTensor(name string, v any) (Tensor, error) {
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
				return &ParamError{Param: name, Msg: name + " must hold numbers, got " + Describe(w)}
			}
			data = append(data, x)
			return nil
		}
		list, ok := w.([]any)
		if !ok || len(list) != shape[depth] {
			return &ParamError{Param: name, Msg: name + " is not rectangular: every row must have the same length (its shape starts " + shapeText(shape) + ")"}
		}
		for _, e := range list {
			if err := walk(e, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(v, 0); err != nil {
		return Tensor{}, err
	}
	return Tensor{Shape: shape, Data: data}, nil
}

// shapeText writes a shape as Python writes a tuple of two or more: (2, 3).
func shapeText(shape []int) string {
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = strconv.Itoa(d)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// FromTensor converts t to a plain value: a float64 for shape [], nested []any of float64 for
// the others (ToTensor's inverse). Elements missing from t.Data read as NaN.
func FromTensor(t Tensor) any {
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

// ParamsFrom builds f's parameters from the object m {<parameter name>: value}: the defaults,
// then the values of m in the order of their names (each as SetParamAny takes it), then
// f.Check. The errors are *ParamError: an unknown name ("unknown parameter "foo" for elu (it
// takes alpha)"), SetParamAny's, and Check's. The Params are returned with the error too.
func ParamsFrom(f *Func, m map[string]any) (Params, error) {
	p := f.Defaults()
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	SortStrings(keys)
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
			return p, &ParamError{Param: k, Msg: "unknown parameter " + strconv.Quote(ClipShown(k)) + " for " + f.ID + " (it takes " + takes + ")"}
		}
		if err := SetParamAny(f, &p, i, m[k]); err != nil {
			return p, err
		}
	}
	return p, f.Check(p)
}

// SetParamAny sets parameter i of p from the value v (an API value or a control's text):
//
//   - Real and Int: a finite number, or a string holding one (NumberOf);
//   - Bool: true or false, the numbers 0 and 1, or the strings "true", "True", "1", "false",
//     "False" and "0";
//   - Choice: one of the choice strings;
//   - Vector: an array of finite numbers (or numeric strings), or nil for PyTorch's None.
//
// Anything else is a *ParamError for the parameter ("alpha must be a number, got null",
// "reduction must be one of none, mean, sum, got "avg""); p is then unchanged. Slider ranges
// are not applied, and f.Check is the caller's.
func SetParamAny(f *Func, p *Params, i int, v any) error {
	q := &f.Params[i]
	switch q.Type {
	case Real, Int:
		x, err := NumberOf(q.Name, v)
		if err != nil {
			return err
		}
		p.Num[i] = x
	case Bool:
		switch b := v.(type) {
		case bool:
			p.Num[i] = b2f(b)
		case float64:
			if b != 0 && b != 1 {
				return &ParamError{Param: q.Name, Msg: q.Name + " must be true or false, got " + Describe(v)}
			}
			p.Num[i] = b
		case string:
			switch b {
			case "true", "True", "1":
				p.Num[i] = 1
			case "false", "False", "0":
				p.Num[i] = 0
			default:
				return &ParamError{Param: q.Name, Msg: q.Name + " must be true or false, got " + Describe(v)}
			}
		default:
			return &ParamError{Param: q.Name, Msg: q.Name + " must be true or false, got " + Describe(v)}
		}
	case Choice:
		s, ok := v.(string)
		k := indexOf(q.Choices, s)
		if !ok || k < 0 {
			return &ParamError{Param: q.Name, Msg: q.Name + " must be one of " + strings.Join(q.Choices, ", ") + ", got " + Describe(v)}
		}
		p.Num[i] = float64(k)
	case Vector:
		if v == nil {
			p.Vec[i] = nil
			return nil
		}
		list, ok := v.([]any)
		if !ok {
			return &ParamError{Param: q.Name, Msg: q.Name + " must be an array of numbers or null, got " + Describe(v)}
		}
		out := make([]float64, len(list))
		for j, e := range list {
			x, err := NumberOf(q.Name+"["+strconv.Itoa(j)+"]", e)
			if err != nil {
				return err
			}
			out[j] = x
		}
		p.Vec[i] = out
	}
	return nil
}

// NumberOf reads the number named name from the value v: a finite float64, or a string that
// ParseNumber reads. The errors are *ParamError for name: "<name> must be a finite number, got
// NaN" (or +∞, −∞) for a float64, with a field key's element shown as the user sees it
// ("weight.2" as "weight[2]"); ParseNumber's for a string; "<name> must be a number, got ..."
// (Describe) for a value of another type.
func NumberOf(name string, v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		if !isFinite(x) {
			return 0, &ParamError{Param: name, Msg: DisplayKey(name) + " must be a finite number, got " + ShortNum(x)}
		}
		return x, nil
	case string:
		return ParseNumber(name, x)
	}
	return 0, &ParamError{Param: name, Msg: name + " must be a number, got " + Describe(v)}
}

// ParseNumber reads text as Python's float() reads a number, after trimming spaces and turning
// a minus sign pasted from the page ('−') into '-'. Underflow (1e-999) reads as ±0.
//
// The errors are *ParamError for name: "<name> is empty: type a number", "<name> must be a
// number, got "abc"", and "<name> must be a finite number, got "1e999"" for NaN, the
// infinities and overflow, since no control shows them.
func ParseNumber(name, text string) (float64, error) {
	t := strings.TrimSpace(text)
	t = strings.ReplaceAll(t, "−", "-") // a minus sign pasted from the page
	v, err := strconv.ParseFloat(t, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange && !math.IsInf(v, 0) {
			return v, nil // underflow to ±0
		}
		if t == "" {
			return 0, &ParamError{Param: name, Msg: name + " is empty: type a number"}
		}
		if err.(*strconv.NumError).Err != strconv.ErrRange {
			return 0, &ParamError{Param: name, Msg: name + " must be a number, got " + strconv.Quote(ClipShown(text))}
		}
	}
	if !isFinite(v) {
		return 0, &ParamError{Param: name, Msg: name + " must be a finite number, got " + strconv.Quote(ClipShown(text))}
	}
	return v, nil
}

// Describe shows the value v in a message: null, a quoted string (its first 64 bytes and "…"),
// a number as Python prints it (2.0, nan), true or false, "an array", "an object", and
// "a value of another type" for anything else.
func Describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(ClipShown(x))
	case float64:
		return PyFloat(x)
	case bool:
		return strconv.FormatBool(x)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "a value of another type"
}

// Nums returns v as a []any of float64, the form Evaluate's results take; nil stays nil (a
// Vector parameter's None).
func Nums(v []float64) any {
	if v == nil {
		return nil
	}
	out := make([]any, len(v))
	for i, x := range v {
		out[i] = x
	}
	return out
}

// Strs returns v as a []any of string.
func Strs(v []string) []any {
	out := make([]any, len(v))
	for i, s := range v {
		out[i] = s
	}
	return out
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// ClipShown truncates user text for a message to maxShownLen bytes, marking the cut with "…".
func ClipShown(s string) string {
	if len(s) > maxShownLen {
		return s[:maxShownLen] + "…"
	}
	return s
}

// DisplayKey turns a field key ("weight.2", "x.0") into the name shown to the user
// ("weight[2]").
func DisplayKey(key string) string {
	if i := strings.IndexByte(key, '.'); i >= 0 {
		return key[:i] + "[" + key[i+1:] + "]"
	}
	return key
}

// ShortNum formats v for a message: up to 6 significant digits, NaN, +∞ and −∞.
func ShortNum(v float64) string {
	switch {
	case v != v:
		return "NaN"
	case math.IsInf(v, 1):
		return "+∞"
	case math.IsInf(v, -1):
		return "−∞"
	case v == 0:
		return "0"
	}
	s := strconv.FormatFloat(v, 'g', 6, 64)
	if i := strings.Index(s, "e+"); i >= 0 {
		s = s[:i+1] + s[i+2:]
	}
	return s
}

// SortStrings sorts a short list in place: a helper instead of sort and slices, whose generic
// instantiations cost about 20 KB of wasm code for a few short lists.
func SortStrings(a []string) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}
