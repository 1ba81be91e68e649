package depth

import (
	"math"
	"math/rand/v2"

	"github.com/nnplay/nnplay/core"
)

// Limits of the network (the lab's sliders and nnplay.depth's checks).
const (
	MinDepth, MaxDepth = 1, 50
	MinWidth, MaxWidth = 8, 512
	MinBatch, MaxBatch = 16, 1024
	// Bins is the number of bins of each layer's density strip.
	Bins = 64
	// fineBins is the resolution of each layer's histogram over its own range, before the
	// strips are rebinned over the range common to every layer.
	fineBins = 1024
)

// Config is one network of the depth lab: depth square fully connected layers of width units,
// each followed by the elementwise activation F with parameters P, initialised by Init, fed a
// batch of standard normal inputs (dimension width) drawn from Seed.
type Config struct {
	F                   *core.Func
	P                   core.Params
	Init                Init
	Depth, Width, Batch int
	Seed                uint64
}

// Check reports an invalid configuration with a *core.ParamError naming the key.
func (c *Config) Check() error {
	if c.F == nil || c.F.Kind != core.Activation || c.F.Scalar == nil {
		return core.Errorf("f", "the depth lab needs an elementwise activation")
	}
	if err := c.F.Check(c.P); err != nil {
		return err
	}
	if c.Depth < MinDepth || c.Depth > MaxDepth {
		return core.Errorf("depth", "depth must be an integer from ", MinDepth, " to ", MaxDepth, ", got ", c.Depth)
	}
	if c.Width < MinWidth || c.Width > MaxWidth {
		return core.Errorf("width", "width must be an integer from ", MinWidth, " to ", MaxWidth, ", got ", c.Width)
	}
	if c.Batch < MinBatch || c.Batch > MaxBatch {
		return core.Errorf("batch", "batch must be an integer from ", MinBatch, " to ", MaxBatch, ", got ", c.Batch)
	}
	return c.Init.Check()
}

// Result is what one sample of the network shows, per layer l = 1..Depth at index l−1.
//
//   - PreMean, PreStd: mean and standard deviation (population, over batch × width) of the
//     pre-activations h_l = W_l·x_{l−1} + b_l;
//   - PostMean, PostStd: the same for the outputs x_l = f(h_l);
//   - Dead: the fraction of units whose f′(h_l) is 0 for every sample of the batch;
//   - Grad: the RMS over batch × width of ∂L/∂h_l for L = ½·mean(x_L²) (the mean over the
//     batch × width final outputs), by backpropagation;
//   - PreHist, PostHist: Depth rows of Bins densities (each row integrates to the share of
//     the layer's values inside [lo, hi]) over [PreLo, PreHi] and [PostLo, PostHi];
//   - LinearResidual: ‖Y − Ŷ‖_F/‖Y − Ȳ‖_F for the least-squares affine fit Ŷ = X·M + c of
//     the network's output Y on its input X over the batch, relative to the output's variation
//     (Ȳ: each output's mean over the batch); NaN when batch ≤ width + 1, where any map fits
//     exactly; 0 when the output is constant over the batch (a constant map is affine);
//   - SV: when the fit is exact to rounding (LinearResidual < LinearTol), the singular values
//     of M in decreasing order: the one linear layer the network is; else empty.
//
// NonFinite is the first layer (1-based) with a NaN or infinite value, 0 if none.
type Result struct {
	Depth, Width, Batch                               int
	PreMean, PreStd, PostMean, PostStd, Dead, Grad    []float64
	PreHist, PostHist                                 []float64
	PreLo, PreHi, PostLo, PostHi                      float64
	LinearResidual                                    float64
	SV                                                []float64
	NonFinite                                         int
	Constant                                          bool // the output is the same for every input
	layerMin, layerMax, postMin, postMax              []float64
	fineLo, fineHi, fineStep, postFineLo, postFineStp []float64
}

// LinearTol is the relative residual below which the network counts as one linear layer.
const LinearTol = 1e-10

// Runner computes a Result in steps that each take little time, so that the page stays
// responsive (Step), and keeps what a new configuration can reuse: the inputs and the QR
// factorisation of [X 1] for the same seed, batch and width; each layer's weights for the
// same seed, width and weight initialisation.
type Runner struct {
	cfg Config
	res Result

	phase, layer, row int
	done              bool

	// inputs
	x0             []float64 // batch × width
	x0Key          [3]uint64
	wKey           []wkey      // per layer: what its weights were drawn for
	w              [][]float64 // per layer: width × width, row-major (out × in)
	b              [][]float64 // per layer: width
	ortho          Orthogonal
	orthoStarted   bool
	h              []float64    // the current layer's pre-activations, batch × width
	xs             [2][]float64 // ping-pong outputs
	d              [][]float64  // per layer: f′(h_l), batch × width
	fine, postFine [][]float64  // per layer: fineBins counts
	delta, delta2  []float64
	alive          []bool
	// linear collapse
	qr     []float64 // batch × (width+1): Q of [X 1] by CGS2, row-major
	rr     []float64 // (width+1) × (width+1): R
	qrCol  int
	qrKey  [3]uint64
	coef   []float64 // (width+1) × width: Qᵀ·Y, then R⁻¹·Qᵀ·Y
	resSum float64
	ySum   float64
	yscale float64 // the largest |output|: the residual's sums are scaled by it
	ymean  []float64
	m      []float64 // width × width: the fitted matrix (for the singular values)
	jac    jacobi
}

type wkey struct {
	valid bool
	seed  uint64
	width int
	init  Init
}

// Phases of a run.
const (
	phInputs = iota
	phWeights
	phForward
	phLayerStats
	phStrips
	phBackward
	phQR
	phProject
	phResidual
	phSVD
	phDone
)

// Reset starts the computation of c (checked by the caller with Config.Check).
func (r *Runner) Reset(c Config) {
	r.cfg = c
	r.cfg.P = c.P.Clone()
	r.phase, r.layer, r.row, r.done = phInputs, 0, 0, false
	r.orthoStarted = false
	L, N, B := c.Depth, c.Width, c.Batch
	res := &r.res
	res.Depth, res.Width, res.Batch = L, N, B
	res.NonFinite = 0
	res.Constant = false
	res.LinearResidual = math.NaN()
	for _, p := range []*[]float64{&res.PreMean, &res.PreStd, &res.PostMean, &res.PostStd, &res.Dead, &res.Grad,
		&res.layerMin, &res.layerMax, &res.postMin, &res.postMax} {
		*p = grow(*p, L)
	}
	res.PreHist = grow(res.PreHist, L*Bins)
	res.PostHist = grow(res.PostHist, L*Bins)
	res.SV = res.SV[:0]
	for len(r.w) < L {
		r.w = append(r.w, nil)
		r.b = append(r.b, nil)
		r.wKey = append(r.wKey, wkey{})
		r.d = append(r.d, nil)
		r.fine = append(r.fine, nil)
		r.postFine = append(r.postFine, nil)
	}
	r.h = grow(r.h, B*N)
	r.xs[0] = grow(r.xs[0], B*N)
	r.xs[1] = grow(r.xs[1], B*N)
	r.delta = grow(r.delta, B*N)
	r.delta2 = grow(r.delta2, B*N)
	if cap(r.alive) < N {
		r.alive = make([]bool, N)
	}
	r.alive = r.alive[:N]
}

// Result returns the result; valid once Done (the slices are reused by the next Reset).
func (r *Runner) Result() *Result { return &r.res }

// Done reports whether the result is complete.
func (r *Runner) Done() bool { return r.done }

// Config returns the configuration being computed.
func (r *Runner) Config() *Config { return &r.cfg }

// Progress returns the share of the work done (0..1) and the layer being computed (1-based,
// 0 outside the layers).
func (r *Runner) Progress() (float64, int) {
	L := float64(r.cfg.Depth)
	switch r.phase {
	case phInputs:
		return 0, 0
	case phWeights, phForward, phLayerStats:
		return 0.5 * float64(r.layer) / L, r.layer + 1
	case phStrips:
		return 0.5, 0
	case phBackward:
		return 0.5 + 0.4*float64(r.cfg.Depth-1-r.layer)/L, r.layer + 1
	case phQR, phProject, phResidual, phSVD:
		return 0.92, 0
	}
	return 1, 0
}

// Run computes the whole result at once (nnplay.depth, the tests).
func (r *Runner) Run() *Result {
	for !r.Step(func() bool { return false }) {
	}
	return &r.res
}

// Step does work until stop reports true (checked after each unit of about 0.05–1 ms) or the
// result is complete, and reports whether it is.
func (r *Runner) Step(stop func() bool) bool {
	for !r.done {
		r.unit()
		if r.done || stop() {
			break
		}
	}
	return r.done
}

// rowsPerUnit is the number of batch rows whose layer product makes one unit of work.
func (r *Runner) rowsPerUnit() int {
	n := r.cfg.Width
	return max(1, 32768/(n*n))
}

func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// streams: the inputs, each layer's weights and each layer's biases have their own random
// stream, so that a new bias or a deeper network leaves the other draws as they were.
func stream(seed uint64, kind, layer int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, uint64(kind)<<32|uint64(layer)))
}

const (
	streamInputs = iota + 1
	streamWeights
	streamBias
)

func (r *Runner) unit() {
	c := &r.cfg
	L, N, B := c.Depth, c.Width, c.Batch
	switch r.phase {
	case phInputs:
		key := [3]uint64{c.Seed, uint64(N), uint64(B)}
		if r.x0Key != key || len(r.x0) != B*N {
			r.x0 = grow(r.x0, B*N)
			rng := stream(c.Seed, streamInputs, 0)
			for i := range r.x0 {
				r.x0[i] = rng.NormFloat64()
			}
			r.x0Key = key
			r.qrKey = [3]uint64{}
		}
		r.phase, r.layer = phWeights, 0
	case phWeights:
		l := r.layer
		wk := wkey{true, c.Seed, N, c.Init.weightPart()}
		if r.wKey[l] != wk || len(r.w[l]) != N*N {
			r.w[l] = grow(r.w[l], N*N)
			if c.Init.Name == "orthogonal" {
				if !r.orthoStarted {
					r.ortho.Start(N, stream(c.Seed, streamWeights, l))
					r.orthoStarted = true
				}
				for i := 0; i < 8; i++ {
					if r.ortho.Step() {
						r.ortho.Result(r.w[l], c.Init.Gain)
						r.orthoStarted = false
						r.wKey[l] = wk
						break
					}
				}
				if r.wKey[l] != wk {
					return // more steps of the factorisation
				}
			} else {
				c.Init.Weights(r.w[l], N, N, stream(c.Seed, streamWeights, l))
				r.wKey[l] = wk
			}
		}
		r.b[l] = grow(r.b[l], N)
		c.Init.Bias(r.b[l], N, stream(c.Seed, streamBias, l))
		r.d[l] = grow(r.d[l], B*N)
		r.phase, r.row = phForward, 0
	case phForward:
		l := r.layer
		in := r.x0
		if l > 0 {
			in = r.xs[(l-1)&1]
		}
		out := r.xs[l&1]
		hi := min(B, r.row+r.rowsPerUnit())
		forwardRows(in, r.w[l], r.b[l], r.h, out, r.d[l], N, r.row, hi, c.F, c.P)
		r.row = hi
		if r.row == B {
			r.phase, r.row = phLayerStats, 0
		}
	case phLayerStats:
		// in three units (moments, dead units, histograms): a wide layer's pass over its
		// batch × width values is one unit each
		r.layerStats(r.row)
		if r.row++; r.row < 3 {
			return
		}
		r.row = 0
		r.layer++
		if r.layer < L {
			r.phase = phWeights
		} else {
			r.phase = phStrips
		}
	case phStrips:
		r.strips()
		r.phase, r.layer, r.row = phBackward, L-1, 0
	case phBackward:
		r.backwardUnit()
	case phQR:
		r.qrUnit()
	case phProject:
		r.projectUnit()
	case phResidual:
		r.residualUnit()
	case phSVD:
		if r.jac.step(8) {
			r.res.SV = r.jac.values(r.res.SV[:0])
			r.phase = phDone
		}
	case phDone:
		r.done = true
	}
}

// forwardRows computes rows [lo, hi) of h = x·Wᵀ + b, out = f(h) and d = f′(h).
func forwardRows(x, w, b, h, out, d []float64, n, lo, hi int, f *core.Func, p core.Params) {
	scalar := f.Scalar
	for r := lo; r < hi; r++ {
		xr := x[r*n : r*n+n]
		hr := h[r*n : r*n+n]
		i := 0
		// four outputs per pass over the row: each input is loaded once for four products
		for ; i+4 <= n; i += 4 {
			w0, w1, w2, w3 := w[i*n:i*n+n], w[(i+1)*n:(i+1)*n+n], w[(i+2)*n:(i+2)*n+n], w[(i+3)*n:(i+3)*n+n]
			w0, w1, w2, w3 = w0[:len(xr)], w1[:len(xr)], w2[:len(xr)], w3[:len(xr)]
			var s0, s1, s2, s3 float64
			for j, v := range xr {
				s0 += v * w0[j]
				s1 += v * w1[j]
				s2 += v * w2[j]
				s3 += v * w3[j]
			}
			hr[i], hr[i+1], hr[i+2], hr[i+3] = s0+b[i], s1+b[i+1], s2+b[i+2], s3+b[i+3]
		}
		for ; i < n; i++ {
			hr[i] = dot(xr, w[i*n:i*n+n]) + b[i]
		}
		or, dr := out[r*n:r*n+n], d[r*n:r*n+n]
		for i, v := range hr {
			or[i], dr[i] = scalar(p, v)
		}
	}
}

// dot returns Σ a[i]·b[i] (len(b) >= len(a)), with four partial sums.
func dot(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// axpy sets y += a·x (len(y) >= len(x)).
func axpy(a float64, x, y []float64) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += a * v
	}
}

// meanStd returns the mean and the population standard deviation of v (two passes), with its
// minimum and maximum, and whether every value is finite.
func meanStd(v []float64) (mean, std, lo, hi float64, finite bool) {
	var s float64
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range v {
		s += x
		// comparisons, not the min and max builtins: for floats those are runtime calls in
		// wasm (fmin64, fmax64), which took half of this pass; a NaN makes s NaN, caught below
		if x < lo {
			lo = x
		}
		if x > hi {
			hi = x
		}
	}
	n := float64(len(v))
	mean = s / n
	if !(mean-mean == 0) || !(lo-lo == 0) || !(hi-hi == 0) {
		return mean, math.NaN(), lo, hi, false
	}
	var q, c float64
	for _, x := range v {
		e := x - mean
		q += e * e
		c += e
	}
	return mean, math.Sqrt(max(0, (q-c*c/n)/n)), lo, hi, true
}

// layerStats finishes layer r.layer, part by part: 0 its moments, 1 its dead units, 2 its fine
// histograms.
func (r *Runner) layerStats(part int) {
	c := &r.cfg
	l, N, B := r.layer, c.Width, c.Batch
	res := &r.res
	out := r.xs[l&1]
	switch part {
	case 0:
		var ok1, ok2 bool
		res.PreMean[l], res.PreStd[l], res.layerMin[l], res.layerMax[l], ok1 = meanStd(r.h[:B*N])
		res.PostMean[l], res.PostStd[l], res.postMin[l], res.postMax[l], ok2 = meanStd(out[:B*N])
		if (!ok1 || !ok2) && res.NonFinite == 0 {
			res.NonFinite = l + 1
		}
		return
	case 2:
		r.fine[l] = fineHist(r.fine[l], r.h[:B*N], res.layerMin[l], res.layerMax[l])
		r.postFine[l] = fineHist(r.postFine[l], out[:B*N], res.postMin[l], res.postMax[l])
		return
	}
	for j := range r.alive {
		r.alive[j] = false
	}
	d := r.d[l]
	for i := 0; i < B; i++ {
		row := d[i*N : i*N+N]
		for j, v := range row {
			if v != 0 {
				r.alive[j] = true
			}
		}
	}
	dead := 0
	for _, a := range r.alive {
		if !a {
			dead++
		}
	}
	res.Dead[l] = float64(dead) / float64(N)
}

// fineHist counts v into fineBins bins over [lo, hi] (non-finite values are left out).
func fineHist(h, v []float64, lo, hi float64) []float64 {
	h = grow(h, fineBins)
	clear(h)
	if !(lo-lo == 0) || !(hi-hi == 0) {
		return h
	}
	w := hi - lo
	for _, x := range v {
		if !(x-x == 0) {
			continue
		}
		k := fineBins - 1
		if w > 0 {
			k = min(fineBins-1, int((x-lo)/w*fineBins))
		}
		h[k]++
	}
	return h
}

// strips picks the value range common to every layer (each layer's mean ± 4 std, within its
// extremes) and rebins each layer's fine histogram into Bins densities over it.
func (r *Runner) strips() {
	res := &r.res
	L := r.cfg.Depth
	total := float64(r.cfg.Batch * r.cfg.Width)
	res.PreLo, res.PreHi = stripRange(res.PreMean[:L], res.PreStd[:L], res.layerMin[:L], res.layerMax[:L])
	res.PostLo, res.PostHi = stripRange(res.PostMean[:L], res.PostStd[:L], res.postMin[:L], res.postMax[:L])
	for l := 0; l < L; l++ {
		rebin(res.PreHist[l*Bins:(l+1)*Bins], r.fine[l], res.layerMin[l], res.layerMax[l], res.PreLo, res.PreHi, total)
		rebin(res.PostHist[l*Bins:(l+1)*Bins], r.postFine[l], res.postMin[l], res.postMax[l], res.PostLo, res.PostHi, total)
	}
}

func stripRange(mean, std, lo, hi []float64) (a, b float64) {
	a, b = math.Inf(1), math.Inf(-1)
	for l := range mean {
		if !(std[l]-std[l] == 0) {
			continue
		}
		a = min(a, max(lo[l], mean[l]-4*std[l]))
		b = max(b, min(hi[l], mean[l]+4*std[l]))
	}
	if !(a <= b) {
		return -1, 1
	}
	if b-a < 1e-12*max(1, math.Abs(a), math.Abs(b)) {
		m := 0.5 * (a + b)
		w := max(0.5, math.Abs(m)*0.1)
		return m - w, m + w
	}
	pad := 0.02 * (b - a)
	return a - pad, b + pad
}

// rebin spreads the fine bins (over [flo, fhi]) into len(dst) densities over [lo, hi]: each
// fine bin's count goes to the bin holding its centre.
func rebin(dst, fine []float64, flo, fhi, lo, hi, total float64) {
	clear(dst)
	n := float64(len(dst))
	bw := (hi - lo) / n
	fw := (fhi - flo) / fineBins
	for k, cnt := range fine {
		if cnt == 0 {
			continue
		}
		x := flo + (float64(k)+0.5)*fw
		if fw == 0 {
			x = flo
		}
		j := int(math.Floor((x - lo) / bw))
		if j < 0 || j >= len(dst) {
			continue
		}
		dst[j] += cnt
	}
	for j := range dst {
		dst[j] /= total * bw
	}
}

// backwardUnit computes δ_l = ∂L/∂h_l for layer r.layer (from the top), some rows at a time.
func (r *Runner) backwardUnit() {
	c := &r.cfg
	L, N, B := c.Depth, c.Width, c.Batch
	l := r.layer
	units := float64(B * N)
	if l == L-1 {
		y := r.xs[(L-1)&1]
		d := r.d[l]
		for i := 0; i < B*N; i++ {
			r.delta[i] = y[i] * d[i] / units
		}
		r.res.Grad[l] = rms(r.delta[:B*N])
		r.layer--
		if r.layer < 0 {
			r.startCollapse()
		}
		return
	}
	// δ_l = f′(h_l) ⊙ (δ_{l+1}·W_{l+1}); rows [row, hi)
	w := r.w[l+1]
	d := r.d[l]
	hi := min(B, r.row+r.rowsPerUnit())
	for b := r.row; b < hi; b++ {
		dn := r.delta[b*N : b*N+N]
		out := r.delta2[b*N : b*N+N]
		clear(out)
		i := 0
		// four rows of W per pass over out: each element of out is loaded and stored once
		for ; i+4 <= N; i += 4 {
			a0, a1, a2, a3 := dn[i], dn[i+1], dn[i+2], dn[i+3]
			if a0 == 0 && a1 == 0 && a2 == 0 && a3 == 0 {
				continue // dead units pass nothing back
			}
			w0, w1, w2, w3 := w[i*N:i*N+N], w[(i+1)*N:(i+1)*N+N], w[(i+2)*N:(i+2)*N+N], w[(i+3)*N:(i+3)*N+N]
			w0, w1, w2, w3 = w0[:len(out)], w1[:len(out)], w2[:len(out)], w3[:len(out)]
			for j := range out {
				out[j] += a0*w0[j] + a1*w1[j] + a2*w2[j] + a3*w3[j]
			}
		}
		for ; i < N; i++ {
			if a := dn[i]; a != 0 {
				axpy(a, w[i*N:i*N+N], out)
			}
		}
		dr := d[b*N : b*N+N]
		for j := range out {
			out[j] *= dr[j]
		}
	}
	r.row = hi
	if r.row < B {
		return
	}
	r.delta, r.delta2 = r.delta2, r.delta
	r.res.Grad[l] = rms(r.delta[:B*N])
	r.row = 0
	r.layer--
	if r.layer < 0 {
		r.startCollapse()
	}
}

func rms(v []float64) float64 {
	// scaled, so that tiny and huge gradients neither underflow nor overflow
	var scale float64
	for _, x := range v {
		if a := math.Abs(x); a > scale { // not max(): a runtime call per element in wasm
			scale = a
		}
	}
	if scale == 0 || !(scale-scale == 0) {
		if scale == 0 {
			return 0
		}
		return math.NaN()
	}
	var s float64
	for _, x := range v {
		e := x / scale
		s += e * e
	}
	return scale * math.Sqrt(s/float64(len(v)))
}

// weightPart is in without what does not change the weights (the biases' settings, and the
// fields its Name does not use): two inits with the same weightPart draw the same weights.
func (in Init) weightPart() Init {
	w := Init{Name: in.Name}
	switch in.Name {
	case "xavier_uniform", "xavier_normal", "orthogonal":
		w.Gain = in.Gain
	case "kaiming_uniform", "kaiming_normal":
		w.A, w.Nonlinearity = in.A, in.Nonlinearity
	case "custom":
		w.SigmaW = in.SigmaW
	}
	return w
}

// sigmaNote says, for the theory's readout, where σ_w² comes from when it is not a free choice.
func (in Init) sigmaNote() string {
	switch in.Name {
	case "default":
		return " (PyTorch's default nn.Linear init fixes σ_w² at 1/3: weights U(±1/√fan_in), whatever the activation; its bias is uniform, the theory uses its variance)"
	case "orthogonal":
		return " (orthogonal weights are not independent: the theory treats them as Gaussian with the same variance)"
	}
	return ""
}
