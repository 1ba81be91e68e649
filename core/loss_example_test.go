package core

import "fmt"

// Cross-entropy of one sample's logits against class 0, with its gradient (softmax - one-hot).
func Example_crossEntropyLoss() {
	f, _ := Lookup("cross_entropy")
	res, err := f.Loss(f.Defaults(), map[string]Tensor{
		"input":  {Shape: []int{3}, Data: []float64{2, 1, 0.1}},
		"target": {Shape: []int{}, Data: []float64{0}},
	})
	if err != nil {
		panic(err)
	}
	fmt.Printf("loss %.6f\n", res.Loss.Data[0])
	fmt.Printf("grad %.6f\n", res.Grad["input"].Data)
	// Output:
	// loss 0.417030
	// grad [-0.340999 0.242433 0.098566]
}

// kl_div's reductions on the edge-case table's example (E12): only 'batchmean' is the KL
// divergence per sample.
func Example_klDivReductions() {
	f, _ := Lookup("kl_div")
	in := map[string]Tensor{
		"input":  {Shape: []int{2, 2}, Data: []float64{-1.3862943611198906, -0.2876820724517809, -0.6931471805599453, -0.6931471805599453}},
		"target": {Shape: []int{2, 2}, Data: []float64{0.5, 0.5, 0.9, 0.1}},
	}
	for i, red := range f.Params[0].Choices {
		p := f.Defaults()
		p.Num[0] = float64(i)
		res, _ := f.Loss(p, in)
		fmt.Printf("%-9s %.6f\n", red, res.Loss.Data)
	}
	// Output:
	// none      [0.346574 -0.202733 0.529008 -0.160944]
	// mean      [0.127976]
	// sum       [0.511905]
	// batchmean [0.255953]
}
