package depth

import (
	"math"
	"testing"
)

// TestTheoryReference compares Theory with the mean-field recursion computed by mpmath
// (reference.json "recursions": 30-digit quadratures layer by layer, the fixed point by
// mp.findroot, see testdata/gen.py), to 1e-12 relative; PostMean, which can be near 0, relative
// to PostStd.
func TestTheoryReference(t *testing.T) {
	ref := reference(t)
	if len(ref.Recursions) < 5 {
		t.Fatalf("only %d recursions in reference.json", len(ref.Recursions))
	}
	const tol = 1e-12
	for _, r := range ref.Recursions {
		in := TheoryIn{
			Act:     activation(t, r.ID, r.Params),
			SigmaW2: num(t, r.SigmaW2), BiasMean: num(t, r.BiasMean), BiasVar: num(t, r.BiasVar),
			Depth: r.Depth, Q0: num(t, r.Q0), Units: num(t, r.Units),
		}
		var out TheoryOut
		Theory(in, &out)
		name := r.ID + " σ_w²=" + r.SigmaW2 + " μ_b=" + r.BiasMean + " σ_b²=" + r.BiasVar
		if len(out.Q) != r.Depth {
			t.Fatalf("%s: %d layers, want %d", name, len(out.Q), r.Depth)
		}
		check := func(what string, l int, got, want, floor float64) {
			t.Helper()
			if !near(got, want, tol, floor) {
				t.Errorf("%s: %s[%d] = %.17g, want %.17g (rel err %.2e)", name, what, l, got, want, relErr(got, want, floor))
			}
		}
		for l := 0; l < r.Depth; l++ {
			check("Q", l, out.Q[l], num(t, r.Q[l]), 0)
			check("PreStd", l, out.PreStd[l], num(t, r.PreStd[l]), 0)
			check("PreMean", l, out.PreMean[l], in.BiasMean, 0)
			ps := num(t, r.PostStd[l])
			check("PostMean", l, out.PostMean[l], num(t, r.PostMean[l]), ps)
			check("PostStd", l, out.PostStd[l], ps, 0)
			check("Chi", l, out.Chi[l], num(t, r.Chi[l]), 0)
			check("Grad", l, out.Grad[l], num(t, r.Grad[l]), 0)
		}
		check("QStar", 0, out.QStar, num(t, r.QStar), 0)
		check("ChiStar", 0, out.ChiStar, num(t, r.ChiStar), 0)
	}
}

// TestTheoryClosedForms checks maps with known fixed points and growth:
//
//	linear c·x: q_l = σ_w²c²·q_{l-1} + σ_b², fixed point σ_b²/(1 - σ_w²c²) when σ_w²c² < 1
//	relu: E[relu(√v·z)²] = v/2, E[relu'²] = 1/2, so v_{l+1} = σ_w²·v_l/2 + σ_b² and χ = σ_w²/2
//	selu with σ_w² = 1: Klambauer's fixed point, mean 0 and variance 1
func TestTheoryClosedForms(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	cases := []struct {
		name            string
		act             Act
		sw2, mb, vb, q0 float64
		depth           int
		qStar, chiStar  float64
		q               func(l int) float64 // q_l for l = 1..depth, nil: not checked
		tolStar         float64
	}{
		{"linear σ_w²=0.8 σ_b²=0.1", activation(t, "linear", nil), 0.8, 0, 0.1, 1, 10, 0.5, 0.8,
			func(l int) float64 { return 0.5 + 0.5*math.Pow(0.8, float64(l)) }, 1e-13},
		{"linear c=0.5 σ_w²=2 σ_b²=0.3", activation(t, "linear", map[string]any{"c": 0.5}), 2, 0, 0.3, 1, 6, 0.6, 0.5,
			func(l int) float64 { return 0.6 + 3.4*math.Pow(0.5, float64(l)) }, 1e-13},
		{"linear σ_w²=2 (grows)", activation(t, "linear", nil), 2, 0, 0.1, 1, 5, inf, nan,
			func(l int) float64 { return -0.1 + 1.1*math.Pow(2, float64(l)) }, 0},
		{"linear σ_w²=1 (neutral)", activation(t, "linear", nil), 1, 0, 0, 1.7, 5, 1.7, 1,
			func(l int) float64 { return 1.7 }, 1e-15},
		{"linear σ_w²=1 bias mean 0.5 (grows by μ_b² per layer)", activation(t, "linear", nil), 1, 0.5, 0, 1, 6, inf, nan,
			func(l int) float64 { return 1 + 0.25*float64(l) }, 0},
		{"relu σ_w²=2 (identity map)", activation(t, "relu", nil), 2, 0, 0, 1, 30, 2, 1,
			func(int) float64 { return 2 }, 1e-14},
		{"relu σ_w²=2 σ_b²=0.1 (grows linearly)", activation(t, "relu", nil), 2, 0, 0.1, 1, 10, inf, nan,
			func(l int) float64 { return 2 + 0.1*float64(l) }, 0},
		{"relu σ_w²=1 σ_b²=0.5", activation(t, "relu", nil), 1, 0, 0.5, 1, 8, 1, 0.5,
			func(l int) float64 { return 1 + 0.5*math.Pow(0.5, float64(l-1)) }, 1e-13},
		{"relu σ_w²=1.5 (decays to 0)", activation(t, "relu", nil), 1.5, 0, 0, 1, 8, 0, 0.75,
			func(l int) float64 { return 1.5 * math.Pow(0.75, float64(l-1)) }, 0},
		{"tanh σ_w²=0.5 (decays to 0)", activation(t, "tanh", nil), 0.5, 0, 0, 1, 8, 0, 0.5, nil, 0},
		{"tanh σ_w²=1 (critical: q ~ 1/l)", activation(t, "tanh", nil), 1, 0, 0, 1, 8, 0, 1, nil, 0},
		{"selu σ_w²=1 from Q0 = 1", activation(t, "selu", nil), 1, 0, 0, 1, 20, 1, nan, func(int) float64 { return 1 }, 1e-13},
		{"selu σ_w²=1 from Q0 = 3", activation(t, "selu", nil), 1, 0, 0, 3, 5, 1, nan, nil, 1e-13},
	}
	for _, c := range cases {
		var out TheoryOut
		Theory(TheoryIn{Act: c.act, SigmaW2: c.sw2, BiasMean: c.mb, BiasVar: c.vb, Depth: c.depth, Q0: c.q0, Units: 1}, &out)
		if !near(out.QStar, c.qStar, c.tolStar, 1e-300) && !(c.qStar == 0 && out.QStar == 0) {
			t.Errorf("%s: QStar = %.17g, want %.17g", c.name, out.QStar, c.qStar)
		}
		if c.chiStar == c.chiStar && !near(out.ChiStar, c.chiStar, 1e-13, 0) {
			t.Errorf("%s: ChiStar = %.17g, want %.17g", c.name, out.ChiStar, c.chiStar)
		}
		if math.IsInf(c.qStar, 1) && !math.IsNaN(out.ChiStar) {
			t.Errorf("%s: ChiStar = %v, want NaN (no fixed point)", c.name, out.ChiStar)
		}
		if c.q != nil {
			for l := 1; l <= c.depth; l++ {
				if want := c.q(l); !near(out.Q[l-1], want, 1e-14, 0) {
					t.Errorf("%s: Q[%d] = %.17g, want %.17g", c.name, l-1, out.Q[l-1], want)
				}
			}
		}
	}
}

// TestTheorySELU: Klambauer et al.'s fixed point of mean 0 and variance 1 holds layer after layer
// (to the precision of the SELU constants), and attracts from another variance; χ₁ is
// E[selu'(z)²] = 1.0716 (reference.json), slightly above 1.
func TestTheorySELU(t *testing.T) {
	act := activation(t, "selu", nil)
	var out TheoryOut
	Theory(TheoryIn{Act: act, SigmaW2: 1, Depth: 50, Q0: 1, Units: 1}, &out)
	for l := range out.Q {
		if math.Abs(out.PostMean[l]) > 1e-13 || math.Abs(out.PostStd[l]-1) > 1e-13 {
			t.Fatalf("layer %d: mean %g, std %.17g, want 0 and 1", l+1, out.PostMean[l], out.PostStd[l])
		}
	}
	Theory(TheoryIn{Act: act, SigmaW2: 1, Depth: 50, Q0: 0.2, Units: 1}, &out)
	if l := len(out.Q) - 1; math.Abs(out.PostMean[l]) > 1e-5 || math.Abs(out.PostStd[l]-1) > 1e-5 || math.Abs(out.QStar-1) > 1e-13 {
		t.Errorf("from Q0 = 0.2: last layer mean %g, std %.17g, QStar %.17g", out.PostMean[l], out.PostStd[l], out.QStar)
	}
}

// TestTheoryGradient checks the backward recursion on relu at σ_w² = 2, where every layer has the
// same q and χ = 1: the gradient keeps its size, √(E[relu(h)²·relu'(h)²])/Units = √(q/2)/Units.
func TestTheoryGradient(t *testing.T) {
	var out TheoryOut
	Theory(TheoryIn{Act: activation(t, "relu", nil), SigmaW2: 2, Depth: 12, Q0: 1.5, Units: 64}, &out)
	want := math.Sqrt(1.5) / 64 // q = 2·1.5 = 3, E[relu²·relu'²] = E[relu²] = q/2
	for l, g := range out.Grad {
		if !near(g, want, 1e-14, 0) || !near(out.Chi[l], 1, 1e-14, 0) {
			t.Errorf("layer %d: Grad %.17g Chi %.17g, want %.17g and 1", l+1, g, out.Chi[l], want)
		}
	}
}

// TestTheoryDepthZero: no layers, the fixed point from v_1.
func TestTheoryDepthZero(t *testing.T) {
	out := TheoryOut{Q: make([]float64, 3)}
	Theory(TheoryIn{Act: activation(t, "relu", nil), SigmaW2: 1, BiasVar: 0.5, Depth: 0, Q0: 1, Units: 1}, &out)
	if len(out.Q) != 0 || len(out.Grad) != 0 || !near(out.QStar, 1, 1e-13, 0) || !near(out.ChiStar, 0.5, 1e-13, 0) {
		t.Errorf("depth 0: %+v", out)
	}
}

// TestTheoryReuses: Theory reuses out's slices and does not allocate once they have grown.
func TestTheoryReuses(t *testing.T) {
	in := TheoryIn{Act: activation(t, "gelu", nil), SigmaW2: 2, BiasVar: 0.05, Depth: 20, Q0: 1, Units: 4096}
	var out TheoryOut
	Theory(in, &out)
	q := &out.Q[0]
	allocs := testing.AllocsPerRun(5, func() {
		in.Depth = 20
		Theory(in, &out)
		in.Depth = 7
		Theory(in, &out)
	})
	if allocs != 0 || &out.Q[0] != q {
		t.Errorf("Theory allocates %v times per call pair (or dropped its slices)", allocs)
	}
}

// TestFixedPointCount: the fixed point costs few evaluations of the map beyond the layers (the
// slowest cases are the near-identity maps that decay to 0 by a crawl, hardtanh and relu6 at
// σ_w²·g'(0)² = 1).
func TestFixedPointCount(t *testing.T) {
	for _, c := range []struct {
		id       string
		sw2, vb  float64
		maxEvals int
	}{
		{"tanh", 1.5, 0.05, 10}, {"tanh", 1, 0, 10}, {"gelu", 1.8, 0.02, 10}, {"relu", 2, 0.1, 10},
		{"sigmoid", 4, 0.3, 10}, {"selu", 1, 0, 2}, {"relu", 2, 0, 0}, {"hardtanh", 1, 0, 50}, {"relu6", 2, 0, 40},
	} {
		act := activation(t, c.id, nil)
		vm := varMap{act: act, sw2: c.sw2, vb: c.vb}
		x0 := c.sw2 + c.vb
		x1 := vm.g(x0)
		x2 := vm.g(x1)
		vm.evals = 0
		vm.fixedPoint(x0, x1, x2)
		if vm.evals > c.maxEvals {
			t.Errorf("%s σ_w²=%v σ_b²=%v: %d evaluations of the map, want at most %d", c.id, c.sw2, c.vb, vm.evals, c.maxEvals)
		}
	}
}

// TestFixedPointAgainstIteration compares QStar with the plain iteration of the variance map
// (v ← G(v) from v_1 until |G(v) - v| ≤ 1e-13·G(v), at most 1500 times), wherever that settles,
// over activations with kinks, jumps, bounded and unbounded growth, and nonzero bias means.
func TestFixedPointAgainstIteration(t *testing.T) {
	if testing.Short() {
		t.Skip("plain iteration is slow")
	}
	ids := []string{"relu", "tanh", "gelu", "sigmoid", "selu", "softplus", "heaviside", "logsigmoid", "hardtanh", "relu6", "elu", "softsign"}
	settledN := 0
	for _, id := range ids {
		act := activation(t, id, nil)
		for _, sw2 := range []float64{0.5, 1.7, 3} {
			for _, vb := range []float64{0, 0.3} {
				for _, mb := range []float64{0, -0.5} {
					var out TheoryOut
					Theory(TheoryIn{Act: act, SigmaW2: sw2, BiasMean: mb, BiasVar: vb, Depth: 3, Q0: 1, Units: 1}, &out)
					vm := varMap{act: act, sw2: sw2, mb: mb, vb: vb}
					v := sw2 + vb
					for n := 0; n < 1500; n++ {
						g := vm.g(v)
						if math.Abs(g-v) <= 1e-13*g {
							settledN++
							if want := g + mb*mb; !near(out.QStar, want, 1e-9, 1e-12) {
								t.Errorf("%s σ_w²=%v σ_b²=%v μ_b=%v: QStar = %.15g, iteration %.15g (%d steps)", id, sw2, vb, mb, out.QStar, want, n)
							}
							break
						}
						v = g
					}
				}
			}
		}
	}
	if settledN < 100 {
		t.Errorf("only %d of the maps settled: the test checks too little", settledN)
	}
}

// TestFixedPointEdgeCases: maps whose plain iteration never settles.
//
//	logsigmoid, σ_w² = 2: G(v) - v ~ c/√v > 0, the iterates grow like l^(2/3): +Inf
//	softplus, σ_w² = 2, σ_b² = 0.5: G(v) - v → σ_b² > 0: +Inf
//	hardtanh, σ_w² = 1 and relu6, σ_w² = 2: G(v) < v but G(v) - v ~ -e^{-1/(2v)} near 0: the
//	iterates crawl down to 0; χ₁ → σ_w²·g'(0±)² = 1 (relu6: 2·½)
//	heaviside (values 0.5) with μ_b = -0.5: 0 is fixed and attracting (G(0) = 0), but the
//	iterates from v_1 = σ_w² stop at the positive root above it
func TestFixedPointEdgeCases(t *testing.T) {
	for _, c := range []struct {
		id             string
		sw2, vb, mb    float64
		qStar, chiStar float64 // NaN: compare with the plain iteration
	}{
		{"logsigmoid", 2, 0, 0, math.Inf(1), math.NaN()},
		{"softplus", 2, 0.5, 0, math.Inf(1), math.NaN()},
		{"hardtanh", 1, 0, 0, 0, 1},
		{"relu6", 2, 0, 0, 0, 1},
		{"heaviside", 1.7, 0, -0.5, math.NaN(), math.NaN()},
	} {
		act := activation(t, c.id, nil)
		var out TheoryOut
		Theory(TheoryIn{Act: act, SigmaW2: c.sw2, BiasMean: c.mb, BiasVar: c.vb, Depth: 5, Q0: 1, Units: 1}, &out)
		want := c.qStar
		if want != want {
			vm := varMap{act: act, sw2: c.sw2, mb: c.mb, vb: c.vb}
			v := c.sw2 + c.vb
			for n := 0; n < 1000 && math.Abs(vm.g(v)-v) > 1e-13*v; n++ {
				v = vm.g(v)
			}
			want = v + c.mb*c.mb
		}
		if !near(out.QStar, want, 1e-9, 0) {
			t.Errorf("%s σ_w²=%v σ_b²=%v μ_b=%v: QStar = %.15g, want %.15g", c.id, c.sw2, c.vb, c.mb, out.QStar, want)
		}
		if math.IsInf(want, 1) != math.IsNaN(out.ChiStar) {
			t.Errorf("%s: ChiStar = %v with QStar = %v", c.id, out.ChiStar, out.QStar)
		}
		if c.chiStar == c.chiStar && !near(out.ChiStar, c.chiStar, 1e-13, 0) {
			t.Errorf("%s σ_w²=%v: ChiStar = %.17g, want %v", c.id, c.sw2, out.ChiStar, c.chiStar)
		}
	}
}

func BenchmarkTheory(b *testing.B) {
	in := TheoryIn{Act: activation(b, "gelu", nil), SigmaW2: 2, BiasVar: 0.05, Depth: 20, Q0: 1, Units: 4096}
	var out TheoryOut
	for i := 0; i < b.N; i++ {
		Theory(in, &out)
	}
}
