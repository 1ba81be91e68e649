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

// GLUJacobianRow writes glu(x) to y (len(x)/2 elements), as GLU does, and row k of its Jacobian
// to row (len(x) elements). Output k depends only on a_k = x[k] and b_k = x[k+n/2], so the row is
// 0 except at those two entries:
//
//	row[k] = ∂y_k/∂a_k = σ(b_k),  row[k+n/2] = ∂y_k/∂b_k = a_k σ(b_k) σ(-b_k)
//
// computed with GLU's expressions, so the rows sum to GLU's grad bit for bit. Special cases are
// those of GLU (a NaN in a_k or b_k gives NaN in y_k and in row k's two entries). len(x) must be
// even and 0 <= k < len(x)/2. It does not allocate.
func GLUJacobianRow(x []float64, k int, y, row []float64) {
	h := len(x) / 2
	for i := 0; i < h; i++ {
		y[i] = actMulSigmoid(x[i], x[i+h])
	}
	for j := range row {
		row[j] = 0
	}
	a, b := x[k], x[k+h]
	row[k] = sigmoid(b)
	row[k+h] = actMulSigmoid(a*sigmoid(-b), b)
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
		JacobianRow:  func(_ Params, x []float64, k int, y, row []float64) { GLUJacobianRow(x, k, y, row) },
		DefaultInput: []float64{2, 1, 0.1, -1},
	})
}
