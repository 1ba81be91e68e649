package core

// Softmin writes softmin(x) = softmax(-x) to y, F.softmin / nn.Softmin, and the vector-Jacobian
// product with ones (0) to grad. Special cases are those of Softmax with -x.
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.Softmin.html
func Softmin(x, y, grad []float64) { softmaxInto(x, y, grad, -1, false) }

// SoftminJacobianRow writes softmin(x) to y, as Softmin does, and row k of its Jacobian to row:
//
//	row[j] = ∂softmin_k/∂x_j = -s_k (δ_kj - s_j),  s = softmin(x) = softmax(-x)
//
// computed as SoftmaxJacobianRow of -x with the sign flipped (the diagonal as -s_k Σ_{j≠k} s_j).
// Special cases are those of SoftmaxJacobianRow with -x. y and row must have len(x) elements and
// 0 <= k < len(x). It does not allocate.
func SoftminJacobianRow(x []float64, k int, y, row []float64) { softmaxRowInto(x, k, y, row, -1) }

func init() {
	Register(&Func{
		ID: "softmin", Class: "Softmin", Name: "Softmin", Kind: VectorActivation, Group: "Softmax family",
		Code:       []string{`nn.Softmin(dim=-1)`, `F.softmin(x, dim=-1)`},
		Formula:    `\operatorname{Softmin}(x)_i = \frac{e^{-x_i}}{\sum_j e^{-x_j}}`,
		Derivative: `\frac{\partial\,\operatorname{Softmin}(x)_i}{\partial x_j} = -s_i\,(\delta_{ij} - s_j), \quad \sum_i \frac{\partial s_i}{\partial x_j} = 0`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.Softmin.html",
		Differences: []string{"with a -inf logit PyTorch's softmin returns nan; nnplay returns the limit " +
			"(the -inf entries share the mass equally); all +inf gives 1/n each"},
		Vector: func(_ Params, x, y, g []float64) { Softmin(x, y, g) }, OutLen: actSameLen, DefaultInput: []float64{2, 1, 0.1, -1},
		JacobianRow: func(_ Params, x []float64, k int, y, row []float64) { SoftminJacobianRow(x, k, y, row) },
	})
}
