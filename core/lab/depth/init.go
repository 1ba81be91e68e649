// Package depth is the mathematics of the depth lab: a batch of standard normal inputs sent
// through Depth fully connected layers of Width units (square: fan_in = fan_out = Width), each
// followed by an elementwise activation, with the weights and biases drawn as torch.nn.init
// draws them (init.go), and beside the sample the mean-field prediction of the signal and of the
// gradient layer by layer (theory.go), whose Gaussian expectations come from an adaptive
// Gauss–Kronrod quadrature (gauss.go).
//
// Like the rest of core it is pure Go without fmt, encoding/json or syscall/js: it builds and
// tests natively and under GOOS=js GOARCH=wasm, and its hot paths (Theory, Expect, Orthogonal's
// steps, Weights, Bias) do not allocate once their buffers have grown.
package depth

import (
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/nnplay/nnplay/core"
)

// InitNames are the URL values of Init.Name, in the order a select offers them.
var InitNames = []string{"default", "xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal", "lecun_normal", "orthogonal", "custom"}

// KaimingNonlinearities are the values of Init.Nonlinearity that the lab offers for the
// kaiming initialisations, PyTorch's default first. Check accepts every name CalculateGain
// knows, as PyTorch does.
var KaimingNonlinearities = []string{"leaky_relu", "relu"}

// Init describes how the weights and biases of every layer are drawn: one of torch.nn.init's
// initialisations (or nn.Linear's own default), with PyTorch's parameter names.
//
// The zero value is not valid (Name ""); DefaultInit returns PyTorch's defaults. Each numeric
// field is used only by the initialisations named in its comment, but Check requires every one
// to be finite.
//
// Sources: https://pytorch.org/docs/stable/nn.init.html and torch/nn/init.py;
// https://pytorch.org/docs/stable/generated/torch.nn.Linear.html (reset_parameters).
type Init struct {
	Name         string  // one of InitNames
	Gain         float64 // xavier_uniform, xavier_normal, orthogonal: gain (PyTorch's default 1)
	A            float64 // kaiming_*: a, the negative slope for leaky_relu (PyTorch's default 0)
	Nonlinearity string  // kaiming_*: "relu" or "leaky_relu" (PyTorch's default "leaky_relu"); mode is fan_in
	SigmaW       float64 // custom: W ~ N(0, SigmaW²/fan_in)
	SigmaB       float64 // custom: bias std
	BiasMean     float64 // every init: added to the bias
	BiasStd      float64 // every init except default and custom: bias ~ N(BiasMean, BiasStd²)
}

// DefaultInit returns nn.Linear's default ("default") with PyTorch's defaults in every other
// field: Gain 1, A 0, Nonlinearity "leaky_relu", and SigmaW 1 (custom then draws N(0, 1/fan_in),
// as lecun_normal), SigmaB, BiasMean and BiasStd 0.
func DefaultInit() Init {
	return Init{Name: "default", Gain: 1, Nonlinearity: "leaky_relu", SigmaW: 1}
}

// sqrt5 is the a of nn.Linear's kaiming_uniform_(weight, a=math.sqrt(5)).
var sqrt5 = math.Sqrt(5)

// Check validates in as PyTorch would when it draws a weight matrix with it, and returns a
// *core.ParamError whose Param is the URL key of the offending field ("init", "gain", "a",
// "nonlinearity", "sigma_w", "sigma_b", "bias_mean", "bias_std"), or nil.
//
// The errors, in the order they are checked:
//
//   - an unknown Name: "unknown init "foo" (one of: default, xavier_uniform, ...)";
//   - a field that is NaN or ±Inf, whether the init uses it or not: "gain must be a finite number,
//     got nan" (for a, calculate_gain's own words: "negative_slope nan not a valid number");
//   - kaiming_*: a Nonlinearity calculate_gain does not know: PyTorch's "Unsupported nonlinearity
//     foo";
//   - xavier_uniform with a negative gain, for which PyTorch's uniform_ raises "uniform_ expects
//     to return a [from, to) range, but found from=… > to=…" (quoted without the numbers, which
//     depend on the fans);
//   - xavier_normal with a negative gain and custom with a negative sigma_w, for which PyTorch's
//     normal_ raises "normal expects std >= 0.0, but found std …" (quoted likewise);
//   - custom with a negative sigma_b, and every init that draws its bias from N(BiasMean,
//     BiasStd²) with a negative bias_std: PyTorch's words with the std, as C++ prints it: "normal
//     expects std >= 0.0, but found std -0.5".
//
// A negative gain is valid for orthogonal (PyTorch multiplies by it: -Q is orthogonal too).
func (in Init) Check() error {
	if initIndex(in.Name) < 0 {
		return core.Errorf("init", "unknown init ", strconv.Quote(core.ClipShown(in.Name)), " (one of: ", InitNames, ")")
	}
	fields := [...]struct {
		key string
		v   float64
	}{{"gain", in.Gain}, {"a", in.A}, {"sigma_w", in.SigmaW}, {"sigma_b", in.SigmaB},
		{"bias_mean", in.BiasMean}, {"bias_std", in.BiasStd}}
	for _, f := range fields {
		if f.v-f.v == 0 {
			continue
		}
		if f.key == "a" {
			return core.Errorf("a", "negative_slope ", f.v, " not a valid number")
		}
		return core.Errorf(f.key, f.key, " must be a finite number, got ", f.v)
	}
	switch in.Name {
	case "kaiming_uniform", "kaiming_normal":
		if _, err := CalculateGain(in.Nonlinearity, in.A); err != nil {
			return err
		}
	case "xavier_uniform":
		if in.Gain < 0 {
			return core.Errorf("gain", "gain must be >= 0 for xavier_uniform (PyTorch's uniform_ raises \"uniform_ "+
				"expects to return a [from, to) range, but found from > to\"), got ", in.Gain)
		}
	case "xavier_normal":
		if in.Gain < 0 {
			return core.Errorf("gain", "gain must be >= 0 for xavier_normal (PyTorch's normal_ raises \"normal "+
				"expects std >= 0.0\"), got ", in.Gain)
		}
	case "custom":
		if in.SigmaW < 0 {
			return core.Errorf("sigma_w", "sigma_w must be >= 0 (PyTorch's normal_ raises \"normal expects "+
				"std >= 0.0\"), got ", in.SigmaW)
		}
		if in.SigmaB < 0 {
			return core.Errorf("sigma_b", "normal expects std >= 0.0, but found std ", cFloat(in.SigmaB))
		}
	}
	if in.Name != "default" && in.Name != "custom" && in.BiasStd < 0 {
		return core.Errorf("bias_std", "normal expects std >= 0.0, but found std ", cFloat(in.BiasStd))
	}
	return nil
}

// cFloat formats v as C++'s ostream does by default (6 significant digits, %g), the way
// PyTorch's C++ error messages print a double ("-0.57735", "-1").
func cFloat(v float64) string {
	return strconv.FormatFloat(v, 'g', 6, 64) // both write a two-digit exponent: 1e-07
}

func initIndex(name string) int {
	for i, s := range InitNames {
		if s == name {
			return i
		}
	}
	return -1
}

// CalculateGain is torch.nn.init.calculate_gain(nonlinearity, param): the recommended gain for
// a nonlinearity, with NaN for param standing for Python's None.
//
//	linear, conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d: 1
//	sigmoid: 1
//	tanh: 5/3
//	relu: √2
//	leaky_relu: √(2/(1 + negative_slope²)), negative_slope = param, or 0.01 when param is NaN
//	selu: 3/4 (found empirically, PyTorch PR 50664; Klambauer et al.'s self-normalisation needs
//	      'linear' instead, as PyTorch's documentation warns)
//
// param is used only by leaky_relu, which computes in float64 as Python does: param = ±Inf gives
// √(2/inf) = 0. Any other name is an error, *core.ParamError{Param: "nonlinearity"} with
// PyTorch's "Unsupported nonlinearity <name>".
//
// Source: https://pytorch.org/docs/stable/nn.init.html#torch.nn.init.calculate_gain
func CalculateGain(nonlinearity string, param float64) (float64, error) {
	switch nonlinearity {
	case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid":
		return 1, nil
	case "tanh":
		return 5.0 / 3, nil
	case "relu":
		return math.Sqrt(2.0), nil
	case "leaky_relu":
		slope := param
		if param != param {
			slope = 0.01
		}
		return math.Sqrt(2.0 / (1 + slope*slope)), nil
	case "selu":
		return 3.0 / 4, nil
	}
	return math.NaN(), core.Errorf("nonlinearity", "Unsupported nonlinearity ", core.ClipShown(nonlinearity))
}

// kaimingGain returns calculate_gain(in.Nonlinearity, in.A) for the kaiming initialisations
// (NaN for an unknown nonlinearity).
func (in Init) kaimingGain() float64 {
	g, _ := CalculateGain(in.Nonlinearity, in.A)
	return g
}

// WeightScale returns the distribution each weight of a fanOut×fanIn matrix is drawn from: the
// bound b of U(-b, b) when uniform is true, else the standard deviation of N(0, scale²). Each
// value is computed with the float64 operations of torch/nn/init.py:
//
//	default:          b = √3·(gain/√fan_in), gain = calculate_gain('leaky_relu', √5) = √(2/6),
//	                  so b = 1/√fan_in (nn.Linear's kaiming_uniform_(weight, a=√5))
//	xavier_uniform:   b = √3·(gain·√(2/(fan_in+fan_out))) = gain·√(6/(fan_in+fan_out))
//	xavier_normal:    std = gain·√(2/(fan_in+fan_out))
//	kaiming_uniform:  b = √3·(gain/√fan_in), gain = calculate_gain(Nonlinearity, A)
//	kaiming_normal:   std = gain/√fan_in
//	lecun_normal:     std = 1/√fan_in (not in torch.nn.init by this name: it is
//	                  kaiming_normal_(w, nonlinearity='linear'); LeCun et al., "Efficient BackProp", 1998)
//	orthogonal:       std = |gain|/√max(fan_in, fan_out), the spread of each entry of gain·Q
//	                  (not its distribution: the entries of a Haar orthogonal matrix are dependent)
//	custom:           std = SigmaW/√fan_in
//
// An invalid Init (see Check) gives NaN or a meaningless value.
func (in Init) WeightScale(fanIn, fanOut int) (scale float64, uniform bool) {
	fi, fo := float64(fanIn), float64(fanOut)
	switch in.Name {
	case "default":
		gain := math.Sqrt(2.0 / (1 + sqrt5*sqrt5))
		return math.Sqrt(3.0) * (gain / math.Sqrt(fi)), true
	case "xavier_uniform":
		return math.Sqrt(3.0) * (in.Gain * math.Sqrt(2.0/(fi+fo))), true
	case "xavier_normal":
		return in.Gain * math.Sqrt(2.0/(fi+fo)), false
	case "kaiming_uniform":
		return math.Sqrt(3.0) * (in.kaimingGain() / math.Sqrt(fi)), true
	case "kaiming_normal":
		return in.kaimingGain() / math.Sqrt(fi), false
	case "lecun_normal":
		return 1 / math.Sqrt(fi), false
	case "orthogonal":
		return math.Abs(in.Gain) / math.Sqrt(math.Max(fi, fo)), false
	case "custom":
		return in.SigmaW / math.Sqrt(fi), false
	}
	return math.NaN(), false
}

// WeightVar returns the variance of each weight of a fanOut×fanIn matrix as drawn: b²/3 for
// U(-b, b), std² for a normal (see WeightScale), and gain²/max(fan_in, fan_out) for orthogonal
// (each column of a square Haar orthogonal matrix is a uniform unit vector, whose entries have
// mean 0 and variance 1/n).
//
//	default:          1/(3·fan_in)
//	xavier_*:         gain²·2/(fan_in+fan_out)
//	kaiming_*:        gain²/fan_in
//	lecun_normal:     1/fan_in
//	orthogonal:       gain²/fan_in for a square matrix
//	custom:           SigmaW²/fan_in
func (in Init) WeightVar(fanIn, fanOut int) float64 {
	s, uniform := in.WeightScale(fanIn, fanOut)
	if uniform {
		return s * s / 3
	}
	return s * s
}

// SigmaW2 returns fan_in·WeightVar(fanIn, fanOut), the σ_w² of mean-field theory (the variance of
// a weighted sum of fan_in unit-variance inputs): 1/3 for default, 2·gain²·fan_in/(fan_in+fan_out)
// for xavier (gain² when square), gain² for kaiming (2 for relu), 1 for lecun_normal, gain² for a
// square orthogonal matrix, SigmaW² for custom.
//
// For orthogonal weights the second moments are those of Gaussian weights with this σ_w², so the
// mean-field recursion of Theory holds for them as well; what differs is the spectrum of the
// layers' Jacobians (Pennington, Schoenholz & Ganguli, "Resurrecting the sigmoid in deep
// learning through dynamical isometry", 2017), which the RMS gradient of Theory does not see.
func (in Init) SigmaW2(fanIn, fanOut int) float64 {
	return float64(fanIn) * in.WeightVar(fanIn, fanOut)
}

// BiasScale returns the distribution of each bias entry before BiasMean is added: the bound b
// of U(-b, b) when uniform, else the standard deviation of a normal.
//
//	default:  b = 1/√fan_in (nn.Linear: uniform_(bias, -bound, bound), bound = 1/math.sqrt(fan_in))
//	custom:   std = SigmaB
//	others:   std = BiasStd
func (in Init) BiasScale(fanIn int) (scale float64, uniform bool) {
	switch in.Name {
	case "default":
		if fanIn <= 0 {
			return 0, true
		}
		return 1 / math.Sqrt(float64(fanIn)), true
	case "custom":
		return in.SigmaB, false
	}
	return in.BiasStd, false
}

// BiasVar returns the variance of each bias entry: 1/(3·fan_in) for default, SigmaB² for custom,
// BiasStd² for the others. The mean is BiasMean.
func (in Init) BiasVar(fanIn int) float64 {
	s, uniform := in.BiasScale(fanIn)
	if uniform {
		return s * s / 3
	}
	return s * s
}

// Weights fills w (len ≥ fanOut·fanIn) with a fanOut×fanIn weight matrix, row-major:
// w[i*fanIn+j] is the weight from input j to output i, as in nn.Linear's weight (out_features,
// in_features). The entries are drawn in index order, one draw each: uniform U(-b, b) as
// b·(2·r.Float64() - 1), normal N(0, std²) as std·r.NormFloat64(), with b or std from WeightScale
// (every draw is made even when the scale is 0, so a slider moving from 0 does not reshuffle the
// matrix).
//
// orthogonal draws the normal matrix and factorises it at once with Orthogonal (allocating its
// buffers, O(n³)); to spread the work over frames use Orthogonal directly. It needs a square
// matrix and panics otherwise. Weights does not allocate for the other initialisations.
func (in Init) Weights(w []float64, fanOut, fanIn int, r *rand.Rand) {
	w = w[:fanOut*fanIn]
	if in.Name == "orthogonal" {
		if fanOut != fanIn {
			panic("depth: orthogonal weights need a square matrix")
		}
		var o Orthogonal
		o.Start(fanIn, r)
		for !o.Step() {
		}
		o.Result(w, in.Gain)
		return
	}
	s, uniform := in.WeightScale(fanIn, fanOut)
	fillDraws(w, s, uniform, 0, r)
}

// Bias fills b with the bias entries, drawn in index order (one draw each, as Weights):
// default: BiasMean + U(-1/√fan_in, 1/√fan_in); custom: BiasMean + SigmaB·N(0, 1); the others:
// BiasMean + BiasStd·N(0, 1). It does not allocate.
func (in Init) Bias(b []float64, fanIn int, r *rand.Rand) {
	s, uniform := in.BiasScale(fanIn)
	fillDraws(b, s, uniform, in.BiasMean, r)
}

// fillDraws sets x[i] = mean + s·(2·U - 1) (uniform) or mean + s·N(0, 1).
func fillDraws(x []float64, s float64, uniform bool, mean float64, r *rand.Rand) {
	if uniform {
		for i := range x {
			x[i] = mean + s*(2*r.Float64()-1)
		}
		return
	}
	for i := range x {
		x[i] = mean + s*r.NormFloat64()
	}
}

// Orthogonal draws a square orthogonal matrix as torch.nn.init.orthogonal_ does, with the work
// split into steps of O(n²) each so that a page can spread an n = 512 factorisation (about
// (8/3)·n³ = 3.6e8 flops: 4/3·n³ for R, as much for Q) over several frames:
//
//  1. Start draws A, n×n, entries N(0, 1) (r.NormFloat64(), row-major, as normal_ fills the
//     (rows, cols) tensor);
//  2. A = Q·R by Householder reflections (LAPACK's geqr2 convention: H_k = I - τ_k·v_k·v_kᵀ,
//     v_k[k] = 1, R_kk = -sign(A_kk)·‖A[k:, k]‖), one column per Step; then Q = H_0·H_1···H_{n-1}
//     formed backwards (LAPACK's org2r), one reflection per Step: 2n steps in all;
//  3. Result writes gain·Q·diag(sign(diag R)), PyTorch's "q *= d.sign()" (Mezzadri, "How to
//     generate random matrices from the classical compact groups", arXiv:math-ph/0609050), which
//     makes the result the unique Q of the QR factorisation whose R has a positive diagonal, so
//     it does not depend on the QR algorithm (LAPACK's, this one) beyond rounding, and is
//     distributed by the Haar measure on O(n). A zero R_kk (probability 0) gives a zero column,
//     as torch.sign(0) = 0 does in PyTorch.
//
// The buffers (two n×n matrices and three vectors) are kept between uses and grow only; after
// the first Start of the largest n nothing allocates. The zero value is ready to use.
//
// Source: https://pytorch.org/docs/stable/nn.init.html#torch.nn.init.orthogonal_ (Saxe et al.,
// "Exact solutions to the nonlinear dynamics of learning in deep linear neural networks", 2013).
type Orthogonal struct {
	n    int
	step int       // steps done: 0..n factorisation, n..2n forming Q
	a    []float64 // A, then R above the diagonal and the v_k below it (row-major)
	q    []float64 // Q (row-major)
	tau  []float64 // τ_k
	w    []float64 // work row
}

// Start draws a new n×n normal matrix from r and resets the steps. n must be at least 1.
func (o *Orthogonal) Start(n int, r *rand.Rand) {
	if n < 1 {
		panic("depth: Orthogonal.Start needs n >= 1")
	}
	o.n, o.step = n, 0
	o.a = growFloats(o.a, n*n)
	o.q = growFloats(o.q, n*n)
	o.tau = growFloats(o.tau, n)
	o.w = growFloats(o.w, n)
	for i := range o.a {
		o.a[i] = r.NormFloat64()
	}
}

func growFloats(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// Steps returns the number of Step calls a matrix needs after Start: 2n.
func (o *Orthogonal) Steps() int { return 2 * o.n }

// Done reports whether the factorisation is complete and Result may be called.
func (o *Orthogonal) Done() bool { return o.n > 0 && o.step >= 2*o.n }

// Step does the next O(n²) piece of the work — the reflection of column k of A (k < n) or the
// application of reflection 2n-1-k to Q — and reports whether the work is complete. Calling it
// again when complete does nothing and returns true.
func (o *Orthogonal) Step() (done bool) {
	n := o.n
	switch {
	case n == 0:
		return false
	case o.step < n:
		o.reflect(o.step)
	case o.step < 2*n:
		k := 2*n - 1 - o.step
		if k == n-1 {
			clear(o.q)
			for i := 0; i < n; i++ {
				o.q[i*n+i] = 1
			}
		}
		o.applyQ(k)
	default:
		return true
	}
	o.step++
	return o.step >= 2*n
}

// reflect computes the Householder reflection of column k (rows k..n-1) and applies it to the
// columns to its right.
func (o *Orthogonal) reflect(k int) {
	n, a := o.n, o.a
	alpha := a[k*n+k]
	var ss float64
	for i := k + 1; i < n; i++ {
		ss += a[i*n+k] * a[i*n+k]
	}
	if ss == 0 { // H = I (also the last column, which has no entries below the diagonal)
		o.tau[k] = 0
		return
	}
	beta := -math.Copysign(math.Sqrt(alpha*alpha+ss), alpha)
	tau := (beta - alpha) / beta
	scale := 1 / (alpha - beta)
	for i := k + 1; i < n; i++ {
		a[i*n+k] *= scale
	}
	a[k*n+k] = beta
	o.tau[k] = tau
	// A[k:, k+1:] -= τ·v·(vᵀ·A[k:, k+1:]), row by row.
	w := o.w[k+1 : n]
	copy(w, a[k*n+k+1:k*n+n])
	for i := k + 1; i < n; i++ {
		vi := a[i*n+k]
		row := a[i*n+k+1 : i*n+n]
		for j := range w {
			w[j] += vi * row[j]
		}
	}
	rowk := a[k*n+k+1 : k*n+n]
	for j := range w {
		rowk[j] -= tau * w[j]
	}
	for i := k + 1; i < n; i++ {
		t := tau * a[i*n+k]
		row := a[i*n+k+1 : i*n+n]
		for j := range w {
			row[j] -= t * w[j]
		}
	}
}

// applyQ sets Q[k:, k:] = H_k·Q[k:, k:]. Called for k = n-1 down to 0 starting from Q = I, the
// rows k.. of the columns before k are still 0, so this forms H_0···H_{n-1}.
func (o *Orthogonal) applyQ(k int) {
	n, a, q := o.n, o.a, o.q
	tau := o.tau[k]
	if tau == 0 {
		return
	}
	w := o.w[k:n]
	copy(w, q[k*n+k:k*n+n])
	for i := k + 1; i < n; i++ {
		vi := a[i*n+k]
		row := q[i*n+k : i*n+n]
		for j := range w {
			w[j] += vi * row[j]
		}
	}
	rowk := q[k*n+k : k*n+n]
	for j := range w {
		rowk[j] -= tau * w[j]
	}
	for i := k + 1; i < n; i++ {
		t := tau * a[i*n+k]
		row := q[i*n+k : i*n+n]
		for j := range w {
			row[j] -= t * w[j]
		}
	}
}

// Result writes gain·Q·diag(sign(diag R)) to w (len ≥ n², row-major: w[i*n+j]). It panics if
// the steps are not complete. It does not allocate.
func (o *Orthogonal) Result(w []float64, gain float64) {
	if !o.Done() {
		panic("depth: Orthogonal.Result before the last Step")
	}
	n := o.n
	w = w[:n*n]
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			w[i*n+j] = gain * (torchSign(o.a[j*n+j]) * o.q[i*n+j])
		}
	}
}

// R returns R_ij of the factorisation A = Q·R (with Householder's signs, before Result's sign
// fix), for i <= j, once Step has processed column i; 0 below the diagonal.
func (o *Orthogonal) R(i, j int) float64 {
	if i > j {
		return 0
	}
	return o.a[i*o.n+j]
}

// torchSign is torch.sign: -1, 0 or 1 (NaN for NaN).
func torchSign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return x
}
