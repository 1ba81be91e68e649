package core

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// Value tests (tables typed from ../../shared/reference/edge-cases.md), derivative tests
// (against a central finite difference away from kinks, and PyTorch's convention at each kink),
// property tests, special values and validation for every activation. The ONNX vectors are in
// act_onnx_test.go, the fuzz target in act_fuzz_test.go; the 50-digit reference is
// reference_test.go.

// actULPsApart returns the number of float64 values between a and b (0 for equal values, ±0 equal,
// NaN and NaN equal; MaxUint64 when only one is NaN or the signs differ by more than a zero).
func actULPsApart(a, b float64) uint64 {
	if a == b || (a != a && b != b) {
		return 0
	}
	if a != a || b != b {
		return math.MaxUint64
	}
	ord := func(v float64) int64 { // a monotone integer ordering of the floats
		i := int64(math.Float64bits(v))
		if i < 0 {
			i = math.MinInt64 - i
		}
		return i
	}
	d := ord(a) - ord(b)
	if d < 0 {
		d = -d
	}
	return uint64(d)
}

// actCloseULPs reports whether got is within n ulps of want.
func actCloseULPs(got, want float64, n uint64) bool { return actULPsApart(got, want) <= n }

// actParams returns f's defaults with the named parameters set.
func actParams(t testing.TB, id string, kv ...any) (*Func, Params) {
	t.Helper()
	f, ok := Lookup(id)
	if !ok {
		t.Fatalf("%s is not registered", id)
	}
	p := f.Defaults()
	for i := 0; i+1 < len(kv); i += 2 {
		j := f.ParamIndex(kv[i].(string))
		if j < 0 {
			t.Fatalf("%s has no parameter %v", id, kv[i])
		}
		p.Num[j] = kv[i+1].(float64)
	}
	return f, p
}

// actEdgeValue is one row of edge-cases.md: a value (and, where given, the derivative) at x.
type actEdgeValue struct {
	row    string // the row id in edge-cases.md
	id     string
	params []any
	x      float64
	y, dy  float64 // dy is not checked when it is actNoDy
}

var actNoDy = math.Float64frombits(0x7ff8dead00000000) // a NaN marking "no derivative in the table"

// actEdgeValues are typed from edge-cases.md ("Forward values" and "Gradients"), whose values were
// worked out in 50-digit arithmetic; compared within 4 ulps.
var actEdgeValues = []actEdgeValue{
	{"E01", "softplus", []any{"beta", 1e30, "threshold", 1e30}, 0.5, 0.5, actNoDy},
	{"E01", "softplus", []any{"beta", 1e30, "threshold", 1e30}, -1, 0, actNoDy},
	{"E01", "softplus", []any{"beta", 1e30, "threshold", 1e30}, 2, 2, actNoDy},
	{"E02", "softplus", nil, 1000, 1000, actNoDy},
	{"E02", "softplus", nil, -1000, 0, actNoDy},
	{"E02", "softplus", nil, -40, 4.248354255291589e-18, actNoDy},
	{"E02", "softplus", nil, -12.3392, 4.376758446056116e-06, actNoDy},
	{"E03", "logsigmoid", nil, -300, -300, actNoDy},
	{"E03", "logsigmoid", nil, -1000, -1000, actNoDy},
	{"E03", "logsigmoid", nil, 0, -0.6931471805599453, actNoDy},
	{"E03", "logsigmoid", nil, 30, -9.357622968839737e-14, actNoDy},
	{"E03", "logsigmoid", nil, 1000, math.Copysign(0, -1), actNoDy},
	{"E15", "relu", nil, math.NaN(), math.NaN(), actNoDy},
	{"E15", "relu", nil, math.Inf(1), math.Inf(1), actNoDy},
	{"E15", "relu", nil, math.Inf(-1), 0, actNoDy},
	{"E15", "relu", nil, -1, 0, actNoDy},
	{"E15", "relu", nil, 2, 2, actNoDy},
	{"E16", "leaky_relu", []any{"negative_slope", 0.0}, -1, math.Copysign(0, -1), actNoDy},
	{"E18", "celu", []any{"alpha", 2.0}, -1, -0.7869386805747332, 0.6065306597126334},
	{"E18", "celu", []any{"alpha", 2.0}, 0, 0, 1},
	{"E19", "gelu", nil, 1, 0.8413447460685429, actNoDy},
	{"E19", "gelu", nil, -3, -0.0040496940948902835, actNoDy},
	{"E19", "gelu", nil, 2, 1.9544997361036416, actNoDy},
	{"E19", "gelu", []any{"approximate", float64(geluTanh)}, 1, 0.8411919906082767, actNoDy},
	{"E19", "gelu", []any{"approximate", float64(geluTanh)}, -3, -0.003637392081773019, actNoDy},
	{"E19", "gelu", []any{"approximate", float64(geluTanh)}, 2, 1.954597694087775, actNoDy},
	{"G01", "softplus", nil, 0, math.Ln2, 0.5},
	{"G01", "logsigmoid", nil, 0, -math.Ln2, 0.5},
	{"G02", "logsigmoid", nil, -1000, -1000, 1},
	{"G02", "logsigmoid", nil, 1000, 0, 0},
	{"G04", "relu", nil, 0, 0, 0},
	{"G04", "leaky_relu", nil, 0, 0, 0.01},
	{"G04", "prelu", nil, 0, 0, 0.25}, // d/dweight at 0 is 0: prelu' w.r.t. weight is x for x <= 0
	{"G05", "relu6", nil, 0, 0, 0},
	{"G05", "relu6", nil, 6, 6, 0},
	{"G05", "hardtanh", nil, -1, -1, 0},
	{"G05", "hardtanh", nil, 1, 1, 0},
	{"G06", "hardswish", nil, -4, 0, 0},
	{"G06", "hardswish", nil, -3, 0, 0},
	{"G06", "hardswish", nil, -2, -1.0 / 3, -1.0 / 6},
	{"G06", "hardswish", nil, 0, 0, 0.5},
	{"G06", "hardswish", nil, 2, 10.0 / 6, 7.0 / 6},
	{"G06", "hardswish", nil, 3, 3, 1},
	{"G06", "hardswish", nil, 4, 4, 1},
	{"G07", "hardsigmoid", nil, -3, 0, 0},
	{"G07", "hardsigmoid", nil, 3, 1, 0},
	{"G07", "hardsigmoid", nil, -2.9715, 0.004750000000000032, 1.0 / 6}, // (x + 3)/6 for the float64 x, mpmath
	{"G08", "elu", []any{"alpha", 0.5}, 0, 0, 0.5},
}

func TestEdgeCaseValues(t *testing.T) {
	for _, c := range actEdgeValues {
		f, p := actParams(t, c.id, c.params...)
		if err := f.Check(p); err != nil {
			t.Fatalf("%s %s%v: %v", c.row, c.id, c.params, err)
		}
		y, dy := f.Scalar(p, c.x)
		if !actCloseULPs(y, c.y, 4) {
			t.Errorf("%s: %s%v(%v) = %v, want %v", c.row, c.id, c.params, c.x, y, c.y)
		}
		if c.y == 0 && c.y == y && math.Signbit(c.y) != math.Signbit(y) && c.row == "E16" {
			t.Errorf("%s: %s%v(%v) = %v, want %v (sign of zero)", c.row, c.id, c.params, c.x, y, c.y)
		}
		if math.Float64bits(c.dy) != math.Float64bits(actNoDy) && !actCloseULPs(dy, c.dy, 4) {
			t.Errorf("%s: %s%v'(%v) = %v, want %v", c.row, c.id, c.params, c.x, dy, c.dy)
		}
	}
}

// actKinkCases: the derivative at each kink, as PyTorch defines it (pytorch-semantics.md §0.1 and
// §2), and the value there.
var actKinkCases = []actEdgeValue{
	{"A27", "heaviside", nil, 0, 0.5, math.NaN()}, // no derivative: NaN
	{"A27", "heaviside", []any{"values", 1.0}, 0, 1, math.NaN()},
	{"A1", "relu", nil, 0, 0, 0},
	{"A5", "leaky_relu", []any{"negative_slope", 0.2}, 0, 0, 0.2},
	{"A6", "prelu", []any{"weight", -0.5}, 0, 0, -0.5},
	{"A8", "elu", []any{"alpha", 2.0}, 0, 0, 2},
	{"A9", "selu", nil, 0, 0, 1.7580993408473766},
	{"A10", "celu", []any{"alpha", 0.3}, 0, 0, 1},
	{"A2", "relu6", nil, 0, 0, 0},
	{"A2", "relu6", nil, 6, 6, 0},
	{"A4", "hardtanh", []any{"min_val", -2.0, "max_val", 0.5}, -2, -2, 0},
	{"A4", "hardtanh", []any{"min_val", -2.0, "max_val", 0.5}, 0.5, 0.5, 0},
	{"A18", "hardsigmoid", nil, -3, 0, 0},
	{"A18", "hardsigmoid", nil, 3, 1, 0},
	{"A19", "hardswish", nil, -3, 0, 0},
	{"A19", "hardswish", nil, 3, 3, 1},
	{"A20", "hardshrink", nil, 0.5, 0, 0},
	{"A20", "hardshrink", nil, -0.5, 0, 0},
	{"A21", "softshrink", []any{"lambd", 1.5}, 1.5, 0, 0},
	{"A21", "softshrink", []any{"lambd", 1.5}, -1.5, 0, 0},
	{"A3", "threshold", []any{"threshold", 1.0, "value", 99.0}, 1, 99, 0},
	// Softplus at x·beta == threshold takes the log branch (the switch is strict).
	{"A16", "softplus", nil, 20, 20.000000002061153, 0.9999999979388464}, // mpmath
	{"A16", "softplus", []any{"beta", 2.0, "threshold", 3.0}, 1.5, 1.524293675786871, 0.9525741268224333},
}

func TestKinkConventions(t *testing.T) {
	for _, c := range actKinkCases {
		f, p := actParams(t, c.id, c.params...)
		y, dy := f.Scalar(p, c.x)
		if !actCloseULPs(y, c.y, 4) || !actCloseULPs(dy, c.dy, 4) {
			t.Errorf("%s: %s%v at the kink %v = (%v, %v), want (%v, %v)", c.row, c.id, c.params, c.x, y, dy, c.y, c.dy)
		}
		if len(f.Kinks) == 0 {
			t.Errorf("%s has a kink at %v but no Kinks text", c.id, c.x)
		}
	}
	f, _ := Lookup("heaviside")
	if !strings.Contains(strings.Join(f.Kinks, " "), "derivative for aten::heaviside is not implemented") {
		t.Errorf("heaviside Kinks should quote PyTorch's error: %q", f.Kinks)
	}
	// Softplus jumps at the switch: just above x·beta = threshold the value is x and the slope 1.
	if y, dy := Softplus(math.Nextafter(20, 21), 1, 20); y != math.Nextafter(20, 21) || dy != 1 {
		t.Errorf("softplus just above the threshold = (%v, %v), want (x, 1)", y, dy)
	}
}

// actKinksOf returns the points where f's derivative (or value) jumps, so the finite-difference test
// keeps away from them.
func actKinksOf(id string, p Params) []float64 {
	switch id {
	case "heaviside", "relu", "leaky_relu", "prelu", "elu", "selu", "celu":
		return []float64{0}
	case "relu6":
		return []float64{0, 6}
	case "hardsigmoid", "hardswish":
		return []float64{-3, 3}
	case "hardtanh":
		return []float64{p.Num[0], p.Num[1]}
	case "hardshrink", "softshrink":
		return []float64{-p.Num[0], p.Num[0]}
	case "threshold":
		return []float64{p.Num[0]}
	case "softplus":
		return []float64{p.Num[1] / p.Num[0]}
	}
	return nil
}

// actParamSettings returns f's defaults and, for each Real parameter, the ends and the middle of its
// slider range (skipping settings that fail Check, such as hardtanh's min_val > max_val).
func actParamSettings(f *Func) []Params {
	out := []Params{f.Defaults()}
	for i, q := range f.Params {
		var vals []float64
		switch q.Type {
		case Real:
			vals = []float64{q.Min, q.Max, (q.Min + q.Max) / 2}
		case Choice:
			for k := range q.Choices {
				vals = append(vals, float64(k))
			}
		}
		for _, v := range vals {
			p := f.Defaults()
			p.Num[i] = v
			if f.Check(p) == nil {
				out = append(out, p)
			}
		}
	}
	return out
}

func TestDerivativeFiniteDifference(t *testing.T) {
	checked := 0
	for _, f := range All() {
		if f.Kind != Activation {
			continue
		}
		for _, p := range actParamSettings(f) {
			lo, hi := f.XRange[0], f.XRange[1]
			w := hi - lo
			lo, hi = lo-w, hi+w // beyond the plotted range as well
			for k := 0; k <= 400; k++ {
				x := lo + (hi-lo)*float64(k)/400 + 1e-3*math.Sin(float64(k)) // off the grid
				h := 1e-5 * math.Max(1, math.Abs(x))
				if f.ID == "sin" {
					h /= p.Num[0]
				}
				near := false
				for _, kx := range actKinksOf(f.ID, p) {
					if math.Abs(x-kx) < 4*h {
						near = true
					}
				}
				if near {
					continue
				}
				y, dy := f.Scalar(p, x)
				yp, _ := f.Scalar(p, x+h)
				ym, _ := f.Scalar(p, x-h)
				fd := (yp - ym) / (2 * h)
				tol := 1e-6*(1+math.Abs(dy)) + 1e-14*math.Abs(y)/h
				if f.ID == "sin" {
					tol *= p.Num[0] * p.Num[0]
				}
				if math.IsNaN(dy) || math.Abs(fd-dy) > tol {
					t.Errorf("%s%v: f'(%v) = %v, finite difference %v", f.ID, p.Num, x, dy, fd)
				}
				checked++
			}
		}
	}
	t.Logf("%d finite-difference checks", checked)
}

// The vector functions' VJP with ones against finite differences of the sum of the outputs.
func TestVectorDerivativeFiniteDifference(t *testing.T) {
	inputs := [][]float64{{2, 1, 0.1, -1}, {0.3, -0.7}, {5, -3, 0, 0.25, 1.5, -2}, {1e-3, 2e-3, -4e-3, 0}}
	for _, f := range All() {
		if f.Kind != VectorActivation {
			continue
		}
		p := f.Defaults()
		for _, x := range inputs {
			n, err := f.OutLen(len(x))
			if err != nil {
				continue
			}
			y, g := make([]float64, n), make([]float64, len(x))
			f.Vector(p, x, y, g)
			sum := func(x []float64) float64 {
				y, g := make([]float64, n), make([]float64, len(x))
				f.Vector(p, x, y, g)
				s := 0.0
				for _, v := range y {
					s += v
				}
				return s
			}
			for j := range x {
				h := 1e-6
				xp := append([]float64(nil), x...)
				xm := append([]float64(nil), x...)
				xp[j] += h
				xm[j] -= h
				fd := (sum(xp) - sum(xm)) / (2 * h)
				if math.Abs(fd-g[j]) > 1e-7*(1+math.Abs(g[j])) {
					t.Errorf("%s(%v): grad[%d] = %v, finite difference %v", f.ID, x, j, g[j], fd)
				}
			}
		}
	}
}

func TestProperties(t *testing.T) {
	xs := []float64{0, 1e-300, 1e-8, 0.1, 0.5, 1, 2, 3.7, 10, 19.5, 20, 20.5, 36, 37, 40, 100, 700, 710, 1e4, 1e300}
	for _, a := range xs {
		for _, x := range []float64{a, -a} {
			// sigmoid(-x) = 1 - sigmoid(x), to the rounding of 1 - s (a few 2⁻⁵³).
			s, _ := Sigmoid(x)
			sm, _ := Sigmoid(-x)
			if math.Abs(sm-(1-s)) > 4*0x1p-53 {
				t.Errorf("sigmoid(%v) = %v, 1 - sigmoid(%v) = %v", -x, sm, x, 1-s)
			}
			// softplus(x) - softplus(-x) = x (without the threshold switch, which moves the value
			// by up to e^-threshold).
			sp, _ := Softplus(x, 1, math.Inf(1))
			spm, _ := Softplus(-x, 1, math.Inf(1))
			// The subtraction itself is exact to an ulp of the operands (log 2 for small x).
			if d := sp - spm; !actCloseRelAbs(d, x, 2e-16, 0x1p-52*math.Max(sp, spm)) {
				t.Errorf("softplus(%v) - softplus(%v) = %v, want %v", x, -x, d, x)
			}
			// gelu(x) - gelu(-x) = x·(Φ(x) + Φ(-x)) = x, and the same for silu.
			for _, fn := range []func(float64) (float64, float64){GELU, SiLU} {
				a1, _ := fn(x)
				a2, _ := fn(-x)
				if d := a1 - a2; !actCloseRelAbs(d, x, 4e-16, 1e-300) {
					t.Errorf("f(%v) - f(%v) = %v, want %v", x, -x, d, x)
				}
			}
			// tanh, softsign and sin are odd.
			for _, fn := range []func(float64) (float64, float64){Tanh, Softsign, Tanhshrink,
				func(x float64) (float64, float64) { return Sine(x, 30) }} {
				a1, _ := fn(x)
				a2, _ := fn(-x)
				if a1 != -a2 {
					t.Errorf("odd function: f(%v) = %v, f(%v) = %v", x, a1, -x, a2)
				}
			}
		}
	}

	vectors := [][]float64{{2, 1, 0.1, -1}, {0}, {1e4, 0, -1e4}, {1e300, -1e300, 0}, {-745, 0},
		{0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, {3.5, 3.5, -2}, {1e-8, 0, -1e-8}, {700, 710, -700},
		{math.Inf(-1), 0, 1}, {math.Inf(1), 2, math.Inf(1)}, {math.Inf(-1), math.Inf(-1)}}
	for _, x := range vectors {
		n := len(x)
		sm, lsm, smin, smneg := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		g := make([]float64, n)
		Softmax(x, sm, g)
		for i, v := range g {
			if v != 0 {
				t.Errorf("softmax(%v): VJP with ones[%d] = %v, want 0", x, i, v)
			}
		}
		LogSoftmax(x, lsm, g)
		Softmin(x, smin, g)
		neg := make([]float64, n)
		for i, v := range x {
			neg[i] = -v
		}
		Softmax(neg, smneg, g)
		sum := 0.0
		for i := range x {
			sum += sm[i]
			// log(softmax) is only as good as softmax's last bit: absolute 2⁻⁵² near log 1.
			if sm[i] > 1e-300 && !actCloseRelAbs(lsm[i], math.Log(sm[i]), 4e-16, 0x1p-52/sm[i]) {
				t.Errorf("log_softmax(%v)[%d] = %v, log(softmax) = %v", x, i, lsm[i], math.Log(sm[i]))
			}
			if smin[i] != smneg[i] {
				t.Errorf("softmin(%v)[%d] = %v, softmax(-x) = %v", x, i, smin[i], smneg[i])
			}
			if sm[i] < 0 || sm[i] > 1 || math.IsNaN(lsm[i]) || lsm[i] > 0 {
				t.Errorf("softmax(%v)[%d] = %v, log_softmax %v: out of range", x, i, sm[i], lsm[i])
			}
		}
		if math.Abs(sum-1) > float64(n)*0x1p-52 {
			t.Errorf("softmax(%v) sums to %v", x, sum)
		}
	}
	// Large-logit stability (ONNX test_softmax_large_number) and the limits at ±inf.
	y, g := make([]float64, 2), make([]float64, 2)
	LogSoftmax([]float64{math.Inf(1), 3}, y, g)
	if y[0] != 0 || !math.IsInf(y[1], -1) || g[0] != -1 || g[1] != 1 {
		t.Errorf("log_softmax([inf, 3]) = %v, grad %v; want [0, -inf], [-1, 1]", y, g)
	}
}

// TestSpecialValues: ±0, ±Inf, NaN, ±MaxFloat64 and ±SmallestNonzeroFloat64 at every activation's
// default and extreme parameters: NaN only for a NaN input or where documented.
func TestSpecialValues(t *testing.T) {
	specials := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.MaxFloat64, -math.MaxFloat64,
		math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64, 1e-308, -1e-308, 710, -710, 1e300, -1e300}
	for _, f := range All() {
		if f.Kind != Activation {
			continue
		}
		for _, p := range actParamSettings(f) {
			for _, x := range specials {
				y, dy := f.Scalar(p, x)
				if math.IsNaN(y) && !actNaNAllowed(f.ID, x, false) {
					t.Errorf("%s%v(%v) = NaN", f.ID, p.Num, x)
				}
				if math.IsNaN(dy) && !actNaNAllowed(f.ID, x, true) {
					t.Errorf("%s%v'(%v) = NaN", f.ID, p.Num, x)
				}
			}
			y, dy := f.Scalar(p, math.NaN())
			if !math.IsNaN(y) || !math.IsNaN(dy) {
				t.Errorf("%s%v(NaN) = (%v, %v), want NaN", f.ID, p.Num, y, dy)
			}
		}
	}
}

// actNaNAllowed says where an activation documents a NaN for a non-NaN input: heaviside has no
// derivative at 0, and sin has no limit at ±Inf.
func actNaNAllowed(id string, x float64, deriv bool) bool {
	switch id {
	case "heaviside":
		return deriv && x == 0
	case "sin":
		return math.IsInf(x, 0)
	}
	return false
}

func TestValidation(t *testing.T) {
	cases := []struct {
		row, id string
		params  []any
		want    string // "" for valid
	}{
		{"E17", "celu", []any{"alpha", 0.0}, "ZeroDivisionError: alpha cannot be 0 for CELU"},
		{"A10", "celu", []any{"alpha", -1.0}, ""}, // negative alpha is accepted
		{"A4", "hardtanh", []any{"min_val", 2.0, "max_val", 1.0}, "min_val cannot be greater than max_val"},
		{"A4", "hardtanh", []any{"min_val", 1.0, "max_val", 1.0}, ""}, // F.hardtanh accepts equality
		{"A21", "softshrink", []any{"lambd", -0.5}, "lambda must be greater or equal to 0, but found to be -0.5."},
		{"A21", "softshrink", []any{"lambd", -1.0}, "lambda must be greater or equal to 0, but found to be -1."},
		{"A21", "softshrink", []any{"lambd", 0.0}, ""},
		{"A20", "hardshrink", []any{"lambd", -1.0}, ""}, // no check in PyTorch
		{"A16", "softplus", []any{"beta", 0.0}, "beta must not be 0"},
		{"A16", "softplus", []any{"beta", -1.0}, ""},
	}
	for _, c := range cases {
		f, p := actParams(t, c.id, c.params...)
		err := f.Check(p)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %s%v: unexpected error %v", c.row, c.id, c.params, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %s%v: error %v, want %q", c.row, c.id, c.params, err, c.want)
		case c.want != "":
			var pe *ParamError
			if e, ok := err.(*ParamError); !ok || e.Param == "" {
				t.Errorf("%s: %s: error %#v is not a *ParamError naming the parameter", c.row, c.id, pe)
			}
		}
	}
	// E17's substring and E19's "approximate='foo' is an error": Check rejects an index outside
	// the choices, and Validate alone gives PyTorch's text.
	f, p := actParams(t, "celu", "alpha", 0.0)
	if err := f.Check(p); err == nil || !strings.Contains(err.Error(), "alpha cannot be 0") {
		t.Errorf("E17: celu(alpha=0): %v", err)
	}
	f, p = actParams(t, "gelu", "approximate", 2.0)
	if err := f.Check(p); err == nil {
		t.Error("E19: gelu(approximate=2) accepted")
	}
	if err := f.Validate(p); err == nil || err.Error() != "approximate argument must be either none or tanh." {
		t.Errorf("E19: gelu Validate: %v", err)
	}
	// GLU needs an even length.
	g, _ := Lookup("glu")
	if _, err := g.OutLen(5); err == nil || err.Error() != "Halving dimension must be even, but dimension 0 is size 5" {
		t.Errorf("glu OutLen(5): %v", err)
	}
	if n, err := g.OutLen(4); n != 2 || err != nil {
		t.Errorf("glu OutLen(4) = %d, %v", n, err)
	}
}

// TestRegistryDescriptions: every activation the lecture needs is registered with everything
// the UI and the docs need, its Scalar and Vector do not allocate, and its defaults are valid.
func TestRegistryDescriptions(t *testing.T) {
	want := []string{"heaviside", "linear", "sigmoid", "tanh", "relu", "leaky_relu", "prelu", "softplus",
		"elu", "celu", "selu", "gelu", "relu6", "logsigmoid", "sin", "softmin", "softmax", "log_softmax", "glu",
		"silu", "mish", "hardtanh", "hardsigmoid", "hardswish", "softsign", "tanhshrink", "hardshrink",
		"softshrink", "threshold"}
	for _, id := range want {
		if _, ok := Lookup(id); !ok {
			t.Errorf("%s is not registered", id)
		}
	}
	for _, f := range All() {
		if f.Kind != Activation && f.Kind != VectorActivation {
			continue
		}
		if f.Name == "" || f.Group == "" || f.Formula == "" || f.Derivative == "" || !strings.HasPrefix(f.Source, "https://") {
			t.Errorf("%s: incomplete description %+v", f.ID, f)
		}
		for _, q := range f.Params {
			if q.Type == Real && (!(q.Min <= q.Default && q.Default <= q.Max) || q.Step <= 0 || q.Doc == "") {
				t.Errorf("%s.%s: default %v outside [%v, %v] or no step/doc", f.ID, q.Name, q.Default, q.Min, q.Max)
			}
		}
		p := f.Defaults()
		if err := f.Check(p); err != nil {
			t.Errorf("%s: defaults rejected: %v", f.ID, err)
		}
		switch f.Kind {
		case Activation:
			if !(f.XRange[0] < f.XRange[1]) {
				t.Errorf("%s: XRange %v", f.ID, f.XRange)
			}
			if a := testing.AllocsPerRun(20, func() { f.Scalar(p, 0.7) }); a != 0 {
				t.Errorf("%s: Scalar allocates (%v)", f.ID, a)
			}
		case VectorActivation:
			x := f.DefaultInput
			n, err := f.OutLen(len(x))
			if err != nil || len(x) == 0 {
				t.Errorf("%s: DefaultInput %v: %v", f.ID, x, err)
				continue
			}
			y, g := make([]float64, n), make([]float64, len(x))
			if a := testing.AllocsPerRun(20, func() { f.Vector(p, x, y, g) }); a != 0 {
				t.Errorf("%s: Vector allocates (%v)", f.ID, a)
			}
		}
	}
}

func ExampleSoftplus() {
	// Edge case E01: PyTorch's log1p(exp(x·beta)) overflows to inf here; the true value is 0.5.
	y, dy := Softplus(0.5, 1e30, 1e30)
	fmt.Println(y, dy)
	// Output: 0.5 1
}

func ExampleGELU() {
	y, dy := GELU(-3) // edge case E19: erfc keeps the last digits
	fmt.Println(y)
	fmt.Printf("%.6f\n", dy)
	// Output:
	// -0.0040496940948902835
	// -0.011946
}

func ExampleLookup_activation() {
	f, _ := Lookup("leaky_relu")
	p := f.Defaults()
	y, dy := f.Scalar(p, -2)
	fmt.Println(f.Class, f.Params[0].Name, y, dy)
	// Output: LeakyReLU negative_slope -0.02 0.01
}

func ExampleSoftmax() {
	x := []float64{2, 1, 0.1}
	y, grad := make([]float64, 3), make([]float64, 3)
	Softmax(x, y, grad)
	fmt.Printf("%.4f %v\n", y, grad)
	// Output: [0.6590 0.2424 0.0986] [0 0 0]
}
