package core

import "slices"

// elementwiseLoss evaluates a loss whose per-element value depends only on input[i] and
// target[i], and applies the reduction (Params slot 0 must be ReductionParam). elem returns the
// element's loss and its derivative with respect to the input.
func elementwiseLoss(p Params, in map[string]Tensor, elem func(x, y float64) (float64, float64)) (LossResult, error) {
	x, ok1 := in["input"]
	y, ok2 := in["target"]
	if !ok1 || !ok2 {
		return LossResult{}, Errorf("", "input and target are required")
	}
	if !slices.Equal(x.Shape, y.Shape) || len(x.Data) != len(y.Data) {
		return LossResult{}, Errorf("", "input shape ", x.Shape, " and target shape ", y.Shape, " differ: give them the same shape (nnplay does not broadcast)")
	}
	n := len(x.Data)
	l := make([]float64, n)
	g := make([]float64, n)
	for i := range n {
		l[i], g[i] = elem(x.Data[i], y.Data[i])
	}
	return reduce(int(p.Num[0]), x.Shape, l, g), nil
}

// reduce applies reduction r (index into Reductions) to per-element losses l with shape shape
// and per-element gradients g of the unreduced loss, returning the scaled gradient.
func reduce(r int, shape []int, l, g []float64) LossResult {
	res := LossResult{Grad: map[string]Tensor{}}
	switch Reductions[r] {
	case "none":
		res.Loss = Tensor{Shape: slices.Clone(shape), Data: l}
	case "sum":
		res.Loss = Tensor{Shape: []int{}, Data: []float64{Sum(l)}}
	case "mean":
		n := float64(len(l))
		res.Loss = Tensor{Shape: []int{}, Data: []float64{Sum(l) / n}}
		if len(l) == 0 {
			res.Notes = append(res.Notes, "the mean over zero elements is NaN, as in PyTorch")
		}
		for i := range g {
			g[i] /= n
		}
	}
	res.Grad["input"] = Tensor{Shape: slices.Clone(shape), Data: g}
	return res
}

// Sum returns the sum of v, using Neumaier's compensated summation so the result is within an
// ulp or so of the exact sum whatever the order.
func Sum(v []float64) float64 {
	var s, c float64
	for _, x := range v {
		t := s + x
		if abs(s) >= abs(x) {
			c += (s - t) + x
		} else {
			c += (x - t) + s
		}
		s = t
	}
	if s-s != 0 { // ±Inf or NaN: the compensation term is meaningless
		return s
	}
	return s + c
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
