package core

import (
	"math"
	"slices"
)

// triplet_margin_loss is F.triplet_margin_loss / nn.TripletMarginLoss (margin 1.0, p 2.0,
// eps 1e-6, swap false).
//
//	d(x1, x2) = ||x1 - x2 + eps||_p        (pairwise_distance: eps is added to the difference)
//	l = max(0, margin + d(a, p) - d(a, n))
//	swap: d(a, n) is replaced by min(d(a, n), d(p, n))  (the anchor swap of Balntas et al., 2016)
//
// Gradients: d||v||_p / dv_i = sgn(v_i) (|v_i| / ||v||_p)^(p-1) (0 for a zero norm or v_i = 0;
// for p = inf shared equally by the largest entries); the hinge passes its gradient at exactly 0
// (clamp_min, >=); a tie in the swap's min splits the gradient 1/2 : 1/2 (at::min backward). The
// norms are computed with scaling, so they do not overflow or underflow before the result does.
//
// Shapes: anchor, positive and negative (N, D) or (D), all the same shape; 'none' returns (N) or ().
//
// Errors: margin <= 0: "margin must be greater than 0, got m" (F's text; older PyTorch accepted
// it); different numbers of dimensions: "The anchor, positive, and negative tensors are expected
// to have the same number of dimensions, but got: anchor aD, positive pD, and negative nD inputs";
// p <= 0 (PyTorch's vector_norm accepts it; nnplay does not). NaN in gives NaN.
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.TripletMarginLoss.html
// (Balntas, Riba, Ponsa, Mikolajczyk, "Learning local feature descriptors with triplets and
// shallow convolutional neural networks", BMVC 2016).
func init() {
	f := &Func{
		ID: "triplet_margin_loss", Class: "TripletMarginLoss", Name: "Triplet margin", Kind: Loss, Group: "Ranking and embedding",
		Params: []Param{
			{Name: "margin", Type: Real, Default: 1, Min: 0.01, Max: 3, Step: 0.01, Doc: "how much closer the positive must be than the negative"},
			{Name: "p", Type: Real, Default: 2, Min: 1, Max: 5, Step: 0.1, Doc: "the norm degree of the pairwise distance"},
			{Name: "eps", Type: Real, Default: 1e-6, Min: 0, Max: 1e-3, Step: 1e-6, Doc: "added to the difference before the norm"},
			{Name: "swap", Type: Bool, Default: 0, Doc: "use min(d(a, n), d(p, n)) as the negative distance"},
			ReductionParam(),
		},
		Formula: `\ell(a, p, n) = \max\left(0,\ \text{margin} + d(a, p) - d(a, n)\right), \quad ` +
			`d(x_1, x_2) = \lVert x_1 - x_2 + \epsilon \rVert_p`,
		Derivative: `\frac{\partial \ell}{\partial a} = \frac{\partial d(a,p)}{\partial a} - \frac{\partial d(a,n)}{\partial a}, \quad ` +
			`\frac{\partial \lVert v \rVert_p}{\partial v_i} = \operatorname{sgn}(v_i) \left(\frac{|v_i|}{\lVert v \rVert_p}\right)^{p-1}`,
		Source: "https://pytorch.org/docs/stable/generated/torch.nn.TripletMarginLoss.html",
		Kinks: []string{
			"at margin + d(a,p) - d(a,n) = 0 the gradient passes, as PyTorch's clamp_min (>=)",
			"with swap, a tie d(a,n) = d(p,n) splits the gradient 1/2 : 1/2 (torch.min backward)",
			"a zero difference vector has gradient 0 (PyTorch masks the norm's gradient)",
		},
		Differences: []string{
			"anchor, positive and negative must have the same shape (nnplay does not broadcast); p <= 0 is rejected",
		},
		Validate: func(p Params) error {
			if m := p.Num[0]; m <= 0 {
				return Errorf("margin", "margin must be greater than 0, got ", m)
			}
			if pp := p.Num[1]; !(pp > 0) {
				return Errorf("p", "p must be greater than 0 for the pairwise distance, got ", pp)
			}
			return nil
		},
		Inputs: []LossInput{
			{Name: "anchor", Differentiable: true, Doc: "(N, D) or (D) anchor embeddings"},
			{Name: "positive", Differentiable: true, Doc: "(N, D) or (D) embeddings of the same class as the anchor"},
			{Name: "negative", Differentiable: true, Doc: "(N, D) or (D) embeddings of another class"},
		},
		Curve: &Curve{
			X: Axis{Label: "d(a, p)", Min: 0, Max: 3},
			T: Axis{Label: "d(a, n)", Min: 0, Max: 3}, TStep: 0.01, TDefault: 1.5,
			Eval: func(p Params, t, x float64) (float64, float64) {
				l, dx, _ := tripletDist(p.Num[0], x, t)
				return l, dx
			},
			Mark: tripletMark,
		},
		Surface: &Surface{
			X: Axis{Label: "d(a, p)", Min: 0, Max: 3}, Y: Axis{Label: "d(a, n)", Min: 0, Max: 3},
			Point: [2]float64{1.5, 1},
			Eval: func(p Params, _, x, y float64) (float64, float64, float64) {
				return tripletDist(p.Num[0], x, y)
			},
			IgnoresT: true,
			Note: "the loss over the two distances d(a,p) and d(a,n), as in the margin figure of Balntas et al., BMVC 2016: " +
				"zero where d(a,n) >= d(a,p) + margin (swap acts on the points, not on this plane)",
		},
	}
	registerLoss(f, func(p Params, in map[string]Tensor) (LossResult, error) { return tripletLoss(f, p, in) })
}

// tripletMark is triplet_margin_loss's Curve.Mark: the distance d(a,p) at which the loss becomes 0
// for the negative distance d(a,n) = t, the hinge of max(0, margin + d(a,p) - d(a,n)):
//
//	d(a,p) = d(a,n) - margin
//
// Special cases are:
//
//	tripletMark(p, t) = NaN, "" where t - margin < 0 (no distance makes the loss 0) or t is NaN
func tripletMark(p Params, t float64) (float64, string) {
	x := t - p.Num[0]
	if !(x >= 0) {
		return math.NaN(), ""
	}
	return x, "d(a,p) = d(a,n) - margin"
}

// tripletDist is the loss as a function of the two distances: max(0, margin + dap - dan).
func tripletDist(margin, dap, dan float64) (float64, float64, float64) {
	s, e := twoSum(margin, dap)
	z := (s - dan) + e
	switch {
	case z >= 0:
		return z, 1, -1
	case z < 0:
		return 0, 0, 0
	}
	return z, z, z
}

// pairwiseDistance returns ||x1 - x2 + eps||_p over the whole slices and writes its gradient
// with respect to x1 to g (the gradient with respect to x2 is -g). v is scratch of len(x1).
func pairwiseDistance(x1, x2 []float64, p, eps float64, v, g []float64) float64 {
	m := 0.0
	for i := range x1 {
		dh, dl := twoSum(x1[i], -x2[i])
		v[i] = dh + (dl + eps)
		if a := math.Abs(v[i]); a > m || a != a {
			m = a
		}
	}
	switch {
	case m != m:
		for i := range g {
			g[i] = math.NaN()
		}
		return m
	case m == 0:
		for i := range g {
			g[i] = 0
		}
		return 0
	case math.IsInf(m, 1) || math.IsInf(p, 1):
		// the largest entries carry the norm; their gradient is shared equally
		cnt := 0
		for _, vi := range v {
			if math.Abs(vi) == m {
				cnt++
			}
		}
		for i, vi := range v {
			g[i] = 0
			if math.Abs(vi) == m {
				g[i] = sgn(vi) / float64(cnt)
				if !math.IsInf(p, 1) {
					g[i] = sgn(vi) / math.Pow(float64(cnt), 1/p)
				}
			}
		}
		if math.IsInf(p, 1) {
			return m
		}
		return math.Inf(1)
	}
	_, e := math.Frexp(m) // scale by a power of two: exact
	var s float64
	for _, vi := range v {
		r := math.Ldexp(math.Abs(vi), -e)
		switch p {
		case 1:
			s += r
		case 2:
			s += r * r
		default:
			s += math.Pow(r, p)
		}
	}
	var norm float64
	switch p {
	case 1:
		norm = math.Ldexp(s, e)
	case 2:
		norm = math.Ldexp(math.Sqrt(s), e)
	default:
		norm = math.Ldexp(math.Pow(s, 1/p), e)
	}
	for i, vi := range v {
		switch {
		case vi == 0:
			g[i] = 0
		case p == 1:
			g[i] = sgn(vi)
		case p == 2:
			g[i] = vi / norm
		default:
			g[i] = sgn(vi) * math.Pow(math.Abs(vi)/norm, p-1)
		}
	}
	return norm
}

func tripletLoss(f *Func, p Params, in map[string]Tensor) (LossResult, error) {
	ts, err := getInputs(in, "anchor", "positive", "negative")
	if err != nil {
		return LossResult{}, err
	}
	a, pos, neg := ts[0], ts[1], ts[2]
	if len(a.Shape) != len(pos.Shape) || len(a.Shape) != len(neg.Shape) {
		return LossResult{}, Errorf("", "The anchor, positive, and negative tensors are expected to have the same number of dimensions, but got: anchor ",
			len(a.Shape), "D, positive ", len(pos.Shape), "D, and negative ", len(neg.Shape), "D inputs")
	}
	if len(a.Shape) != 1 && len(a.Shape) != 2 {
		return LossResult{}, Errorf("", "triplet_margin_loss expects (N, D) or (D) inputs, got shape ", a.Shape)
	}
	if err := sameShapeErr("anchor", a, "positive", pos); err != nil {
		return LossResult{}, err
	}
	if err := sameShapeErr("anchor", a, "negative", neg); err != nil {
		return LossResult{}, err
	}
	margin, pn, eps, swap := p.Num[0], p.Num[1], p.Num[2], p.Num[3] != 0
	n, d := 1, a.Shape[0]
	outShape := []int{}
	if len(a.Shape) == 2 {
		n, d = a.Shape[0], a.Shape[1]
		outShape = []int{n}
	}
	l := make([]float64, n)
	ga, gp, gn := make([]float64, len(a.Data)), make([]float64, len(a.Data)), make([]float64, len(a.Data))
	v, gap, gan, gpn := make([]float64, d), make([]float64, d), make([]float64, d), make([]float64, d)
	for i := range n {
		ar, pr, nr := a.Data[i*d:(i+1)*d], pos.Data[i*d:(i+1)*d], neg.Data[i*d:(i+1)*d]
		dap := pairwiseDistance(ar, pr, pn, eps, v, gap)
		dan := pairwiseDistance(ar, nr, pn, eps, v, gan)
		can, cpn := 1.0, 0.0
		if swap {
			dpn := pairwiseDistance(pr, nr, pn, eps, v, gpn)
			switch {
			case dpn < dan:
				dan, can, cpn = dpn, 0, 1
			case dpn == dan:
				can, cpn = 0.5, 0.5
			}
		}
		z, c, _ := tripletDist(margin, dap, dan)
		if !math.IsNaN(z) {
			// refine margin + d(a,p) - d(a,n) where the terms cancel (p = 1 or 2), then decide the hinge
			na := ar // the negative distance in use: d(a, n), or d(p, n) when the swap chose it
			if can == 0 {
				na = pr
			}
			if zz, ok := tripletZ(margin, ar, pr, na, nr, pn, eps); ok {
				z, c = zz, 1
				if zz < 0 {
					z, c = 0, 0
				}
			}
		}
		l[i] = z
		if c == 0 {
			continue
		}
		for k := range d {
			j := i*d + k
			ga[j] = c * (gap[k] - can*gan[k])
			gp[j] = c * (-gap[k] - cpn*gpn[k])
			gn[j] = c * (can*gan[k] + cpn*gpn[k])
		}
	}
	res := LossResult{Grad: map[string]Tensor{}}
	s := applyReduction(reductionOf(f, p, 4), outShape, l, float64(n), &res)
	for _, g := range [][]float64{ga, gp, gn} {
		scaleGrad(g, s)
	}
	res.Grad["anchor"] = Tensor{Shape: slices.Clone(a.Shape), Data: ga}
	res.Grad["positive"] = Tensor{Shape: slices.Clone(a.Shape), Data: gp}
	res.Grad["negative"] = Tensor{Shape: slices.Clone(a.Shape), Data: gn}
	return res, nil
}

// ddDiff returns x1 - x2 + eps as a double-double (exact up to the last rounding of the low part).
func ddDiff(x1, x2, eps float64) (float64, float64) {
	dh, dl := twoSum(x1, -x2)
	s, e := twoSum(dh, eps)
	return twoSum(s, e+dl)
}

// ddDistScaled returns 2^-e ||x1 - x2 + eps||_p as a double-double for an integer p in [1, 16]:
// the powers by repeated double-double products, the p-th root by pow refined with one Newton
// step in double-double. ok is false for a non-finite difference.
func ddDistScaled(x1, x2 []float64, p, e int, eps float64) (h, l float64, ok bool) {
	var sh, sl float64
	for i := range x1 {
		vh, vl := ddDiff(x1[i], x2[i], eps)
		if math.IsNaN(vh) || math.IsInf(vh, 0) {
			return 0, 0, false
		}
		vh, vl = math.Ldexp(vh, -e), math.Ldexp(vl, -e)
		if vh < 0 {
			vh, vl = -vh, -vl
		}
		ph, pl := vh, vl
		for range p - 1 {
			ph, pl = ddMul(ph, pl, vh, vl)
		}
		var err float64
		sh, err = twoSum(sh, ph)
		sl += err + pl
	}
	sh, sl = twoSum(sh, sl)
	if p == 1 || sh == 0 {
		return sh, sl, true
	}
	r := math.Pow(sh, 1/float64(p))
	if p == 2 {
		r = math.Sqrt(sh)
	}
	rh, rl := r, 0.0
	for range p - 1 {
		rh, rl = ddMul(rh, rl, r, 0)
	}
	res := (sh - rh) + (sl - rl) // S - r^p; sh - rh is exact (the two are close)
	return r, res / (float64(p) * (rh / r)), true
}

// tripletZ returns margin + d(a1, b1) - d(a2, b2) for an integer p in [1, 16] with both distances
// carried as double-doubles (after a common power-of-two scaling, so nothing overflows), so the
// hinge argument is accurate even where the three terms cancel. ok is false for other p.
func tripletZ(margin float64, a1, b1, a2, b2 []float64, p, eps float64) (float64, bool) {
	if p != math.Trunc(p) || p < 1 || p > 16 {
		return 0, false
	}
	m := 0.0
	for i := range a1 {
		m = math.Max(m, math.Max(math.Abs(a1[i]-b1[i]+eps), math.Abs(a2[i]-b2[i]+eps)))
	}
	if m == 0 || math.IsInf(m, 0) || math.IsNaN(m) {
		return 0, false
	}
	_, e := math.Frexp(m)
	h1, l1, ok1 := ddDistScaled(a1, b1, int(p), e, eps)
	h2, l2, ok2 := ddDistScaled(a2, b2, int(p), e, eps)
	if !ok1 || !ok2 {
		return 0, false
	}
	dh, de := twoSum(h1, -h2)
	dl := de + (l1 - l2)
	dh, dl = math.Ldexp(dh, e), math.Ldexp(dl, e)
	s, err := twoSum(margin, dh)
	return s + (err + dl), true
}
