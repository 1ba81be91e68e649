// Package bench holds nnplay's benchmarks that span packages: the per-function evaluation cost,
// natively and (the same code) compiled to wasm. scripts/bench.sh runs them and the browser
// benchmark (bench/browser.mjs) and prints one table; nothing here is a test.
package bench

import (
	"testing"

	"github.com/nnplay/nnplay/core"
	"github.com/nnplay/nnplay/core/view"
)

// N is the number of points of one bulk evaluation: the page samples curves at 2,048 points.
const N = 2048

var sink float64

func linspace(dst []float64, a, b float64) {
	for i := range dst {
		dst[i] = a + (b-a)*float64(i)/float64(len(dst)-1)
	}
}

// BenchmarkEval measures one evaluation (value and derivative together) of every registered
// function, in bulk over N points with the default parameters, and reports ns/eval = ns/op / N:
//   - activation: Scalar at N points spread over its default x range;
//   - vector activation: Vector on one input vector of N logits (value and vector-Jacobian product);
//   - loss: the loss curve's Eval (loss and d loss/dx for one sample) at N predictions for the
//     default target, which is what the loss plot samples.
func BenchmarkEval(b *testing.B) {
	xs := make([]float64, N)
	for _, f := range core.All() {
		s := view.Default(f)
		p := s.P
		switch f.Kind {
		case core.Activation:
			linspace(xs, s.XMin, s.XMax)
			b.Run(f.ID, func(b *testing.B) {
				for b.Loop() {
					for _, x := range xs {
						y, dy := f.Scalar(p, x)
						sink += y + dy
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*N), "ns/eval")
			})
		case core.VectorActivation:
			in := make([]float64, N)
			linspace(in, -4, 4)
			m, err := f.OutLen(N)
			if err != nil {
				b.Fatalf("%s: OutLen(%d): %v", f.ID, N, err)
			}
			y, grad := make([]float64, m), make([]float64, N)
			b.Run(f.ID, func(b *testing.B) {
				for b.Loop() {
					f.Vector(p, in, y, grad)
				}
				sink += y[0] + grad[0]
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*N), "ns/eval")
			})
		case core.Loss:
			c := f.Curve
			linspace(xs, c.X.Min, c.X.Max)
			t := s.T
			b.Run(f.ID, func(b *testing.B) {
				for b.Loop() {
					for _, x := range xs {
						l, dl := c.Eval(p, t, x)
						sink += l + dl
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*N), "ns/eval")
			})
		}
	}
}
