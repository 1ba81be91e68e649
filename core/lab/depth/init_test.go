package depth

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/nnplay/nnplay/core"
)

// TestCalculateGainReference compares CalculateGain with torch.nn.init.calculate_gain
// (reference.json "gains"; param null is NaN here), error messages included.
func TestCalculateGainReference(t *testing.T) {
	ref := reference(t)
	for _, g := range ref.Gains {
		param := math.NaN()
		if g.Param != nil {
			param = num(t, *g.Param)
		}
		got, err := CalculateGain(g.Nonlinearity, param)
		if g.Error != "" {
			pe, ok := err.(*core.ParamError)
			if !ok || pe.Msg != g.Error || pe.Param != "nonlinearity" {
				t.Errorf("CalculateGain(%q, %v): error %v, want %q", g.Nonlinearity, param, err, g.Error)
			}
			continue
		}
		if want := num(t, g.Gain); err != nil || got != want {
			t.Errorf("CalculateGain(%q, %v) = %v, %v; want %v", g.Nonlinearity, param, got, err, want)
		}
	}
}

// initFrom builds an Init from reference.json's name and parameters.
func initFrom(name string, params map[string]any) Init {
	in := DefaultInit()
	in.Name = name
	if g, ok := params["gain"].(float64); ok {
		in.Gain = g
	}
	if a, ok := params["a"].(float64); ok {
		in.A = a
	}
	if nl, ok := params["nonlinearity"].(string); ok {
		in.Nonlinearity = nl
	}
	return in
}

// TestWeightScaleReference compares WeightScale and BiasScale with the arguments PyTorch's init
// functions pass to uniform_ and normal_ (reference.json "inits", recorded from torch itself):
// equal to the last bit, as the same float64 operations are done in the same order.
func TestWeightScaleReference(t *testing.T) {
	ref := reference(t)
	if len(ref.Inits) < 40 {
		t.Fatalf("only %d inits in reference.json", len(ref.Inits))
	}
	for _, r := range ref.Inits {
		in := initFrom(r.Init, r.Params)
		if err := in.Check(); err != nil {
			t.Fatalf("%s %v: %v", r.Init, r.Params, err)
		}
		scale, uniform := in.WeightScale(r.FanIn, r.FanOut)
		w := r.Weight
		switch {
		case w.Dist == "uniform":
			a, b := num(t, w.A), num(t, w.B)
			if !uniform || a != -b || scale != b {
				t.Errorf("%s %v (%d, %d): WeightScale = %v uniform=%v, PyTorch draws U(%v, %v)", r.Init, r.Params, r.FanOut, r.FanIn, scale, uniform, a, b)
			}
			if v := in.WeightVar(r.FanIn, r.FanOut); !near(v, b*b/3, 1e-15, 0) {
				t.Errorf("%s: WeightVar = %v, want %v", r.Init, v, b*b/3)
			}
		default:
			std := num(t, w.Std)
			if uniform || num(t, w.Mean) != 0 || scale != std {
				t.Errorf("%s %v (%d, %d): WeightScale = %v uniform=%v, PyTorch draws N(%s, %v²)", r.Init, r.Params, r.FanOut, r.FanIn, scale, uniform, w.Mean, std)
			}
			if v := in.WeightVar(r.FanIn, r.FanOut); !near(v, std*std, 1e-15, 0) {
				t.Errorf("%s: WeightVar = %v, want %v", r.Init, v, std*std)
			}
		}
		if r.Bias != nil {
			bs, bu := in.BiasScale(r.FanIn)
			if a, b := num(t, r.Bias.A), num(t, r.Bias.B); r.Bias.Dist != "uniform" || !bu || a != -b || bs != b {
				t.Errorf("%s (%d, %d): BiasScale = %v uniform=%v, PyTorch draws %s U(%v, %v)", r.Init, r.FanOut, r.FanIn, bs, bu, r.Bias.Dist, a, b)
			}
		}
	}
}

// TestSigmaW2 checks the mean-field σ_w² and σ_b² of each initialisation for a square layer.
func TestSigmaW2(t *testing.T) {
	const n = 256
	cases := []struct {
		in       Init
		sw2, sb2 float64
	}{
		{DefaultInit(), 1.0 / 3, 1.0 / (3 * n)},
		{Init{Name: "xavier_uniform", Gain: 2, BiasStd: 0.1}, 4, 0.01},
		{Init{Name: "xavier_normal", Gain: 1}, 1, 0},
		{Init{Name: "kaiming_uniform", Nonlinearity: "relu"}, 2, 0},
		{Init{Name: "kaiming_normal", Nonlinearity: "leaky_relu", A: 0.5}, 2 / 1.25, 0},
		{Init{Name: "kaiming_normal", Nonlinearity: "leaky_relu"}, 2, 0}, // a = 0: PyTorch's default is relu's gain
		{Init{Name: "lecun_normal", BiasStd: 0.3}, 1, 0.09},
		{Init{Name: "orthogonal", Gain: -1.5}, 2.25, 0},
		{Init{Name: "custom", SigmaW: 1.2, SigmaB: 0.4, BiasStd: 7}, 1.44, 0.16},
	}
	for _, c := range cases {
		if err := c.in.Check(); err != nil {
			t.Fatalf("%+v: %v", c.in, err)
		}
		if got := c.in.SigmaW2(n, n); !near(got, c.sw2, 1e-15, 0) {
			t.Errorf("%s: SigmaW2 = %.17g, want %.17g", c.in.Name, got, c.sw2)
		}
		if got := c.in.BiasVar(n); !near(got, c.sb2, 1e-15, 0) {
			t.Errorf("%s: BiasVar = %.17g, want %.17g", c.in.Name, got, c.sb2)
		}
	}
}

// TestInitCheck checks Check's errors: the key of the offending field and the message.
func TestInitCheck(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	with := func(f func(*Init)) Init { in := DefaultInit(); f(&in); return in }
	cases := []struct {
		in    Init
		param string
		msg   string // the whole message, or a part of it when ending in "…"
	}{
		{with(func(in *Init) { in.Name = "glorot" }), "init", `unknown init "glorot" (one of: default, xavier_uniform, xavier_normal, kaiming_uniform, kaiming_normal, lecun_normal, orthogonal, custom)`},
		{with(func(in *Init) { in.Name = "" }), "init", `unknown init ""…`},
		{with(func(in *Init) { in.Gain = nan }), "gain", "gain must be a finite number, got nan"},
		{with(func(in *Init) { in.A = inf }), "a", "negative_slope inf not a valid number"},
		{with(func(in *Init) { in.SigmaW = -inf }), "sigma_w", "sigma_w must be a finite number, got -inf"},
		{with(func(in *Init) { in.SigmaB = nan }), "sigma_b", "sigma_b must be a finite number, got nan"},
		{with(func(in *Init) { in.BiasMean = inf }), "bias_mean", "bias_mean must be a finite number, got inf"},
		{with(func(in *Init) { in.BiasStd = nan }), "bias_std", "bias_std must be a finite number, got nan"},
		{with(func(in *Init) { in.Name, in.Nonlinearity = "kaiming_normal", "swish" }), "nonlinearity", "Unsupported nonlinearity swish"},
		{with(func(in *Init) { in.Name, in.Nonlinearity = "kaiming_uniform", "" }), "nonlinearity", "Unsupported nonlinearity "},
		{with(func(in *Init) { in.Name, in.Gain = "xavier_uniform", -1 }), "gain", "gain must be >= 0 for xavier_uniform (PyTorch's uniform_ raises \"uniform_ expects to return a [from, to) range…"},
		{with(func(in *Init) { in.Name, in.Gain = "xavier_normal", -0.5 }), "gain", "gain must be >= 0 for xavier_normal (PyTorch's normal_ raises \"normal expects std >= 0.0\"), got -0.5"},
		{with(func(in *Init) { in.Name, in.SigmaW = "custom", -1 }), "sigma_w", "sigma_w must be >= 0…"},
		{with(func(in *Init) { in.Name, in.SigmaB = "custom", -0.25 }), "sigma_b", "normal expects std >= 0.0, but found std -0.25"},
		{with(func(in *Init) { in.Name, in.BiasStd = "kaiming_normal", -1 }), "bias_std", "normal expects std >= 0.0, but found std -1"},
		{with(func(in *Init) { in.Name, in.BiasStd = "orthogonal", -1.0/3 }), "bias_std", "normal expects std >= 0.0, but found std -0.333333"},
	}
	for _, c := range cases {
		err := c.in.Check()
		pe, ok := err.(*core.ParamError)
		if !ok {
			t.Errorf("%+v: Check() = %v, want a *core.ParamError", c.in, err)
			continue
		}
		msgOK := pe.Msg == c.msg
		if p, cut := strings.CutSuffix(c.msg, "…"); cut {
			msgOK = strings.HasPrefix(pe.Msg, p)
		}
		if pe.Param != c.param || !msgOK {
			t.Errorf("%+v: error %q for %q, want %q for %q", c.in, pe.Msg, pe.Param, c.msg, c.param)
		}
	}
	// Valid: fields an init does not use may hold any finite value; orthogonal takes a negative gain.
	for _, in := range []Init{
		DefaultInit(),
		with(func(in *Init) { in.BiasStd, in.SigmaW, in.SigmaB, in.Gain = -1, -1, -1, -1 }), // default uses none of them
		with(func(in *Init) { in.Name, in.Gain = "orthogonal", -2 }),
		with(func(in *Init) { in.Name, in.Nonlinearity, in.A = "kaiming_uniform", "relu", -3 }),
		with(func(in *Init) { in.Name, in.Nonlinearity = "kaiming_normal", "tanh" }), // PyTorch accepts every calculate_gain name
		with(func(in *Init) { in.Name, in.SigmaW, in.SigmaB, in.BiasStd = "custom", 0, 0, -1 }),
	} {
		if err := in.Check(); err != nil {
			t.Errorf("%+v: %v", in, err)
		}
	}
}

// TestWeightsStatistics draws 512×512 matrices and bias vectors of 2^16 entries and compares
// their sample moments with the distribution WeightScale states (itself checked against PyTorch
// above): the mean within 5 standard errors of 0, the variance within 5 standard errors of
// WeightVar (the variance of a sample variance is σ⁴·(2 + κ)/n, with excess kurtosis κ = 0 for a
// normal and -6/5 for a uniform), every uniform draw inside (-b, b) and reaching past 0.999·b.
func TestWeightsStatistics(t *testing.T) {
	const n = 512
	w := make([]float64, n*n)
	bias := make([]float64, 1<<16)
	for _, in := range []Init{
		DefaultInit(),
		{Name: "xavier_uniform", Gain: 1.3, BiasMean: 0.2, BiasStd: 0.5},
		{Name: "xavier_normal", Gain: 0.7, BiasStd: 0.1},
		{Name: "kaiming_uniform", Nonlinearity: "leaky_relu", A: 0.2},
		{Name: "kaiming_normal", Nonlinearity: "relu", BiasMean: -1},
		{Name: "lecun_normal", BiasStd: 2},
		{Name: "custom", SigmaW: 1.5, SigmaB: 0.3, BiasMean: 0.1},
	} {
		r := rand.New(rand.NewPCG(1, 2))
		in.Weights(w, n, n, r)
		scale, uniform := in.WeightScale(n, n)
		checkSample(t, in.Name+" weights", w, 0, in.WeightVar(n, n), scale, uniform)
		in.Bias(bias, n, r)
		bs, bu := in.BiasScale(n)
		checkSample(t, in.Name+" bias", bias, in.BiasMean, in.BiasVar(n), bs, bu)
	}
}

func checkSample(t *testing.T, name string, x []float64, mean, variance, scale float64, uniform bool) {
	t.Helper()
	n := float64(len(x))
	var s, s2, lo, hi float64
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range x {
		s += v
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	m := s / n
	for _, v := range x {
		s2 += (v - m) * (v - m)
	}
	sv := s2 / (n - 1)
	if math.Abs(m-mean) > 5*math.Sqrt(variance/n) {
		t.Errorf("%s: sample mean %g, want %g ± %g", name, m, mean, 5*math.Sqrt(variance/n))
	}
	kurt := 0.0
	if uniform {
		kurt = -1.2
	}
	if se := variance * math.Sqrt((2+kurt)/n); math.Abs(sv-variance) > 5*se {
		t.Errorf("%s: sample variance %g, want %g ± %g", name, sv, variance, 5*se)
	}
	if uniform && (lo <= mean-scale || hi >= mean+scale || hi-mean < 0.999*scale || mean-lo < 0.999*scale) {
		t.Errorf("%s: range [%g, %g], want inside and reaching (%g, %g)", name, lo, hi, mean-scale, mean+scale)
	}
}

// TestWeightsDeterministic: the same seed gives the same draws (index order, one draw each), and
// a scale of 0 still consumes its draws.
func TestWeightsDeterministic(t *testing.T) {
	a, b := make([]float64, 64), make([]float64, 64)
	in := Init{Name: "custom", SigmaW: 2}
	in.Weights(a, 8, 8, rand.New(rand.NewPCG(3, 4)))
	r := rand.New(rand.NewPCG(3, 4))
	for i := range b {
		b[i] = 2 / math.Sqrt(8) * r.NormFloat64()
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("w[%d] = %v, want %v (draw order)", i, a[i], b[i])
		}
	}
	r1, r2 := rand.New(rand.NewPCG(5, 6)), rand.New(rand.NewPCG(5, 6))
	Init{Name: "lecun_normal", BiasStd: 0}.Bias(a[:10], 8, r1)
	Init{Name: "lecun_normal", BiasStd: 1}.Bias(b[:10], 8, r2)
	if r1.Uint64() != r2.Uint64() {
		t.Error("a bias std of 0 draws differently from 1")
	}
	for _, v := range a[:10] {
		if v != 0 {
			t.Fatalf("bias std 0, mean 0: %v", a[:10])
		}
	}
	allocs := testing.AllocsPerRun(10, func() {
		DefaultInit().Weights(a, 8, 8, r1)
		DefaultInit().Bias(b, 8, r1)
	})
	if allocs != 0 {
		t.Errorf("Weights and Bias allocate %v times", allocs)
	}
}

// TestOrthogonal checks Orthogonal for several n against what orthogonal_ promises: WᵀW = gain²·I
// to 1e-12, and W is the Q of A = Q·R with R's diagonal positive (R = Wᵀ·A/gain is upper
// triangular with a positive diagonal, A redrawn from the same seed), whatever the signs
// Householder's reflections gave R.
func TestOrthogonal(t *testing.T) {
	var o Orthogonal
	for _, c := range []struct {
		n    int
		gain float64
	}{{1, 1}, {2, 1}, {3, -2}, {17, 1}, {64, 0.5}, {200, 1.7}} {
		n := c.n
		o.Start(n, rand.New(rand.NewPCG(uint64(n), 9)))
		if o.Done() || o.Steps() != 2*n {
			t.Fatalf("n=%d: Done %v before any step, Steps %d", n, o.Done(), o.Steps())
		}
		steps := 0
		for !o.Step() {
			steps++
		}
		if steps+1 != 2*n || !o.Done() || !o.Step() {
			t.Fatalf("n=%d: %d steps, want %d", n, steps+1, 2*n)
		}
		w := make([]float64, n*n)
		o.Result(w, c.gain)
		g2 := c.gain * c.gain
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				var s float64
				for k := 0; k < n; k++ {
					s += w[k*n+i] * w[k*n+j]
				}
				want := 0.0
				if i == j {
					want = g2
				}
				if math.Abs(s-want) > 1e-12*g2 {
					t.Fatalf("n=%d: (WᵀW)[%d][%d] = %.17g, want %g", n, i, j, s, want)
				}
			}
		}
		r := rand.New(rand.NewPCG(uint64(n), 9))
		a := make([]float64, n*n)
		var norm float64
		for i := range a {
			a[i] = r.NormFloat64()
			norm = math.Max(norm, math.Abs(a[i]))
		}
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				var s float64 // R[i][j] = (Wᵀ·A)[i][j] / gain
				for k := 0; k < n; k++ {
					s += w[k*n+i] * a[k*n+j]
				}
				s /= c.gain
				switch {
				case i > j && math.Abs(s) > 1e-12*norm*float64(n):
					t.Fatalf("n=%d: R[%d][%d] = %g below the diagonal", n, i, j, s)
				case i == j && !(s > 0):
					t.Fatalf("n=%d: R[%d][%d] = %g, want > 0 (sign convention)", n, i, i, s)
				case i == j && math.Abs(s-math.Abs(o.R(i, i))) > 1e-12*norm*float64(n):
					t.Fatalf("n=%d: R[%d][%d] = %g, Householder's |R_ii| = %g", n, i, i, s, math.Abs(o.R(i, i)))
				}
			}
		}
	}
}

// TestOrthogonalHaar: the sign fix makes the distribution Haar, so W[0][0] = a₀₀/‖a₀‖ is
// symmetric about 0 (Householder's Q alone has Q[0][0] = -|a₀₀|/‖a₀‖ < 0 always), with
// E[W₀₀²] = 1/n.
func TestOrthogonalHaar(t *testing.T) {
	const n, draws = 6, 4000
	var o Orthogonal
	w := make([]float64, n*n)
	r := rand.New(rand.NewPCG(7, 7))
	var s, s2 float64
	for d := 0; d < draws; d++ {
		o.Start(n, r)
		for !o.Step() {
		}
		o.Result(w, 1)
		s += w[0]
		s2 += w[0] * w[0]
	}
	if m := s / draws; math.Abs(m) > 5*math.Sqrt(1.0/n/draws) {
		t.Errorf("mean of W[0][0] = %g, want 0 ± %g", m, 5*math.Sqrt(1.0/n/draws))
	}
	if v := s2 / draws; math.Abs(v-1.0/n) > 0.02 {
		t.Errorf("mean of W[0][0]² = %g, want 1/%d", v, n)
	}
}

// TestOrthogonalReuse: once grown, Start, Step and Result do not allocate; Weights("orthogonal")
// is the same computation in one call.
func TestOrthogonalReuse(t *testing.T) {
	const n = 32
	var o Orthogonal
	w := make([]float64, n*n)
	o.Start(n, rand.New(rand.NewPCG(1, 1)))
	allocs := testing.AllocsPerRun(3, func() {
		o.Start(n, rand.New(rand.NewPCG(1, 1)))
		for !o.Step() {
		}
		o.Result(w, 1.5)
	})
	// rand.New and NewPCG allocate (2); the factorisation itself must not.
	if allocs > 2 {
		t.Errorf("Orthogonal allocates %v times per matrix", allocs)
	}
	w2 := make([]float64, n*n)
	Init{Name: "orthogonal", Gain: 1.5}.Weights(w2, n, n, rand.New(rand.NewPCG(1, 1)))
	for i := range w {
		if w[i] != w2[i] {
			t.Fatalf("Weights(orthogonal)[%d] = %v, Orthogonal gives %v", i, w2[i], w[i])
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Result before the last step did not panic")
		}
	}()
	o.Start(n, rand.New(rand.NewPCG(1, 1)))
	o.Step()
	o.Result(w, 1)
}

func BenchmarkOrthogonal512Step(b *testing.B) {
	var o Orthogonal
	r := rand.New(rand.NewPCG(1, 1))
	o.Start(512, r)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if o.Step() {
			o.Start(512, r) // not timed apart: Start is O(n²) like a step
		}
	}
}
