package core

// Tests over every registered loss: the gradient against a central finite difference of Loss
// for every reduction, Curve.Eval and Surface.Eval against Loss on the same input, the views
// without allocation, and the registry description itself. Value tests against external
// references are in loss_edge_test.go (the edge-case table) and loss_onnx_test.go (ONNX).

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// ---- helpers ----------------------------------------------------------------------------------

// mustLoss returns the registered loss id.
func mustLoss(t testing.TB, id string) *Func {
	t.Helper()
	f, ok := Lookup(id)
	if !ok || f.Kind != Loss {
		t.Fatalf("loss %q is not registered", id)
	}
	return f
}

// lossParams returns f's defaults with the named values set: kv holds name, value pairs where a
// value is a float64, an int, a bool, a string (a Choice) or a []float64 (a Vector).
func lossParams(t testing.TB, f *Func, kv ...any) Params {
	t.Helper()
	p := f.Defaults()
	for i := 0; i < len(kv); i += 2 {
		name := kv[i].(string)
		j := f.ParamIndex(name)
		if j < 0 {
			t.Fatalf("%s has no parameter %q", f.ID, name)
		}
		switch v := kv[i+1].(type) {
		case float64:
			p.Num[j] = v
		case int:
			p.Num[j] = float64(v)
		case bool:
			p.Num[j] = 0
			if v {
				p.Num[j] = 1
			}
		case string:
			k := slices.Index(f.Params[j].Choices, v)
			if k < 0 {
				t.Fatalf("%s.%s has no choice %q", f.ID, name, v)
			}
			p.Num[j] = float64(k)
		case []float64:
			p.Vec[j] = v
		default:
			t.Fatalf("bad value for %s", name)
		}
	}
	return p
}

func tens(shape []int, data ...float64) Tensor { return Tensor{Shape: shape, Data: data} }

func sh(d ...int) []int {
	if d == nil {
		return []int{}
	}
	return d
}

// evalLoss runs f.Loss and fails the test on an error.
func evalLoss(t testing.TB, f *Func, p Params, in map[string]Tensor) LossResult {
	t.Helper()
	res, err := f.Loss(p, in)
	if err != nil {
		t.Fatalf("%s: unexpected error: %v", f.ID, err)
	}
	return res
}

// ulpDiff returns the distance in ulps between a and b (0 for equal values including two NaNs
// or two zeros; MaxUint64 for a NaN against a number or different infinities).
func ulpDiff(a, b float64) uint64 {
	switch {
	case a == b || (a != a && b != b):
		return 0
	case a != a || b != b || math.IsInf(a, 0) || math.IsInf(b, 0):
		return math.MaxUint64
	}
	ia, ib := int64(math.Float64bits(a)), int64(math.Float64bits(b))
	if ia < 0 {
		ia = math.MinInt64 - ia
	}
	if ib < 0 {
		ib = math.MinInt64 - ib
	}
	if ia > ib {
		return uint64(ia - ib)
	}
	return uint64(ib - ia)
}

// closeRel reports whether a and b agree within rel relative or abs absolute error (NaN equals
// NaN, infinities must match).
func closeRel(a, b, rel, abs float64) bool {
	if a == b || (a != a && b != b) {
		return true
	}
	if a != a || b != b || math.IsInf(a, 0) || math.IsInf(b, 0) {
		return false
	}
	return math.Abs(a-b) <= abs+rel*math.Max(math.Abs(a), math.Abs(b))
}

// total is sum(Loss), what backward differentiates.
func total(r LossResult) float64 { return Sum(r.Loss.Data) }

func cloneInputs(in map[string]Tensor) map[string]Tensor {
	out := map[string]Tensor{}
	for k, v := range in {
		out[k] = Tensor{Shape: slices.Clone(v.Shape), Data: slices.Clone(v.Data)}
	}
	return out
}

// ---- random inputs away from kinks, per loss --------------------------------------------------

// gradCase is a generator of valid inputs and parameter settings for one loss.
type gradCase struct {
	id    string
	gen   func(r *rand.Rand) map[string]Tensor
	extra [][]any // parameter settings (name, value pairs) besides the defaults
	only  bool    // use only extra, not the defaults (the inputs need a parameter set)
}

func randn(r *rand.Rand, n int, scale float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = r.NormFloat64() * scale
	}
	return v
}

func randu(r *rand.Rand, n int, lo, hi float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = lo + (hi-lo)*r.Float64()
	}
	return v
}

func randSign(r *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = 1
		if r.IntN(2) == 0 {
			v[i] = -1
		}
	}
	return v
}

func randClasses(r *rand.Rand, n, c int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = float64(r.IntN(c))
	}
	return v
}

// randProbRows returns n rows of c probabilities (the class dimension last... or at dim 1 for
// the caller's layout: the rows are written so that class k of row i is at i*c+k).
func randProbRows(r *rand.Rand, n, c int) []float64 {
	v := randu(r, n*c, 0.05, 1)
	for i := range n {
		s := Sum(v[i*c : (i+1)*c])
		for k := range c {
			v[i*c+k] /= s
		}
	}
	return v
}

func regressionGen(r *rand.Rand) map[string]Tensor {
	return map[string]Tensor{"input": tens(sh(3, 4), randn(r, 12, 2)...), "target": tens(sh(3, 4), randn(r, 12, 2)...)}
}

var gradCases = []gradCase{
	{id: "mse_loss", gen: regressionGen},
	{id: "l1_loss", gen: regressionGen},
	{id: "smooth_l1_loss", gen: regressionGen, extra: [][]any{{"beta", 0.5}, {"beta", 0.0}, {"beta", 3.0}}},
	{id: "huber_loss", gen: regressionGen, extra: [][]any{{"delta", 0.5}, {"delta", 3.0}}},
	{id: "soft_margin_loss", gen: func(r *rand.Rand) map[string]Tensor {
		return map[string]Tensor{"input": tens(sh(5), randn(r, 5, 2)...), "target": tens(sh(5), randSign(r, 5)...)}
	}},
	{id: "hinge_embedding_loss", gen: func(r *rand.Rand) map[string]Tensor {
		return map[string]Tensor{"input": tens(sh(2, 3), randu(r, 6, 0, 3)...), "target": tens(sh(2, 3), randSign(r, 6)...)}
	}, extra: [][]any{{"margin", 2.0}}},
	{id: "binary_cross_entropy", gen: func(r *rand.Rand) map[string]Tensor {
		return map[string]Tensor{"input": tens(sh(2, 3), randu(r, 6, 0.02, 0.98)...), "target": tens(sh(2, 3), randu(r, 6, 0, 1)...)}
	}},
	{id: "binary_cross_entropy_with_logits", gen: func(r *rand.Rand) map[string]Tensor {
		return map[string]Tensor{"input": tens(sh(2, 3), randn(r, 6, 3)...), "target": tens(sh(2, 3), randu(r, 6, 0, 1)...)}
	}, extra: [][]any{{"pos_weight", 3.0}, {"pos_weight", 0.25}}},
	{id: "kl_div", gen: func(r *rand.Rand) map[string]Tensor {
		q := randProbRows(r, 2, 3)
		for i := range q {
			q[i] = math.Log(q[i])
		}
		return map[string]Tensor{"input": tens(sh(2, 3), q...), "target": tens(sh(2, 3), randProbRows(r, 2, 3)...)}
	}, extra: [][]any{{"reduction", "batchmean"}}},
	{id: "kl_div", gen: func(r *rand.Rand) map[string]Tensor {
		t := randProbRows(r, 2, 3)
		for i := range t {
			t[i] = math.Log(t[i])
		}
		return map[string]Tensor{"input": tens(sh(2, 3), randn(r, 6, 1)...), "target": tens(sh(2, 3), t...)}
	}, extra: [][]any{{"log_target", true}}, only: true},
	{id: "nll_loss", gen: func(r *rand.Rand) map[string]Tensor {
		return map[string]Tensor{"input": tens(sh(4, 3), randn(r, 12, 2)...), "target": tens(sh(4), randClasses(r, 4, 3)...)}
	}, extra: [][]any{{"weight", []float64{0.5, 2, 1}}, {"weight", []float64{0.5, 2, 1}, "ignore_index", 1}}},
	{id: "nll_loss", gen: func(r *rand.Rand) map[string]Tensor { // (N, C, d1) with d1 = 2
		return map[string]Tensor{"input": tens(sh(2, 3, 2), randn(r, 12, 2)...), "target": tens(sh(2, 2), randClasses(r, 4, 3)...)}
	}, extra: [][]any{{"weight", []float64{0.5, 2, 1}}}},
	{id: "cross_entropy", gen: func(r *rand.Rand) map[string]Tensor {
		return map[string]Tensor{"input": tens(sh(4, 3), randn(r, 12, 2)...), "target": tens(sh(4), randClasses(r, 4, 3)...)}
	}, extra: [][]any{
		{"weight", []float64{0.5, 2, 1}}, {"weight", []float64{0.5, 2, 1}, "ignore_index", 2},
		{"label_smoothing", 0.2}, {"label_smoothing", 0.3, "weight", []float64{0.5, 2, 1}, "ignore_index", 0},
	}},
	{id: "cross_entropy", gen: func(r *rand.Rand) map[string]Tensor { // (C) with ()
		return map[string]Tensor{"input": tens(sh(4), randn(r, 4, 2)...), "target": tens(sh(), float64(r.IntN(4)))}
	}, extra: [][]any{{"label_smoothing", 0.1}}},
	{id: "cross_entropy", gen: func(r *rand.Rand) map[string]Tensor { // (N, C, d1) index targets
		return map[string]Tensor{"input": tens(sh(2, 3, 2), randn(r, 12, 2)...), "target": tens(sh(2, 2), randClasses(r, 4, 3)...)}
	}, extra: [][]any{{"weight", []float64{0.5, 2, 1}, "label_smoothing", 0.1}}},
	{id: "cross_entropy", gen: func(r *rand.Rand) map[string]Tensor { // probability targets
		return map[string]Tensor{"input": tens(sh(3, 4), randn(r, 12, 2)...), "target": tens(sh(3, 4), randProbRows(r, 3, 4)...)}
	}, extra: [][]any{{"weight", []float64{0.5, 2, 1, 3}}, {"label_smoothing", 0.25}}},
	{id: "margin_ranking_loss", gen: func(r *rand.Rand) map[string]Tensor {
		return map[string]Tensor{"input1": tens(sh(5), randn(r, 5, 1)...), "input2": tens(sh(5), randn(r, 5, 1)...),
			"target": tens(sh(5), randSign(r, 5)...)}
	}, extra: [][]any{{"margin", 0.5}}},
	{id: "triplet_margin_loss", gen: func(r *rand.Rand) map[string]Tensor {
		return map[string]Tensor{"anchor": tens(sh(3, 4), randn(r, 12, 1)...), "positive": tens(sh(3, 4), randn(r, 12, 1)...),
			"negative": tens(sh(3, 4), randn(r, 12, 1)...)}
	}, extra: [][]any{{"margin", 2.0}, {"margin", 3.0, "swap", true}, {"margin", 2.5, "p", 1.5}, {"margin", 2.5, "p", 3.0, "swap", true}}},
	{id: "triplet_margin_loss", gen: func(r *rand.Rand) map[string]Tensor { // (D)
		return map[string]Tensor{"anchor": tens(sh(3), randn(r, 3, 1)...), "positive": tens(sh(3), randn(r, 3, 1)...),
			"negative": tens(sh(3), randn(r, 3, 1)...)}
	}, extra: [][]any{{"margin", 3.0}}},
	{id: "cosine_embedding_loss", gen: func(r *rand.Rand) map[string]Tensor {
		return map[string]Tensor{"input1": tens(sh(4, 3), randn(r, 12, 1)...), "input2": tens(sh(4, 3), randn(r, 12, 1)...),
			"target": tens(sh(4), randSign(r, 4)...)}
	}, extra: [][]any{{"margin", -0.5}}},
	{id: "cosine_embedding_loss", gen: func(r *rand.Rand) map[string]Tensor { // (D) with ()
		return map[string]Tensor{"input1": tens(sh(3), randn(r, 3, 1)...), "input2": tens(sh(3), randn(r, 3, 1)...),
			"target": tens(sh(), -1)}
	}, extra: [][]any{{"margin", -0.9}}},
}

// reductionsOf returns the choices of f's reduction parameter.
func reductionsOf(f *Func) []string { return f.Params[f.ParamIndex("reduction")].Choices }

// TestLossGradientFD compares each differentiable input's gradient with a central finite
// difference of sum(Loss), for every reduction and parameter setting, away from kinks: a point
// where the two one-sided differences disagree is a kink and is skipped (and counted).
func TestLossGradientFD(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	covered := map[string]bool{}
	for _, gc := range gradCases {
		f := mustLoss(t, gc.id)
		covered[gc.id] = true
		settings := append([][]any{{}}, gc.extra...)
		if gc.only {
			settings = gc.extra
		}
		checked, kinks := 0, 0
		for _, set := range settings {
			for _, red := range reductionsOf(f) {
				p := lossParams(t, f, append(slices.Clone(set), "reduction", red)...)
				for range 3 {
					in := gc.gen(r)
					res := evalLoss(t, f, p, in)
					for _, inp := range f.Inputs {
						if !inp.Differentiable {
							continue
						}
						g, ok := res.Grad[inp.Name]
						if !ok || !slices.Equal(g.Shape, in[inp.Name].Shape) {
							t.Fatalf("%s: gradient of %s missing or misshapen", f.ID, inp.Name)
						}
						for i := range in[inp.Name].Data {
							fd, kink := centralFD(t, f, p, in, inp.Name, i)
							if kink {
								kinks++
								continue
							}
							checked++
							if !closeRel(g.Data[i], fd, 1e-6, 1e-8) {
								t.Errorf("%s %v reduction=%s: d/d%s[%d] = %v, finite difference %v", f.ID, set, red, inp.Name, i, g.Data[i], fd)
							}
						}
					}
				}
			}
		}
		t.Logf("%-34s %5d gradient entries checked, %d skipped at kinks", gc.id, checked, kinks)
		if checked == 0 || kinks > checked/10 {
			t.Errorf("%s: %d gradient entries checked, %d skipped at kinks", gc.id, checked, kinks)
		}
	}
	for _, f := range All() {
		if f.Kind == Loss && !covered[f.ID] && !strings.HasPrefix(f.ID, "zz_") {
			t.Errorf("%s has no finite-difference case", f.ID)
		}
	}
}

// centralFD returns the central difference of sum(Loss) with respect to in[name].Data[i] and
// whether the point looks like a kink (the one-sided differences disagree).
func centralFD(t *testing.T, f *Func, p Params, in map[string]Tensor, name string, i int) (float64, bool) {
	x := in[name].Data[i]
	h := 1e-5 * math.Max(1, math.Abs(x))
	at := func(v float64) float64 {
		m := cloneInputs(in)
		m[name].Data[i] = v
		return total(evalLoss(t, f, p, m))
	}
	f0, fp, fm := at(x), at(x+h), at(x-h)
	fd := (fp - fm) / (2 * h)
	right, left := (fp-f0)/h, (f0-fm)/h
	kink := !closeRel(right, left, 1e-3, 1e-5)
	// a second, smaller step: Richardson-style agreement guards against curvature at h
	h2 := h / 2
	fd2 := (at(x+h2) - at(x-h2)) / (2 * h2)
	fd = fd2 + (fd2-fd)/3
	return fd, kink
}

// ---- views against Loss -----------------------------------------------------------------------

// viewCase maps a Curve or Surface point to the same single-sample (or, where the surface says
// so, two-sample) input of Loss.
type viewCase struct {
	id      string
	curve   func(p Params, t, x float64) map[string]Tensor
	surface func(p Params, t, x, y float64) map[string]Tensor
	params  [][]any
	ts      []float64 // targets to try
	tol     float64
}

func elemCurveIn(_ Params, t, x float64) map[string]Tensor {
	return map[string]Tensor{"input": tens(sh(1), x), "target": tens(sh(1), t)}
}

func elemSurfaceIn(_ Params, _, x, y float64) map[string]Tensor {
	return map[string]Tensor{"input": tens(sh(1), x), "target": tens(sh(1), y)}
}

func classRow(c, i int, v float64, j int, u float64) []float64 {
	row := make([]float64, c)
	row[i] = v
	row[j] = u
	return row
}

var viewCases = []viewCase{
	{id: "mse_loss", curve: elemCurveIn, surface: elemSurfaceIn, ts: []float64{0, 1.5}},
	{id: "l1_loss", curve: elemCurveIn, surface: elemSurfaceIn, ts: []float64{0, -1}},
	{id: "smooth_l1_loss", curve: elemCurveIn, surface: elemSurfaceIn, ts: []float64{0, 1}, params: [][]any{{"beta", 0.0}, {"beta", 2.0}}},
	{id: "huber_loss", curve: elemCurveIn, surface: elemSurfaceIn, ts: []float64{0, 1}, params: [][]any{{"delta", 0.3}}},
	{id: "soft_margin_loss", curve: elemCurveIn, surface: elemSurfaceIn, ts: []float64{1, -1}},
	{id: "binary_cross_entropy", curve: elemCurveIn, surface: elemSurfaceIn, ts: []float64{0, 0.3, 1}},
	{id: "binary_cross_entropy_with_logits", curve: elemCurveIn, surface: elemSurfaceIn, ts: []float64{0, 0.3, 1},
		params: [][]any{{"pos_weight", 4.0}}},
	{id: "hinge_embedding_loss", curve: elemCurveIn, ts: []float64{1, -1}, params: [][]any{{"margin", 2.0}},
		surface: func(_ Params, _, x, y float64) map[string]Tensor {
			return map[string]Tensor{"input": tens(sh(2), x, y), "target": tens(sh(2), 1, -1)}
		}},
	{id: "kl_div", ts: []float64{0, 0.25, 1}, params: [][]any{{"log_target", true}, {"reduction", "batchmean"}},
		curve: func(p Params, t, x float64) map[string]Tensor {
			if p.Num[1] != 0 {
				t = math.Log(t)
			}
			return map[string]Tensor{"input": tens(sh(1), x), "target": tens(sh(1), t)}
		},
		surface: func(p Params, _, q, pt float64) map[string]Tensor {
			t0, t1 := pt, 1-pt
			if p.Num[1] != 0 {
				t0, t1 = math.Log(pt), math.Log1p(-pt)
			}
			return map[string]Tensor{"input": tens(sh(1, 2), math.Log(q), math.Log1p(-q)), "target": tens(sh(1, 2), t0, t1)}
		}},
	{id: "nll_loss", ts: []float64{0, 1, 2, 4},
		params: [][]any{{"weight", []float64{0.5, 2, 1, 3, 0.25}}, {"weight", []float64{0.5, 2, 1}, "ignore_index", 1}},
		curve: func(p Params, t, x float64) map[string]Tensor {
			c := viewClasses(p)
			y := viewTarget(t, c)
			return map[string]Tensor{"input": tens(sh(1, c), classRow(c, y, x, y, x)...), "target": tens(sh(1), float64(y))}
		},
		surface: func(p Params, t, x, y float64) map[string]Tensor {
			c := viewClasses(p)
			a := viewTarget(t, c)
			b := (a + 1) % c
			in := append(classRow(c, a, x, a, x), classRow(c, b, y, b, y)...)
			return map[string]Tensor{"input": tens(sh(2, c), in...), "target": tens(sh(2), float64(a), float64(b))}
		}},
	{id: "cross_entropy", ts: []float64{0, 1, 2, 3},
		params: [][]any{{"weight", []float64{0.5, 2, 1, 3}}, {"label_smoothing", 0.2}, {"ignore_index", 2},
			{"weight", []float64{0.5, 2}, "label_smoothing", 0.4}},
		curve: func(p Params, t, x float64) map[string]Tensor {
			c := viewClasses(p)
			y := viewTarget(t, c)
			return map[string]Tensor{"input": tens(sh(1, c), classRow(c, y, x, y, x)...), "target": tens(sh(1), float64(y))}
		},
		surface: func(p Params, t, x, y float64) map[string]Tensor {
			c := viewClasses(p)
			return map[string]Tensor{"input": tens(sh(1, c), classRow(c, 0, x, 1, y)...), "target": tens(sh(1), float64(viewTarget(t, c)))}
		}},
	{id: "margin_ranking_loss", ts: []float64{1, -1}, params: [][]any{{"margin", 0.5}},
		curve: func(_ Params, t, x float64) map[string]Tensor {
			return map[string]Tensor{"input1": tens(sh(1), x), "input2": tens(sh(1), 0), "target": tens(sh(1), t)}
		},
		surface: func(_ Params, t, x, y float64) map[string]Tensor {
			return map[string]Tensor{"input1": tens(sh(1), x), "input2": tens(sh(1), y), "target": tens(sh(1), t)}
		}},
	{id: "triplet_margin_loss", ts: []float64{0.5, 2}, params: [][]any{{"eps", 0.0}, {"eps", 0.0, "margin", 0.3, "p", 3.0}},
		curve: func(_ Params, t, x float64) map[string]Tensor {
			return map[string]Tensor{"anchor": tens(sh(1), 0), "positive": tens(sh(1), -x), "negative": tens(sh(1), -t)}
		},
		surface: func(_ Params, _, x, y float64) map[string]Tensor {
			return map[string]Tensor{"anchor": tens(sh(1), 0), "positive": tens(sh(1), -x), "negative": tens(sh(1), -y)}
		}},
	{id: "cosine_embedding_loss", ts: []float64{1, -1}, params: [][]any{{"margin", 0.3}}, tol: 1e-12,
		curve: func(_ Params, t, x float64) map[string]Tensor {
			s, c := math.Sincos(x)
			return map[string]Tensor{"input1": tens(sh(2), 1, 0), "input2": tens(sh(2), c, s), "target": tens(sh(), t)}
		},
		surface: func(_ Params, t, x, y float64) map[string]Tensor {
			s, c := math.Sincos(x)
			return map[string]Tensor{"input1": tens(sh(2), 1, 0), "input2": tens(sh(2), y*c, y*s), "target": tens(sh(), t)}
		}},
}

// TestLossViewsMatchLoss checks Curve.Eval and Surface.Eval against Loss on the same input (the
// values), and their derivatives against central differences of the views themselves, on a grid
// over the default axes, for every reduction and several parameter settings.
func TestLossViewsMatchLoss(t *testing.T) {
	covered := map[string]bool{}
	for _, vc := range viewCases {
		f := mustLoss(t, vc.id)
		covered[vc.id] = true
		tol := vc.tol
		if tol == 0 {
			tol = 1e-13
		}
		n := 0
		for _, set := range append([][]any{{}}, vc.params...) {
			for _, red := range reductionsOf(f) {
				p := lossParams(t, f, append(slices.Clone(set), "reduction", red)...)
				if err := f.Check(p); err != nil {
					t.Fatalf("%s %v: %v", f.ID, set, err)
				}
				for _, tt := range vc.ts {
					cv, sf := f.Curve, f.Surface
					for i := range 23 {
						x := cv.X.Min + (cv.X.Max-cv.X.Min)*(float64(i)+0.37)/23
						l, dl := cv.Eval(p, tt, x)
						want := total(evalLoss(t, f, p, vc.curve(p, tt, x)))
						if !closeRel(l, want, tol, tol) {
							t.Errorf("%s %v %s curve t=%v x=%v: %v, Loss gives %v", f.ID, set, red, tt, x, l, want)
						}
						checkViewFD(t, f.ID+" curve", dl, func(h float64) float64 { l, _ := cv.Eval(p, tt, x+h); return l }, x)
						for j := range 7 {
							y := sf.Y.Min + (sf.Y.Max-sf.Y.Min)*(float64(j)+0.41)/7
							sx := sf.X.Min + (sf.X.Max-sf.X.Min)*(float64(i)+0.37)/23
							l, dx, dy := sf.Eval(p, tt, sx, y)
							want := total(evalLoss(t, f, p, vc.surface(p, tt, sx, y)))
							if !closeRel(l, want, tol, tol) {
								t.Errorf("%s %v %s surface t=%v (%v, %v): %v, Loss gives %v", f.ID, set, red, tt, sx, y, l, want)
							}
							checkViewFD(t, f.ID+" surface x", dx, func(h float64) float64 { l, _, _ := sf.Eval(p, tt, sx+h, y); return l }, sx)
							checkViewFD(t, f.ID+" surface y", dy, func(h float64) float64 { l, _, _ := sf.Eval(p, tt, sx, y+h); return l }, y)
							n++
						}
					}
				}
			}
		}
		if n == 0 {
			t.Errorf("%s: no view points checked", f.ID)
		}
	}
	for _, f := range All() {
		if f.Kind == Loss && !covered[f.ID] && !strings.HasPrefix(f.ID, "zz_") {
			t.Errorf("%s has no view case", f.ID)
		}
	}
}

// checkViewFD compares a view's derivative d with a central difference of g(h) = value at x+h,
// skipping kinks (the one-sided differences disagree) and NaN values.
func checkViewFD(t *testing.T, what string, d float64, g func(h float64) float64, x float64) {
	t.Helper()
	h := 1e-6 * math.Max(1, math.Abs(x))
	f0, fp, fm := g(0), g(h), g(-h)
	if f0 != f0 || fp != fp || fm != fm {
		return
	}
	if !closeRel((fp-f0)/h, (f0-fm)/h, 1e-3, 1e-5) {
		return
	}
	if fd := (fp - fm) / (2 * h); !closeRel(d, fd, 1e-5, 1e-6) {
		t.Errorf("%s at %v: derivative %v, finite difference %v", what, x, d, fd)
	}
}

// TestLossViewsNoAlloc: Curve.Eval and Surface.Eval run per frame and must not allocate, with
// every parameter at its default and with class weights set.
func TestLossViewsNoAlloc(t *testing.T) {
	for _, f := range All() {
		if f.Kind != Loss || strings.HasPrefix(f.ID, "zz_") {
			continue
		}
		ps := []Params{f.Defaults()}
		if i := f.ParamIndex("weight"); i >= 0 {
			p := f.Defaults()
			p.Vec[i] = []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
			ps = append(ps, p)
		}
		for _, p := range ps {
			cv, sf := f.Curve, f.Surface
			var sink float64
			if n := testing.AllocsPerRun(20, func() {
				l, d := cv.Eval(p, cv.TDefault, 0.3)
				sink += l + d
			}); n != 0 {
				t.Errorf("%s: Curve.Eval allocates (%v)", f.ID, n)
			}
			if n := testing.AllocsPerRun(20, func() {
				l, dx, dy := sf.Eval(p, cv.TDefault, sf.Point[0], sf.Point[1])
				sink += l + dx + dy
			}); n != 0 {
				t.Errorf("%s: Surface.Eval allocates (%v)", f.ID, n)
			}
			_ = sink
		}
	}
}

// ---- the registry description -----------------------------------------------------------------

// TestLossDescriptions: every loss has the fields the UI, the docs and the URL codec need, a
// reduction parameter, defaults that pass Check, inputs in F.* order with shapes, and sane views.
func TestLossDescriptions(t *testing.T) {
	want := []string{"mse_loss", "l1_loss", "smooth_l1_loss", "nll_loss", "cross_entropy", "binary_cross_entropy",
		"binary_cross_entropy_with_logits", "kl_div", "margin_ranking_loss", "triplet_margin_loss",
		"cosine_embedding_loss", "huber_loss", "soft_margin_loss", "hinge_embedding_loss"}
	for _, id := range want {
		mustLoss(t, id)
	}
	for _, f := range All() {
		if f.Kind != Loss || strings.HasPrefix(f.ID, "zz_") {
			continue
		}
		if f.Name == "" || f.Group == "" || f.Formula == "" || f.Derivative == "" || !strings.HasPrefix(f.Source, "https://") {
			t.Errorf("%s: Name, Group, Formula, Derivative and Source are required", f.ID)
		}
		ri := f.ParamIndex("reduction")
		if ri < 0 || f.Params[ri].Type != Choice || f.Params[ri].Choices[int(f.Params[ri].Default)] != "mean" {
			t.Errorf("%s: reduction must be a Choice defaulting to mean", f.ID)
		}
		if err := f.Check(f.Defaults()); err != nil {
			t.Errorf("%s: defaults rejected: %v", f.ID, err)
		}
		for _, q := range f.Params {
			if q.Type == Real || q.Type == Int {
				if !(q.Min <= q.Default && q.Default <= q.Max) || q.Step <= 0 {
					t.Errorf("%s.%s: default %v outside the slider [%v, %v] or no step", f.ID, q.Name, q.Default, q.Min, q.Max)
				}
			}
		}
		if len(f.Inputs) < 2 {
			t.Errorf("%s: fewer than two inputs", f.ID)
		}
		for _, in := range f.Inputs {
			if !strings.HasPrefix(in.Doc, "(") {
				t.Errorf("%s: input %s has no shape in its Doc", f.ID, in.Name)
			}
		}
		for _, ax := range []Axis{f.Curve.X, f.Curve.T, f.Surface.X, f.Surface.Y} {
			if !(ax.Min < ax.Max) || ax.Label == "" {
				t.Errorf("%s: bad view axis %+v", f.ID, ax)
			}
		}
		if !(f.Curve.TStep > 0) || f.Curve.TDefault < f.Curve.T.Min || f.Curve.TDefault > f.Curve.T.Max {
			t.Errorf("%s: bad target control", f.ID)
		}
		if f.Surface.Note == "" {
			t.Errorf("%s: the surface needs a note saying what its axes are", f.ID)
		}
	}
	// kl_div's extra reduction, the order of the others as the shared list
	f := mustLoss(t, "kl_div")
	if got := reductionsOf(f); !slices.Equal(got, []string{"none", "mean", "sum", "batchmean"}) {
		t.Errorf("kl_div reductions %v", got)
	}
	// class-index views step by 1
	for _, id := range []string{"nll_loss", "cross_entropy"} {
		if f := mustLoss(t, id); f.Curve.TStep != 1 {
			t.Errorf("%s: the target class steps by 1", id)
		}
	}
}

// TestLossParamErrors: PyTorch's texts for invalid parameters, from Check (and from Loss, which
// checks first).
func TestLossParamErrors(t *testing.T) {
	tests := []struct {
		id   string
		kv   []any
		want string
	}{
		{"smooth_l1_loss", []any{"beta", -0.5}, "smooth_l1_loss does not support negative values for beta."},
		{"smooth_l1_loss", []any{"beta", math.NaN()}, "beta must be a finite number, got nan"},
		{"huber_loss", []any{"delta", 0.0}, "huber_loss does not support non-positive values for delta."},
		{"huber_loss", []any{"delta", -1.0}, "huber_loss does not support non-positive values for delta."},
		{"cross_entropy", []any{"label_smoothing", 1.5}, "label_smoothing must be between 0.0 and 1.0. Got: 1.5"},
		{"triplet_margin_loss", []any{"margin", 0.0}, "margin must be greater than 0, got 0.0"},
		{"triplet_margin_loss", []any{"margin", -1.0}, "margin must be greater than 0, got -1.0"},
		{"triplet_margin_loss", []any{"p", 0.0}, "p must be greater than 0 for the pairwise distance, got 0.0"},
		{"nll_loss", []any{"ignore_index", 1.5}, "ignore_index must be an integer, got 1.5"},
		{"nll_loss", []any{"weight", []float64{1}}, "weight must have between 2 and 10 elements"},
		{"kl_div", []any{"log_target", 2.0}, "log_target must be true or false"},
	}
	for _, tt := range tests {
		f := mustLoss(t, tt.id)
		p := lossParams(t, f, tt.kv...)
		err := f.Check(p)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s %v: Check error %v, want %q", tt.id, tt.kv, err, tt.want)
		}
		if _, err := f.Loss(p, nil); err == nil || err.Error() != tt.want {
			t.Errorf("%s %v: Loss error %v, want %q", tt.id, tt.kv, err, tt.want)
		}
	}
	// label_smoothing < 0 is accepted and ignored, with a note
	f := mustLoss(t, "cross_entropy")
	in := map[string]Tensor{"input": tens(sh(3), 1, 2, 3), "target": tens(sh(), 1)}
	a := evalLoss(t, f, lossParams(t, f, "label_smoothing", -0.5), in)
	b := evalLoss(t, f, f.Defaults(), in)
	if a.Loss.Data[0] != b.Loss.Data[0] || len(a.Notes) == 0 {
		t.Errorf("negative label_smoothing: %v (notes %q), want %v with a note", a.Loss.Data[0], a.Notes, b.Loss.Data[0])
	}
	// a margin of any sign is accepted where PyTorch accepts it
	for _, id := range []string{"margin_ranking_loss", "cosine_embedding_loss", "hinge_embedding_loss"} {
		f := mustLoss(t, id)
		if err := f.Check(lossParams(t, f, "margin", -1.0)); err != nil {
			t.Errorf("%s: margin -1 rejected: %v", id, err)
		}
	}
}

// TestLossInputErrors: shapes and values are checked with clear messages (PyTorch's where it has
// one), and nothing broadcasts silently.
func TestLossInputErrors(t *testing.T) {
	tests := []struct {
		id   string
		kv   []any
		in   map[string]Tensor
		want string // a prefix of the message
	}{
		{"mse_loss", nil, map[string]Tensor{"input": tens(sh(2), 1, 2)}, "missing input: target"},
		{"mse_loss", nil, map[string]Tensor{"input": tens(sh(3), 1, 2), "target": tens(sh(2), 1, 2)}, "input: shape [3] does not match its 2 data elements"},
		{"l1_loss", nil, map[string]Tensor{"input": tens(sh(2), 1, 2), "target": tens(sh(1, 2), 1, 2)}, "input shape [2] and target shape [1, 2] differ"},
		{"binary_cross_entropy", nil, map[string]Tensor{"input": tens(sh(2), 0.1, 0.2), "target": tens(sh(2, 1), 1, 0)},
			"Using a target size (torch.Size([2, 1])) that is different to the input size (torch.Size([2])) is deprecated. Please ensure they have the same size."},
		{"binary_cross_entropy", nil, map[string]Tensor{"input": tens(sh(1), 0.5), "target": tens(sh(1), 1.5)}, "all elements of target should be between 0 and 1"},
		{"binary_cross_entropy", nil, map[string]Tensor{"input": tens(sh(1), -0.1), "target": tens(sh(1), 1)}, "all elements of input should be between 0 and 1"},
		{"binary_cross_entropy_with_logits", nil, map[string]Tensor{"input": tens(sh(2), 1, 2), "target": tens(sh(1), 1)},
			"Target size (torch.Size([1])) must be the same as input size (torch.Size([2]))"},
		{"nll_loss", nil, map[string]Tensor{"input": tens(sh(2, 3), 1, 2, 3, 4, 5, 6), "target": tens(sh(3), 0, 1, 2)},
			"Expected input batch_size (2) to match target batch_size (3)."},
		{"nll_loss", nil, map[string]Tensor{"input": tens(sh(2, 3), 1, 2, 3, 4, 5, 6), "target": tens(sh(2), 0, 3)}, "Target 3 is out of bounds."},
		{"nll_loss", nil, map[string]Tensor{"input": tens(sh(2, 3), 1, 2, 3, 4, 5, 6), "target": tens(sh(2), 0, -1)}, "Target -1 is out of bounds."},
		{"nll_loss", nil, map[string]Tensor{"input": tens(sh(2, 3), 1, 2, 3, 4, 5, 6), "target": tens(sh(2), 0, 0.5)}, "target must hold integer class indices, got 0.5"},
		{"nll_loss", nil, map[string]Tensor{"input": tens(sh(), 1), "target": tens(sh(), 0)}, "Expected 1 or more dimensions (got 0)"},
		{"nll_loss", nil, map[string]Tensor{"input": tens(sh(3), 1, 2, 3), "target": tens(sh(2), 0, 1)}, "For 1D input, 1D target must have size 1, but got target size: 2"},
		{"nll_loss", nil, map[string]Tensor{"input": tens(sh(1, 3, 2), 1, 2, 3, 4, 5, 6), "target": tens(sh(1, 3), 0, 1, 2)}, "Expected target size [1, 2], got [1, 3]"},
		{"nll_loss", []any{"weight", []float64{1, 2}}, map[string]Tensor{"input": tens(sh(1, 3), 1, 2, 3), "target": tens(sh(1), 0)},
			"weight tensor should be defined either for all 3 classes or no classes but got weight tensor of shape: [2]"},
		{"cross_entropy", []any{"weight", []float64{1, 2}}, map[string]Tensor{"input": tens(sh(1, 3), 1, 2, 3), "target": tens(sh(1, 3), 0, 1, 0)},
			"cross_entropy: weight tensor should be defined either for all 3 classes or no classes but got weight tensor of shape: [2]"},
		{"cross_entropy", []any{"ignore_index", 0}, map[string]Tensor{"input": tens(sh(1, 3), 1, 2, 3), "target": tens(sh(1, 3), 0, 1, 0)},
			"ignore_index is not supported for floating point target"},
		{"margin_ranking_loss", nil, map[string]Tensor{"input1": tens(sh(2), 1, 2), "input2": tens(sh(2), 1, 2), "target": tens(sh(), 1)},
			"margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: torch.Size([2]), input2: torch.Size([2]), target: torch.Size([]) "},
		{"triplet_margin_loss", nil, map[string]Tensor{"anchor": tens(sh(2), 1, 2), "positive": tens(sh(1, 2), 1, 2), "negative": tens(sh(2), 1, 2)},
			"The anchor, positive, and negative tensors are expected to have the same number of dimensions, but got: anchor 1D, positive 2D, and negative 1D inputs"},
		{"cosine_embedding_loss", nil, map[string]Tensor{"input1": tens(sh(2), 1, 2), "input2": tens(sh(2), 1, 2), "target": tens(sh(1), 1)},
			"1D target tensor expects 2D input tensors, but found inputs with sizes [2] and [2]."},
		{"cosine_embedding_loss", nil, map[string]Tensor{"input1": tens(sh(1, 2), 1, 2), "input2": tens(sh(1, 2), 1, 2), "target": tens(sh(), 1)},
			"0D target tensor expects 1D input tensors, but found inputs with sizes [1, 2] and [1, 2]."},
		{"cosine_embedding_loss", nil, map[string]Tensor{"input1": tens(sh(1, 2), 1, 2), "input2": tens(sh(1, 2), 1, 2), "target": tens(sh(1, 1), 1)},
			"0D or 1D target tensor expected, multi-target not supported"},
		{"kl_div", nil, map[string]Tensor{"input": tens(sh(2), 1, 2), "target": tens(sh(2, 1), 1, 2)}, "input shape [2] and target shape [2, 1] differ"},
	}
	for _, tt := range tests {
		f := mustLoss(t, tt.id)
		_, err := f.Loss(lossParams(t, f, tt.kv...), tt.in)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.id, err, tt.want)
		}
	}
}

// ---- special values and properties ------------------------------------------------------------

// TestLossNaNPropagates: a NaN in a differentiable input gives a NaN loss (NaN in, NaN out).
func TestLossNaNPropagates(t *testing.T) {
	nan := math.NaN()
	cases := map[string]map[string]Tensor{
		"mse_loss":                         {"input": tens(sh(2), nan, 1), "target": tens(sh(2), 0, 1)},
		"l1_loss":                          {"input": tens(sh(2), nan, 1), "target": tens(sh(2), 0, 1)},
		"smooth_l1_loss":                   {"input": tens(sh(2), nan, 1), "target": tens(sh(2), 0, 1)},
		"huber_loss":                       {"input": tens(sh(2), nan, 1), "target": tens(sh(2), 0, 1)},
		"soft_margin_loss":                 {"input": tens(sh(2), nan, 1), "target": tens(sh(2), 1, 1)},
		"hinge_embedding_loss":             {"input": tens(sh(2), nan, 1), "target": tens(sh(2), -1, 1)},
		"binary_cross_entropy_with_logits": {"input": tens(sh(2), nan, 1), "target": tens(sh(2), 0, 1)},
		"kl_div":                           {"input": tens(sh(2), nan, 1), "target": tens(sh(2), 0.5, 0.5)},
		"nll_loss":                         {"input": tens(sh(1, 2), nan, 1), "target": tens(sh(1), 0)},
		"cross_entropy":                    {"input": tens(sh(1, 2), 0, nan), "target": tens(sh(1), 0)},
		"margin_ranking_loss":              {"input1": tens(sh(1), nan), "input2": tens(sh(1), 0), "target": tens(sh(1), 1)},
		"triplet_margin_loss":              {"anchor": tens(sh(2), nan, 0), "positive": tens(sh(2), 0, 0), "negative": tens(sh(2), 1, 1)},
		"cosine_embedding_loss":            {"input1": tens(sh(2), nan, 0), "input2": tens(sh(2), 1, 1), "target": tens(sh(), -1)},
	}
	for id, in := range cases {
		f := mustLoss(t, id)
		for _, red := range reductionsOf(f) {
			res := evalLoss(t, f, lossParams(t, f, "reduction", red), in)
			if !math.IsNaN(total(res)) {
				t.Errorf("%s %s: NaN input gives %v", id, red, res.Loss.Data)
			}
		}
	}
	// the NaN sits in the loss of its own element only
	f := mustLoss(t, "mse_loss")
	res := evalLoss(t, f, lossParams(t, f, "reduction", "none"), cases["mse_loss"])
	if !math.IsNaN(res.Loss.Data[0]) || res.Loss.Data[1] != 0 {
		t.Errorf("mse none with NaN: %v", res.Loss.Data)
	}
}

// TestLossEmptyMean: 'mean' over zero elements is NaN with a note; 'sum' is 0.
func TestLossEmptyMean(t *testing.T) {
	for _, id := range []string{"mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "binary_cross_entropy",
		"binary_cross_entropy_with_logits", "soft_margin_loss", "hinge_embedding_loss", "kl_div"} {
		f := mustLoss(t, id)
		in := map[string]Tensor{"input": tens(sh(0)), "target": tens(sh(0))}
		m := evalLoss(t, f, f.Defaults(), in)
		if !math.IsNaN(m.Loss.Data[0]) || len(m.Notes) == 0 {
			t.Errorf("%s: mean over nothing = %v, notes %q", id, m.Loss.Data, m.Notes)
		}
		s := evalLoss(t, f, lossParams(t, f, "reduction", "sum"), in)
		if s.Loss.Data[0] != 0 {
			t.Errorf("%s: sum over nothing = %v", id, s.Loss.Data)
		}
	}
}

// TestLossNonNegative: losses that are >= 0 by definition stay >= 0 on random and extreme inputs.
func TestLossNonNegative(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	ext := []float64{0, 1e-300, -1e-300, 1e-8, 1, -1, 30, -40, 1e4, -1e4, 8e7, 1e300, -1e300}
	for range 200 {
		x := ext[r.IntN(len(ext))] * (1 + r.Float64())
		y := ext[r.IntN(len(ext))] * (1 + r.Float64())
		t01 := r.Float64()
		for _, c := range []struct {
			id     string
			x, y   float64
			params []any
		}{
			{"mse_loss", x, y, nil}, {"l1_loss", x, y, nil}, {"smooth_l1_loss", x, y, []any{"beta", 0.7}},
			{"huber_loss", x, y, []any{"delta", 2.0}}, {"soft_margin_loss", x, math.Copysign(1, y), nil},
			{"binary_cross_entropy_with_logits", x, t01, []any{"pos_weight", 2.5}},
			{"binary_cross_entropy", t01, r.Float64(), nil},
		} {
			f := mustLoss(t, c.id)
			res := evalLoss(t, f, lossParams(t, f, c.params...), map[string]Tensor{"input": tens(sh(1), c.x), "target": tens(sh(1), c.y)})
			if !(res.Loss.Data[0] >= 0) {
				t.Errorf("%s(%v, %v) = %v < 0", c.id, c.x, c.y, res.Loss.Data[0])
			}
		}
		f := mustLoss(t, "cross_entropy")
		res := evalLoss(t, f, f.Defaults(), map[string]Tensor{"input": tens(sh(3), x, y, -x), "target": tens(sh(), float64(r.IntN(3)))})
		if !(res.Loss.Data[0] >= 0) {
			t.Errorf("cross_entropy([%v %v %v]) = %v < 0", x, y, -x, res.Loss.Data[0])
		}
	}
}

// TestCrossEntropyProperties: one-hot probability targets equal index targets; label_smoothing 0
// equals plain; probability targets with smoothing equal smoothed index targets without weights;
// cross_entropy = nll_loss(log_softmax).
func TestCrossEntropyProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	ce, nll := mustLoss(t, "cross_entropy"), mustLoss(t, "nll_loss")
	for range 20 {
		x := randn(r, 12, 3)
		cls := randClasses(r, 4, 3)
		onehot := make([]float64, 12)
		for i, c := range cls {
			onehot[i*3+int(c)] = 1
		}
		idx := map[string]Tensor{"input": tens(sh(4, 3), x...), "target": tens(sh(4), cls...)}
		prob := map[string]Tensor{"input": tens(sh(4, 3), x...), "target": tens(sh(4, 3), onehot...)}
		for _, red := range Reductions {
			for _, kv := range [][]any{{}, {"label_smoothing", 0.3}} {
				p := lossParams(t, ce, append(slices.Clone(kv), "reduction", red)...)
				a, b := evalLoss(t, ce, p, idx), evalLoss(t, ce, p, prob)
				for i := range a.Loss.Data {
					if !closeRel(a.Loss.Data[i], b.Loss.Data[i], 1e-14, 1e-15) {
						t.Errorf("%s %v: index %v, one-hot %v", red, kv, a.Loss.Data, b.Loss.Data)
					}
				}
				for i := range a.Grad["input"].Data {
					if !closeRel(a.Grad["input"].Data[i], b.Grad["input"].Data[i], 1e-12, 1e-15) {
						t.Errorf("%s %v: gradients differ: %v vs %v", red, kv, a.Grad["input"].Data, b.Grad["input"].Data)
						break
					}
				}
			}
			// label_smoothing = 0 is the plain loss, bit for bit
			p0 := lossParams(t, ce, "reduction", red, "label_smoothing", 0.0)
			if a, b := evalLoss(t, ce, p0, idx), evalLoss(t, ce, lossParams(t, ce, "reduction", red), idx); !slices.Equal(a.Loss.Data, b.Loss.Data) {
				t.Errorf("label_smoothing 0 differs: %v vs %v", a.Loss.Data, b.Loss.Data)
			}
			// cross_entropy(x) = nll_loss(log_softmax(x)), with weights
			w := []float64{0.5, 2, 1}
			lsm := LogSoftmaxClasses(idx["input"])
			a := evalLoss(t, ce, lossParams(t, ce, "reduction", red, "weight", w), idx)
			b := evalLoss(t, nll, lossParams(t, nll, "reduction", red, "weight", w), map[string]Tensor{"input": lsm, "target": idx["target"]})
			for i := range a.Loss.Data {
				if !closeRel(a.Loss.Data[i], b.Loss.Data[i], 1e-14, 1e-15) {
					t.Errorf("ce vs nll(log_softmax) %s: %v vs %v", red, a.Loss.Data, b.Loss.Data)
				}
			}
		}
	}
}

// TestClassWeightsAndReduction: with weights, a single sample's 'mean' cancels its weight while
// 'sum' and 'none' keep it, in Loss and in the views.
func TestClassWeightsAndReduction(t *testing.T) {
	for _, id := range []string{"nll_loss", "cross_entropy"} {
		f := mustLoss(t, id)
		w := []float64{0.5, 4, 1}
		in := map[string]Tensor{"input": tens(sh(1, 3), -1.5, -0.2, -2), "target": tens(sh(1), 1)}
		mean := evalLoss(t, f, lossParams(t, f, "weight", w), in).Loss.Data[0]
		sum := evalLoss(t, f, lossParams(t, f, "weight", w, "reduction", "sum"), in).Loss.Data[0]
		plain := evalLoss(t, f, f.Defaults(), in).Loss.Data[0]
		if !closeRel(mean, plain, 1e-15, 0) || !closeRel(sum, 4*plain, 1e-15, 0) {
			t.Errorf("%s: mean %v, sum %v, unweighted %v", id, mean, sum, plain)
		}
		cm, _ := f.Curve.Eval(lossParams(t, f, "weight", w), 1, -0.7)
		cs, _ := f.Curve.Eval(lossParams(t, f, "weight", w, "reduction", "sum"), 1, -0.7)
		if !closeRel(cs, 4*cm, 1e-15, 0) {
			t.Errorf("%s curve: sum %v, mean %v", id, cs, cm)
		}
	}
	// a single ignored sample: 0 for sum, NaN for mean, in the views as in Loss
	f := mustLoss(t, "cross_entropy")
	if l, _ := f.Curve.Eval(lossParams(t, f, "ignore_index", 1), 1, 0.5); !math.IsNaN(l) {
		t.Errorf("ignored target, mean: %v", l)
	}
	if l, _ := f.Curve.Eval(lossParams(t, f, "ignore_index", 1, "reduction", "sum"), 1, 0.5); l != 0 {
		t.Errorf("ignored target, sum: %v", l)
	}
}

// TestHuberIsScaledSmoothL1: huber_loss(delta) = delta * smooth_l1_loss(beta = delta), gradient too.
func TestHuberIsScaledSmoothL1(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	hu, sm := mustLoss(t, "huber_loss"), mustLoss(t, "smooth_l1_loss")
	for _, d := range []float64{0.25, 1, 3} {
		for _, red := range Reductions {
			in := regressionGen(r)
			a := evalLoss(t, hu, lossParams(t, hu, "delta", d, "reduction", red), in)
			b := evalLoss(t, sm, lossParams(t, sm, "beta", d, "reduction", red), in)
			for i := range a.Loss.Data {
				if !closeRel(a.Loss.Data[i], d*b.Loss.Data[i], 1e-14, 1e-300) {
					t.Errorf("delta %v %s: huber %v, delta*smooth_l1 %v", d, red, a.Loss.Data[i], d*b.Loss.Data[i])
				}
			}
			for i := range a.Grad["input"].Data {
				if !closeRel(a.Grad["input"].Data[i], d*b.Grad["input"].Data[i], 1e-14, 1e-300) {
					t.Errorf("delta %v %s: gradients differ", d, red)
				}
			}
		}
	}
}

// TestLossKinks: PyTorch's convention at each kink.
func TestLossKinks(t *testing.T) {
	g1 := func(id string, kv []any, in map[string]Tensor, name string) []float64 {
		f := mustLoss(t, id)
		return evalLoss(t, f, lossParams(t, f, append(kv, "reduction", "sum")...), in).Grad[name].Data
	}
	eq := func(what string, got, want []float64) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s: gradient %v, want %v", what, got, want)
		}
	}
	xy := func(x, y float64) map[string]Tensor {
		return map[string]Tensor{"input": tens(sh(1), x), "target": tens(sh(1), y)}
	}
	eq("l1 at x == y", g1("l1_loss", nil, xy(2, 2), "input"), []float64{0})
	eq("smooth_l1 beta=0 at x == y", g1("smooth_l1_loss", []any{"beta", 0.0}, xy(2, 2), "input"), []float64{0})
	eq("smooth_l1 at |d| = beta", g1("smooth_l1_loss", []any{"beta", 0.5}, xy(2.5, 2), "input"), []float64{1})
	eq("huber at |d| = delta", g1("huber_loss", []any{"delta", 0.5}, xy(1.5, 2), "input"), []float64{-0.5})
	eq("hinge at x == margin, y = -1", g1("hinge_embedding_loss", []any{"margin", 1.0}, xy(1, -1), "input"), []float64{-1})
	mr := map[string]Tensor{"input1": tens(sh(1), 1), "input2": tens(sh(1), 1.5), "target": tens(sh(1), 1)}
	eq("margin_ranking at z = 0 (input1)", g1("margin_ranking_loss", []any{"margin", 0.5}, mr, "input1"), []float64{-1})
	eq("margin_ranking at z = 0 (input2)", g1("margin_ranking_loss", []any{"margin", 0.5}, mr, "input2"), []float64{1})
	// cosine_embedding y = -1 at cos == margin: the margin set to the computed cos((1,0),(1,3))
	f := mustLoss(t, "cosine_embedding_loss")
	ce := map[string]Tensor{"input1": tens(sh(2), 1, 0), "input2": tens(sh(2), 1, 3), "target": tens(sh(), -1)}
	var g [2]float64
	c, _, _ := cosEmbed([]float64{1, 0}, []float64{1, 3}, g[:], make([]float64, 2))
	res := evalLoss(t, f, lossParams(t, f, "margin", c, "reduction", "sum"), ce)
	if res.Loss.Data[0] != 0 || !slices.Equal(res.Grad["input1"].Data, g[:]) {
		t.Errorf("cosine at cos == margin: loss %v, gradient %v, want 0 and %v (passes)", res.Loss.Data, res.Grad["input1"].Data, g)
	}
	// triplet at the hinge: margin + d(a,p) - d(a,n) = 0 passes the gradient
	tf := mustLoss(t, "triplet_margin_loss")
	tr := map[string]Tensor{"anchor": tens(sh(1), 0), "positive": tens(sh(1), 1), "negative": tens(sh(1), 3)}
	res = evalLoss(t, tf, lossParams(t, tf, "margin", 2.0, "eps", 0.0, "reduction", "sum"), tr)
	if res.Loss.Data[0] != 0 || !slices.Equal(res.Grad["anchor"].Data, []float64{0}) || !slices.Equal(res.Grad["positive"].Data, []float64{1}) ||
		!slices.Equal(res.Grad["negative"].Data, []float64{-1}) {
		t.Errorf("triplet at the hinge: %v %v", res.Loss.Data, res.Grad)
	}
	// swap tie: d(a,n) == d(p,n) splits the negative's gradient 1/2 : 1/2
	tr = map[string]Tensor{"anchor": tens(sh(1), -1), "positive": tens(sh(1), 1), "negative": tens(sh(1), 0)}
	res = evalLoss(t, tf, lossParams(t, tf, "margin", 1.0, "eps", 0.0, "swap", true, "reduction", "sum"), tr)
	// d(a,p) = 2, d(a,n) = d(p,n) = 1: l = 1 + 2 - 1 = 2; d/da = -1 - ½(-1) = -0.5, d/dp = 1 - ½(1) = 0.5, d/dn = ½(-1) + ½(1) = 0
	if res.Loss.Data[0] != 2 || !slices.Equal(res.Grad["anchor"].Data, []float64{-0.5}) ||
		!slices.Equal(res.Grad["positive"].Data, []float64{0.5}) || !slices.Equal(res.Grad["negative"].Data, []float64{0}) {
		t.Errorf("triplet swap tie: loss %v, grads %v", res.Loss.Data, res.Grad)
	}
	// a zero difference vector: eps keeps the distance positive; with eps = 0 the gradient is 0
	tr = map[string]Tensor{"anchor": tens(sh(2), 1, 1), "positive": tens(sh(2), 1, 1), "negative": tens(sh(2), 1, 1)}
	res = evalLoss(t, tf, lossParams(t, tf, "eps", 0.0, "reduction", "sum"), tr)
	if res.Loss.Data[0] != 1 || !slices.Equal(res.Grad["anchor"].Data, []float64{0, 0}) {
		t.Errorf("triplet with identical points and eps 0: %v %v", res.Loss.Data, res.Grad)
	}
}

// TestLossShapesNoPanic: every loss, fed every combination of small shapes (scalars, empty and
// mismatched tensors, with and without class weights), returns a result or an error, never panics.
func TestLossShapesNoPanic(t *testing.T) {
	shapes := [][]int{{}, {0}, {1}, {3}, {2, 3}, {2, 0}, {0, 3}, {3, 2}, {2, 3, 2}, {2, 2}, {1, 3, 0}}
	mk := func(s []int, fill float64) Tensor {
		n := numel(s)
		d := make([]float64, n)
		for i := range d {
			d[i] = fill * float64(i%3)
		}
		return Tensor{Shape: s, Data: d}
	}
	n := 0
	for _, f := range All() {
		if f.Kind != Loss || strings.HasPrefix(f.ID, "zz_") {
			continue
		}
		ps := []Params{f.Defaults()}
		if i := f.ParamIndex("weight"); i >= 0 {
			p := f.Defaults()
			p.Vec[i] = []float64{1, 2, 3}
			ps = append(ps, p)
		}
		for _, p := range ps {
			for _, s0 := range shapes {
				for _, s1 := range shapes {
					in := map[string]Tensor{}
					for k, li := range f.Inputs {
						s := s0
						if k == len(f.Inputs)-1 {
							s = s1
						}
						in[li.Name] = mk(s, 0.5)
					}
					_, _ = f.Loss(p, in)
					n++
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no loss exercised")
	}
}
