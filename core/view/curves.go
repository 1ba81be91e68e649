package view

import (
	"math"

	"github.com/nnplay/nnplay/core"
)

// cbrtEps is the cube root of the float64 machine epsilon 2^-52, the step that balances
// truncation and rounding error in a central difference.
var cbrtEps = math.Cbrt(0x1p-52)

// Curves holds the preallocated buffers of one curve plot: the sample points X, the values Y,
// the analytic derivative DY and the central finite difference FD, len n each. The page copies
// each buffer to JavaScript in bulk.
type Curves struct{ X, Y, DY, FD []float64 }

// NewCurves returns Curves with buffers of n points (n < 0 is taken as 0).
func NewCurves(n int) *Curves {
	n = max(n, 0)
	return &Curves{X: make([]float64, n), Y: make([]float64, n), DY: make([]float64, n), FD: make([]float64, n)}
}

// Activation fills X with len(c.X) evenly spaced points on [xmin, xmax] (X[0] = xmin and
// X[n-1] = xmax exactly), Y = f(x) and DY = f'(x) from f.Scalar, and FD with the central finite
// difference (its two values from f.Value when set, else from f.Scalar)
//
//	FD = (f(x+h) - f(x-h)) / ((x+h) - (x-h)),  h = cbrt(eps) * max(1, |x|)
//
// with h first replaced by the step actually representable at x, h = (x+h) - x, and the
// denominator the distance actually taken between the two points. FD agrees
// with DY to about 1e-10 relative where f is smooth; at a kink it is the average of the one-sided
// slopes, which is how the page shows which convention DY follows there.
//
// If f has no Scalar (it is not an Activation), Y, DY and FD are NaN. It does not allocate.
func (c *Curves) Activation(f *core.Func, p core.Params, xmin, xmax float64) {
	linspace(c.X, xmin, xmax)
	if f == nil || f.Scalar == nil {
		fillNaN(c.Y, c.DY, c.FD)
		return
	}
	sc := f.Scalar
	if val := f.Value; val != nil {
		for i, x := range c.X {
			c.Y[i], c.DY[i] = sc(p, x)
			xp, xm := steps(x)
			c.FD[i] = (val(p, xp) - val(p, xm)) / (xp - xm)
		}
		return
	}
	for i, x := range c.X {
		c.Y[i], c.DY[i] = sc(p, x)
		xp, xm := steps(x)
		yp, _ := sc(p, xp)
		ym, _ := sc(p, xm)
		c.FD[i] = (yp - ym) / (xp - xm)
	}
}

// LossCurve does for a loss what Activation does for an activation, with
// F.Curve.Eval(p, t, x) giving the loss and its derivative at prediction x for target t, and
// F.Curve.Value, when set, the two values of the central difference.
//
// If f has no Curve, Y, DY and FD are NaN. It does not allocate.
func (c *Curves) LossCurve(f *core.Func, p core.Params, t, xmin, xmax float64) {
	linspace(c.X, xmin, xmax)
	if f == nil || f.Curve == nil || f.Curve.Eval == nil {
		fillNaN(c.Y, c.DY, c.FD)
		return
	}
	ev := f.Curve.Eval
	if val := f.Curve.Value; val != nil {
		for i, x := range c.X {
			c.Y[i], c.DY[i] = ev(p, t, x)
			xp, xm := steps(x)
			c.FD[i] = (val(p, t, xp) - val(p, t, xm)) / (xp - xm)
		}
		return
	}
	for i, x := range c.X {
		c.Y[i], c.DY[i] = ev(p, t, x)
		xp, xm := steps(x)
		yp, _ := ev(p, t, xp)
		ym, _ := ev(p, t, xm)
		c.FD[i] = (yp - ym) / (xp - xm)
	}
}

// steps returns the two points of the central difference at x.
func steps(x float64) (xp, xm float64) {
	a := math.Abs(x)
	if a < 1 { // max(1, |x|) without the builtin max, a runtime call under wasm; NaN stays NaN
		a = 1
	}
	h := cbrtEps * a
	h = (x + h) - x
	return x + h, x - h
}

// linspace fills dst with evenly spaced points from a to b, both ends exact. One point is a.
func linspace(dst []float64, a, b float64) {
	n := len(dst)
	if n == 0 {
		return
	}
	d := b - a
	last := float64(n - 1)
	if math.IsInf(d, 0) {
		for i := range dst {
			t := float64(i) / last
			dst[i] = a*(1-t) + b*t // the span overflows: interpolate instead
		}
	} else {
		for i := range dst {
			dst[i] = a + float64(i)/last*d
		}
	}
	dst[0] = a
	if n > 1 {
		dst[n-1] = b
	}
}

func fillNaN(bufs ...[]float64) {
	nan := math.NaN()
	for _, b := range bufs {
		for i := range b {
			b[i] = nan
		}
	}
}

// VectorOut holds the outputs of a vector activation: Y (len OutLen(len(in))) and Grad, the
// vector-Jacobian product with a vector of ones (len(in)).
type VectorOut struct{ Y, Grad []float64 }

// Eval evaluates the vector activation f at in, reusing the capacity of Y and Grad (it
// allocates only when they must grow). An error from f.OutLen (glu needs an even length) is
// returned as it is, with Y and Grad unchanged; a function that is not a vector activation gives
// a *core.ParamError.
func (v *VectorOut) Eval(f *core.Func, p core.Params, in []float64) error {
	if _, err := v.size(f, in); err != nil {
		return err
	}
	f.Vector(p, in, v.Y, v.Grad)
	return nil
}

// size checks that f is a vector activation that takes in and sizes Y and Grad for it.
func (v *VectorOut) size(f *core.Func, in []float64) (int, error) {
	if f == nil || f.Vector == nil || f.JacobianRow == nil || f.OutLen == nil {
		id := "<nil>"
		if f != nil {
			id = f.ID
		}
		return 0, &core.ParamError{Msg: id + " is not a vector activation"}
	}
	m, err := f.OutLen(len(in))
	if err != nil {
		return 0, err
	}
	v.Y = grow(v.Y, m)
	v.Grad = grow(v.Grad, len(in))
	return m, nil
}

// grow returns b resliced to n, reallocated only if its capacity is short.
func grow(b []float64, n int) []float64 {
	if cap(b) >= n {
		return b[:n]
	}
	return make([]float64, n)
}

// EvalRow evaluates the vector activation f at in like Eval, but Grad is row k of the
// Jacobian, Grad[j] = ∂y_k/∂x_j (f.JacobianRow), with k clamped to [0, len(Y) - 1].
func (v *VectorOut) EvalRow(f *core.Func, p core.Params, in []float64, k int) error {
	m, err := v.size(f, in)
	if err != nil || m == 0 {
		return err
	}
	f.JacobianRow(p, in, min(max(k, 0), m-1), v.Y, v.Grad)
	return nil
}
