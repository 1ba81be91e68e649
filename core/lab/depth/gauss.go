package depth

import "math"

// Act is an elementwise activation g: its value and derivative at x, with PyTorch's convention
// at a kink (a core.Func's Scalar with its parameters bound). It must not allocate.
type Act func(x float64) (y, dy float64)

// Moments are the Gaussian expectations of an activation g at h = μ + √v·z, z ~ N(0, 1), that
// the mean-field recursion needs.
type Moments struct {
	Mean  float64 // E[g(h)]
	Sq    float64 // E[g(h)²]
	Var   float64 // Var[g(h)] = E[(g(h) - E[g(h)])²]
	DSq   float64 // E[g'(h)²]
	SqDSq float64 // E[g(h)²·g'(h)²]
}

// Expect returns the Moments of act at h ~ N(mu, v):
//
//	E[f(h)] = ∫ f(mu + √v·z)·φ(z) dz,  φ(z) = e^{-z²/2}/√(2π)
//
// by adaptive Gauss–Kronrod quadrature over |z| ≤ 38.6, beyond which φ underflows (φ(38.6) <
// 1e-324): QUADPACK's 10-point Gauss / 21-point Kronrod pair (qk21) with its error estimate, on
// a starting partition that resolves φ's bulk (breakpoints 0, ±1.5, ±3, ±6, ±10, ±20) split at
// z = -mu/√v, where the pre-activation crosses 0 (the kink of relu and most other activations,
// the jump of heaviside and of relu's derivative). An interval whose error estimate exceeds
// 1e-13 of the integral of |f| is halved, depth first; one that still fails after three halvings
// most likely holds a jump elsewhere (hardtanh at ±1, relu6 at 6, softplus at its threshold),
// which is then located by bisection on act and split at. The five integrands share the nodes:
// a smooth activation costs 13 intervals of 21 calls of act.
//
// Var is computed from moments about g(mu), E[(g - g(mu))²] - E[g - g(mu)]², not as E[g²] -
// E[g]², so it keeps its relative accuracy when the spread is small against the mean (sigmoid
// near 0, any activation at small v) down to the rounding of g itself, about
// ulp(g(mu))/(|g'(mu)|·√v) relative. The other moments are accurate to about 1e-13 of E[|f|]
// for their integrand f (Mean: of E[|g - g(mu)|]); against mpmath (gauss_test.go) every one is
// within 1e-13 relative, E[g] within 1e-13 of √E[g²].
//
// Special cases are:
//
//	Expect(act, mu, 0) = the exact values at h = mu: g(mu), g(mu)², 0, g'(mu)², g(mu)²·g'(mu)²
//	Expect(act, mu, v) = NaN in every field for v < 0, v = ±Inf or NaN, mu = ±Inf or NaN
//	a NaN value of g or g' at a node (heaviside' at exactly 0) makes the moments using it NaN
//	a moment that 1500 intervals cannot resolve to 1e-8 of E[|f|] is NaN: sin(w0·h) with w0·√v
//	beyond about 120 (w0 = 30: v > 16) oscillates too fast; below that sin costs up to that
//	budget (35000 calls, a few ms), where every other activation in core costs 300 to 700
//
// It does not allocate: its interval stack lives in the call's frame.
func Expect(act Act, mu, v float64) Moments {
	var m [gkN]float64
	c, exact, ok := gkSetup(act, mu, v)
	switch {
	case !ok:
		nan := math.NaN()
		return Moments{nan, nan, nan, nan, nan}
	case exact:
		y, dy := act(mu)
		return Moments{Mean: y, Sq: y * y, Var: 0, DSq: dy * dy, SqDSq: y * y * dy * dy}
	}
	m = gkIntegrate(act, mu, math.Sqrt(v), c, gkAll)
	return Moments{
		Mean:  c + m[gkDev],
		Sq:    m[gkSq],
		Var:   math.Max(m[gkDevSq]-m[gkDev]*m[gkDev], 0),
		DSq:   m[gkDSq],
		SqDSq: m[gkSqDSq],
	}
}

// ExpectSq returns E[g(h)²] for h ~ N(mu, v), as Expect's Sq, for the variance map's
// fixed-point iteration, which needs nothing else: the intervals are refined for E[g²] and E[g'²]
// only (E[g'²] too because a jump of g too small for E[g²]'s error estimate, softplus's at its
// threshold, 2e-9 at x = 20, is a jump of g' as well). Its special cases are Expect's.
func ExpectSq(act Act, mu, v float64) float64 {
	c, exact, ok := gkSetup(act, mu, v)
	switch {
	case !ok:
		return math.NaN()
	case exact:
		y, _ := act(mu)
		return y * y
	}
	return gkIntegrate(act, mu, math.Sqrt(v), c, 1<<gkSq|1<<gkDSq)[gkSq]
}

// gkSetup checks mu and v and returns the shift g(mu) (0 if not finite), whether v = 0, and
// whether the arguments are valid.
func gkSetup(act Act, mu, v float64) (c float64, exact, ok bool) {
	if !(v >= 0) || v-v != 0 || mu-mu != 0 {
		return 0, false, false
	}
	if v == 0 {
		return 0, true, true
	}
	c, _ = act(mu)
	if c-c != 0 {
		c = 0
	}
	return c, false, true
}

// The integrands, in the order of gkIntegrate's result.
const (
	gkDev   = iota // g - c
	gkDevSq        // (g - c)²
	gkSq           // g²
	gkDSq          // g'²
	gkSqDSq        // g²·g'²
	gkN
	gkAll = 1<<gkN - 1
)

const (
	gkZMax = 38.6  // φ(38.6) = 1.1e-324: below the smallest float64
	gkTol  = 1e-13 // an interval is done when its error estimate is below gkTol·∫|f|
	gkFail = 1e-8  // a moment whose summed error estimate ends above gkFail·∫|f| is NaN
	// gkStack bounds the depth-first stack: the starting intervals plus one per level of halving
	// (an interval of width 38.6·2⁻⁵⁵ is below the spacing of the float64s near 1).
	gkStack = 96
	// gkBudget bounds the intervals evaluated in one call (21 calls of act each): an integrand
	// the halving cannot resolve stops here, NaN unless its error estimate is below gkFail.
	gkBudget = 1500
	// gkJumpLevel is the number of halvings of an interval after which it is split at a located
	// jump instead (smooth integrands need at most one or two on the starting partition), and
	// gkMaxJumps the number of such splits in one lineage.
	gkJumpLevel = 3
	gkMaxJumps  = 3
	// invSqrt2Pi is 1/√(2π).
	invSqrt2Pi = 0.398942280401432677939946059934381868
)

// gkBreaks is the starting partition of [-gkZMax, gkZMax].
var gkBreaks = [...]float64{-gkZMax, -20, -10, -6, -3, -1.5, 0, 1.5, 3, 6, 10, 20, gkZMax}

// Nodes and weights of the 21-point Kronrod rule and of the 10-point Gauss rule it extends, on
// [-1, 1], from QUADPACK's qk21 (Piessens, de Doncker-Kapenga, Überhuber & Kahaner, QUADPACK,
// 1983): gkX[1], gkX[3], ..., gkX[9] are the Gauss nodes, with the weights gkWG.
// gauss_test.go checks the rules by their exactness (degrees 31 and 19).
var (
	gkX = [gkNodes]float64{
		0.995657163025808080735527280689003, 0.973906528517171720077964012084452,
		0.930157491355708226001207180059508, 0.865063366688984510732096688423493,
		0.780817726586416897063717578345042, 0.679409568299024406234327365114874,
		0.562757134668604683339000099272694, 0.433395394129247190799265943165784,
		0.294392862701460198131126603103866, 0.148874338981631210884826001129720,
	}
	gkWK = [gkNodes + 1]float64{ // the last is the centre's
		0.011694638867371874278064396062192, 0.032558162307964727478818972459390,
		0.054755896574351996031381300244580, 0.075039674810919952767043140916190,
		0.093125454583697605535065465083366, 0.109387158802297641899210590325805,
		0.123491976262065851077208980223048, 0.134709217311473325928054001771707,
		0.142775938577060080797094273138717, 0.147739104901338491374841515972068,
		0.149445554002916905664936468389821,
	}
	gkWG = [gkNodes / 2]float64{
		0.066671344308688137593568809893332, 0.149451349150580593145776339657697,
		0.219086362515982043995534934228163, 0.269266719309996355091226921569469,
		0.295524224714752870173892994651246,
	}
)

// gkNodes is the number of node pairs ±x of the Kronrod rule (21 = 2·10 + the centre).
const gkNodes = 10

// gkSeg is one interval of the stack with its Kronrod estimates and their error estimates;
// level counts the halvings since its starting interval or its last jump split, jumps the jump
// splits in its lineage.
type gkSeg struct {
	a, b         float64
	r, e         [gkN]float64
	level, jumps uint8
}

// gkIntegrate returns ∫ f_k(mu + s·z)·φ(z) dz over |z| ≤ gkZMax for the five integrands
// (c is the shift of gkDev and gkDevSq); intervals are refined until the integrands in mask meet
// the tolerance. A moment in mask whose error estimate, summed over the intervals, is still
// above gkFail of ∫|f| when the budget runs out is NaN.
func gkIntegrate(act Act, mu, s, c float64, mask int) [gkN]float64 {
	// The starting partition, with the kink z0 = -mu/s inserted (it replaces a breakpoint closer
	// than 0.25, so that no interval is needlessly narrow).
	var bp [len(gkBreaks) + 1]float64
	z0 := -mu / s
	inserted := !(z0 > -gkZMax && z0 < gkZMax)
	bp[0] = -gkZMax
	nb := 1
	for _, b := range gkBreaks[1 : len(gkBreaks)-1] {
		if !inserted && z0 < b+0.25 {
			inserted = true
			bp[nb] = z0
			nb++
			if z0 > b-0.25 {
				continue // z0 replaces b
			}
		}
		bp[nb] = b
		nb++
	}
	if !inserted {
		bp[nb] = z0
		nb++
	}
	bp[nb] = gkZMax
	nb++

	var stack [gkStack]gkSeg
	var scale, res, errSum [gkN]float64
	top := 0
	for i := nb - 2; i >= 0; i-- { // pushed right to left: processed left to right
		var abs [gkN]float64
		stack[top], abs = gkRule(act, mu, s, c, bp[i], bp[i+1])
		for k := range scale {
			scale[k] += abs[k]
		}
		top++
	}
	var thr [gkN]float64
	for k := range thr {
		thr[k] = math.Max(gkTol*scale[k], 1e-300)
	}
	budget := gkBudget - (nb - 1)
	for top > 0 {
		top--
		g := stack[top]
		done := true
		for k := 0; k < gkN; k++ {
			if mask&(1<<k) != 0 && g.e[k] > thr[k] { // a NaN estimate is done: more halving cannot help
				done = false
				break
			}
		}
		split := 0.5 * (g.a + g.b)
		if !done && budget >= 2 && top+2 <= len(stack) && g.a < split && split < g.b {
			level, jumps := g.level+1, g.jumps
			if g.level >= gkJumpLevel && g.jumps < gkMaxJumps {
				// Halving has not resolved it: most likely a jump of g or g' (hardtanh at ±1,
				// relu6 at 6, softplus at its threshold). Find it and split there.
				split = gkLocate(act, mu, s, g.a, g.b)
				level, jumps = 0, jumps+1
				budget--
			}
			budget -= 2
			stack[top], _ = gkRule(act, mu, s, c, split, g.b)
			stack[top+1], _ = gkRule(act, mu, s, c, g.a, split)
			stack[top].level, stack[top].jumps = level, jumps
			stack[top+1].level, stack[top+1].jumps = level, jumps
			top += 2
			continue
		}
		for k := range res {
			res[k] += g.r[k]
			errSum[k] += g.e[k]
		}
	}
	for k := range res {
		if mask&(1<<k) != 0 && errSum[k] > gkFail*scale[k] {
			res[k] = math.NaN()
		}
	}
	return res
}

// gkLocate returns a point of (a, b) next to which the integrand changes most: bisection on
// the change of act's value and derivative, which converges to a jump of g or g' when (a, b)
// holds one (the half with the jump keeps a change of the jump's size, the other's shrinks with
// its width), and otherwise to a point of steep change. About 55 calls of act (the bisection
// stops at the float64 resolution), against about 40 levels of halving, two Kronrod rules each,
// to shrink an interval around a jump to the tolerance. When after 8 bisections the change left
// is below a quarter of the whole interval's, there is no jump (the integrand oscillates, as sin
// does, or bends): the midpoint is returned after 10 calls.
func gkLocate(act Act, mu, s, a, b float64) float64 {
	ya, da := act(mu + s*a)
	yb, db := act(mu + s*b)
	d0 := math.Abs(yb-ya) + math.Abs(db-da)
	lo, hi := a, b
	for i := 0; i < 64; i++ {
		m := 0.5 * (lo + hi)
		if !(lo < m && m < hi) {
			break
		}
		ym, dm := act(mu + s*m)
		l, r := math.Abs(ym-ya)+math.Abs(dm-da), math.Abs(yb-ym)+math.Abs(db-dm)
		if l >= r {
			hi, yb, db = m, ym, dm
		} else {
			lo, ya, da = m, ym, dm
		}
		if i == 7 && !(math.Max(l, r) >= 0.25*d0) {
			return 0.5 * (a + b)
		}
	}
	m := 0.5 * (lo + hi)
	if !(a < m && m < b) {
		return 0.5 * (a + b)
	}
	return m
}

// gkRule applies the Kronrod rule and the Gauss rule on [a, b] and returns the Kronrod estimate
// of each integral with QUADPACK's error estimate, and the Kronrod estimate of ∫|f|.
func gkRule(act Act, mu, s, c, a, b float64) (g gkSeg, abs [gkN]float64) {
	h, m := 0.5*(b-a), 0.5*(a+b)
	var f [2*gkNodes + 1][gkN]float64 // f[2k], f[2k+1]: the nodes m ∓ h·gkX[k]; the last the centre
	for k := 0; k < gkNodes; k++ {
		gkEval(act, mu, s, c, m-h*gkX[k], &f[2*k])
		gkEval(act, mu, s, c, m+h*gkX[k], &f[2*k+1])
	}
	gkEval(act, mu, s, c, m, &f[2*gkNodes])
	g.a, g.b = a, b
	for j := 0; j < gkN; j++ {
		fc := f[2*gkNodes][j]
		rk, ra, rg := gkWK[gkNodes]*fc, gkWK[gkNodes]*math.Abs(fc), 0.0
		for k := 0; k < gkNodes; k++ {
			f1, f2 := f[2*k][j], f[2*k+1][j]
			rk += gkWK[k] * (f1 + f2)
			ra += gkWK[k] * (math.Abs(f1) + math.Abs(f2))
			if k&1 == 1 {
				rg += gkWG[k/2] * (f1 + f2)
			}
		}
		mean := 0.5 * rk
		asc := gkWK[gkNodes] * math.Abs(fc-mean)
		for k := 0; k < gkNodes; k++ {
			asc += gkWK[k] * (math.Abs(f[2*k][j]-mean) + math.Abs(f[2*k+1][j]-mean))
		}
		err := math.Abs((rk - rg) * h)
		asc *= h
		if asc != 0 && err != 0 {
			t := 200 * err / asc
			err = asc * math.Min(1, t*math.Sqrt(t))
		}
		g.r[j], g.e[j], abs[j] = rk*h, err, ra*h
	}
	return g, abs
}

// gkEval sets f to the five integrands at z, times φ(z).
func gkEval(act Act, mu, s, c, z float64, f *[gkN]float64) {
	w := gkPhi(z)
	y, dy := act(mu + s*z)
	d := y - c
	y2, dy2 := y*y, dy*dy
	f[gkDev] = d * w
	f[gkDevSq] = d * d * w
	f[gkSq] = y2 * w
	f[gkDSq] = dy2 * w
	f[gkSqDSq] = y2 * dy2 * w
}

// gkPhi returns the standard normal density φ(z). Beyond |z| = 8 the rounding error of z² is
// carried into the exponential (it would otherwise cost up to 745·2⁻⁵³ = 8e-14 relative at the
// end of the range, where a tail-dominated integral lives).
func gkPhi(z float64) float64 {
	t := z * z
	if t < 64 {
		return math.Exp(-0.5*t) * invSqrt2Pi
	}
	// Dekker's exact product: z² = t + e.
	const split = 1<<27 + 1
	p := z * split
	hi := p - (p - z)
	lo := z - hi
	e := ((hi*hi - t) + 2*hi*lo) + lo*lo
	return math.Exp(-0.5*t) * (1 - 0.5*e) * invSqrt2Pi
}
