package core

import (
	"math"
	"strings"
	"testing"
)

// The expected values of these tests are worked by hand from the definitions (elu, mse_loss)
// or are the edge-case reference's (E09); the messages are the ones the page shows, which the
// browser tests check too.

func TestEvaluate(t *testing.T) {
	v, err := Evaluate("elu", map[string]any{"alpha": 2.0}, []any{-1.0, 0.0, []any{1.0}})
	if err != nil {
		t.Fatal(err)
	}
	m := v.(map[string]any)
	val, grad := m["value"].([]any), m["grad"].([]any)
	if val[1] != 0.0 || grad[1] != 2.0 || val[2].([]any)[0] != 1.0 {
		t.Errorf("elu: %v", m)
	}
	// E09: cross_entropy with logits [-inf, 0, 0], target 1
	v, err = Evaluate("cross_entropy", nil, map[string]any{"input": []any{[]any{math.Inf(-1), 0.0, 0.0}}, "target": []any{1.0}})
	if err != nil {
		t.Fatal(err)
	}
	m = v.(map[string]any)
	if l := m["loss"].(float64); math.Abs(l-math.Ln2) > 1e-15 {
		t.Errorf("cross_entropy loss = %v", l)
	}
	g := m["grad"].([]any)[0].([]any)
	if g[0] != 0.0 || math.Abs(g[1].(float64)+0.5) > 1e-15 || math.Abs(g[2].(float64)-0.5) > 1e-15 {
		t.Errorf("cross_entropy grad = %v", g)
	}
	v, err = Evaluate("mse_loss", map[string]any{}, map[string]any{"input": []any{1.0, 2.0}, "target": []any{0.0, 0.0}, "reduction": "none"})
	if err != nil {
		t.Fatal(err)
	}
	if l := v.(map[string]any)["loss"].([]any); l[0] != 1.0 || l[1] != 4.0 {
		t.Errorf("mse none = %v", l)
	}
	v, err = Evaluate("triplet_margin_loss", nil, map[string]any{"anchor": []any{[]any{0.0, 0.0}}, "positive": []any{[]any{1.0, 0.0}}, "negative": []any{[]any{0.0, 2.0}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := v.(map[string]any)["grad"].(map[string]any)["anchor"]; !ok {
		t.Errorf("triplet grad has no anchor: %v", v)
	}
	// A vector activation: one vector, and a batch of them along the last dimension.
	v, err = Evaluate("softmax", nil, []any{0.0, 0.0})
	if err != nil {
		t.Fatal(err)
	}
	if y := v.(map[string]any)["value"].([]any); len(y) != 2 || y[0] != 0.5 || y[1] != 0.5 {
		t.Errorf("softmax [0, 0] = %v", v)
	}
	v, err = Evaluate("glu", nil, []any{[]any{1.0, 0.0}, []any{2.0, 0.0}})
	if err != nil {
		t.Fatal(err)
	}
	if y := v.(map[string]any)["value"].([]any); len(y) != 2 || y[1].([]any)[0] != 1.0 {
		t.Errorf("glu batch = %v", v)
	}
}

// Every error of Evaluate, with the start (or the whole) of its message.
func TestEvaluateErrors(t *testing.T) {
	for _, c := range []struct {
		id     string
		params any
		x      any
		want   string
	}{
		{"celu", map[string]any{"alpha": 0.0}, []any{1.0}, "ZeroDivisionError: alpha cannot be 0 for CELU"},
		{"elu", map[string]any{"foo": 1.0}, []any{1.0}, `unknown parameter "foo" for elu (it takes alpha)`},
		{"relu", map[string]any{"foo": 1.0}, []any{1.0}, `unknown parameter "foo" for relu (it takes no parameters)`},
		{"nope", nil, []any{1.0}, `unknown function "nope"`},
		{"elu", []any{}, 1.0, "params must be an object, got an array"},
		{"mse_loss", nil, map[string]any{"input": []any{1.0}, "target": []any{1.0}, "reduction": "avg"}, "reduction must be one of"},
		{"mse_loss", nil, map[string]any{"input": []any{[]any{1.0}, []any{1.0, 2.0}}, "target": []any{1.0}}, "input is not rectangular: every row must have the same length (its shape starts (2, 1))"},
		{"mse_loss", nil, map[string]any{"input": []any{1.0}}, "mse_loss needs target"},
		{"mse_loss", nil, map[string]any{"input": 1.0, "target": 1.0, "weight": 1.0}, `unknown input "weight" for mse_loss (it takes input, target)`},
		{"mse_loss", nil, []any{1.0}, "mse_loss takes an object {input, target}, got an array"},
		{"elu", nil, "x", `xs must be a number or an array of numbers, got "x"`},
		{"elu", nil, []any{1.0, []any{nil}}, "xs[1][0] must be a number or an array of numbers, got null"},
		{"softmax", nil, 1.0, "xs must be an array of numbers (the vector), got 1.0"},
		{"softmax", nil, []any{1.0, true}, "xs[1] must be a number, got true"},
		{"glu", nil, []any{1.0, 2.0, 3.0}, "Halving dimension must be even, but dimension 0 is size 3"},
	} {
		_, err := Evaluate(c.id, c.params, c.x)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("Evaluate(%s, %v, %v) error = %v, want %q", c.id, c.params, c.x, err, c.want)
		}
		if _, ok := err.(*ParamError); err != nil && !ok {
			t.Errorf("Evaluate(%s, %v, %v) error is a %T, want *ParamError", c.id, c.params, c.x, err)
		}
	}
}

func TestToTensorShapes(t *testing.T) {
	tt, err := ToTensor("x", []any{[]any{1.0, 2.0, 3.0}, []any{4.0, 5.0, 6.0}})
	if err != nil || len(tt.Shape) != 2 || tt.Shape[0] != 2 || tt.Shape[1] != 3 || tt.Data[5] != 6 {
		t.Fatalf("%+v %v", tt, err)
	}
	back := FromTensor(tt).([]any)
	if back[1].([]any)[2] != 6.0 {
		t.Errorf("round trip %v", back)
	}
	if s, _ := ToTensor("x", 3.0); len(s.Shape) != 0 || FromTensor(s) != 3.0 {
		t.Errorf("scalar %+v", s)
	}
	if s, err := ToTensor("x", []any{}); err != nil || len(s.Shape) != 1 || s.Shape[0] != 0 || len(FromTensor(s).([]any)) != 0 {
		t.Errorf("empty %+v %v", s, err)
	}
	if s, err := ToTensor("target", []any{true, false}); err != nil || s.Data[0] != 1 || s.Data[1] != 0 {
		t.Errorf("booleans %+v %v", s, err)
	}
	// Elements missing from Data read as NaN.
	if v := FromTensor(Tensor{Shape: []int{2}, Data: []float64{1}}).([]any); v[0] != 1.0 || !math.IsNaN(v[1].(float64)) {
		t.Errorf("short data %v", v)
	}
	if v := FromTensor(Tensor{Shape: []int{}}).(float64); !math.IsNaN(v) {
		t.Errorf("scalar without data %v", v)
	}
}

func TestToTensorErrors(t *testing.T) {
	for _, c := range []struct {
		v    any
		want string
	}{
		{"1", `input must hold numbers, got "1"`},
		{[]any{1.0, nil}, "input must hold numbers, got null"},
		{[]any{[]any{1.0, 2.0, 3.0}, []any{1.0}}, "input is not rectangular: every row must have the same length (its shape starts (2, 3))"},
		{[]any{[]any{1.0}, 2.0}, "input is not rectangular: every row must have the same length (its shape starts (2, 1))"},
	} {
		_, err := ToTensor("input", c.v)
		if err == nil || err.Error() != c.want {
			t.Errorf("ToTensor(%v) error = %v, want %q", c.v, err, c.want)
		}
		if pe, ok := err.(*ParamError); !ok || pe.Param != "input" {
			t.Errorf("ToTensor(%v) error %#v is not a *ParamError for input", c.v, err)
		}
	}
}

func TestParamsFrom(t *testing.T) {
	f, _ := Lookup("cross_entropy")
	p, err := ParamsFrom(f, map[string]any{"reduction": "sum", "weight": []any{1.0, "2"}, "ignore_index": "0"})
	if err != nil {
		t.Fatal(err)
	}
	if f.ChoiceOf(p, f.ParamIndex("reduction")) != "sum" || p.Vec[f.ParamIndex("weight")][1] != 2 || p.Num[f.ParamIndex("ignore_index")] != 0 {
		t.Errorf("cross_entropy params %+v", p)
	}
	if p, err = ParamsFrom(f, map[string]any{"weight": nil}); err != nil || p.Vec[f.ParamIndex("weight")] != nil {
		t.Errorf("weight null: %+v %v", p, err)
	}
	// f.Check runs last: the vector's length is PyTorch's business, not SetParamAny's.
	if _, err = ParamsFrom(f, map[string]any{"weight": []any{1.0}}); err == nil || err.Error() != "weight must have between 2 and 10 elements" {
		t.Errorf("one-element weight: %v", err)
	}
}

// The values SetParamAny takes and the messages for the ones it refuses.
func TestSetParamAny(t *testing.T) {
	kl, _ := Lookup("kl_div") // reduction (Choice), log_target (Bool)
	ce, _ := Lookup("cross_entropy")
	elu, _ := Lookup("elu")
	for _, c := range []struct {
		f     *Func
		param string
		v     any
		want  float64 // p.Num of the parameter
	}{
		{elu, "alpha", 0.5, 0.5},
		{elu, "alpha", " −1.5 ", -1.5},
		{elu, "alpha", "1e-999", 0},
		{kl, "log_target", true, 1},
		{kl, "log_target", 0.0, 0},
		{kl, "log_target", "True", 1},
		{kl, "log_target", "0", 0},
		{kl, "reduction", "batchmean", float64(indexOf(kl.Params[0].Choices, "batchmean"))},
	} {
		p := c.f.Defaults()
		i := c.f.ParamIndex(c.param)
		if err := SetParamAny(c.f, &p, i, c.v); err != nil || p.Num[i] != c.want {
			t.Errorf("%s %s = %#v: got %v, %v; want %v", c.f.ID, c.param, c.v, p.Num[i], err, c.want)
		}
	}
	for _, c := range []struct {
		f     *Func
		param string
		v     any
		want  string
	}{
		{elu, "alpha", nil, "alpha must be a number, got null"},
		{elu, "alpha", true, "alpha must be a number, got true"},
		{elu, "alpha", math.NaN(), "alpha must be a finite number, got NaN"},
		{elu, "alpha", "inf", `alpha must be a finite number, got "inf"`},
		{kl, "log_target", 2.0, "log_target must be true or false, got 2.0"},
		{kl, "log_target", "yes", `log_target must be true or false, got "yes"`},
		{kl, "log_target", nil, "log_target must be true or false, got null"},
		{kl, "reduction", "avg", `reduction must be one of none, mean, sum, batchmean, got "avg"`},
		{kl, "reduction", 1.0, "reduction must be one of none, mean, sum, batchmean, got 1.0"},
		{ce, "weight", 1.0, "weight must be an array of numbers or null, got 1.0"},
		{ce, "weight", []any{1.0, "x"}, `weight[1] must be a number, got "x"`},
		{ce, "weight", []any{1.0, math.Inf(1)}, "weight[1] must be a finite number, got +∞"},
	} {
		p := c.f.Defaults()
		i := c.f.ParamIndex(c.param)
		err := SetParamAny(c.f, &p, i, c.v)
		if err == nil || err.Error() != c.want {
			t.Errorf("%s %s = %#v: error %v, want %q", c.f.ID, c.param, c.v, err, c.want)
		}
		if pe, ok := err.(*ParamError); !ok || !strings.HasPrefix(pe.Param, c.param) {
			t.Errorf("%s %s = %#v: error %#v is not a *ParamError for %s", c.f.ID, c.param, c.v, err, c.param)
		}
	}
}

// ParseNumber reads what Python's float() reads, and refuses what no control shows.
func TestParseNumber(t *testing.T) {
	for _, c := range []struct {
		text string
		want float64
	}{
		{"2", 2}, {" -0.5\t", -0.5}, {"−3", -3}, {"1e-9", 1e-9}, {"+1E6", 1e6}, {".5", 0.5},
		{"1e-999", 0}, {"-1e-999", 0}, {"1.7976931348623157e308", math.MaxFloat64},
	} {
		if v, err := ParseNumber("x", c.text); err != nil || v != c.want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v", c.text, v, err, c.want)
		}
	}
	if v, _ := ParseNumber("x", "-1e-999"); !math.Signbit(v) {
		t.Errorf("ParseNumber(-1e-999) = %v, want -0", v)
	}
	for _, c := range []struct {
		text, want string
	}{
		{"", "x is empty: type a number"},
		{"  ", "x is empty: type a number"},
		{"abc", `x must be a number, got "abc"`},
		{"1,5", `x must be a number, got "1,5"`},
		{"1e999", `x must be a finite number, got "1e999"`},
		{"-inf", `x must be a finite number, got "-inf"`},
		{"NaN", `x must be a finite number, got "NaN"`},
		{"Infinity", `x must be a finite number, got "Infinity"`},
		{strings.Repeat("9", 70) + "z", `x must be a number, got "` + strings.Repeat("9", maxShownLen) + `…"`},
	} {
		_, err := ParseNumber("x", c.text)
		if err == nil || err.Error() != c.want {
			t.Errorf("ParseNumber(%q) error = %v, want %q", c.text, err, c.want)
		}
	}
}

func TestNumberOf(t *testing.T) {
	if v, err := NumberOf("x", 1.5); err != nil || v != 1.5 {
		t.Errorf("NumberOf(1.5) = %v, %v", v, err)
	}
	if v, err := NumberOf("x", "1.5"); err != nil || v != 1.5 {
		t.Errorf(`NumberOf("1.5") = %v, %v`, v, err)
	}
	for _, c := range []struct {
		name string
		v    any
		want string
	}{
		{"weight.2", math.Inf(-1), "weight[2] must be a finite number, got −∞"},
		{"x", math.NaN(), "x must be a finite number, got NaN"},
		{"x", []any{}, "x must be a number, got an array"},
		{"x", map[string]any{}, "x must be a number, got an object"},
		{"x", 3, "x must be a number, got a value of another type"},
	} {
		_, err := NumberOf(c.name, c.v)
		if err == nil || err.Error() != c.want {
			t.Errorf("NumberOf(%q, %#v) error = %v, want %q", c.name, c.v, err, c.want)
		}
	}
}

func TestDescribe(t *testing.T) {
	long := strings.Repeat("a", maxShownLen+1)
	for _, c := range []struct {
		v    any
		want string
	}{
		{nil, "null"}, {"a\"b", `"a\"b"`}, {2.0, "2.0"}, {1e-8, "1e-08"}, {math.NaN(), "nan"},
		{false, "false"}, {[]any{1.0}, "an array"}, {map[string]any{}, "an object"},
		{int(1), "a value of another type"},
		{long, `"` + long[:maxShownLen] + `…"`},
	} {
		if got := Describe(c.v); got != c.want {
			t.Errorf("Describe(%#v) = %s, want %s", c.v, got, c.want)
		}
	}
}

func TestNumsStrs(t *testing.T) {
	if Nums(nil) != nil {
		t.Errorf("Nums(nil) = %#v, want nil", Nums(nil))
	}
	if v := Nums([]float64{}).([]any); v == nil || len(v) != 0 {
		t.Errorf("Nums([]) = %#v, want an empty array", v)
	}
	if v := Strs([]string{"a", "b"}); len(v) != 2 || v[1] != "b" {
		t.Errorf("Strs = %#v", v)
	}
}
