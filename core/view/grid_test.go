package view_test

import (
	"math"
	"testing"

	"github.com/nnplay/nnplay/core"
	"github.com/nnplay/nnplay/core/view"
)

// For every registered loss, Z at each grid point equals Point and F.Surface.Eval there, the
// axes' ends are exact, and RGBA has 4*NX*NY opaque bytes.
func TestGridMatchesPoint(t *testing.T) {
	g := view.NewGrid(17, 13)
	for _, f := range core.All() {
		if f.Surface == nil {
			continue
		}
		s := view.Default(f)
		g.Surface(f, s.P, s.T)
		sf := f.Surface
		if g.X[0] != sf.X.Min || g.X[g.NX-1] != sf.X.Max || g.Y[0] != sf.Y.Min || g.Y[g.NY-1] != sf.Y.Max {
			t.Errorf("%s: axes %v..%v, %v..%v", f.ID, g.X[0], g.X[g.NX-1], g.Y[0], g.Y[g.NY-1])
		}
		for j, y := range g.Y {
			for i, x := range g.X {
				l, dx, dy := view.Point(f, s.P, s.T, x, y)
				l2, dx2, dy2 := sf.Eval(s.P, s.T, x, y)
				if !sameBits([]float64{g.Z[j*g.NX+i], l, dx, dy}, []float64{l2, l2, dx2, dy2}) {
					t.Fatalf("%s at (%v, %v): Z = %v, Point = %v %v %v, Eval = %v %v %v", f.ID, x, y, g.Z[j*g.NX+i], l, dx, dy, l2, dx2, dy2)
				}
			}
		}
		if len(g.RGBA) != 4*17*13 {
			t.Fatalf("len(RGBA) = %d", len(g.RGBA))
		}
		for k := 3; k < len(g.RGBA); k += 4 {
			if g.RGBA[k] != 255 {
				t.Fatalf("%s: alpha %d at byte %d", f.ID, g.RGBA[k], k)
			}
		}
		if g.ZMin > g.ZMax || math.IsInf(g.ZMin, 0) || math.IsInf(g.ZMax, 0) {
			t.Errorf("%s: ZMin, ZMax = %v, %v", f.ID, g.ZMin, g.ZMax)
		}
	}
	l, dx, dy := view.Point(testAct, testAct.Defaults(), 0, 0, 0)
	if !math.IsNaN(l) || !math.IsNaN(dx) || !math.IsNaN(dy) {
		t.Errorf("Point of an activation = %v %v %v, want NaN", l, dx, dy)
	}
}

// Orientation: Z's row 0 is Y.Min, RGBA's row 0 is Y.Max. testLoss is k(x^2 + 3y^2) + t on
// x in [-1, 2], y in [-3, 1]: its maximum is at (2, -3), the bottom-right pixel, and its
// minimum at (0, 0).
func TestGridOrientation(t *testing.T) {
	g := view.NewGrid(4, 5) // x = -1, 0, 1, 2; y = -3, -2, -1, 0, 1
	g.Surface(testLoss, testLoss.Defaults(), 0)
	if g.Z[0] != 1+27 || g.Z[3] != 4+27 || g.Z[4*4+0] != 1+3 {
		t.Errorf("Z rows: %v", g.Z)
	}
	if g.ZMin != 0 || g.ZMax != 31 {
		t.Errorf("ZMin, ZMax = %v, %v, want 0, 31", g.ZMin, g.ZMax)
	}
	px := func(row, col int) [3]byte {
		k := 4 * (row*g.NX + col)
		return [3]byte{g.RGBA[k], g.RGBA[k+1], g.RGBA[k+2]}
	}
	top, bottom := rgb(view.Viridis(1)), rgb(view.Viridis(0))
	if px(g.NY-1, g.NX-1) != top {
		t.Errorf("bottom-right pixel %v, want the top colour %v", px(g.NY-1, g.NX-1), top)
	}
	if px(1, 1) != bottom { // image row 1 is y = 0, column 1 is x = 0
		t.Errorf("pixel at (0, 0) %v, want the bottom colour %v", px(1, 1), bottom)
	}
	for r := range g.NY {
		for i := range g.NX {
			if want := rgb(view.Viridis(g.ColorPos(g.Z[(g.NY-1-r)*g.NX+i]))); px(r, i) != want {
				t.Fatalf("pixel (%d, %d) = %v, want %v", r, i, px(r, i), want)
			}
		}
	}
}

func rgb(r, g, b uint8) [3]byte { return [3]byte{r, g, b} }

// Special values: NaN is grey, +Inf the top colour, -Inf the bottom; ZMin and ZMax are finite.
// The colour scale switches to log1p when a spike squashes the rest; ZAt inverts ColorPos.
func TestGridScale(t *testing.T) {
	special := &core.Func{ID: "special", Kind: core.Loss, Surface: &core.Surface{
		X: core.Axis{Min: 0, Max: 3}, Y: core.Axis{Min: 0, Max: 0},
		Eval: func(_ core.Params, _, x, _ float64) (float64, float64, float64) {
			return []float64{math.NaN(), math.Inf(1), math.Inf(-1), 2}[int(x)], 0, 0
		},
	}}
	g := view.NewGrid(4, 1)
	g.Surface(special, core.Params{}, 0)
	want := [][3]byte{{view.NaNGrey, view.NaNGrey, view.NaNGrey}, rgb(view.Viridis(1)), rgb(view.Viridis(0)), rgb(view.Viridis(0))}
	for i, w := range want {
		if got := [3]byte(g.RGBA[4*i : 4*i+3]); got != w {
			t.Errorf("pixel %d = %v, want %v", i, got, w)
		}
	}
	if g.ZMin != 2 || g.ZMax != 2 || g.Log {
		t.Errorf("ZMin, ZMax, Log = %v, %v, %v", g.ZMin, g.ZMax, g.Log)
	}

	// A spike 1/(r^2 + 0.001) over [-1, 1]^2: the mean colour position is far below 0.1.
	spike := &core.Func{ID: "spike", Kind: core.Loss, Surface: &core.Surface{
		X: core.Axis{Min: -1, Max: 1}, Y: core.Axis{Min: -1, Max: 1},
		Eval: func(_ core.Params, _, x, y float64) (float64, float64, float64) {
			return 1 / (x*x + y*y + 0.001), 0, 0
		},
	}}
	g = view.NewGrid(65, 65)
	g.Surface(spike, core.Params{}, 0)
	if !g.Log {
		t.Errorf("spike: Log = false")
	}
	lin := view.NewGrid(65, 65)
	lin.Surface(testLoss, testLoss.Defaults(), 0)
	if lin.Log {
		t.Errorf("quadratic: Log = true")
	}
	for _, gg := range []*view.Grid{g, lin} {
		if gg.ColorPos(gg.ZMin) != 0 || gg.ColorPos(gg.ZMax) != 1 || gg.ZAt(0) != gg.ZMin {
			t.Errorf("ends: %v %v %v", gg.ColorPos(gg.ZMin), gg.ColorPos(gg.ZMax), gg.ZAt(0))
		}
		if z := gg.ZAt(1); math.Abs(z-gg.ZMax) > 1e-12*gg.ZMax {
			t.Errorf("ZAt(1) = %v, want %v", z, gg.ZMax)
		}
		for v := 0.0; v <= 1; v += 1.0 / 64 {
			if got := gg.ColorPos(gg.ZAt(v)); math.Abs(got-v) > 1e-12 {
				t.Errorf("Log=%v: ColorPos(ZAt(%v)) = %v", gg.Log, v, got)
			}
		}
		levels := gg.Levels(make([]float64, 9))
		for k := 1; k < len(levels); k++ {
			if !(levels[k] > levels[k-1] && levels[k] < gg.ZMax && levels[0] > gg.ZMin) {
				t.Errorf("Levels not increasing inside (ZMin, ZMax): %v", levels)
			}
		}
	}
	if !math.IsNaN(g.ColorPos(math.NaN())) || g.ColorPos(math.Inf(1)) != 1 || g.ColorPos(math.Inf(-1)) != 0 {
		t.Errorf("ColorPos of special values")
	}
	// A function without a surface gives a grey grid, not a panic.
	g = view.NewGrid(3, 2)
	g.Surface(testAct, testAct.Defaults(), 0)
	if !math.IsNaN(g.Z[0]) || g.RGBA[0] != view.NaNGrey {
		t.Errorf("no surface: Z[0] = %v, RGBA[0] = %v", g.Z[0], g.RGBA[0])
	}
}

// Surface does not allocate, for every registered loss.
func TestGridNoAlloc(t *testing.T) {
	g := view.NewGrid(32, 32)
	for _, f := range core.All() {
		if f.Surface == nil {
			continue
		}
		s := view.Default(f)
		if n := testing.AllocsPerRun(3, func() { g.Surface(f, s.P, s.T) }); n != 0 {
			t.Errorf("%s: Surface makes %v allocations", f.ID, n)
		}
		if n := testing.AllocsPerRun(3, func() { view.Point(f, s.P, s.T, s.PX, s.PY) }); n != 0 {
			t.Errorf("%s: Point makes %v allocations", f.ID, n)
		}
	}
	levels := make([]float64, 8)
	if n := testing.AllocsPerRun(10, func() { g.Levels(levels); view.Viridis(0.3) }); n != 0 {
		t.Errorf("Levels, Viridis: %v allocations", n)
	}
}

// The heatmap is Viridis(ColorPos(z)) at every pixel, for every registered loss at its
// defaults (linear and log1p colour scales both occur; TestGridScale has NaN and ±Inf): paint
// writes ColorPos and the colormap's binning out inline.
func TestGridPaintMatchesColorPos(t *testing.T) {
	g := view.NewGrid(37, 29)
	scales := map[bool]int{}
	for _, f := range core.All() {
		if f.Surface == nil {
			continue
		}
		s := view.Default(f)
		g.Surface(f, s.P, s.T)
		scales[g.Log]++
		for r := range g.NY {
			for i := range g.NX {
				z := g.Z[(g.NY-1-r)*g.NX+i]
				want := [3]byte{}
				want[0], want[1], want[2] = view.Viridis(g.ColorPos(z))
				if z != z {
					want = [3]byte{view.NaNGrey, view.NaNGrey, view.NaNGrey}
				}
				k := 4 * (r*g.NX + i)
				if got := [3]byte(g.RGBA[k : k+3]); got != want || g.RGBA[k+3] != 255 {
					t.Fatalf("%s: pixel (%d, %d) z = %v: got %v alpha %d, want %v", f.ID, r, i, z, got, g.RGBA[k+3], want)
				}
			}
		}
	}
	if scales[true] == 0 || scales[false] == 0 {
		t.Logf("colour scales seen: %v (log true/false)", scales)
	}
}

// Z on the page's 180x180 grid equals F.Surface.Eval's loss bit for bit at every point, for every
// registered loss with its defaults and for cross_entropy with label smoothing: Grid.Surface
// takes Z from Surface.Row or Surface.Value when set, which skip the gradient.
func TestGridValuePathMatchesEval(t *testing.T) {
	g := view.NewGrid(180, 180)
	check := func(f *core.Func, p core.Params, tt float64, what string) {
		g.Surface(f, p, tt)
		for j, y := range g.Y {
			for i, x := range g.X {
				l, _, _ := f.Surface.Eval(p, tt, x, y)
				if z := g.Z[j*g.NX+i]; !sameBits([]float64{z}, []float64{l}) {
					t.Fatalf("%s at (%v, %v): Z = %v, Eval's loss %v", what, x, y, z, l)
				}
			}
		}
	}
	for _, f := range core.All() {
		if f.Surface == nil {
			continue
		}
		s := view.Default(f)
		check(f, s.P, s.T, f.ID)
		if i := f.ParamIndex("label_smoothing"); i >= 0 {
			p := s.P.Clone()
			p.Num[i] = 0.1
			check(f, p, 1, f.ID+" label_smoothing 0.1")
		}
	}
}
