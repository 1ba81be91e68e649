package core

import (
	"math"
	"slices"
)

// cosine_embedding_loss is F.cosine_embedding_loss / nn.CosineEmbeddingLoss (margin default 0.0).
//
//	cos = sum(x1 x2) / sqrt((sum x1^2 + EPS) (sum x2^2 + EPS)),  EPS = float32(1e-12) = 9.999999960041972e-13
//	l = 1 - cos                  if y = 1
//	l = max(0, cos - margin)     if y = -1
//	l = 0                        for any other label (as PyTorch)
//	d cos / d x1 = x2 / sqrt(m1 m2) - cos x1 / m1   (m1, m2 include EPS)
//
// EPS is added to the squared norms (not F.cosine_similarity's clamp of each norm at 1e-8), so a
// zero vector gives cos = 0. Vectors larger than 2^500 are scaled by a power of two first, so
// nothing overflows before the result does. The y = -1 hinge passes its gradient at cos == margin
// (clamp_min, >=). The margin is not checked (the doc suggests -1 to 1).
//
// Shapes: input1 and input2 (N, D) with target (N), or (D) with target (); 'none' returns the
// target's shape.
//
// Errors (PyTorch's texts): "0D or 1D target tensor expected, multi-target not supported", "1D
// target tensor expects 2D input tensors, but found inputs with sizes [..] and [..].", "0D target
// tensor expects 1D input tensors, but found inputs with sizes [..] and [..]."; input1 and input2
// shapes differ, or N differs from the target's length. NaN in gives NaN (also a NaN label, where
// PyTorch gives 0).
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.CosineEmbeddingLoss.html
func init() {
	f := &Func{
		ID: "cosine_embedding_loss", Class: "CosineEmbeddingLoss", Name: "Cosine embedding", Kind: Loss, Group: "Ranking and embedding",
		Params: []Param{
			{Name: "margin", Type: Real, Default: 0, Min: -1, Max: 1, Step: 0.01, Doc: "cosine below which dissimilar pairs cost nothing"},
			ReductionParam(),
		},
		Formula: `\ell = \begin{cases} 1 - \cos(x_1, x_2) & y = 1 \\ \max(0, \cos(x_1, x_2) - \text{margin}) & y = -1 \end{cases}, \quad ` +
			`\cos(x_1, x_2) = \frac{x_1 \cdot x_2}{\sqrt{(\lVert x_1 \rVert^2 + \epsilon)(\lVert x_2 \rVert^2 + \epsilon)}}`,
		Derivative:  `\frac{\partial \cos}{\partial x_1} = \frac{x_2}{\sqrt{m_1 m_2}} - \cos \frac{x_1}{m_1}, \quad m_i = \lVert x_i \rVert^2 + \epsilon`,
		Source:      "https://pytorch.org/docs/stable/generated/torch.nn.CosineEmbeddingLoss.html",
		Kinks:       []string{"with y = -1, at cos = margin the gradient passes, as PyTorch's clamp_min (>=)"},
		Differences: []string{"a NaN label gives NaN (PyTorch: 0)", "input1 and input2 must have the same shape (nnplay does not broadcast)"},
		Inputs: []LossInput{
			{Name: "input1", Differentiable: true, Doc: "(N, D) or (D) first embeddings"},
			{Name: "input2", Differentiable: true, Doc: "(N, D) or (D) second embeddings"},
			{Name: "target", Doc: "(N) or (): 1 for similar pairs, -1 for dissimilar ones"},
		},
		Curve: &Curve{
			X: Axis{Label: "angle θ between x1 and x2 (|x2| = 1)", Min: -math.Pi, Max: math.Pi},
			T: Axis{Label: "target y", Min: -1, Max: 1}, TStep: 2, TDefault: 1,
			Eval: func(p Params, t, x float64) (float64, float64) {
				l, dth, _ := cosinePolar(p, t, x, 1)
				return l, dth
			},
			Mark: cosineMark,
		},
		Surface: &Surface{
			X: Axis{Label: "angle θ of x2", Min: -math.Pi, Max: math.Pi}, Y: Axis{Label: "norm r of x2", Min: 0, Max: 2},
			Point: [2]float64{1, 1},
			Eval:  cosinePolar,
			Note: "x1 = (1, 0) and x2 = r (cos θ, sin θ): the loss depends on the angle only, except near r = 0 where " +
				"the 1e-12 added to the squared norms takes over",
		},
	}
	registerLoss(f, func(p Params, in map[string]Tensor) (LossResult, error) { return cosineLoss(f, p, in) })
}

// cosineMark is cosine_embedding_loss's Curve.Mark, on the axis of the angle θ between x1 and x2:
// for y = 1 the angle 0, where 1 - cos θ is 0; for y = -1 the angle where max(0, cos θ - margin)
// becomes 0, cos θ = margin, taken positive:
//
//	θ = 0 (y = 1),  θ = acos(margin) (y = -1; the loss is 0 for |θ| >= it)
//
// (The 1e-12 added to the squared norms moves the loss's own zero by about 1e-12 in cos θ.)
//
// Special cases are:
//
//	cosineMark(p, t) = NaN, "" for a label other than ±1 (the loss is 0 everywhere)
//	cosineMark(p, -1) = NaN, "" for a margin outside [-1, 1] (never, or always, cos θ <= margin)
func cosineMark(p Params, t float64) (float64, string) {
	switch m := p.Num[0]; {
	case t == 1:
		return 0, "cos θ = 1"
	case t == -1 && m >= -1 && m <= 1:
		return math.Acos(m), "cos θ = margin"
	}
	return math.NaN(), ""
}

const cosEpsilon = 9.999999960041972e-13 // float32(1e-12) widened, as ATen's EPSILON with doubles

// cosExactMaxD is the largest D for which cosEmbed uses the O(D^2) cancellation-free forms.
const cosExactMaxD = 256

// cosEmbed computes the cosine of x1 and x2 with EPS added to the squared norms, and 1 - cos,
// and 1 + cos, and writes the gradients of cos with respect to x1 and x2 to g1 and g2.
//
// With u, w the inputs scaled by powers of two, A = |u|^2 + e1, B = |w|^2 + e2, P = u.w and
// S = sqrt(A B), Lagrange's identity gives the quantities that cancel near cos = ±1 without
// cancellation (D_ij = u_i w_j - u_j w_i, each formed with a fused multiply-add):
//
//	A B - P^2 = sum_{i<j} D_ij^2 + e1 |w|^2 + e2 |u|^2 + e1 e2
//	1 - cos = (A B - P^2) / (S (S + P)),  1 + cos = (A B - P^2) / (S (S - P))
//	w_i A - P u_i = sum_j u_j D_ji + e1 w_i,  d cos / d u_i = (w_i A - P u_i) / (A S)
func cosEmbed(x1, x2, g1, g2 []float64) (cos, omc, opc float64) {
	e1, e2 := cosScale(x1), cosScale(x2)
	var p, a0, b0 float64
	finite := true
	for i := range x1 {
		u, w := math.Ldexp(x1[i], -e1), math.Ldexp(x2[i], -e2)
		p += u * w
		a0 += u * u
		b0 += w * w
		finite = finite && !math.IsInf(u, 0) && !math.IsInf(w, 0) && u == u && w == w
	}
	ep1, ep2 := math.Ldexp(cosEpsilon, -2*e1), math.Ldexp(cosEpsilon, -2*e2)
	a, b := a0+ep1, b0+ep2
	sab := math.Sqrt(a) * math.Sqrt(b)
	cos = p / sab
	omc, opc = 1-cos, 1+cos
	exact := finite && len(x1) <= cosExactMaxD
	u := func(i int) float64 { return math.Ldexp(x1[i], -e1) }
	w := func(i int) float64 { return math.Ldexp(x2[i], -e2) }
	if exact && p != 0 {
		var d2 float64
		for i := range x1 {
			for j := i + 1; j < len(x1); j++ {
				d := det2(u(i), u(j), w(i), w(j))
				d2 += d * d
			}
		}
		num := d2 + ep1*b0 + ep2*a0 + ep1*ep2 // A B - P^2
		if p > 0 {
			omc = num / (sab * (sab + p))
		} else {
			opc = num / (sab * (sab - p))
		}
	}
	for i := range x1 {
		ui, wi := u(i), w(i)
		var d1, d2 float64
		if exact {
			for j := range x1 {
				dij := det2(ui, u(j), wi, w(j)) // u_i w_j - u_j w_i
				d1 -= u(j) * dij                // u_j D_ji = -u_j D_ij
				d2 += w(j) * dij
			}
			// (d + e w_i) / (A S), split so that e w_i cannot drop into the subnormals
			g1[i] = math.Ldexp(d1/(a*sab)+(ep1/a)*(wi/sab), -e1)
			g2[i] = math.Ldexp(d2/(b*sab)+(ep2/b)*(ui/sab), -e2)
			continue
		}
		g1[i] = math.Ldexp(wi/sab-cos*ui/a, -e1)
		g2[i] = math.Ldexp(ui/sab-cos*wi/b, -e2)
	}
	return cos, omc, opc
}

// det2 returns a d - b c with one rounding error at most (Kahan's fused multiply-add form).
func det2(a, b, c, d float64) float64 {
	w := b * c
	e := 0 - prodErr(b, c, w) // = math.FMA(-b, c, w), +0 when exact
	f := math.FMA(a, d, -w)
	return f + e
}

// cosScale returns the power of two by which x is scaled down when its largest entry exceeds 2^500
// (0 otherwise, and for infinite or NaN entries).
func cosScale(x []float64) int {
	m := 0.0
	for _, v := range x {
		m = math.Max(m, math.Abs(v))
	}
	if m > 0x1p500 && !math.IsInf(m, 0) {
		_, e := math.Frexp(m)
		return e
	}
	return 0
}

// cosineRow returns the loss of one pair with label y and writes the gradients to g1 and g2.
func cosineRow(margin, y float64, x1, x2, g1, g2 []float64) float64 {
	cos, omc, opc := cosEmbed(x1, x2, g1, g2)
	var c, l float64
	switch {
	case y != y:
		c, l = math.NaN(), math.NaN()
	case y == 1:
		c, l = -1, omc
	case y == -1:
		z := cos - margin
		switch { // keep the hinge exact where cos is near ±1 and so is the margin
		case margin <= -0.5 && margin >= -2:
			z = opc - (1 + margin)
		case margin >= 0.5 && margin <= 2:
			z = (1 - margin) - omc
		}
		switch {
		case z >= 0:
			c, l = 1, z
		case z != z:
			c, l = z, z
		}
	}
	for i := range g1 {
		g1[i] *= c
		g2[i] *= c
	}
	return l
}

// cosinePolar is the surface: x1 = (1, 0), x2 = r (cos θ, sin θ); it returns the loss and its
// derivatives with respect to θ and r.
func cosinePolar(p Params, t, th, r float64) (float64, float64, float64) {
	var x1, x2, g1, g2 [2]float64
	s, c := math.Sincos(th)
	x1[0] = 1
	x2[0], x2[1] = r*c, r*s
	l := cosineRow(p.Num[0], t, x1[:], x2[:], g1[:], g2[:])
	dth := g2[0]*(-r*s) + g2[1]*(r*c)
	dr := g2[0]*c + g2[1]*s
	return l, dth, dr
}

func cosineLoss(f *Func, p Params, in map[string]Tensor) (LossResult, error) {
	ts, err := getInputs(in, "input1", "input2", "target")
	if err != nil {
		return LossResult{}, err
	}
	a, b, t := ts[0], ts[1], ts[2]
	switch len(t.Shape) {
	case 0:
		if len(a.Shape) != 1 || len(b.Shape) != 1 {
			return LossResult{}, Errorf("", "0D target tensor expects 1D input tensors, but found inputs with sizes ", a.Shape, " and ", b.Shape, ".")
		}
	case 1:
		if len(a.Shape) != 2 || len(b.Shape) != 2 {
			return LossResult{}, Errorf("", "1D target tensor expects 2D input tensors, but found inputs with sizes ", a.Shape, " and ", b.Shape, ".")
		}
	default:
		return LossResult{}, Errorf("", "0D or 1D target tensor expected, multi-target not supported")
	}
	if err := sameShapeErr("input1", a, "input2", b); err != nil {
		return LossResult{}, err
	}
	n, d := 1, a.Shape[0]
	if len(a.Shape) == 2 {
		n, d = a.Shape[0], a.Shape[1]
		if t.Shape[0] != n {
			return LossResult{}, Errorf("", "target has ", t.Shape[0], " labels but the inputs have ", n, " rows")
		}
	}
	l := make([]float64, n)
	g1, g2 := make([]float64, len(a.Data)), make([]float64, len(a.Data))
	for i := range n {
		r := i * d
		l[i] = cosineRow(p.Num[0], t.Data[i], a.Data[r:r+d], b.Data[r:r+d], g1[r:r+d], g2[r:r+d])
	}
	res := LossResult{Grad: map[string]Tensor{}}
	s := applyReduction(reductionOf(f, p, 1), t.Shape, l, float64(n), &res)
	scaleGrad(g1, s)
	scaleGrad(g2, s)
	res.Grad["input1"] = Tensor{Shape: slices.Clone(a.Shape), Data: g1}
	res.Grad["input2"] = Tensor{Shape: slices.Clone(a.Shape), Data: g2}
	return res, nil
}
