package view

import (
	"math"
	"strconv"
	"sync"

	"github.com/nnplay/nnplay/core"
)

// The curves view: f and f′ of an activation (or the loss of one sample and its derivative
// against the prediction, for a target t), with the central finite difference on f′, the
// comparison's series overlaid on both plots, the y axes a teacher controls and, on f′, where
// the gradient vanishes. Renderer: "curves" (web/src/curves.js).
//
// URL keys:
//
//	xmin, xmax      the x range (kept on a switch between functions over the same quantity)
//	t               a loss's target (losses only)
//	cmp             the comparison's series: "tanh;softplus,beta:2" (see Series)
//	yf, ydf         the y axis of the f and f′ plots: auto, fixed or log
//	yfmin, yfmax    the fixed y range of the f plot (ydfmin, ydfmax: of the f′ plot)
//	vanish          |f′| below this is shaded as the vanishing-gradient region (0: off)

// CurvePoints is the number of samples of each curve.
const CurvePoints = 801

// YModes are the choices of the yf and ydf keys.
var YModes = []string{"auto", "fixed", "log"}

func hasCurves(f *core.Func) bool {
	return f.Kind == core.Activation || (f.Kind == core.Loss && f.Curve != nil)
}

func isLossCurve(f *core.Func) bool { return f.Kind == core.Loss && f.Curve != nil }

// curveScope is the quantity on the curves' x axis: all activations share x; a loss's is its
// curve's X label.
func curveScope(f *core.Func) string {
	if f.Kind == core.Loss && f.Curve != nil {
		return "loss:" + f.Curve.X.Label
	}
	return string(f.Kind)
}

func checkXPair(s *State) error { return xRangeError(s.XMin, s.XMax) }

var (
	keyXMin = &Key{Name: "xmin", Label: "x range", Type: Number, Control: Box, Group: "x range", Pair: "xmax",
		Range:   func(*State) (float64, float64) { return -ViewLimit, ViewLimit },
		Default: func(f *core.Func) float64 { a, _ := defaultXRange(f); return a },
		Num:     func(s *State) *float64 { return &s.XMin }, Check: checkXPair, Scope: curveScope}
	keyXMax = &Key{Name: "xmax", Label: "x range", Type: Number, Control: Box, Group: "x range", Pair: "xmin",
		Range:   func(*State) (float64, float64) { return -ViewLimit, ViewLimit },
		Default: func(f *core.Func) float64 { _, b := defaultXRange(f); return b },
		Num:     func(s *State) *float64 { return &s.XMax }, Check: checkXPair, Scope: curveScope}
	keyT = &Key{Name: "t", Doc: "the target of the loss curve and of the surface", Type: Number, Control: SliderBox,
		Applies:  isLossCurve,
		LabelFor: func(f *core.Func) string { return f.Curve.T.Label },
		StepFor:  func(f *core.Func) float64 { return f.Curve.TStep },
		IntFor:   func(f *core.Func) bool { return f.Curve.TStep == 1 },
		Range:    func(s *State) (float64, float64) { return s.F.Curve.T.Min, s.F.Curve.T.Max },
		Max:      func(s *State) float64 { return s.TMax() },
		Default:  func(f *core.Func) float64 { return f.Curve.TDefault },
		Num:      func(s *State) *float64 { return &s.T },
		Check:    func(s *State) error { return s.checkT(s.T) },
		Scope: func(f *core.Func) string {
			return f.Curve.T.Label + "|" + strconv.FormatFloat(f.Curve.TStep, 'g', -1, 64)
		}}
	keyCmp = &Key{Name: "cmp", Label: "Compare", Type: SeriesList, Control: SeriesEditor,
		Doc:      "pin this curve, then change the function or its parameters: up to 4 more curves on the plots",
		SeriesOf: func(s *State) *[]Series { return &s.Cmp }}
	keyYF, keyYFMin, keyYFMax    = yKeys("yf", "f")
	keyYDF, keyYDFMin, keyYDFMax = yKeys("ydf", "df")
	keyVanish                    = &Key{Name: "vanish", Label: "vanishing |f′| below", Type: Number, Control: SliderBox, Step: 0.01,
		Doc:     "f′ plot: shaded where |f′| is below this (the gradient vanishes); 0 turns it off. Where f′ is exactly 0 is marked as dead",
		Range:   func(*State) (float64, float64) { return 0, 1 },
		Default: func(*core.Func) float64 { return 0.1 }, Scope: func(*core.Func) string { return "" }}
)

// yKeys declares a plot's y-axis keys: the mode (auto, fixed, log) and the fixed range.
func yKeys(name, plot string) (mode, lo, hi *Key) {
	what := "f"
	if plot == "df" {
		what = "f′"
	}
	group := "y axis of " + what
	mode = &Key{Name: name, Label: group, Type: Choice, Control: Select, Group: group, Choices: YModes,
		Doc:   "auto follows the curves; fixed uses the range below (to compare heights); log where the values are positive",
		Scope: curveScope}
	check := func(s *State) error {
		a, b := *s.Slot(name + "min"), *s.Slot(name + "max")
		if !(a < b) {
			return perr(name+"min", name+"min must be less than "+name+"max, got "+name+"min="+formatFloat(a)+" and "+name+"max="+formatFloat(b))
		}
		return nil
	}
	lo = &Key{Name: name + "min", Label: group, Type: Number, Control: Box, Group: group, Pair: name + "max",
		Default: func(f *core.Func) float64 { return defaultYRange(f)[plotIndex(plot)][0] },
		Check:   check, Scope: curveScope}
	hi = &Key{Name: name + "max", Label: group, Type: Number, Control: Box, Group: group, Pair: name + "min",
		Default: func(f *core.Func) float64 { return defaultYRange(f)[plotIndex(plot)][1] },
		Check:   check, Scope: curveScope}
	return mode, lo, hi
}

func plotIndex(plot string) int {
	if plot == "df" {
		return 1
	}
	return 0
}

var (
	yRangeMu    sync.Mutex
	yRangeCache = map[*core.Func][2][2]float64{}
)

// defaultYRange is the fixed y range a plot starts from when the user picks "fixed": the
// range of the default curve (f, then f′) over the default x range, rounded outwards to a
// round step (sigmoid: [0, 1] and [0, 0.25]; tanh: [-1, 1] and [0, 1]).
func defaultYRange(f *core.Func) [2][2]float64 {
	yRangeMu.Lock()
	defer yRangeMu.Unlock()
	if r, ok := yRangeCache[f]; ok {
		return r
	}
	c := NewCurves(201)
	p := f.Defaults()
	a, b := defaultXRange(f)
	if f.Kind == core.Loss && f.Curve != nil {
		c.LossCurve(f, p, f.Curve.TDefault, a, b)
	} else {
		c.Activation(f, p, a, b)
	}
	r := [2][2]float64{niceRange(c.Y), niceRange(c.DY)}
	yRangeCache[f] = r
	return r
}

// niceRange returns [lo, hi] around the finite values of v, rounded outwards to a step of one
// or a half of a power of ten below the span ([-1, 1] when there is none).
func niceRange(v []float64) [2]float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range v {
		if x-x == 0 {
			lo, hi = min(lo, x), max(hi, x)
		}
	}
	if lo > hi {
		return [2]float64{-1, 1}
	}
	span := hi - lo
	if !(span > 0) {
		d := max(math.Abs(lo)*0.5, 1)
		return [2]float64{lo - d, hi + d}
	}
	step := math.Pow(10, math.Floor(math.Log10(span))) / 2
	a, b := math.Floor(lo/step)*step, math.Ceil(hi/step)*step
	if a == b {
		b = a + step
	}
	a, b = min(max(a, -ViewLimit), ViewLimit), min(max(b, -ViewLimit), ViewLimit)
	return [2]float64{a + 0, b + 0}
}

func init() {
	RegisterView(&View{
		ID: "curves", Renderer: "curves", Order: 10,
		Title:   "f and f′ with a finite-difference check, and compared curves",
		Applies: hasCurves,
		Keys:    []*Key{keyXMin, keyXMax, keyT, keyCmp, keyYF, keyYFMin, keyYFMax, keyYDF, keyYDFMin, keyYDFMax, keyVanish},
		New:     func(Env) Instance { return newCurvesView() },
	})
}

type curvesView struct {
	c      *Curves
	ser    [MaxSeries]struct{ Y, DY []float64 }
	labels [MaxSeries + 1]string // the legend's names: the main curve's, then each series'; rebuilt when they change
	mark   float64
	markL  string
}

func newCurvesView() *curvesView {
	v := &curvesView{c: NewCurves(CurvePoints)}
	for i := range v.ser {
		v.ser[i].Y = make([]float64, CurvePoints)
		v.ser[i].DY = make([]float64, CurvePoints)
	}
	return v
}

var labelNames = [MaxSeries + 1]string{"label0", "label1", "label2", "label3", "label4"}

var seriesNames = [MaxSeries][2]string{{"s0y", "s0dy"}, {"s1y", "s1dy"}, {"s2y", "s2dy"}, {"s3y", "s3dy"}}

// Configure: the axis labels and captions.
func (v *curvesView) Configure(s *State, out *Out) {
	f := s.F
	out.Str("kind", string(f.Kind))
	out.Str("name", f.Name)
	if f.Kind == core.Loss {
		c := f.Curve
		out.Str("xLabel", c.X.Label)
		out.Str("xName", "x")
		out.Str("fLabel", "loss")
		out.Str("dfLabel", "∂loss/∂x")
		out.Str("fCaption", "Loss against "+c.X.Label)
		out.Str("dfCaption", "Derivative of the loss, with a finite-difference check")
		return
	}
	out.Str("xLabel", "x")
	out.Str("xName", "x")
	out.Str("fLabel", "f(x)")
	out.Str("dfLabel", "f′(x)")
	out.Str("fCaption", f.Name+": f(x)")
	out.Str("dfCaption", "Its derivative f′(x), with a finite-difference check")
}

var curveInputs = ChFunc | ChParams | ChRefine

// Update computes the main curve with its finite difference and each series (when the
// function, a parameter, the x range, the target or the series changed) and hands over the
// buffers with the axes' settings.
func (v *curvesView) Update(s *State, ch Changes, out *Out) bool {
	f := s.F
	if ch.Any(curveInputs | KeyBits(keyXMin, keyXMax, keyT, keyCmp)) {
		if f.Kind == core.Loss {
			v.c.LossCurve(f, s.P, s.T, s.XMin, s.XMax)
		} else {
			v.c.Activation(f, s.P, s.XMin, s.XMax)
		}
		for i, sr := range s.Cmp {
			sv := &v.ser[i]
			for j, x := range v.c.X {
				if f.Kind == core.Loss {
					sv.Y[j], sv.DY[j] = sr.F.Curve.Eval(sr.P, s.T, x)
				} else {
					sv.Y[j], sv.DY[j] = sr.F.Scalar(sr.P, x)
				}
			}
		}
		v.mark, v.markL = math.NaN(), ""
		if f.Kind == core.Loss && f.Curve.Mark != nil {
			v.mark, v.markL = f.Curve.Mark(s.P, s.T)
		}
	}
	c := v.c
	out.Floats("x", c.X)
	out.Floats("y", c.Y)
	out.Floats("dy", c.DY)
	out.Floats("fd", c.FD)
	for i := range s.Cmp {
		out.Floats(seriesNames[i][0], v.ser[i].Y)
		out.Floats(seriesNames[i][1], v.ser[i].DY)
	}
	out.Num("series", float64(len(s.Cmp)))
	if len(s.Cmp) > 0 {
		// the legend's names, as texts (the host sends a text only when it changed)
		if ch.Any(ChFunc | ChParams | keyCmp.bit) {
			v.labels[0] = mainLabel(s)
			for i, sr := range s.Cmp {
				v.labels[i+1] = sr.Label()
			}
		}
		for i := range len(s.Cmp) + 1 {
			out.Str(labelNames[i], v.labels[i])
		}
	}
	out.Num("xmin", s.XMin)
	out.Num("xmax", s.XMax)
	out.Num("mark", v.mark)
	out.Str("markLabel", v.markL)
	out.Str("yf", YModes[int(*keyYF.num(s))])
	out.Num("yfmin", *keyYFMin.num(s))
	out.Num("yfmax", *keyYFMax.num(s))
	out.Str("ydf", YModes[int(*keyYDF.num(s))])
	out.Num("ydfmin", *keyYDFMin.num(s))
	out.Num("ydfmax", *keyYDFMax.num(s))
	out.Num("vanish", *keyVanish.num(s))
	return true
}

// mainLabel names the main curve for the legend when there are series: its id with the
// parameters that differ from their defaults.
func mainLabel(s *State) string { return Series{F: s.F, P: s.P}.Label() }

// Messages: where the main curve or its derivative is not finite.
func (v *curvesView) Messages(s *State, add func(level, text string)) {
	c := v.c
	fname, dname := "f(x)", "f′(x)"
	if s.F.Kind == core.Loss {
		fname, dname = "the loss", "its derivative"
	}
	if m, ok := nonFinite(fname, c.X, c.Y); ok {
		add("warn", m)
	}
	if m, ok := nonFinite(dname, c.X, c.DY); ok {
		add("warn", m)
	}
}

// nonFinite describes the points where ys is NaN or infinite, if any.
func nonFinite(what string, xs, ys []float64) (string, bool) {
	n, first := 0, -1
	for i, y := range ys {
		if !(y-y == 0) {
			if first < 0 {
				first = i
			}
			n++
		}
	}
	if n == 0 {
		return "", false
	}
	y := ys[first]
	kind := "undefined (NaN)"
	switch {
	case math.IsInf(y, 1):
		kind = "+∞"
	case math.IsInf(y, -1):
		kind = "−∞"
	}
	where := "at x = " + core.ShortNum(xs[min(first, len(xs)-1)])
	if n == len(ys) {
		where = "everywhere on the plotted range"
	} else if n > 1 {
		where += " and " + strconv.Itoa(n-1) + " more of the " + strconv.Itoa(len(ys)) + " plotted points"
	}
	text := what + " is " + kind + " " + where + ": the plot leaves a gap there"
	if kind == "undefined (NaN)" {
		text += " (no value is defined there; see Conventions)"
	} else {
		text += " (the value overflows float64 or is infinite mathematically for these parameters)"
	}
	return text, true
}
