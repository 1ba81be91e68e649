package view

import (
	"math"

	"github.com/nnplay/nnplay/core"
)

// The surface view: a loss over two quantities (F.Surface) as a heatmap with contours, and a
// draggable point with the loss there and the negative gradient with respect to the two axes'
// quantities. Renderer: "surface" (web/src/surface.js), which draws the arrow in screen space,
// so that it crosses the contours at right angles.
//
// URL keys:
//
//	px, py   the point (dragged; on the surface's axes, which follow the x range for the
//	         losses whose Surface says so)

// Sizes of the surface's grids.
const (
	GridNX  = 180 // loss surface samples along x
	GridNY  = 180 // and along y
	CoarseN = 64  // the coarse surface drawn while a slow surface is being changed
	Levels  = 10  // contour lines

	// SurfaceBudgetMs is the time a full-resolution surface may take in one frame: computing it
	// and drawing it. When the last one took longer, changes draw the coarse grid and the full
	// one follows RefineMs after the last change, so that a slider update stays within the
	// 8 ms main-thread budget of a loss (issue 5) for any loss.
	SurfaceBudgetMs = 5
	RefineMs        = 180
)

func hasSurface(f *core.Func) bool { return f.Kind == core.Loss && f.Surface != nil }

// SurfaceAxes returns the axes of s.F's surface: F.Surface's, with the curve's x range in
// place of an axis the Surface marks as following it (XFollowsCurve, YFollowsCurve).
func SurfaceAxes(s *State) (ax, ay core.Axis) {
	sf := s.F.Surface
	ax, ay = sf.X, sf.Y
	if sf.XFollowsCurve {
		ax.Min, ax.Max = s.XMin, s.XMax
	}
	if sf.YFollowsCurve {
		ay.Min, ay.Max = s.XMin, s.XMax
	}
	return ax, ay
}

func surfaceScope(f *core.Func) string {
	return f.Surface.X.Label + "|" + f.Surface.Y.Label
}

var (
	keyPX = &Key{Name: "px", Type: Number, Control: NoControl, Pair: "py",
		Range:   func(s *State) (float64, float64) { ax, _ := SurfaceAxes(s); return ax.Min, ax.Max },
		Default: func(f *core.Func) float64 { return f.Surface.Point[0] },
		Num:     func(s *State) *float64 { return &s.PX }, Scope: surfaceScope}
	keyPY = &Key{Name: "py", Type: Number, Control: NoControl, Pair: "px",
		Range:   func(s *State) (float64, float64) { _, ay := SurfaceAxes(s); return ay.Min, ay.Max },
		Default: func(f *core.Func) float64 { return f.Surface.Point[1] },
		Num:     func(s *State) *float64 { return &s.PY }, Scope: surfaceScope}
)

func init() {
	RegisterView(&View{
		ID: "surface", Renderer: "surface", Order: 30,
		Title:   "the loss surface over two quantities, with a draggable point and −∇",
		Applies: hasSurface,
		Keys:    []*Key{keyPX, keyPY},
		New: func(env Env) Instance {
			return &surfaceView{env: env, grid: NewGrid(GridNX, GridNY), coarse: NewGrid(CoarseN, CoarseN), levels: make([]float64, Levels)}
		},
	})
}

type surfaceView struct {
	env          Env
	grid, coarse *Grid
	levels       []float64

	fineMs     float64 // how long the last full-resolution surface took
	fineKnown  bool    // fineMs was measured for this function
	refineTick int     // the refine timer that is still current
	pending    *Grid   // a full grid computed in Update: its time is measured at Drawn
	t0         float64 // when its compute started

	notes []string // Notes of the loss at the point (probeNotes)

	lossAt, dx, dy float64
}

var colorbar []byte

// Configure: the axes, their labels, the note and the colour bar (256 RGBA pixels of viridis).
func (v *surfaceView) Configure(s *State, out *Out) {
	v.fineMs, v.fineKnown = 0, false
	sf := s.F.Surface
	if colorbar == nil {
		colorbar = make([]byte, 256*4)
		for i := range 256 {
			r, g, b := Viridis(float64(i) / 255)
			colorbar[4*i], colorbar[4*i+1], colorbar[4*i+2], colorbar[4*i+3] = r, g, b, 255
		}
	}
	ax, ay := SurfaceAxes(s)
	out.Str("caption", "Loss surface over "+sf.X.Label+" and "+sf.Y.Label)
	out.Str("note", sf.Note)
	out.Str("xLabel", sf.X.Label)
	out.Str("yLabel", sf.Y.Label)
	out.Num("xMin", ax.Min)
	out.Num("xMax", ax.Max)
	out.Num("yMin", ay.Min)
	out.Num("yMax", ay.Max)
	out.Bytes("colorbar", colorbar)
	out.Str("keyX", keyPX.Name) // what a drag sets (the API's drag)
	out.Str("keyY", keyPY.Name)
}

var axisFollow = KeyBits(keyXMin, keyXMax)

// Update recomputes the surface when the parameters, the target (unless the surface ignores
// it) or its axes changed, coarse while a slow surface changes, and the point's loss and
// gradient when anything they depend on changed.
func (v *surfaceView) Update(s *State, ch Changes, out *Out) bool {
	f := s.F
	sf := f.Surface
	follows := sf.XFollowsCurve || sf.YFollowsCurve
	gridCh := ChFunc | ChParams | ChRefine
	if !sf.IgnoresT {
		gridCh |= keyT.bit
	}
	if follows {
		gridCh |= axisFollow
	}
	drew := false
	if ch.Any(gridCh) {
		v.drawGrid(s, ch, out)
		drew = true
	}
	if ch.Any(gridCh | KeyBits(keyPX, keyPY)) {
		v.lossAt, v.dx, v.dy = Point(f, s.P, s.T, s.PX, s.PY)
		v.notes = probeNotes(f, s)
		ax, ay := SurfaceAxes(s)
		out.Num("px", s.PX)
		out.Num("py", s.PY)
		out.Num("loss", v.lossAt)
		out.Num("dx", v.dx)
		out.Num("dy", v.dy)
		out.Str("gradLabel", "−∇ of the loss with respect to ("+ax.Label+", "+ay.Label+")")
		if follows {
			out.Num("xMin", ax.Min)
			out.Num("xMax", ax.Max)
			out.Num("yMin", ay.Min)
			out.Num("yMax", ay.Max)
		}
		drew = true
	}
	return drew
}

// drawGrid computes the surface at full resolution, or at the coarse resolution with the full
// one to follow: when the last full one was over budget (the full one is then drawn RefineMs
// after the changes stop), and for the first surface of a function, whose cost is not known
// yet (the full one follows at once, in the next frame).
func (v *surfaceView) drawGrid(s *State, ch Changes, out *Out) {
	g := v.grid
	if (!v.fineKnown || v.fineMs > SurfaceBudgetMs) && !ch.Any(ChRefine) {
		g = v.coarse
		v.refineTick++
		tick := v.refineTick
		delay := RefineMs
		if !v.fineKnown {
			delay = 0
		}
		v.env.After(delay, func() {
			if tick == v.refineTick {
				v.env.Invalidate(ChRefine)
			}
		})
	}
	t0 := v.env.Now()
	ax, ay := SurfaceAxes(s)
	g.SurfaceOn(s.F, s.P, s.T, ax, ay)
	g.Levels(v.levels)
	if g == v.grid {
		// the drawing's time is added by the host (Env.Now after the renderer returns): the
		// compute is measured here, the whole in FrameDone
		v.pending = g
	}
	v.t0 = t0
	out.Bytes("rgba", g.RGBA)
	out.Floats("z", g.Z)
	out.Num("nx", float64(g.NX))
	out.Num("ny", float64(g.NY))
	out.Num("zmin", g.ZMin)
	out.Num("zmax", g.ZMax)
	out.Bool("log", g.Log)
	out.Num("gxmin", g.X[0])
	out.Num("gxmax", g.X[len(g.X)-1])
	out.Num("gymin", g.Y[0])
	out.Num("gymax", g.Y[len(g.Y)-1])
	ticks := make([]any, 0, 5)
	for k := range 5 {
		pos := float64(k) / 4
		ticks = append(ticks, map[string]any{"pos": pos, "value": g.ZAt(pos)})
	}
	lv := make([]any, 0, len(v.levels))
	for _, l := range v.levels {
		if l-l == 0 {
			lv = append(lv, map[string]any{"value": l, "pos": g.ColorPos(l)})
		}
	}
	out.Val("levels", lv)
	out.Val("ticks", ticks)
}

// Drawn is called by the host once the renderer has drawn what Update handed over: the time of
// a full-resolution surface is its compute and its drawing.
func (v *surfaceView) Drawn() {
	if v.pending != nil {
		v.fineMs, v.fineKnown = v.env.Now()-v.t0, true
		v.pending = nil
	}
}

// Messages: PyTorch's notes on the loss at the point, and a non-finite loss or gradient there.
func (v *surfaceView) Messages(s *State, add func(level, text string)) {
	for _, n := range v.notes {
		add("info", "Note: "+n)
	}
	l, dx, dy := v.lossAt, v.dx, v.dy
	if !(l-l == 0) || !(dx-dx == 0) || !(dy-dy == 0) {
		why := "the value is undefined here (NaN)."
		if math.IsInf(l, 0) {
			why = "the loss is infinite at this point for these parameters (for example the log of 0)."
		}
		add("warn", "At the surface point the loss is "+core.ShortNum(l)+" and its gradient ("+core.ShortNum(dx)+", "+core.ShortNum(dy)+"): "+why)
	}
}

// probeNotes evaluates the loss once on one-element inputs (the differentiable inputs at the
// surface point's x, the others at the target) and returns its Notes: PyTorch's warnings for
// these parameters, such as kl_div's for reduction 'mean'. An input the probe cannot form
// (a loss that needs two dimensions) just gives no notes.
func probeNotes(f *core.Func, s *State) []string {
	in := make(map[string]core.Tensor, len(f.Inputs))
	for _, li := range f.Inputs {
		v := s.T
		if li.Differentiable {
			v = s.PX
		}
		in[li.Name] = core.Tensor{Shape: []int{1}, Data: []float64{v}}
	}
	res, err := f.Loss(s.P, in)
	if err != nil {
		return nil
	}
	return res.Notes
}
