package view_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nnplay/nnplay/core"
	"github.com/nnplay/nnplay/core/view"
)

// checkFD compares FD with DY, away from kinks of f.
//
// FD is the mean of f' over the stencil [x-h, x+h], so where f is continuously differentiable
// |FD - DY| is at most how far f' moves over the stencil, max |DY(x±h) - DY(x)| (this covers a
// jump in f”, as elu and softsign have at 0, where FD's error is O(h)), plus rounding, which
// 1e-6 relative covers with room to spare (it is about eps |f| / h ~ 4e-11 |f|).
//
// A kink (a jump in f') or a jump in f inside the stencil shows as one-sided differences that
// disagree by more than 1% of the curve's largest |DY|; smooth curvature moves them by only
// about h |f”| (5e-3 for sin with w0 = 30, against a largest |DY| of 30). Such points are
// skipped: there FD is the average of the one-sided slopes and DY follows PyTorch's convention.
// At most 5% of the points may be skipped.
func checkFD(t *testing.T, c *view.Curves, g func(float64) (float64, float64), what string) {
	t.Helper()
	m := 1.0
	for _, d := range c.DY {
		if math.Abs(d) > m && !math.IsInf(d, 0) {
			m = math.Abs(d)
		}
	}
	skipped, bad := 0, 0
	for i, x := range c.X {
		h := math.Cbrt(0x1p-52) * max(1, math.Abs(x))
		h = (x + h) - x
		y, dy := g(x)
		yp, dyp := g(x + h)
		ym, dym := g(x - h)
		r, l := (yp-y)/h, (y-ym)/h
		if math.IsNaN(dy) || math.IsInf(y, 0) || math.IsNaN(y) || !(math.Abs(r-l) <= 1e-2*m) {
			skipped++
			continue
		}
		tol := 1e-6*max(1, math.Abs(dy)) + max(math.Abs(dyp-dy), math.Abs(dym-dy))
		if !(math.Abs(c.FD[i]-c.DY[i]) <= tol) {
			if bad++; bad <= 3 {
				t.Errorf("%s: at x = %v, DY = %v but FD = %v", what, x, c.DY[i], c.FD[i])
			}
		}
	}
	if skipped > len(c.X)/20 {
		t.Errorf("%s: %d of %d points skipped as kinks", what, skipped, len(c.X))
	}
}

// The analytic derivative of every registered activation matches the central difference away
// from kinks, with the default parameters and with random in-range ones.
func TestActivationFD(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	c := view.NewCurves(1001)
	for _, f := range core.All() {
		if f.Kind != core.Activation {
			continue
		}
		t.Run(f.ID, func(t *testing.T) {
			for k := range 4 {
				s := view.Default(f)
				if k > 0 {
					s.P = randomState(r, f).P
				}
				c.Activation(f, s.P, s.XMin, s.XMax)
				if c.X[0] != s.XMin || c.X[len(c.X)-1] != s.XMax {
					t.Errorf("X endpoints %v, %v; want %v, %v", c.X[0], c.X[len(c.X)-1], s.XMin, s.XMax)
				}
				p := s.P
				g := func(x float64) (float64, float64) { return f.Scalar(p, x) }
				for i, x := range c.X {
					if y, dy := f.Scalar(p, x); !sameBits([]float64{y, dy}, []float64{c.Y[i], c.DY[i]}) {
						t.Fatalf("at %v: Y, DY = %v, %v; Scalar gives %v, %v", x, c.Y[i], c.DY[i], y, dy)
					}
				}
				checkFD(t, c, g, s.Query())
			}
		})
	}
}

// The same for every registered loss's curve, at its default target and at a random one.
func TestLossCurveFD(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	c := view.NewCurves(1001)
	for _, f := range core.All() {
		if f.Kind != core.Loss || f.Curve == nil {
			continue
		}
		t.Run(f.ID, func(t *testing.T) {
			for k := range 4 {
				s := view.Default(f)
				if k > 0 {
					s = randomState(r, f)
					s.XMin, s.XMax = view.Default(f).XMin, view.Default(f).XMax
				}
				c.LossCurve(f, s.P, s.T, s.XMin, s.XMax)
				if c.X[0] != s.XMin || c.X[len(c.X)-1] != s.XMax {
					t.Errorf("X endpoints %v, %v", c.X[0], c.X[len(c.X)-1])
				}
				p, tt := s.P, s.T
				g := func(x float64) (float64, float64) { return f.Curve.Eval(p, tt, x) }
				checkFD(t, c, g, s.Query())
			}
		})
	}
}

// X: evenly spaced, both ends exact, also for awkward ranges; degenerate sizes do not panic.
func TestCurvesX(t *testing.T) {
	tests := []struct{ a, b float64 }{
		{-4, 4}, {0.1, 0.7}, {-1e6, 1e6}, {-0.3, -0.1}, {-math.MaxFloat64, math.MaxFloat64}, {1, 1 + 1e-9},
	}
	for _, tt := range tests {
		for _, n := range []int{2, 3, 2048} {
			c := view.NewCurves(n)
			c.Activation(testAct, testAct.Defaults(), tt.a, tt.b)
			if c.X[0] != tt.a || c.X[n-1] != tt.b {
				t.Errorf("[%v, %v] n=%d: ends %v, %v", tt.a, tt.b, n, c.X[0], c.X[n-1])
			}
			for i := 1; i < n; i++ {
				if !(c.X[i] >= c.X[i-1]) {
					t.Fatalf("[%v, %v] n=%d: X not increasing at %d", tt.a, tt.b, n, i)
				}
			}
		}
	}
	view.NewCurves(0).Activation(testAct, testAct.Defaults(), 0, 1)
	view.NewCurves(-1).LossCurve(testLoss, testLoss.Defaults(), 0, 0, 1)
	c := view.NewCurves(1)
	c.Activation(testAct, testAct.Defaults(), 2, 3)
	if c.X[0] != 2 {
		t.Errorf("one point: X = %v, want 2", c.X[0])
	}
	// A function of the wrong kind gives NaN, not a panic.
	c = view.NewCurves(4)
	c.Activation(testLoss, testLoss.Defaults(), 0, 1)
	c.LossCurve(testAct, testAct.Defaults(), 0, 0, 1)
	if !math.IsNaN(c.Y[0]) || !math.IsNaN(c.FD[3]) {
		t.Errorf("wrong kind: Y = %v", c.Y)
	}
}

// The per-frame paths do not allocate, for every registered function.
func TestCurvesNoAlloc(t *testing.T) {
	c := view.NewCurves(512)
	for _, f := range core.All() {
		s := view.Default(f)
		var n float64
		switch f.Kind {
		case core.Activation:
			n = testing.AllocsPerRun(5, func() { c.Activation(f, s.P, s.XMin, s.XMax) })
		case core.Loss:
			n = testing.AllocsPerRun(5, func() { c.LossCurve(f, s.P, s.T, s.XMin, s.XMax) })
		case core.VectorActivation:
			var v view.VectorOut
			_ = v.Eval(f, s.P, s.In)
			n = testing.AllocsPerRun(5, func() { _ = v.Eval(f, s.P, s.In) })
		}
		if n != 0 {
			t.Errorf("%s: %v allocations per frame", f.ID, n)
		}
	}
}

// VectorOut: sizes from OutLen, capacity reused, OutLen's error passed through unchanged, and a
// function that is not a vector activation rejected.
func TestVectorOut(t *testing.T) {
	var v view.VectorOut
	p := testVec.Defaults()
	if err := v.Eval(testVec, p, []float64{1, -2, 0.5, 3}); err != nil {
		t.Fatal(err)
	}
	// y_i = x_i * x_{i+2}; grad from the definition in helpers_test.go.
	if !sameBits(v.Y, []float64{0.5, -6}) || !sameBits(v.Grad, []float64{0.5, 3, 1, -2}) {
		t.Errorf("Y = %v, Grad = %v", v.Y, v.Grad)
	}
	in := []float64{1, 2}
	if n := testing.AllocsPerRun(10, func() { _ = v.Eval(testVec, p, in) }); n != 0 {
		t.Errorf("%v allocations with enough capacity", n)
	}
	if len(v.Y) != 1 || len(v.Grad) != 2 {
		t.Errorf("len Y, Grad = %d, %d", len(v.Y), len(v.Grad))
	}
	_, want := testVec.OutLen(3)
	err := v.Eval(testVec, p, []float64{1, 2, 3})
	if err == nil || err.Error() != want.Error() {
		t.Errorf("odd length: %v, want %v", err, want)
	}
	var pe *core.ParamError
	if err := v.Eval(testAct, testAct.Defaults(), in); !errors.As(err, &pe) {
		t.Errorf("not a vector activation: %v", err)
	}
}

// Every registered vector activation: Grad is the vector-Jacobian product with ones, that is
// the derivative of sum(Y), checked by central differences at the default input.
func TestVectorGradFD(t *testing.T) {
	for _, f := range core.All() {
		if f.Kind != core.VectorActivation {
			continue
		}
		s := view.Default(f)
		var v, w view.VectorOut
		if err := v.Eval(f, s.P, s.In); err != nil {
			t.Errorf("%s: %v", f.ID, err)
			continue
		}
		x := append([]float64(nil), s.In...)
		sum := func() float64 {
			_ = w.Eval(f, s.P, x)
			return core.Sum(w.Y)
		}
		for j := range x {
			x0 := x[j]
			h := math.Cbrt(0x1p-52) * max(1, math.Abs(x0))
			x[j] = x0 + h
			yp := sum()
			x[j] = x0 - h
			ym := sum()
			x[j] = x0
			fd := (yp - ym) / (2 * h)
			if !(math.Abs(fd-v.Grad[j]) <= 1e-6*max(1, math.Abs(fd))) {
				t.Errorf("%s: d sum(y)/dx_%d = %v, FD %v", f.ID, j, v.Grad[j], fd)
			}
		}
	}
}

// The series of a comparison are the functions' own values (not the view's copy of them), and
// the target's mark is where Curve.Mark puts it: σ(mark) = t for BCE with logits, computed here
// from the definition.
func TestCurvesViewSeriesAndMark(t *testing.T) {
	s, probs := view.Parse("f=sigmoid&cmp=tanh;softplus,beta:2")
	if len(probs) != 0 {
		t.Fatal(probs)
	}
	v := view.ViewsFor(s.F)[0]
	inst := v.New(nil)
	var out view.Out
	inst.Update(&s, view.ChAll, &out)
	x := out.FloatsOf("x")
	s0, s1 := out.FloatsOf("s0y"), out.FloatsOf("s1y")
	for i := 0; i < len(x); i += 97 {
		if want := math.Tanh(x[i]); math.Abs(s0[i]-want) > 1e-15 {
			t.Errorf("tanh series at %v = %v, want %v", x[i], s0[i], want)
		}
		if want := math.Log1p(math.Exp(2*x[i])) / 2; math.Abs(s1[i]-want) > 1e-14*max(1, want) {
			t.Errorf("softplus beta=2 series at %v = %v, want %v", x[i], s1[i], want)
		}
	}
	b, _ := view.Parse("f=binary_cross_entropy_with_logits&t=0.8")
	out.Reset()
	view.ViewsFor(b.F)[0].New(nil).Update(&b, view.ChAll, &out)
	m := out.NumOf("mark")
	if sig := 1 / (1 + math.Exp(-m)); math.Abs(sig-0.8) > 1e-15 {
		t.Errorf("BCE with logits mark %v: σ = %v, want 0.8", m, sig)
	}
	// a fixed y range round-trips, and its bounds are checked as a pair
	q, probs := view.Parse("f=sigmoid&yf=fixed&yfmin=-1&yfmax=1")
	if len(probs) != 0 || q.Query() != "f=sigmoid&yf=fixed&yfmin=-1" /* yfmax 1 is sigmoid's default */ {
		t.Errorf("fixed y: %q %+v", q.Query(), probs)
	}
	if _, probs := view.Parse("f=sigmoid&yfmin=2&yfmax=1"); len(probs) != 1 || probs[0].Key != "yfmin" {
		t.Errorf("yfmin > yfmax: %+v", probs)
	}
}
