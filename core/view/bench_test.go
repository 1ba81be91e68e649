package view_test

import (
	"testing"
	"time"

	"github.com/nnplay/nnplay/core"
	"github.com/nnplay/nnplay/core/view"
)

// warmUp runs frame untimed for about 50 ms (at least 3 times; 500 ms for the first benchmark
// of the process) before a benchmark's timed loop. Under GOOS=js GOARCH=wasm, V8 first runs a
// function in its baseline compiler and swaps in the optimised code only after the function has
// run for a while and on its next call, and at the start of the process many functions compete
// for the optimising compiler; without this the first benchmarks would time the baseline code.
// A slider drag runs the same frame over and over, so the optimised code is the one that matters.
func warmUp(frame func()) {
	d := 50 * time.Millisecond
	if !warmedUp {
		d, warmedUp = 500*time.Millisecond, true
	}
	start := time.Now()
	for i := 0; i < 3 || time.Since(start) < d; i++ {
		frame()
	}
}

var warmedUp bool

// BenchmarkActivationCurves fills the 2048-point curve buffers of each registered activation
// (one frame of the activation plot: f, f' and the finite difference, 3 evaluations per point).
func BenchmarkActivationCurves(b *testing.B) {
	c := view.NewCurves(2048)
	for _, f := range core.All() {
		if f.Kind != core.Activation {
			continue
		}
		s := view.Default(f)
		b.Run(f.ID, func(b *testing.B) {
			warmUp(func() { c.Activation(f, s.P, s.XMin, s.XMax) })
			b.ReportAllocs()
			for b.Loop() {
				c.Activation(f, s.P, s.XMin, s.XMax)
			}
		})
	}
}

// BenchmarkLossCurves is the same for the 2048-point loss curve of each registered loss.
func BenchmarkLossCurves(b *testing.B) {
	c := view.NewCurves(2048)
	for _, f := range core.All() {
		if f.Curve == nil {
			continue
		}
		s := view.Default(f)
		b.Run(f.ID, func(b *testing.B) {
			warmUp(func() { c.LossCurve(f, s.P, s.T, s.XMin, s.XMax) })
			b.ReportAllocs()
			for b.Loop() {
				c.LossCurve(f, s.P, s.T, s.XMin, s.XMax)
			}
		})
	}
}

// BenchmarkSurface fills a 256x256 loss surface and its heatmap for each registered loss (one
// frame of the surface view).
func BenchmarkSurface(b *testing.B) {
	g := view.NewGrid(256, 256)
	for _, f := range core.All() {
		if f.Surface == nil {
			continue
		}
		s := view.Default(f)
		b.Run(f.ID, func(b *testing.B) {
			warmUp(func() { g.Surface(f, s.P, s.T) })
			b.ReportAllocs()
			for b.Loop() {
				g.Surface(f, s.P, s.T)
			}
		})
	}
}

// BenchmarkParseQuery is one URL round trip (page load and a history.replaceState).
func BenchmarkParseQuery(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		s, _ := view.Parse("f=zz_test_act&a=2.5&n=3&mode=tanh&w=1,2,0.5&xmin=-2&xmax=2")
		_ = s.Query()
	}
}

// BenchmarkSmoothed is cross_entropy with label_smoothing 0.1 (the default is 0): its gradient is
// formed in double-double, the costliest evaluation in the registry (bench/FINDINGS.md C1). One
// 256x256 surface frame and one 2048-point curve frame.
func BenchmarkSmoothed(b *testing.B) {
	f, ok := core.Lookup("cross_entropy")
	if !ok {
		b.Skip("no cross_entropy")
	}
	s := view.Default(f)
	s.P = s.P.Clone()
	s.P.Num[f.ParamIndex("label_smoothing")] = 0.1
	g, c := view.NewGrid(256, 256), view.NewCurves(2048)
	b.Run("surface", func(b *testing.B) {
		warmUp(func() { g.Surface(f, s.P, s.T) })
		b.ReportAllocs()
		for b.Loop() {
			g.Surface(f, s.P, s.T)
		}
	})
	b.Run("curve", func(b *testing.B) {
		warmUp(func() { c.LossCurve(f, s.P, s.T, s.XMin, s.XMax) })
		b.ReportAllocs()
		for b.Loop() {
			c.LossCurve(f, s.P, s.T, s.XMin, s.XMax)
		}
	})
}
