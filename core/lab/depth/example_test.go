package depth_test

import (
	"fmt"
	"math"

	"github.com/nnplay/nnplay/core"
	"github.com/nnplay/nnplay/core/lab/depth"
)

func ExampleCalculateGain() {
	for _, nl := range []string{"linear", "tanh", "relu", "selu"} {
		g, _ := depth.CalculateGain(nl, math.NaN())
		fmt.Printf("%s %.4f\n", nl, g)
	}
	g, _ := depth.CalculateGain("leaky_relu", math.Sqrt(5)) // nn.Linear's default: gain² = 1/3
	fmt.Printf("leaky_relu(√5) %.4f\n", g*g)
	_, err := depth.CalculateGain("swish", math.NaN())
	fmt.Println(err)
	// Output:
	// linear 1.0000
	// tanh 1.6667
	// relu 1.4142
	// selu 0.7500
	// leaky_relu(√5) 0.3333
	// Unsupported nonlinearity swish
}

// Kaiming's initialisation keeps the variance of relu layers: σ_w² = 2, and every layer's
// pre-activations have the variance of the input's second moment times 2.
func ExampleTheory() {
	f, _ := core.Lookup("relu")
	p := f.Defaults()
	in := depth.Init{Name: "kaiming_normal", Nonlinearity: "relu"}
	var out depth.TheoryOut
	depth.Theory(depth.TheoryIn{
		Act:     func(x float64) (float64, float64) { return f.Scalar(p, x) },
		SigmaW2: in.SigmaW2(256, 256), BiasMean: in.BiasMean, BiasVar: in.BiasVar(256),
		Depth: 10, Q0: 1, Units: 64 * 256,
	}, &out)
	fmt.Printf("q_1 %.6f q_10 %.6f q* %.6f χ₁ %.6f\n", out.Q[0], out.Q[9], out.QStar, out.ChiStar)
	fmt.Printf("gradient ratio first/last layer %.6f\n", out.Grad[0]/out.Grad[9])
	// Output:
	// q_1 2.000000 q_10 2.000000 q* 2.000000 χ₁ 1.000000
	// gradient ratio first/last layer 1.000000
}
