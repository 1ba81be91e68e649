package core

// LogSigmoid is log σ(x), F.logsigmoid / nn.LogSigmoid.
//
//	logsigmoid(x) = log(1 / (1 + e^{-x})) = -log(1 + e^{-x})
//	logsigmoid'(x) = σ(-x) = 1 - σ(x)
//
// Special cases are:
//
//	LogSigmoid(±0) = -log 2, 0.5
//	LogSigmoid(+Inf) = -0, 0
//	LogSigmoid(-Inf) = -Inf, 1
//	LogSigmoid(NaN) = NaN, NaN
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.LogSigmoid.html
func LogSigmoid(x float64) (y, dy float64) {
	return logSigmoid(x), sigmoid(-x)
}

func init() {
	Register(&Func{
		ID: "logsigmoid", Class: "LogSigmoid", Name: "LogSigmoid", Kind: Activation, Group: "Sigmoid and tanh",
		Formula:    `\operatorname{LogSigmoid}(x) = \log\frac{1}{1 + e^{-x}} = -\log\left(1 + e^{-x}\right)`,
		Derivative: `\operatorname{LogSigmoid}'(x) = \sigma(-x) = 1 - \sigma(x)`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.LogSigmoid.html",
		Scalar:     func(_ Params, x float64) (float64, float64) { return LogSigmoid(x) },
		Value:      func(_ Params, x float64) float64 { return logSigmoid(x) },
		XRange:     [2]float64{-8, 8},
	})
}
