package core

// GLU is the gated linear unit, F.glu / nn.GLU over a vector (dim = -1): the first half a is
// gated by the sigmoid of the second half b. It writes y (len(x)/2 elements) and the
// vector-Jacobian product with ones to grad (len(x) elements).
//
//	glu(x)_i = a_i·σ(b_i), a = x[:n/2], b = x[n/2:]
//	∂/∂a_i = σ(b_i), ∂/∂b_i = a_i·σ(b_i)·σ(-b_i)
//
// Special cases are:
//
//	a_i = ±Inf with b_i = -Inf gives NaN (∞·0 has no limit), as in PyTorch
//	NaN in a_i or b_i gives NaN in y_i
//
// len(x) must be even (see Func.OutLen). Source:
// https://pytorch.org/docs/stable/generated/torch.nn.GLU.html
func GLU(x, y, grad []float64) {
	h := len(x) / 2
	for i := 0; i < h; i++ {
		a, b := x[i], x[i+h]
		y[i] = actMulSigmoid(a, b)
		grad[i] = sigmoid(b)
		grad[i+h] = actMulSigmoid(a*sigmoid(-b), b)
	}
}

func init() {
	Register(&Func{
		ID: "glu", Class: "GLU", Name: "GLU", Kind: VectorActivation, Group: "Gating",
		Code:       []string{`nn.GLU(dim=-1)`, `F.glu(x, dim=-1)`},
		Formula:    `\operatorname{GLU}(a, b) = a \otimes \sigma(b), \quad x = (a, b)`,
		Derivative: `\frac{\partial y_i}{\partial a_i} = \sigma(b_i), \quad \frac{\partial y_i}{\partial b_i} = a_i\,\sigma(b_i)\,\bigl(1 - \sigma(b_i)\bigr)`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.GLU.html",
		OutLen: func(n int) (int, error) {
			if n%2 != 0 {
				return 0, Errorf("", "Halving dimension must be even, but dimension 0 is size ", n)
			}
			return n / 2, nil
		},
		Vector:       func(_ Params, x, y, grad []float64) { GLU(x, y, grad) },
		DefaultInput: []float64{2, 1, 0.1, -1},
	})
}
