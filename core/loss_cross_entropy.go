package core

import (
	"math"
	"slices"
)

// cross_entropy is F.cross_entropy / nn.CrossEntropyLoss: log_softmax over the class dimension
// followed by nll_loss, with optional label smoothing, or with class-probability targets.
//
// Class-index targets (target has the input's shape without the class dimension):
//
//	l_n = (1 - ls) w[y_n] (-log p_{n,y_n}) + (ls / C) sum_c w_c (-log p_{n,c}),  p = softmax(x_n)
//	mean = sum_n l_n / sum_n w[y_n]   (targets equal to ignore_index excluded)
//	d l_n / d x_{n,c} = (1 - ls) w[y_n] (p_c - [c = y_n]) + (ls / C) (p_c sum_k w_k - w_c)
//
// Probability targets (target has the input's shape; values are not checked, as in PyTorch):
//
//	t' = (1 - ls) t + ls / C,  l_n = -sum_c w_c t'_c log p_{n,c}
//	mean = sum_n l_n / (number of samples)   (not divided by the weights)
//	d l_n / d x_{n,c} = p_c sum_k w_k t'_k - w_c t'_c
//
// Shapes: input (N, C), (C) or (N, C, d1, ..., dk) logits; target as above; 'none' returns
// (N), () or (N, d1, ..., dk).
//
// log_softmax is computed as (x_c - max) - log1p(sum_{c != argmax} exp(x_c - max)), so the loss
// keeps full relative precision when it is tiny and logits up to ±1.7e308 do not overflow. The
// gradient's p_y - 1 is formed without cancellation; with label smoothing or probability targets
// the gradient is a small difference of larger terms where the softmax nears the target, and is
// formed in double-double (loss_dd.go).
//
// Special cases are:
//
//	a logit of -Inf: probability 0 (E09: [-inf, 0, 0], target 1 gives log 2); as the target: +Inf (E10)
//	logits of +Inf: the limit, softmax spread equally over the +Inf entries (PyTorch: NaN; note)
//	every logit -Inf, or any NaN in a row: NaN for that row
//	probability 0 times log-probability -Inf: 0 (E11; PyTorch: NaN; policy 3, with a note)
//	every target ignored with 'mean': NaN with zero gradient (E08), as in PyTorch
//	label_smoothing < 0 acts as 0 (PyTorch does not check it; note)
//
// Errors (PyTorch's texts): "label_smoothing must be between 0.0 and 1.0. Got: ls", "ignore_index
// is not supported for floating point target", the weight-size, batch-size, target-size and
// out-of-bounds errors of nll_loss.
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html
func init() {
	f := &Func{
		ID: "cross_entropy", Class: "CrossEntropyLoss", Name: "Cross-entropy", Kind: Loss, Group: "Classification",
		Params: []Param{weightParam(), ignoreIndexParam(), ReductionParam(),
			{Name: "label_smoothing", Type: Real, Default: 0, Min: 0, Max: 1, Step: 0.01,
				Doc: "mixes the target with the uniform distribution: (1 - ls) target + ls / C"}},
		Formula: `\ell_n = -w_{y_n} \log \frac{e^{x_{n,y_n}}}{\sum_c e^{x_{n,c}}}, \qquad ` +
			`\ell = \frac{\sum_n \ell_n}{\sum_n w_{y_n}} \ (\text{mean})`,
		Derivative: `\frac{\partial \ell_n}{\partial x_{n,c}} = w_{y_n} \left(\operatorname{softmax}(x_n)_c - [c = y_n]\right)`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html",
		Differences: []string{
			"a zero probability (or class weight) times log-probability -inf counts as 0 (PyTorch: nan)",
			"logits of +inf give the limit (softmax spread over the +inf entries) where PyTorch gives nan",
		},
		Validate: func(p Params) error {
			if ls := p.Num[clsSmooth]; !(ls <= 1) {
				return Errorf("label_smoothing", "label_smoothing must be between 0.0 and 1.0. Got: ", ls)
			}
			return nil
		},
		Inputs: []LossInput{
			{Name: "input", Differentiable: true, Doc: "(N, C), (C) or (N, C, d1, ..., dk) logits (unnormalised scores)"},
			{Name: "target", Doc: "(N), () or (N, d1, ..., dk) class indices; or class probabilities with the input's shape"},
		},
		Curve: &Curve{
			X: Axis{Label: "logit of the target class (the other logits are 0)", Min: -6, Max: 6},
			T: Axis{Label: "target class t (0 to C - 1)", Min: 0, Max: 9}, TStep: 1, TDefault: 0,
			Eval: func(p Params, t, x float64) (float64, float64) {
				var buf, lp, g [10]float64
				c := viewClasses(p)
				y := viewTarget(t, c)
				buf[y] = x
				l, ok := ceSingle(p, buf[:c], lp[:c], g[:c], y)
				if !ok {
					return l, 0
				}
				return l, g[y]
			},
			Value: func(p Params, t, x float64) float64 {
				var buf, lp [10]float64
				c := viewClasses(p)
				y := viewTarget(t, c)
				buf[y] = x
				return ceSingleValue(p, buf[:c], lp[:c], y)
			},
			Mark: markNone, // t is a class index, not a logit
		},
		Surface: &Surface{
			X: Axis{Label: "logit z0 of class 0", Min: -6, Max: 6}, Y: Axis{Label: "logit z1 of class 1", Min: -6, Max: 6},
			Point: [2]float64{1, -1},
			Eval: func(p Params, t, x, y float64) (float64, float64, float64) {
				var buf, lp, g [10]float64
				c := viewClasses(p)
				buf[0], buf[1] = x, y
				l, ok := ceSingle(p, buf[:c], lp[:c], g[:c], viewTarget(t, c))
				if !ok {
					return l, 0, 0
				}
				return l, g[0], g[1]
			},
			Value: func(p Params, t, x, y float64) float64 {
				var buf, lp [10]float64
				c := viewClasses(p)
				buf[0], buf[1] = x, y
				return ceSingleValue(p, buf[:c], lp[:c], viewTarget(t, c))
			},
			Note: "the logits of classes 0 and 1 (the others are 0) for target class t; C = len(weight), or 3",
		},
	}
	registerLoss(f, func(p Params, in map[string]Tensor) (LossResult, error) { return crossEntropy(f, p, in) })
}

// logSoftmaxInto writes log_softmax(x) to logp and softmax(x) to prob (both of len(x); prob may
// be nil) and returns the index k of the first maximum m and rest = sum_{c != k} exp(x_c - m), so
// that p_k = 1/(1 + rest) and p_k - 1 = -rest/(1 + rest) without cancellation. x_c - m is kept
// exact (twoSum), so each probability is within an ulp or two. If some logits are +Inf, the
// softmax is the limit: equal over the +Inf entries. A NaN, or every logit -Inf, gives NaN
// throughout.
func logSoftmaxInto(x, logp, prob []float64) (k int, rest float64) {
	m := math.Inf(-1)
	nan := false
	for i, v := range x {
		if v != v {
			nan = true
			break
		}
		if v > m || i == 0 {
			m, k = v, i
		}
	}
	if nan || math.IsInf(m, -1) {
		for i := range logp {
			logp[i] = math.NaN()
			if prob != nil {
				prob[i] = math.NaN()
			}
		}
		return k, math.NaN()
	}
	if math.IsInf(m, 1) {
		cnt := 0
		for _, v := range x {
			if math.IsInf(v, 1) {
				cnt++
			}
		}
		lc := math.Log(float64(cnt))
		for i, v := range x {
			lp, pr := math.Inf(-1), 0.0
			if math.IsInf(v, 1) {
				lp, pr = -lc, 1/float64(cnt)
			}
			logp[i] = lp
			if prob != nil {
				prob[i] = pr
			}
		}
		return k, float64(cnt - 1)
	}
	for i, v := range x {
		if i != k {
			dh, dl := twoSum(v, -m)
			rest += exp(dh) * (1 + dl)
		}
	}
	lr := math.Log1p(rest)
	for i, v := range x {
		dh, dl := twoSum(v, -m)
		logp[i] = (dh - lr) + dl
		if prob != nil {
			prob[i] = exp(dh) * (1 + dl) / (1 + rest)
		}
	}
	return k, rest
}

// ceIndexRow evaluates one row of cross_entropy with class-index target y (not ignored): it fills
// logp and grad (the gradient of l) and returns l and w[y]. ls is the label smoothing (> 0 to
// apply). zeroInf reports a zero weight times -Inf.
func ceIndexRow(x, logp, grad []float64, y int, w []float64, ls float64) (l, wy float64, zeroInf bool) {
	k, rest := logSoftmaxInto(x, logp, grad) // grad holds the probabilities until overwritten
	c := len(x)
	wy = classWeight(w, y)
	zeroInf = isInfTimesZero(wy, logp[y])
	nll := -mul0(wy, logp[y])
	pm1 := grad[y] - 1 // p_y - 1
	if y == k && !math.IsNaN(rest) {
		pm1 = -rest / (1 + rest)
	}
	if !(ls > 0) {
		for i := range x {
			grad[i] *= wy
		}
		grad[y] = wy * pm1
		return nll, wy, zeroInf
	}
	var smooth, sw, swy float64 // sum_c w_c (-logp_c), sum_c w_c, the same without class y
	for i := range x {
		wi := classWeight(w, i)
		zeroInf = zeroInf || isInfTimesZero(wi, logp[i])
		smooth -= mul0(wi, logp[i])
		sw += wi
		if i != y {
			swy += wi
		}
	}
	a, b := 1-ls, ls/float64(c)
	if fin := !math.IsNaN(rest) && !math.IsInf(x[k], 0); fin {
		ceSmoothGradDD(x, grad, k, y, w, ls)
		return a*nll + b*smooth, wy, zeroInf
	}
	kk := a*wy + b*sw
	py := grad[y]
	for i := range x {
		if i != y {
			grad[i] = math.FMA(grad[i], kk, -b*classWeight(w, i))
		}
	}
	// a wy (p - 1) + b (p sw - wy) = (p - 1) wy (a + b) + b p sum_{c != y} w_c
	grad[y] = math.FMA(pm1, wy*(a+b), b*py*swy)
	return a*nll + b*smooth, wy, zeroInf
}

// softmaxRestDD returns rest = sum_{c != k} exp(x_c - x_k) as a double-double (k: the maximum).
// Given keepH and keepL (len(x) each; nil: not kept), it also stores each exp(x_c - x_k) there.
func softmaxRestDD(x []float64, k int, keepH, keepL []float64) (float64, float64) {
	var rh, rl float64
	for i, v := range x {
		if i != k {
			eh, el := ddExp(twoSum(v, -x[k]))
			if keepH != nil {
				keepH[i], keepL[i] = eh, el
			}
			rh, rl = ddAdd(rh, rl, eh, el)
		}
	}
	return rh, rl
}

// softmaxDD returns softmax(x)_i as a double-double, given the maximum's index k and the
// denominator 1 + rest.
func softmaxDD(x []float64, k, i int, dh, dl float64) (float64, float64) {
	if i == k {
		return ddDiv(1, 0, dh, dl)
	}
	eh, el := ddExp(twoSum(x[i], -x[k]))
	return ddDiv(eh, el, dh, dl)
}

// softmaxRowDD is the softmax of one row in double-double: softmaxRestDD's sum, then
// softmaxDD's quotients, with the exponentials of a row of up to ddRowCache classes kept from the
// sum for the quotients (the same operations in the same order, so the same bits; the
// page draws cross_entropy's exact gradient at 801 points per frame, issue 5).
type softmaxRowDD struct {
	k      int
	dh, dl float64 // 1 + rest
	cached bool
	eh, el [ddRowCache]float64
}

const ddRowCache = 16

func (s *softmaxRowDD) init(x []float64, k int) (rh, rl float64) {
	s.k = k
	s.cached = len(x) <= ddRowCache
	if s.cached {
		rh, rl = softmaxRestDD(x, k, s.eh[:len(x)], s.el[:len(x)])
	} else {
		rh, rl = softmaxRestDD(x, k, nil, nil)
	}
	s.dh, s.dl = ddAdd(1, 0, rh, rl)
	return rh, rl
}

// p returns softmax(x)_i as a double-double (x: the row given to init; not kept in s, so that
// it does not escape).
func (s *softmaxRowDD) p(x []float64, i int) (float64, float64) {
	if !s.cached || i == s.k {
		return softmaxDD(x, s.k, i, s.dh, s.dl)
	}
	return ddDiv(s.eh[i], s.el[i], s.dh, s.dl)
}

// ceSmoothGradDD writes the gradient of one label-smoothed cross_entropy row (finite maximum,
// target y not ignored) computed in double-double, because it is a small difference of larger
// terms where the softmax nears the smoothed target:
//
//	c != y: p_c K - b w_c,  K = a w_y + b sum_c w_c
//	c == y: (p_y - 1) w_y (a + b) + b p_y sum_{c != y} w_c
//
// with a = 1 - ls and b = ls / C kept exact as double-doubles.
func ceSmoothGradDD(x, grad []float64, k, y int, w []float64, ls float64) {
	c := float64(len(x))
	ah, al := twoSum(1, -ls)
	bh := ls / c
	bl := divRem(ls, c, bh) / c
	var swh, swl, syh, syl float64
	for i := range x {
		swh, swl = ddAdd(swh, swl, classWeight(w, i), 0)
		if i != y {
			syh, syl = ddAdd(syh, syl, classWeight(w, i), 0)
		}
	}
	wy := classWeight(w, y)
	t1h, t1l := ddMul(ah, al, wy, 0)
	t2h, t2l := ddMul(bh, bl, swh, swl)
	kh, kl := ddAdd(t1h, t1l, t2h, t2l)
	var sm softmaxRowDD
	rh, rl := sm.init(x, k)
	dh, dl := sm.dh, sm.dl
	for i := range x {
		ph, pl := sm.p(x, i)
		if i != y {
			gh, gl := ddMul(ph, pl, kh, kl)
			uh, ul := ddMul(bh, bl, classWeight(w, i), 0)
			gh, gl = ddAdd(gh, gl, -uh, -ul)
			grad[i] = gh + gl
			continue
		}
		mh, ml := ddAdd(ph, pl, -1, 0) // p_y - 1
		if i == k {
			mh, ml = ddDiv(-rh, -rl, dh, dl)
		}
		abh, abl := ddAdd(ah, al, bh, bl)
		fh, fl := ddMul(abh, abl, wy, 0)
		gh, gl := ddMul(mh, ml, fh, fl)
		vh, vl := ddMul(bh, bl, ph, pl)
		vh, vl = ddMul(vh, vl, syh, syl)
		gh, gl = ddAdd(gh, gl, vh, vl)
		grad[i] = gh + gl
	}
}

// ceProbRow evaluates one row of cross_entropy with probability target t (already smoothed),
// filling logp and grad; it returns l and whether a zero probability met log 0.
func ceProbRow(x, t, logp, grad []float64, w []float64) (l float64, zeroInf bool) {
	k, rest := logSoftmaxInto(x, logp, grad) // grad holds the probabilities until overwritten
	var s, sk float64                        // s = sum_c w_c t_c, sk = the same without class k
	for i := range x {
		wt := classWeight(w, i) * t[i]
		if wt == 0 {
			zeroInf = zeroInf || math.IsInf(logp[i], 0)
		} else {
			l -= wt * logp[i]
		}
		s += wt
		if i != k {
			sk += wt
		}
	}
	if !math.IsNaN(rest) && !math.IsInf(x[k], 0) {
		// p_i S - w_i t_i in double-double: it cancels where the softmax nears the target
		var sh, sl float64
		for i := range x {
			ph, pl := ddMul(classWeight(w, i), 0, t[i], 0)
			sh, sl = ddAdd(sh, sl, ph, pl)
		}
		var sm softmaxRowDD
		sm.init(x, k)
		for i := range x {
			ph, pl := sm.p(x, i)
			gh, gl := ddMul(ph, pl, sh, sl)
			uh, ul := ddMul(classWeight(w, i), 0, t[i], 0)
			gh, gl = ddAdd(gh, gl, -uh, -ul)
			grad[i] = gh + gl
		}
		return l, zeroInf
	}
	for i := range x {
		wt := classWeight(w, i) * t[i]
		if i == k && !math.IsNaN(rest) && !math.IsInf(rest, 0) {
			// p_k s - w_k t_k with p_k = 1/(1 + rest), without cancellation in p_k - 1
			grad[i] = math.FMA(-wt, rest, sk) / (1 + rest)
		} else {
			grad[i] = math.FMA(grad[i], s, -wt)
		}
	}
	return l, zeroInf
}

// ceSingle is cross_entropy of one sample with logits x and class y under the Params' reduction
// (the weight cancels under 'mean'); grad receives the gradient. ok is false when y is ignored.
func ceSingle(p Params, x, logp, grad []float64, y int) (float64, bool) {
	red := Reductions[int(p.Num[clsReduce])]
	if float64(y) == p.Num[clsIgnore] {
		if red == "mean" {
			return math.NaN(), false
		}
		return 0, false
	}
	l, wy, _ := ceIndexRow(x, logp, grad, y, p.Vec[clsWeight], p.Num[clsSmooth])
	if red == "mean" {
		for i := range grad {
			grad[i] /= wy
		}
		return l / wy, true
	}
	return l, true
}

// ceSingleValue is ceSingle's loss alone: log_softmax and the (smoothed) negative log-likelihood,
// without the gradient (which, with label smoothing, is formed in double-double and costs several
// times the loss). logp is scratch of len(x).
func ceSingleValue(p Params, x, logp []float64, y int) float64 {
	red := Reductions[int(p.Num[clsReduce])]
	if float64(y) == p.Num[clsIgnore] {
		if red == "mean" {
			return math.NaN()
		}
		return 0
	}
	w := p.Vec[clsWeight]
	logSoftmaxInto(x, logp, nil)
	wy := classWeight(w, y)
	l := -mul0(wy, logp[y])
	if ls := p.Num[clsSmooth]; ls > 0 { // as ceIndexRow
		var smooth float64
		for i := range x {
			smooth -= mul0(classWeight(w, i), logp[i])
		}
		a, b := 1-ls, ls/float64(len(x))
		l = a*l + b*smooth
	}
	if red == "mean" {
		return l / wy
	}
	return l
}

// LogSoftmaxClasses returns log_softmax of x over dimension 1 (dimension 0 for a 1-D x), the
// second output of ONNX's SoftmaxCrossEntropyLoss, with the same numerics as cross_entropy.
func LogSoftmaxClasses(x Tensor) Tensor {
	out := Tensor{Shape: slices.Clone(x.Shape), Data: make([]float64, len(x.Data))}
	if len(x.Shape) == 0 {
		return out
	}
	n, c, inner := 1, x.Shape[0], 1
	if len(x.Shape) > 1 {
		n, c, inner = x.Shape[0], x.Shape[1], numel(x.Shape[2:])
	}
	row, lp := make([]float64, c), make([]float64, c)
	for i := range n {
		for j := range inner {
			for k := range c {
				row[k] = x.Data[(i*c+k)*inner+j]
			}
			logSoftmaxInto(row, lp, nil)
			for k := range c {
				out.Data[(i*c+k)*inner+j] = lp[k]
			}
		}
	}
	return out
}

func crossEntropy(f *Func, p Params, in map[string]Tensor) (LossResult, error) {
	ts, err := getInputs(in, "input", "target")
	if err != nil {
		return LossResult{}, err
	}
	x, t := ts[0], ts[1]
	w := p.Vec[clsWeight]
	ls := p.Num[clsSmooth]
	red := reductionOf(f, p, clsReduce)
	var notes []string
	if ls < 0 {
		notes = append(notes, "label_smoothing < 0 is ignored (treated as 0), as in PyTorch")
		ls = 0
	}
	prob := len(x.Shape) > 0 && slices.Equal(x.Shape, t.Shape)
	var lay classLayout
	if prob {
		if p.Num[clsIgnore] >= 0 {
			return LossResult{}, Errorf("ignore_index", "ignore_index is not supported for floating point target")
		}
		lay = classLayout{n: 1, c: x.Shape[0], inner: 1, outShape: []int{}}
		if len(x.Shape) > 1 {
			lay = classLayout{n: x.Shape[0], c: x.Shape[1], inner: numel(x.Shape[2:]),
				outShape: append([]int{x.Shape[0]}, x.Shape[2:]...)}
		}
		if err := checkWeight("cross_entropy: ", w, lay.c); err != nil {
			return LossResult{}, err
		}
	} else {
		if lay, err = classShapes(x, t); err != nil {
			return LossResult{}, err
		}
		if err := checkWeight("", w, lay.c); err != nil {
			return LossResult{}, err
		}
	}
	c := lay.c
	row, trow, lp, gr := make([]float64, c), make([]float64, c), make([]float64, c), make([]float64, c)
	l := make([]float64, lay.n*lay.inner)
	g := make([]float64, len(x.Data))
	ws := make([]float64, 0, len(l))
	zeroInf, posInf := false, false
	for n := range lay.n {
		for j := range lay.inner {
			ti := n*lay.inner + j
			var y int
			if !prob {
				var ignored bool
				if y, ignored, err = targetClass(t.Data[ti], p.Num[clsIgnore], c); err != nil {
					return LossResult{}, err
				}
				if ignored {
					continue
				}
			}
			for k := range c {
				v := x.Data[(n*c+k)*lay.inner+j]
				row[k] = v
				posInf = posInf || math.IsInf(v, 1)
			}
			var zi bool
			if prob {
				for k := range c {
					tv := t.Data[(n*c+k)*lay.inner+j]
					if ls > 0 {
						tv = tv*(1-ls) + ls/float64(c)
					}
					trow[k] = tv
				}
				l[ti], zi = ceProbRow(row, trow, lp, gr, w)
			} else {
				var wy float64
				l[ti], wy, zi = ceIndexRow(row, lp, gr, y, w, ls)
				ws = append(ws, wy)
			}
			zeroInf = zeroInf || zi
			for k := range c {
				g[(n*c+k)*lay.inner+j] = gr[k]
			}
		}
	}
	res := LossResult{Grad: map[string]Tensor{}, Notes: notes}
	var total float64
	if prob {
		total = float64(len(l))
	} else {
		total = Sum(ws)
	}
	scaleGrad(g, applyReduction(red, lay.outShape, l, total, &res))
	if red == "mean" && total == 0 && !prob {
		res.Notes = append(res.Notes[:len(notes)], allIgnoredNote)
	}
	if zeroInf {
		res.Notes = append(res.Notes, zeroInfNote)
	}
	if posInf {
		res.Notes = append(res.Notes, "a logit of +inf: the softmax is the limit, shared equally by the +inf logits (PyTorch returns nan)")
	}
	res.Grad["input"] = Tensor{Shape: slices.Clone(x.Shape), Data: g}
	return res, nil
}
