package depth

import "math"

// TheoryIn describes the network whose mean-field prediction Theory computes: Depth fully
// connected layers h_l = W_l·x_{l-1} + b_l, x_l = g(h_l), whose weights have mean 0 and variance
// SigmaW2/fan_in and whose biases have mean BiasMean and variance BiasVar (Init.SigmaW2,
// Init.BiasMean and Init.BiasVar give them for an initialisation).
type TheoryIn struct {
	Act      Act     // the activation g and its derivative (PyTorch's kink convention)
	SigmaW2  float64 // fan_in · Var(W), ≥ 0
	BiasMean float64 // E[b]
	BiasVar  float64 // Var(b), ≥ 0
	Depth    int     // the number of layers, ≥ 0
	Q0       float64 // second moment of the input entries (1 for standard normal inputs)
	Units    float64 // batch·width: the loss is L = ½·mean(y²) over the batch·width final outputs, so ∂L/∂y = y/Units
}

// TheoryOut is Theory's result, per layer l = 1..Depth at index l-1.
type TheoryOut struct {
	PreMean, PreStd   []float64 // mean (BiasMean) and standard deviation √v_l of the pre-activations h_l
	PostMean, PostStd []float64 // mean and standard deviation of the outputs g(h_l)
	// Q is the second moment of the pre-activations, q_l = v_l + BiasMean², which for BiasMean = 0
	// is Poole et al.'s length map q_l = σ_w²·E[g(√q_{l-1}·z)²] + σ_b².
	Q []float64
	// Grad is the predicted RMS of ∂L/∂h_l over the batch·width units of layer l.
	Grad []float64
	// Chi is the per-layer gradient factor χ_l = σ_w²·E[g'(h_l)²]: the mean square of ∂L/∂h
	// grows by this factor from layer l+1 down to layer l.
	Chi []float64
	// QStar is the fixed point q* = v* + BiasMean² that the variance map reaches when iterated
	// from the input: +Inf if the variance grows without bound, NaN if it does not settle.
	QStar float64
	// ChiStar is χ₁ = σ_w²·E[g'(h*)²] at the fixed point, h* ~ N(BiasMean, v*): below 1 gradients
	// vanish with depth (the ordered phase), above 1 they explode (the chaotic phase); NaN when
	// there is no fixed point. For v* = 0 it is the limit v → 0+ (relu: σ_w²/2, not PyTorch's
	// relu'(0) = 0 applied to every unit).
	ChiStar float64
}

// Theory computes the mean-field prediction of the signal and the gradient through the network
// in, for infinitely wide layers (Poole, Lahiri, Raghu, Sohl-Dickstein & Ganguli, "Exponential
// expressivity in deep neural networks through transient chaos", NeurIPS 2016; Schoenholz,
// Gilmer, Ganguli & Sohl-Dickstein, "Deep information propagation", ICLR 2017).
//
// Forward: each pre-activation of layer l is a sum of fan_in independent terms plus the bias, so
// h_l ~ N(μ_b, v_l) with
//
//	v_1 = σ_w²·Q0 + σ_b²
//	v_{l+1} = σ_w²·E[g(h_l)²] + σ_b²        (the variance map)
//	PostMean_l = E[g(h_l)],  PostStd_l = √Var[g(h_l)]
//
// (σ_w² = SigmaW2, σ_b² = BiasVar, μ_b = BiasMean; a uniform bias is replaced by the normal of the
// same mean and variance, as the sum dominates it). Backward, with the gradient independence
// assumption (the backward pass's weights independent of the forward pass's; exact for the
// second moments of Gaussian weights in the wide limit, Schoenholz et al.):
//
//	E[δ_L²] = E[g(h_L)²·g'(h_L)²]/Units²     (δ_l = ∂L/∂h_l, L = ½·mean(y²), y = g(h_L))
//	E[δ_l²] = χ_l·E[δ_{l+1}²],  χ_l = σ_w²·E[g'(h_l)²]
//	Grad_l = √E[δ_l²]
//
// For SELU with σ_w² = 1 and no bias this is Klambauer, Unterthiner, Mayr & Hochreiter's
// mean/variance map with ω = 0, τ = 1 ("Self-normalizing neural networks", NeurIPS 2017), whose
// fixed point (mean 0, variance 1) attracts: QStar = 1 (and PostMean → 0, PostStd → 1).
//
// The fixed point is the limit of the variance map iterated from v_1, found as the root of
// F(v) = G(v) - v, G the map, that the iteration moves to. The iterates v_1..v_{Depth+1} come from
// the forward pass; from the last of them the search moves in the iterates' direction by the
// plain iterate G(v), which never passes the first root of a nondecreasing G, or by the secant's
// root through the last two points (Aitken's Δ² extrapolation) when F shrinks and that root is
// within a factor 4, or else by geometric jumps (×4, ×16, ×256, ...; ÷ downwards). Once a point
// beyond the root is found the root is bracketed and found by regula falsi (Illinois). For a
// nondecreasing G (E[g(μ_b + √v·z)²] nondecreasing in v, as for every activation at μ_b = 0) with
// F convex or concave, which covers the activations in core, this is the limit of the iteration;
// TestFixedPointAgainstIteration compares it with the plain iteration over 144 maps, sigmoidal
// ones (heaviside with μ_b < 0, two stable roots) included. A G decreasing so steeply at the
// root (G' < -1) that the iterates oscillate away is reported as NaN. Special cases are:
//
//   - settled: |G(v) - v| ≤ 1e-14·G(v) at the last iterate, or at a later point where |G(v) - v|
//     has also shrunk (so that G(v) = v + c, within 1e-14 of v for a large v, is not taken for
//     settled): QStar is G(v). This covers the neutral maps, whose every point is fixed: relu
//     with σ_w² = 2 and no bias (E[relu(√v·z)²] = v/2, the map is the identity), linear with
//     σ_w²·c² = 1 and no bias: QStar is the value reached;
//   - decay to 0: 0 is fixed (σ_b = 0 and g(μ_b) = 0), the iterates decrease, either by a factor
//     of 1.5 or more 7 steps in a row (tanh with σ_w² < 1, or σ_w² = 1 where they decay like 1/l)
//     or so slowly that G(v) - v is below the quadrature's resolution (1e-13·v) without settling
//     (hardtanh at σ_w² = 1 and relu6 at σ_w² = 2, where G(v) - v ~ -e^{-1/(2v)}: the iterates
//     crawl down), and F has no sign change between 1e-14·v and v: QStar = μ_b² (v* = 0);
//   - unbounded growth: the map stays above the identity, and F does not shrink, up to v = 1e250
//     or up to where F is below the quadrature's resolution (1e-13·v), found in a few
//     geometrically growing steps: QStar = +Inf, as for linear with σ_w²·c² > 1 and relu with
//     σ_w² = 2 and σ_b > 0 (G(v) = v + σ_b²; softplus alike), and linear with σ_w²·c² = 1 and μ_b ≠ 0
//     (G(v) = v + c²·μ_b²); also when F shrinks but the root its secants point to recedes, the
//     point growing by a factor of 1.5 or more 7 times in a row (logsigmoid at σ_w² = 2 and no
//     bias: G(v) - v ~ c/√v, the iterates grow like l^(2/3)).
//     A v_l that overflows also gives +Inf;
//   - no result within 100 evaluations of the map, or a NaN: QStar = NaN.
//
// The search costs up to about 12 evaluations of G beyond the layers (44 for the crawl of
// hardtanh at σ_w² = 1), each an ExpectSq.
//
// Theory reuses out's slices (resized to Depth) and does not allocate once they have grown.
// A call for depth 20 costs about 20 + 10 quadratures of 274 to 700 calls of Act each: 0.9 ms
// for gelu natively (BenchmarkTheory); sin with w0 = 30 oscillates and costs 20 to 40 ms.
func Theory(in TheoryIn, out *TheoryOut) {
	L := max(in.Depth, 0)
	out.PreMean = growFloats(out.PreMean, L)
	out.PreStd = growFloats(out.PreStd, L)
	out.PostMean = growFloats(out.PostMean, L)
	out.PostStd = growFloats(out.PostStd, L)
	out.Q = growFloats(out.Q, L)
	out.Grad = growFloats(out.Grad, L)
	out.Chi = growFloats(out.Chi, L)

	vm := varMap{act: in.Act, sw2: in.SigmaW2, mb: in.BiasMean, vb: in.BiasVar}
	mb2 := in.BiasMean * in.BiasMean
	v := in.SigmaW2*in.Q0 + in.BiasVar // v_{l+1} at the end of iteration l
	vL, vL1 := math.NaN(), math.NaN()  // v_l and v_{l-1}
	var lastSqDSq float64
	overflow := false
	for l := 0; l < L; l++ {
		m := Expect(in.Act, in.BiasMean, v)
		out.PreMean[l] = in.BiasMean
		out.PreStd[l] = math.Sqrt(v)
		out.Q[l] = v + mb2
		out.PostMean[l] = m.Mean
		out.PostStd[l] = math.Sqrt(m.Var)
		out.Chi[l] = in.SigmaW2 * m.DSq
		lastSqDSq = m.SqDSq
		overflow = overflow || math.IsInf(v, 1)
		vL1, vL, v = vL, v, in.SigmaW2*m.Sq+in.BiasVar
	}
	if L > 0 {
		g := math.Sqrt(lastSqDSq) / in.Units
		out.Grad[L-1] = g
		for l := L - 2; l >= 0; l-- {
			g *= math.Sqrt(out.Chi[l])
			out.Grad[l] = g
		}
	}

	// The fixed point, from the last iterates: x = v_L, G(x) = v_{L+1} (and v_{L-1} before).
	var vstar float64
	switch {
	case overflow || math.IsInf(v, 1):
		vstar = math.Inf(1)
	case L == 0:
		vstar = vm.fixedPoint(math.NaN(), v, vm.g(v))
	default:
		vstar = vm.fixedPoint(vL1, vL, v)
	}
	out.QStar = vstar + mb2
	switch {
	case vstar-vstar != 0:
		out.ChiStar = math.NaN()
	case vstar == 0:
		out.ChiStar = in.SigmaW2 * Expect(in.Act, in.BiasMean, 1e-300).DSq
	default:
		out.ChiStar = in.SigmaW2 * Expect(in.Act, in.BiasMean, vstar).DSq
	}
}

// varMap is the variance map G(v) = σ_w²·E[g(μ_b + √v·z)²] + σ_b².
type varMap struct {
	act         Act
	sw2, mb, vb float64
	evals       int
}

func (m *varMap) g(v float64) float64 {
	m.evals++
	return m.sw2*ExpectSq(m.act, m.mb, v) + m.vb
}

const (
	fpTol      = 1e-14 // settled: |G(v) - v| ≤ fpTol·G(v)
	fpHuge     = 1e250 // growth beyond this is unbounded
	fpMaxEvals = 100
	fpNoise    = 1e-13 // the resolution of G(v) - v relative to v (the quadrature's tolerance)
	fpRecede   = 6     // more consecutive moves by a factor ≥ 1.5 than this without a bracket: see Theory
)

// settled reports whether v is a fixed point to fpTol, given gv = G(v).
func settled(v, gv float64) bool { return math.Abs(gv-v) <= fpTol*math.Abs(gv) }

// fixedPoint returns the limit of the iterates of m from x, given gx = G(x) and the iterate xp
// before x (G(xp) = x; NaN if there is none). See Theory.
func (m *varMap) fixedPoint(xp, x, gx float64) float64 {
	switch {
	case gx != gx || x != x:
		return math.NaN()
	case math.IsInf(gx, 1):
		return gx
	case settled(x, gx):
		return gx
	}
	// b: the newest point on the iterates' side of the root, F(b) = fb; a, fa: the one before
	// (for the secant); c, fc: a point beyond the root, once known.
	b, fb, gb := x, gx-x, gx
	a, fa := xp, x-xp
	var c, fc, gc float64 // fb and fc may be halved by the Illinois rule; gb, gc are G(b), G(c)
	bracket := false
	dir := 1.0 // the direction the iterates move in
	if fb < 0 {
		dir = -1
	}
	jump := 4.0
	side := 0   // Illinois: the side moved last (1: b, -1: c)
	recede := 0 // consecutive steps that moved the point by a factor of 1.5 or more
	for m.evals < fpMaxEvals {
		var p float64
		jumped := false
		if bracket {
			if math.Abs(b-c) <= 4e-16*math.Max(math.Abs(b), math.Abs(c)) {
				return m.check(b, gb, c, gc, 0.5*(b+c))
			}
			p = b - fb*(b-c)/(fb-fc)
			if !(p > math.Min(b, c) && p < math.Max(b, c)) {
				p = 0.5 * (b + c)
			}
		} else {
			// No point beyond the root yet. The plain iterate G(b) never passes the first root
			// of a nondecreasing G; if F shrinks by more than the rounding of G(v) - v (G(v) =
			// v + c gives F = c ± a few ulps of v), the secant's root (Aitken's Δ²
			// extrapolation) is taken instead when it is further and within a factor 4;
			// otherwise a geometric jump (×4, ×16, ×256, ...; down: ÷) looks further ahead.
			p = gb
			shrinking := a == a && (fa > 0) == (dir > 0) && math.Abs(fa)-math.Abs(fb) > fpNoise*b
			s := math.NaN()
			if shrinking {
				s = b - fb*(b-a)/(fb-fa)
			}
			within := s <= 4*b
			if dir < 0 {
				within = s >= b/4
			}
			switch {
			case shrinking && within && (s-p)*dir > 0:
				p = s
			case a == a && !(shrinking && within):
				if dir > 0 {
					p = math.Max(p, b*jump)
				} else {
					p = math.Min(p, b/jump)
				}
				jump *= jump
				jumped = true
			}
			if (dir > 0 && p >= 1.5*b) || (dir < 0 && p <= b/1.5) {
				recede++
			} else {
				recede = 0
			}
			if recede > fpRecede {
				if dir > 0 {
					// The root the secants point to keeps receding: F > 0 shrinks but never
					// reaches 0 (G(v) = v + c/√v, logsigmoid at σ_w² = 2): unbounded growth.
					return math.Inf(1)
				}
				// The iterates decay geometrically or like 1/l (tanh at σ_w² = 1).
				var ok bool
				if c, gc, ok = m.belowB(b); !ok {
					return 0
				}
				fc, bracket, side = gc-c, true, -1
				continue
			}
			if p > fpHuge {
				if b >= fpHuge {
					return math.Inf(1)
				}
				p = fpHuge
			}
		}
		gp := m.g(p)
		fp := gp - p
		switch {
		case gp != gp:
			return math.NaN()
		case math.IsInf(gp, 1):
			return gp
		case settled(p, gp) && bracket:
			return m.check(p, gp, c, gc, gp)
		case jumped && dir > 0 && math.Abs(fp) <= fpNoise*gp:
			// F was positive and not shrinking, and far ahead it is lost in the quadrature's
			// rounding: the map is the identity plus less than its resolution, G(v) = v + c for
			// a v > 1e13·c. The iterates grow without bound.
			return math.Inf(1)
		case settled(p, gp) && !jumped && math.Abs(fp) < 0.5*math.Abs(fb):
			return gp // without a bracket F must also have shrunk
		case !bracket && dir < 0 && math.Abs(fp) <= fpNoise*gp:
			// F < 0 has shrunk below the quadrature's resolution without settling: the map is
			// the identity to within rounding near p, as hardtanh's and relu6's are near 0 at
			// σ_w²·g'(0)² = 1 (G(v) - v ~ -e^{-1/(2v)}); the iterates crawl on down.
			var ok bool
			if c, gc, ok = m.belowB(p); !ok {
				return 0
			}
			a, fa, b, fb, gb = b, fb, p, fp, gp
			fc, bracket, side = gc-c, true, -1
			continue
		}
		if (fp > 0) == (dir > 0) { // still on the iterates' side
			a, fa, b, fb, gb = b, fb, p, fp, gp
			if bracket && side == 1 {
				fc /= 2
			}
			side = 1
		} else {
			if bracket && side == -1 {
				fb /= 2
			}
			c, fc, gc, bracket, side = p, fp, gp, true, -1
		}
	}
	return math.NaN()
}

// belowB is called when the iterates move down from b towards 0 with no root of F in sight: it
// returns a point c below b where F(c) = G(c) - c > 0, which brackets the root the iterates go
// to, with G(c); or ok = false when there is none: 0 is fixed (G(0) = 0) and F is not positive
// (beyond the quadrature's resolution) at 1e-14·b either, so the iterates decay to 0 (a root of F
// between 1e-14·b and b would need F to change sign twice there).
func (m *varMap) belowB(b float64) (c, gc float64, ok bool) {
	if g0 := m.g(0); g0 > fpNoise*b { // exact: v = 0 needs no quadrature
		return 0, g0, true
	}
	e := 1e-14 * b
	if ge := m.g(e); ge-e > fpNoise*e {
		return e, ge, true
	}
	return 0, 0, false
}

// check returns r, the root found between the points b and c with G(b) = gb, G(c) = gc, unless
// the map is so steep and decreasing there (G' < -1) that the iterates oscillate away from r:
// then NaN. A nondecreasing G (the secant through b and c says so) needs no more evaluations.
func (m *varMap) check(b, gb, c, gc, r float64) float64 {
	if b == c || (gb-gc)/(b-c) >= 0 {
		return r
	}
	h := 1e-6 * math.Max(r, 1e-300)
	d := (m.g(r+h) - m.g(math.Max(r-h, 0))) / (r + h - math.Max(r-h, 0))
	if d < -1 {
		return math.NaN()
	}
	return r
}
