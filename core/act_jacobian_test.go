package core

import (
	"fmt"
	"math"
	"testing"
)

// Tests of Func.JacobianRow for the vector activations (softmax, softmin, log_softmax, glu):
// exact values, the closed form computed here by a second method, a central finite difference of
// Vector's outputs, the sum of the rows against Vector's grad, and no allocation.

// jacobianExact are rows whose values are exact in float64, worked by hand from the textbook
// formulas (softmax: s_k (δ_kj - s_j); softmin: -s_k (δ_kj - s_j); log_softmax: δ_kj - s_j;
// glu: σ(b_k) and a_k σ(b_k) σ(-b_k)) at points where s and σ are dyadic (equal logits, b = 0),
// and at the limits of the special cases (infinite logits: the formula at the limit outputs).
var jacobianExact = []struct {
	id     string
	x      []float64
	k      int
	y, row []float64
}{
	{"softmax", []float64{0, 0}, 0, []float64{0.5, 0.5}, []float64{0.25, -0.25}},
	{"softmax", []float64{0, 0, 0, 0}, 2, []float64{0.25, 0.25, 0.25, 0.25}, []float64{-1.0 / 16, -1.0 / 16, 3.0 / 16, -1.0 / 16}},
	{"softmax", []float64{7, 7}, 1, []float64{0.5, 0.5}, []float64{-0.25, 0.25}},
	{"softmax", []float64{math.Inf(1), 0, math.Inf(1)}, 0, []float64{0.5, 0, 0.5}, []float64{0.25, 0, -0.25}},
	{"softmax", []float64{math.Inf(-1), math.Inf(-1)}, 0, []float64{0.5, 0.5}, []float64{0.25, -0.25}},
	{"softmin", []float64{0, 0}, 1, []float64{0.5, 0.5}, []float64{0.25, -0.25}},
	{"softmin", []float64{math.Inf(-1), 3}, 0, []float64{1, 0}, []float64{0, 0}},
	{"log_softmax", []float64{0, 0}, 0, []float64{-math.Ln2, -math.Ln2}, []float64{0.5, -0.5}},
	{"log_softmax", []float64{0, 0, 0, 0}, 3, []float64{-2 * math.Ln2, -2 * math.Ln2, -2 * math.Ln2, -2 * math.Ln2}, []float64{-0.25, -0.25, -0.25, 0.75}},
	{"log_softmax", []float64{math.Inf(1), 3}, 1, []float64{0, math.Inf(-1)}, []float64{-1, 1}},
	{"log_softmax", []float64{math.Inf(-1), 3}, 0, []float64{math.Inf(-1), 0}, []float64{1, -1}},
	{"glu", []float64{2, 0}, 0, []float64{1}, []float64{0.5, 0.5}},
	{"glu", []float64{3, -1, 0, 0}, 1, []float64{1.5, -0.5}, []float64{0, 0.5, 0, -0.25}},
	{"glu", []float64{-4, 1, 0, 0}, 0, []float64{-2, 0.5}, []float64{0.5, 0, -1, 0}},
}

func TestJacobianRowExact(t *testing.T) {
	for _, c := range jacobianExact {
		f := mustVector(t, c.id)
		y, row := make([]float64, len(c.y)), make([]float64, len(c.x))
		f.JacobianRow(f.Defaults(), c.x, c.k, y, row)
		for i := range c.y {
			if !actCloseULPs(y[i], c.y[i], 1) {
				t.Errorf("%s(%v): y = %v, want %v", c.id, c.x, y, c.y)
				break
			}
		}
		for j := range c.row {
			if row[j] != c.row[j] {
				t.Errorf("%s(%v) row %d = %v, want %v", c.id, c.x, c.k, row, c.row)
				break
			}
		}
	}
}

// A NaN anywhere in the softmax family gives NaN throughout; in glu only where it enters.
func TestJacobianRowNaN(t *testing.T) {
	nan := math.NaN()
	for _, id := range []string{"softmax", "softmin", "log_softmax"} {
		f := mustVector(t, id)
		x := []float64{1, nan, -2}
		y, row := make([]float64, 3), make([]float64, 3)
		f.JacobianRow(f.Defaults(), x, 0, y, row)
		for j := range x {
			if y[j] == y[j] || row[j] == row[j] {
				t.Errorf("%s(%v) row 0: y = %v, row = %v, want NaN throughout", id, x, y, row)
				break
			}
		}
	}
	f := mustVector(t, "glu")
	x := []float64{nan, 2, 0, 1} // a = [NaN, 2], b = [0, 1]
	y, row := make([]float64, 2), make([]float64, 4)
	f.JacobianRow(f.Defaults(), x, 1, y, row)
	if y[0] == y[0] || y[1] != 2*sigmoidRef(1) || row[0] != 0 || row[2] != 0 || row[1] != sigmoidRef(1) || row[3] != row[3] {
		t.Errorf("glu(%v) row 1: y = %v, row = %v; want y = [NaN, 2σ(1)], row = [0, σ(1), 0, 2σ(1)σ(-1)]", x, y, row)
	}
}

// sigmoidRef is 1 / (1 + e^{-b}) written out (the test's own σ, for moderate b).
func sigmoidRef(b float64) float64 { return 1 / (1 + math.Exp(-b)) }

// jacobianRef returns the outputs and row k of the Jacobian of the function id at x, by a second
// method independent of the code under test: each softmax output as s_k = 1 / Σ_j e^{z_j - z_k}
// (the sum relative to z_k itself, not to the maximum), 1 - s_k as Σ_{j≠k} e^{z_j - z_k} over the
// same denominator, log_softmax as -log1p(Σ_{j≠k} e^{z_j - z_k}); glu with σ(b) = 1/(1 + e^{-b})
// and σ(b) σ(-b) = 1 / ((1 + e^{-b})(1 + e^{b})). Valid for logits within 700 of each other.
func jacobianRef(id string, x []float64, k int) (y, row []float64) {
	row = make([]float64, len(x))
	if id == "glu" {
		h := len(x) / 2
		y = make([]float64, h)
		for i := range h {
			y[i] = x[i] * sigmoidRef(x[i+h])
		}
		b := x[k+h]
		row[k] = sigmoidRef(b)
		row[k+h] = x[k] / ((1 + math.Exp(-b)) * (1 + math.Exp(b)))
		return y, row
	}
	sign := 1.0
	if id == "softmin" {
		sign = -1
	}
	n := len(x)
	y = make([]float64, n)
	s, others := make([]float64, n), make([]float64, n) // s_i and Σ_{j≠i} e^{z_j - z_i}
	for i := range n {
		for j := range n {
			if j != i {
				others[i] += math.Exp(sign*x[j] - sign*x[i])
			}
		}
		s[i] = 1 / (1 + others[i])
		y[i] = s[i]
		if id == "log_softmax" {
			y[i] = -math.Log1p(others[i])
		}
	}
	oneMinus := others[k] / (1 + others[k]) // 1 - s_k
	for j := range n {
		switch id {
		case "log_softmax":
			row[j] = -s[j]
		default:
			row[j] = -sign * s[k] * s[j]
		}
	}
	if id == "log_softmax" {
		row[k] = oneMinus
	} else {
		row[k] = sign * s[k] * oneMinus
	}
	return y, row
}

// jacobianInputs are the test vectors (even lengths, so glu takes them all): the default input,
// near-ties, a dominant logit whose diagonal s_k (1 - s_k) would cancel to 0 in the naive form,
// and spreads of a few hundred.
var jacobianInputs = [][]float64{
	{2, 1, 0.1, -1},
	{0.3, -0.7},
	{5, -3, 0, 0.25, 1.5, -2},
	{1e-8, 0, -1e-8, 2e-8},
	{40, 0},
	{0, 40, 1, -1},
	{300, -300, 0, 1},
	{-2.5, 3.75, 0.125, -0.5, 6, -6, 0.01, 2},
}

func TestJacobianRowClosedForm(t *testing.T) {
	const tol = 64 * 0x1p-52 // relative: the reference's own sums and quotients, and the code's
	for _, f := range vectorFuncs() {
		for _, x := range jacobianInputs {
			n, err := f.OutLen(len(x))
			if err != nil {
				continue
			}
			y, row := make([]float64, n), make([]float64, len(x))
			for k := range n {
				f.JacobianRow(f.Defaults(), x, k, y, row)
				wy, wrow := jacobianRef(f.ID, x, k)
				for i := range y {
					if math.Abs(y[i]-wy[i]) > tol*math.Abs(wy[i]) {
						t.Errorf("%s(%v): y[%d] = %v, closed form %v", f.ID, x, i, y[i], wy[i])
					}
				}
				for j := range row {
					if math.Abs(row[j]-wrow[j]) > tol*math.Abs(wrow[j]) {
						t.Errorf("%s(%v): ∂y_%d/∂x_%d = %v, closed form %v", f.ID, x, k, j, row[j], wrow[j])
					}
				}
			}
		}
	}
}

// Row k against a central finite difference of Vector's output k (a second code path: Vector's
// y does not go through JacobianRow).
func TestJacobianRowFiniteDifference(t *testing.T) {
	for _, f := range vectorFuncs() {
		p := f.Defaults()
		for _, x := range jacobianInputs {
			n, err := f.OutLen(len(x))
			if err != nil {
				continue
			}
			out := func(x []float64, k int) float64 {
				y, g := make([]float64, n), make([]float64, len(x))
				f.Vector(p, x, y, g)
				return y[k]
			}
			y, row := make([]float64, n), make([]float64, len(x))
			for k := range n {
				f.JacobianRow(p, x, k, y, row)
				for j := range x {
					h := 1e-6 * math.Max(1, math.Abs(x[j]))
					xp := append([]float64(nil), x...)
					xm := append([]float64(nil), x...)
					xp[j] += h
					xm[j] -= h
					fd := (out(xp, k) - out(xm, k)) / (xp[j] - xm[j])
					if math.Abs(fd-row[j]) > 1e-7*(1+math.Abs(row[j])) {
						t.Errorf("%s(%v): ∂y_%d/∂x_%d = %v, finite difference %v", f.ID, x, k, j, row[j], fd)
					}
				}
			}
		}
	}
}

// The rows sum to Vector's grad (the vector-Jacobian product with ones), column by column, to
// within a few ulps of Σ_k |∂y_k/∂x_j| (the terms cancel: for softmax the sum is 0); for glu, whose
// rows are GLU's own terms, bit for bit. JacobianRow's y is Vector's y bit for bit.
func TestJacobianRowSumIsVJP(t *testing.T) {
	const ulps = 8 * 0x1p-52
	inputs := append(append([][]float64(nil), jacobianInputs...),
		[]float64{math.Inf(1), 3, math.Inf(1), -1}, []float64{math.Inf(-1), 0, 2, 0}, []float64{1e300, -1e300})
	for _, f := range vectorFuncs() {
		p := f.Defaults()
		for _, x := range inputs {
			n, err := f.OutLen(len(x))
			if err != nil {
				continue
			}
			yv, grad := make([]float64, n), make([]float64, len(x))
			f.Vector(p, x, yv, grad)
			y, row := make([]float64, n), make([]float64, len(x))
			cols := make([][]float64, len(x)) // cols[j][k] = ∂y_k/∂x_j
			for j := range cols {
				cols[j] = make([]float64, n)
			}
			for k := range n {
				f.JacobianRow(p, x, k, y, row)
				for i := range y {
					if math.Float64bits(y[i]) != math.Float64bits(yv[i]) {
						t.Errorf("%s(%v) row %d: y[%d] = %v, Vector gives %v", f.ID, x, k, i, y[i], yv[i])
					}
				}
				for j, v := range row {
					cols[j][k] = v
				}
			}
			for j, c := range cols {
				sum, mag := Sum(c), 0.0
				for _, v := range c {
					mag += math.Abs(v)
				}
				tol := ulps * mag
				if f.ID == "glu" {
					tol = 0
				}
				if math.Abs(sum-grad[j]) > tol {
					t.Errorf("%s(%v): Σ_k ∂y_k/∂x_%d = %v, Vector's grad %v (tolerance %v)", f.ID, x, j, sum, grad[j], tol)
				}
			}
		}
	}
}

func TestJacobianRowNoAllocs(t *testing.T) {
	for _, f := range vectorFuncs() {
		x := f.DefaultInput
		n, _ := f.OutLen(len(x))
		p := f.Defaults()
		y, row := make([]float64, n), make([]float64, len(x))
		if a := testing.AllocsPerRun(20, func() { f.JacobianRow(p, x, n-1, y, row) }); a != 0 {
			t.Errorf("%s: JacobianRow allocates %v times per call", f.ID, a)
		}
	}
}

func TestRegisterNeedsJacobianRow(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Register accepted a vector activation without JacobianRow")
		}
		if _, ok := Lookup("zz_no_jacobian"); ok {
			t.Error("the rejected function was registered")
		}
	}()
	Register(&Func{ID: "zz_no_jacobian", Class: "ZZ", Kind: VectorActivation,
		Vector: func(Params, []float64, []float64, []float64) {}, OutLen: actSameLen})
}

// vectorFuncs returns the registered vector activations; each must have JacobianRow.
func vectorFuncs() []*Func {
	var out []*Func
	for _, f := range All() {
		if f.Kind == VectorActivation {
			out = append(out, f)
		}
	}
	return out
}

func mustVector(t *testing.T, id string) *Func {
	t.Helper()
	f, ok := Lookup(id)
	if !ok || f.JacobianRow == nil {
		t.Fatalf("%s: not a registered vector activation with JacobianRow", id)
	}
	return f
}

func ExampleSoftmaxJacobianRow() {
	// The vector-Jacobian product with ones (Softmax's grad) is 0; row 0 of the Jacobian is not.
	x := []float64{0, 0, 0, 0}
	y, row := make([]float64, 4), make([]float64, 4)
	SoftmaxJacobianRow(x, 0, y, row)
	fmt.Println(y)
	fmt.Println(row)
	// Output:
	// [0.25 0.25 0.25 0.25]
	// [0.1875 -0.0625 -0.0625 -0.0625]
}
