package depth

import (
	"math"
	"testing"

	"github.com/nnplay/nnplay/core"
)

func cfgFor(t *testing.T, id string, params map[string]float64, in Init, L, N, B int) Config {
	t.Helper()
	f, ok := core.Lookup(id)
	if !ok {
		t.Fatalf("no function %s", id)
	}
	p := f.Defaults()
	for k, v := range params {
		p.Num[f.ParamIndex(k)] = v
	}
	c := Config{F: f, P: p, Init: in, Depth: L, Width: N, Batch: B, Seed: 7}
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	return c
}

func initOf(name string) Init {
	in := DefaultInit()
	in.Name = name
	return in
}

// naive recomputes the network of r's configuration from r's inputs, weights and biases with
// plain loops, in the textbook order: forward, per-layer statistics (one-pass Welford), dead
// units, and backpropagation of L = ½·mean(y²) written with explicit index sums.
type naiveOut struct {
	preMean, preStd, postMean, postStd, dead, grad []float64
	y                                              [][]float64 // final outputs, batch × width
}

func naive(r *Runner) naiveOut {
	c := r.cfg
	L, N, B := c.Depth, c.Width, c.Batch
	x := make([][]float64, B)
	for b := range x {
		x[b] = append([]float64(nil), r.x0[b*N:b*N+N]...)
	}
	var out naiveOut
	ds := make([][][]float64, L)
	for l := 0; l < L; l++ {
		h := make([][]float64, B)
		y := make([][]float64, B)
		ds[l] = make([][]float64, B)
		for b := 0; b < B; b++ {
			h[b] = make([]float64, N)
			y[b] = make([]float64, N)
			ds[l][b] = make([]float64, N)
			for i := 0; i < N; i++ {
				s := r.b[l][i]
				for j := 0; j < N; j++ {
					s += r.w[l][i*N+j] * x[b][j]
				}
				h[b][i] = s
				y[b][i], ds[l][b][i] = c.F.Scalar(c.P, s)
			}
		}
		m1, s1 := welford(h)
		m2, s2 := welford(y)
		out.preMean = append(out.preMean, m1)
		out.preStd = append(out.preStd, s1)
		out.postMean = append(out.postMean, m2)
		out.postStd = append(out.postStd, s2)
		dead := 0
		for i := 0; i < N; i++ {
			all := true
			for b := 0; b < B; b++ {
				all = all && ds[l][b][i] == 0
			}
			if all {
				dead++
			}
		}
		out.dead = append(out.dead, float64(dead)/float64(N))
		x = y
	}
	out.y = x
	// backward
	grad := make([]float64, L)
	delta := make([][]float64, B)
	for b := 0; b < B; b++ {
		delta[b] = make([]float64, N)
		for i := 0; i < N; i++ {
			delta[b][i] = x[b][i] / float64(B*N) * ds[L-1][b][i]
		}
	}
	grad[L-1] = rmsNaive(delta)
	for l := L - 2; l >= 0; l-- {
		nd := make([][]float64, B)
		for b := 0; b < B; b++ {
			nd[b] = make([]float64, N)
			for j := 0; j < N; j++ {
				var s float64
				for i := 0; i < N; i++ {
					s += delta[b][i] * r.w[l+1][i*N+j]
				}
				nd[b][j] = s * ds[l][b][j]
			}
		}
		delta = nd
		grad[l] = rmsNaive(delta)
	}
	out.grad = grad
	return out
}

func welford(v [][]float64) (mean, std float64) {
	var n, m, m2 float64
	for _, row := range v {
		for _, x := range row {
			n++
			d := x - m
			m += d / n
			m2 += d * (x - m)
		}
	}
	return m, math.Sqrt(m2 / n)
}

func rmsNaive(v [][]float64) float64 {
	var s, n float64
	for _, row := range v {
		for _, x := range row {
			s += x * x
			n++
		}
	}
	return math.Sqrt(s / n)
}

func relClose(a, b, rel float64) bool {
	if a == b {
		return true
	}
	return math.Abs(a-b) <= rel*max(math.Abs(a), math.Abs(b))
}

// The sample's statistics against the naive recomputation of the same network.
func TestSampleMatchesNaive(t *testing.T) {
	neg := initOf("kaiming_normal")
	neg.Nonlinearity = "relu"
	neg.BiasMean = -0.8
	neg.BiasStd = 0.1
	cases := []Config{
		cfgFor(t, "relu", nil, neg, 6, 16, 40),
		cfgFor(t, "tanh", nil, initOf("xavier_uniform"), 5, 12, 30),
		cfgFor(t, "sigmoid", nil, initOf("default"), 7, 8, 20),
		cfgFor(t, "selu", nil, initOf("lecun_normal"), 4, 24, 50),
		cfgFor(t, "leaky_relu", map[string]float64{"negative_slope": 0.2}, initOf("orthogonal"), 3, 16, 33),
		cfgFor(t, "gelu", nil, initOf("kaiming_uniform"), 3, 10, 64),
	}
	for _, c := range cases {
		var r Runner
		r.Reset(c)
		res := r.Run()
		want := naive(&r)
		for l := 0; l < c.Depth; l++ {
			for _, q := range []struct {
				name      string
				got, want float64
			}{
				{"pre mean", res.PreMean[l], want.preMean[l]}, {"pre std", res.PreStd[l], want.preStd[l]},
				{"post mean", res.PostMean[l], want.postMean[l]}, {"post std", res.PostStd[l], want.postStd[l]},
				{"dead", res.Dead[l], want.dead[l]}, {"grad", res.Grad[l], want.grad[l]},
			} {
				tol := 1e-12
				if q.name == "pre mean" || q.name == "post mean" {
					// a mean near 0 is a difference of large sums: compare on the scale of the std
					if math.Abs(q.got-q.want) <= 1e-12*(want.preStd[l]+want.postStd[l]+1e-300) {
						continue
					}
				}
				if !relClose(q.got, q.want, tol) {
					t.Errorf("%s %s layer %d: %s = %.17g, naive %.17g", c.F.ID, c.Init.Name, l+1, q.name, q.got, q.want)
				}
			}
		}
	}
}

// The dying ReLU: a negative bias mean kills units, which the sample counts.
func TestDeadUnits(t *testing.T) {
	in := initOf("kaiming_normal")
	in.Nonlinearity = "relu"
	in.BiasMean = -3
	var r Runner
	r.Reset(cfgFor(t, "relu", nil, in, 10, 32, 64))
	res := r.Run()
	if res.Dead[9] < 0.9 {
		t.Errorf("bias mean −3: %.2f dead at layer 10, want most", res.Dead[9])
	}
	deep := append([]float64(nil), res.Dead...)
	in.BiasMean = 0
	r.Reset(cfgFor(t, "relu", nil, in, 10, 32, 64))
	res = r.Run()
	// with bias 0 the first layer has no dead unit (64 Gaussian samples per unit); deeper,
	// the samples become correlated at finite width and some units die, fewer than with −3
	if res.Dead[0] != 0 {
		t.Errorf("bias 0: %.2f dead at layer 1", res.Dead[0])
	}
	for l, d := range res.Dead {
		if d >= deep[l] && d > 0 {
			t.Errorf("layer %d: bias 0 kills %.2f, bias −3 %.2f", l+1, d, deep[l])
		}
	}
}

// A gradient entry against a central difference of the loss.
func TestGradFiniteDifference(t *testing.T) {
	c := cfgFor(t, "tanh", nil, initOf("xavier_normal"), 4, 8, 16)
	var r Runner
	r.Reset(c)
	res := r.Run()
	// perturb every pre-activation of layer 2 by a common ε·u and compare dL with Σ δ·u
	// through the loss recomputed from layer 2 onwards; u = δ/‖δ‖ so that the directional
	// derivative is ‖δ‖ = RMS·√(B·N).
	N, B := c.Width, c.Batch
	x := append([]float64(nil), r.x0...)
	hs := make([][]float64, c.Depth)
	for l := 0; l < c.Depth; l++ {
		h := make([]float64, B*N)
		y := make([]float64, B*N)
		d := make([]float64, B*N)
		forwardRows(x, r.w[l], r.b[l], h, y, d, N, 0, B, c.F, c.P)
		hs[l] = h
		x = y
	}
	loss := func(l int, h []float64) float64 {
		y := make([]float64, B*N)
		for i, v := range h {
			y[i], _ = c.F.Scalar(c.P, v)
		}
		for k := l + 1; k < c.Depth; k++ {
			hh := make([]float64, B*N)
			yy := make([]float64, B*N)
			dd := make([]float64, B*N)
			forwardRows(y, r.w[k], r.b[k], hh, yy, dd, N, 0, B, c.F, c.P)
			y = yy
		}
		var s float64
		for _, v := range y {
			s += v * v
		}
		return s / float64(2*B*N)
	}
	for l := 0; l < c.Depth; l++ {
		// directional derivative along a fixed random direction u (unit norm) vs the RMS bound:
		// |dL/dε| ≤ ‖δ‖; along u = all-ones/√n it is Σδ/√n. Use δ itself via the naive pass.
		want := naive(&r).grad[l] * math.Sqrt(float64(B*N))
		// recover δ's direction from a finite difference per coordinate of a subset
		eps := 1e-6
		var s2 float64
		h := append([]float64(nil), hs[l]...)
		for i := range h {
			h[i] += eps
			up := loss(l, h)
			h[i] -= 2 * eps
			dn := loss(l, h)
			h[i] += eps
			g := (up - dn) / (2 * eps)
			s2 += g * g
		}
		got := math.Sqrt(s2)
		if !relClose(got, want, 1e-5) {
			t.Errorf("layer %d: ‖∂L/∂h‖ by differences %.10g, by backprop %.10g", l+1, got, want)
		}
		if !relClose(res.Grad[l]*math.Sqrt(float64(B*N)), got, 1e-5) {
			t.Errorf("layer %d: Runner's grad %.10g vs differences %.10g", l+1, res.Grad[l]*math.Sqrt(float64(B*N)), got)
		}
	}
}

// Taking the result in many small steps gives the same numbers, bit for bit.
func TestStepsEqualRun(t *testing.T) {
	c := cfgFor(t, "elu", nil, initOf("orthogonal"), 5, 16, 48)
	var a, b Runner
	a.Reset(c)
	ra := a.Run()
	b.Reset(c)
	n := 0
	for !b.Step(func() bool { return true }) {
		n++
	}
	rb := b.Result()
	if n < 20 {
		t.Errorf("only %d steps", n)
	}
	for l := 0; l < c.Depth; l++ {
		if ra.PostStd[l] != rb.PostStd[l] || ra.Grad[l] != rb.Grad[l] {
			t.Errorf("layer %d differs", l+1)
		}
	}
	if ra.LinearResidual != rb.LinearResidual {
		t.Errorf("residual %g vs %g", ra.LinearResidual, rb.LinearResidual)
	}
}

// The linear network is one linear layer: the residual is rounding, and the singular values
// are those of the product of the weight matrices (times c^depth), checked through the
// Frobenius norm (Σσ² = ‖M‖²) and the largest one by power iteration on MᵀM.
func TestLinearCollapse(t *testing.T) {
	c := cfgFor(t, "linear", map[string]float64{"c": 1.1}, initOf("xavier_normal"), 6, 12, 60)
	c.Init.BiasStd = 0.3
	var r Runner
	r.Reset(c)
	res := r.Run()
	if !(res.LinearResidual < 1e-13) {
		t.Fatalf("linear: residual %g", res.LinearResidual)
	}
	N := c.Width
	m := identity(N)
	for l := 0; l < c.Depth; l++ {
		m = matmul(r.w[l], m, N) // M ← W_l·M
		for i := range m {
			m[i] *= 1.1
		}
	}
	var fro, sv2 float64
	for _, v := range m {
		fro += v * v
	}
	for _, s := range res.SV {
		sv2 += s * s
	}
	if len(res.SV) != N || !relClose(fro, sv2, 1e-10) {
		t.Errorf("Σσ² = %.15g, ‖M‖² = %.15g (%d values)", sv2, fro, len(res.SV))
	}
	// largest singular value by power iteration on MᵀM
	v := make([]float64, N)
	for i := range v {
		v[i] = 1 / math.Sqrt(float64(N))
	}
	var lam float64
	for it := 0; it < 2000; it++ {
		mv := make([]float64, N)
		for i := 0; i < N; i++ {
			for j := 0; j < N; j++ {
				mv[i] += m[i*N+j] * v[j]
			}
		}
		w := make([]float64, N)
		for j := 0; j < N; j++ {
			for i := 0; i < N; i++ {
				w[j] += m[i*N+j] * mv[i]
			}
		}
		var nrm float64
		for _, x := range w {
			nrm += x * x
		}
		nrm = math.Sqrt(nrm)
		lam = nrm
		for i := range w {
			v[i] = w[i] / nrm
		}
	}
	if !relClose(math.Sqrt(lam), res.SV[0], 1e-9) {
		t.Errorf("σ_max = %.15g, power iteration %.15g", res.SV[0], math.Sqrt(lam))
	}
	// a nonlinear network is not one linear layer, and matches the normal equations' fit
	c2 := cfgFor(t, "tanh", nil, initOf("xavier_normal"), 3, 8, 80)
	r.Reset(c2)
	res = r.Run()
	want := lsqResidual(&r)
	if !relClose(res.LinearResidual, want, 1e-8) || res.LinearResidual < 0.01 || len(res.SV) != 0 {
		t.Errorf("tanh: residual %.12g, normal equations %.12g, %d singular values", res.LinearResidual, want, len(res.SV))
	}
	// batch <= width + 1: no test
	c3 := cfgFor(t, "tanh", nil, initOf("xavier_normal"), 3, 32, 32)
	r.Reset(c3)
	if res = r.Run(); !math.IsNaN(res.LinearResidual) {
		t.Errorf("batch 32, width 32: residual %g, want NaN", res.LinearResidual)
	}
}

func identity(n int) []float64 {
	m := make([]float64, n*n)
	for i := 0; i < n; i++ {
		m[i*n+i] = 1
	}
	return m
}

func matmul(a, b []float64, n int) []float64 {
	c := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for k := 0; k < n; k++ {
			for j := 0; j < n; j++ {
				c[i*n+j] += a[i*n+k] * b[k*n+j]
			}
		}
	}
	return c
}

// lsqResidual fits Y ≈ [X 1]·θ by the normal equations (Cholesky), a second method.
func lsqResidual(r *Runner) float64 {
	N, B := r.cfg.Width, r.cfg.Batch
	n1 := N + 1
	a := func(b, k int) float64 {
		if k == N {
			return 1
		}
		return r.x0[b*N+k]
	}
	g := make([]float64, n1*n1)
	for i := 0; i < n1; i++ {
		for j := 0; j < n1; j++ {
			for b := 0; b < B; b++ {
				g[i*n1+j] += a(b, i) * a(b, j)
			}
		}
	}
	// Cholesky g = LLᵀ
	lo := make([]float64, n1*n1)
	for i := 0; i < n1; i++ {
		for j := 0; j <= i; j++ {
			s := g[i*n1+j]
			for k := 0; k < j; k++ {
				s -= lo[i*n1+k] * lo[j*n1+k]
			}
			if i == j {
				lo[i*n1+i] = math.Sqrt(s)
			} else {
				lo[i*n1+j] = s / lo[j*n1+j]
			}
		}
	}
	y := r.xs[(r.cfg.Depth-1)&1]
	var res, tot float64
	for c := 0; c < N; c++ {
		rhs := make([]float64, n1)
		for i := 0; i < n1; i++ {
			for b := 0; b < B; b++ {
				rhs[i] += a(b, i) * y[b*N+c]
			}
		}
		z := make([]float64, n1)
		for i := 0; i < n1; i++ {
			s := rhs[i]
			for k := 0; k < i; k++ {
				s -= lo[i*n1+k] * z[k]
			}
			z[i] = s / lo[i*n1+i]
		}
		th := make([]float64, n1)
		for i := n1 - 1; i >= 0; i-- {
			s := z[i]
			for k := i + 1; k < n1; k++ {
				s -= lo[k*n1+i] * th[k]
			}
			th[i] = s / lo[i*n1+i]
		}
		for b := 0; b < B; b++ {
			var fit float64
			for i := 0; i < n1; i++ {
				fit += a(b, i) * th[i]
			}
			e := y[b*N+c] - fit
			res += e * e
			var mean float64
			for bb := 0; bb < B; bb++ {
				mean += y[bb*N+c]
			}
			mean /= float64(B)
			tot += (y[b*N+c] - mean) * (y[b*N+c] - mean)
		}
	}
	return math.Sqrt(res / tot)
}

// The density strips: each row integrates to the share of the layer's values inside the
// strip's range (at most 1, at least 0.95 with the range at mean ± 4 std).
func TestStrips(t *testing.T) {
	var r Runner
	r.Reset(cfgFor(t, "tanh", nil, initOf("xavier_normal"), 8, 32, 128))
	res := r.Run()
	for l := 0; l < 8; l++ {
		for _, h := range []struct {
			row    []float64
			lo, hi float64
		}{
			{res.PreHist[l*Bins : (l+1)*Bins], res.PreLo, res.PreHi},
			{res.PostHist[l*Bins : (l+1)*Bins], res.PostLo, res.PostHi},
		} {
			var s float64
			for _, v := range h.row {
				s += v * (h.hi - h.lo) / Bins
			}
			if s > 1+1e-12 || s < 0.95 {
				t.Errorf("layer %d: a strip integrates to %g", l+1, s)
			}
		}
	}
}

// The same seed draws the same network; another seed another one; a deeper network keeps the
// first layers' draws.
func TestSeeds(t *testing.T) {
	c := cfgFor(t, "relu", nil, initOf("kaiming_normal"), 4, 16, 32)
	var a Runner
	a.Reset(c)
	g1 := a.Run().PostStd[3]
	a.Reset(c)
	if g2 := a.Run().PostStd[3]; g1 != g2 {
		t.Errorf("same seed: %v then %v", g1, g2)
	}
	c.Seed = 8
	a.Reset(c)
	if g3 := a.Run().PostStd[3]; g3 == g1 {
		t.Errorf("another seed gave the same value")
	}
	c.Seed = 7
	c.Depth = 6
	var b Runner
	b.Reset(c)
	if g4 := b.Run().PostStd[3]; g4 != g1 {
		t.Errorf("depth 6: layer 4 differs from depth 4's: %v vs %v", g4, g1)
	}
}

func BenchmarkDefaultSample(b *testing.B) {
	f, _ := core.Lookup("relu")
	c := Config{F: f, P: f.Defaults(), Init: initOf("default"), Depth: 20, Width: 64, Batch: 256, Seed: 1}
	var r Runner
	for i := 0; i < b.N; i++ {
		r.Reset(c)
		r.Run()
	}
}
