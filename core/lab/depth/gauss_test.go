package depth

import (
	"math"
	"testing"
)

// TestGaussKronrodRules checks QUADPACK's qk21 nodes and weights by what defines them: the
// 10-point Gauss rule integrates polynomials of degree 19 exactly on [-1, 1], the 21-point
// Kronrod rule degree 31 (3n + 1 for n = 10), and neither degree 20 or 32 respectively.
func TestGaussKronrodRules(t *testing.T) {
	rule := func(deg int, gauss bool) float64 {
		p := func(x float64) float64 { return math.Pow(x, float64(deg)) + math.Pow(x, float64(deg-1)) }
		if gauss {
			var s float64
			for k := 1; k < gkNodes; k += 2 {
				s += gkWG[k/2] * (p(gkX[k]) + p(-gkX[k]))
			}
			return s
		}
		s := gkWK[gkNodes] * p(0)
		for k := 0; k < gkNodes; k++ {
			s += gkWK[k] * (p(gkX[k]) + p(-gkX[k]))
		}
		return s
	}
	for deg := 2; deg <= 32; deg += 2 {
		for _, gauss := range []bool{true, false} {
			limit := 31
			if gauss {
				limit = 19
			}
			got, want := rule(deg, gauss), 2/float64(deg+1) // ∫ x^deg + x^(deg-1) over [-1, 1]
			ok := math.Abs(got-want) <= 1e-15
			if (deg <= limit) != ok {
				t.Errorf("gauss=%v degree %d: %.17g, exact %.17g (exact up to degree %d expected)", gauss, deg, got, want, limit)
			}
		}
	}
}

// TestExpectReference compares Expect with mpmath (reference.json "expectations": quadratures at
// 30 digits, closed forms for sin). The tolerance is 1e-12 relative; E[g], which can be 0 by
// symmetry, is compared relative to √E[g²] (|E[g]| ≤ √E[g²]).
func TestExpectReference(t *testing.T) {
	ref := reference(t)
	if len(ref.Expectations) < 100 {
		t.Fatalf("only %d expectations in reference.json", len(ref.Expectations))
	}
	const tol = 1e-12
	for _, e := range ref.Expectations {
		act := activation(t, e.ID, e.Params)
		mu, v := num(t, e.Mu), num(t, e.V)
		got := Expect(act, mu, v)
		if e.ID == "sin" && e.Params["w0"].(float64)*math.Sqrt(v) > 120 {
			// too fast an oscillation for the interval budget: NaN, as documented
			if !math.IsNaN(got.Sq) || !math.IsNaN(got.DSq) || !math.IsNaN(ExpectSq(act, mu, v)) {
				t.Errorf("sin %v mu=%v v=%v: %+v, want NaN", e.Params, mu, v, got)
			}
			continue
		}
		want := Moments{num(t, e.Mean), num(t, e.Sq), num(t, e.Var), num(t, e.DSq), num(t, e.SqDSq)}
		check := func(name string, got, want, floor float64) {
			t.Helper()
			if !near(got, want, tol, floor) {
				t.Errorf("%s %v mu=%v v=%v: %s = %.17g, want %.17g (rel err %.2e)", e.ID, e.Params, mu, v, name, got, want, relErr(got, want, floor))
			}
		}
		check("E[g]", got.Mean, want.Mean, math.Sqrt(want.Sq))
		check("E[g²]", got.Sq, want.Sq, 1e-300)
		check("Var[g]", got.Var, want.Var, 1e-20*want.Sq) // sin's Var is E[g²] - E[g]² at 30 digits
		check("E[g'²]", got.DSq, want.DSq, 1e-300)
		check("E[g²g'²]", got.SqDSq, want.SqDSq, 1e-300)
		if sq := ExpectSq(act, mu, v); !near(sq, want.Sq, tol, 1e-300) {
			t.Errorf("%s %v mu=%v v=%v: ExpectSq = %.17g, want %.17g", e.ID, e.Params, mu, v, sq, want.Sq)
		}
	}
}

// Phi is the standard normal CDF.
func Phi(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

// TestExpectClosedForms checks Expect against closed forms on a grid of (mu, v):
//
//	relu:    E[g] = μΦ(a) + sφ(a), E[g'²] = Φ(a), a = μ/s, s = √v; at μ = 0, E[g²] = v/2, E[g'²] = 1/2
//	linear:  E[c·h] = cμ, E[(c·h)²] = c²(μ² + v), Var = c²v, E[g'²] = c²
//	tanh:    E[tanh(s·z)] = 0 (odd)
//
// (math.Erfc is accurate to a few ulps here, μ ≥ -2s keeps the relu forms free of cancellation.)
func TestExpectClosedForms(t *testing.T) {
	relu := activation(t, "relu", nil)
	lin := activation(t, "linear", map[string]any{"c": -1.5})
	tanh := activation(t, "tanh", nil)
	for _, v := range []float64{1e-6, 0.01, 0.3, 1, 2.5, 10, 1e4} {
		s := math.Sqrt(v)
		for _, mu := range []float64{0, 0.1, -0.1, 1, -1, 3} {
			if mu < -2*s {
				continue
			}
			a := mu / s
			phi := math.Exp(-a*a/2) / math.Sqrt(2*math.Pi)
			m := Expect(relu, mu, v)
			if want := mu*Phi(a) + s*phi; !near(m.Mean, want, 1e-13, 0) {
				t.Errorf("relu mu=%v v=%v: E[g] = %.17g, want %.17g", mu, v, m.Mean, want)
			}
			if want := Phi(a); !near(m.DSq, want, 1e-13, 0) {
				t.Errorf("relu mu=%v v=%v: E[g'²] = %.17g, want %.17g", mu, v, m.DSq, want)
			}
			if mu == 0 && (!near(m.Sq, v/2, 1e-14, 0) || m.DSq != 0.5 && !near(m.DSq, 0.5, 1e-15, 0)) {
				t.Errorf("relu v=%v: E[g²] = %.17g, E[g'²] = %.17g, want v/2 and 1/2", v, m.Sq, m.DSq)
			}
			l := Expect(lin, mu, v)
			if !near(l.Mean, -1.5*mu, 1e-14, 1.5*s) || !near(l.Sq, 2.25*(mu*mu+v), 1e-14, 0) ||
				!near(l.Var, 2.25*v, 1e-13, 0) || !near(l.DSq, 2.25, 1e-14, 0) {
				t.Errorf("linear mu=%v v=%v: %+v", mu, v, l)
			}
		}
		if m := Expect(tanh, 0, v); math.Abs(m.Mean) > 1e-15*math.Sqrt(m.Sq) {
			t.Errorf("tanh v=%v: E[g] = %g, want 0", v, m.Mean)
		}
	}
}

// TestExpectVarianceNoCancellation: for sigmoid at a small v the variance is σ'(0)²·v = v/16 to
// first order, far below E[g]² ≈ 1/4: E[g²] - E[g]² would lose 1e-16/(v/16) relative (1.6e-4 at
// v = 1e-12), the moments about g(0) lose only the rounding of σ near 1/2 against its change,
// 1e-16/(√v/4).
func TestExpectVarianceNoCancellation(t *testing.T) {
	sig := activation(t, "sigmoid", nil)
	for _, c := range []struct{ v, tol float64 }{{1e-4, 1e-11}, {1e-8, 1e-11}, {1e-12, 1e-8}} {
		v := c.v
		m := Expect(sig, 0, v)
		// σ(x) = 1/2 + x/4 - x³/48 + x⁵/480 - ..., odd about 1/2, and E[x^2k] = (2k-1)!!·v^k:
		// Var = v/16 - v²/32 + (1/48² + 2/(4·480))·15·v³ + O(v⁴)
		want := v/16 - v*v/32 + 255.0/11520*v*v*v
		if !near(m.Var, want, c.tol, 0) {
			t.Errorf("sigmoid v=%g: Var = %.17g, want %.17g", v, m.Var, want)
		}
	}
}

// TestExpectSpecialCases checks v = 0 (the exact values, with PyTorch's derivative at a kink)
// and the invalid arguments.
func TestExpectSpecialCases(t *testing.T) {
	relu := activation(t, "relu", nil)
	elu := activation(t, "elu", map[string]any{"alpha": 0.5})
	if m := Expect(relu, 0, 0); m != (Moments{0, 0, 0, 0, 0}) {
		t.Errorf("relu at v = 0, mu = 0: %+v, want relu'(0) = 0 and all 0", m)
	}
	if m := Expect(relu, 2, 0); m != (Moments{2, 4, 0, 1, 4}) {
		t.Errorf("relu at v = 0, mu = 2: %+v", m)
	}
	if m := Expect(elu, 0, 0); m.DSq != 0.25 {
		t.Errorf("elu(alpha=0.5) at v = 0, mu = 0: E[g'²] = %v, want alpha² = 0.25", m.DSq)
	}
	if got := ExpectSq(relu, -3, 0); got != 0 {
		t.Errorf("ExpectSq(relu, -3, 0) = %v", got)
	}
	nan := math.NaN()
	for _, c := range [][2]float64{{0, -1}, {0, nan}, {0, math.Inf(1)}, {nan, 1}, {math.Inf(-1), 1}} {
		m := Expect(relu, c[0], c[1])
		if !math.IsNaN(m.Mean) || !math.IsNaN(m.Sq) || !math.IsNaN(m.Var) || !math.IsNaN(m.DSq) || !math.IsNaN(m.SqDSq) {
			t.Errorf("Expect(relu, %v, %v) = %+v, want NaN", c[0], c[1], m)
		}
		if s := ExpectSq(relu, c[0], c[1]); !math.IsNaN(s) {
			t.Errorf("ExpectSq(relu, %v, %v) = %v, want NaN", c[0], c[1], s)
		}
	}
	// Far in the tail the integrand is 0 on the whole range: exactly 0, no NaN.
	if m := Expect(relu, -50, 1); m.Mean != 0 || m.Sq != 0 || m.DSq != 0 {
		t.Errorf("relu at mu = -50, v = 1: %+v, want 0", m)
	}
}

func TestExpectNoAlloc(t *testing.T) {
	act := activation(t, "gelu", nil)
	allocs := testing.AllocsPerRun(20, func() {
		Expect(act, 0.3, 2)
		ExpectSq(act, -0.1, 0.5)
	})
	if allocs != 0 {
		t.Errorf("Expect allocates %v times per call", allocs)
	}
}

func BenchmarkExpect(b *testing.B) {
	for _, id := range []string{"relu", "gelu", "tanh", "hardtanh", "relu6", "softplus", "sin"} {
		act := activation(b, id, nil)
		b.Run(id, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				Expect(act, 0.3, 2)
			}
		})
	}
}
