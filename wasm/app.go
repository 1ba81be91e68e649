// Command wasm is nnplay's browser program (GOOS=js GOARCH=wasm). It holds the page's state
// (view.State), builds the controls from the registry with dom/v2, fills preallocated buffers
// with core/view once per animation frame and hands them to the JavaScript glue in bulk
// (web/src), which draws them. It also backs window.nnplay.
//
// The program is split so that its logic builds and tests natively: App (this file), the
// window.nnplay operations (api.go) and the value conversions (convert.go) know the JavaScript
// world only through the Host interface. The files ending in _js.go implement Host with
// syscall/js and dom/v2 and hold main. No fmt, encoding/json or net/* here: they would add
// about 100 KB (brotli) to the wasm.
package main

import (
	"math"
	"strconv"
	"strings"

	"github.com/nnplay/nnplay/core"
	"github.com/nnplay/nnplay/core/view"
)

// Sizes of the per-frame buffers.
const (
	CurvePoints = 801 // samples of f, f' and the finite difference
	GridNX      = 180 // loss surface samples along x
	GridNY      = 180 // and along y
	CoarseN     = 64  // the coarse surface drawn while a slow surface is being changed
	Levels      = 10  // contour lines

	// SurfaceBudgetMs is the time a full-resolution surface may take in one frame: computing it
	// and drawing it (heatmap and contours). When the last one took longer, changes draw the
	// coarse grid and the full one follows RefineMs after the last change, so that a slider
	// update stays within the 8 ms main-thread budget of a loss (issue 5) for any loss: the
	// cheap surfaces (mse_loss: ~2 ms) are always drawn in full, the costly ones (cross_entropy,
	// kl_div, cosine_embedding_loss: 10-50 ms) coarse while they change.
	SurfaceBudgetMs = 5
	RefineMs        = 180
)

// Host is the JavaScript world as App sees it. The browser implementation is in host_js.go;
// tests use a recorder.
type Host interface {
	// Show is called when the function changes: the host rebuilds the controls for s.F and
	// sets up the views described by m.
	Show(m Meta, s *view.State)
	// Sync writes the state into the controls, except the typed box named skip (the one the
	// user is typing in), so that nothing typed is lost.
	Sync(s *view.State, skip string)
	// FieldError shows msg next to the control of key ("" clears it).
	FieldError(key, msg string)
	// Curves draws f and f' (or the loss and its derivative) with the finite difference.
	Curves(c *view.Curves, info CurveInfo)
	// Vector draws a vector activation's input, output and gradient.
	Vector(in, out, grad []float64)
	// Surface draws the loss surface with its contour levels.
	Surface(g *view.Grid, levels []float64)
	// Point draws the surface's draggable point and the negative gradient.
	Point(p PointInfo)
	// Messages replaces the messages shown in #messages.
	Messages(ms []Message)
	// ReplaceURL sets the page's query (debounced by the host).
	ReplaceURL(query string)
	// RequestFrame asks for one call of App.Frame at the next animation frame.
	RequestFrame()
	// Drawn reports that every change up to seq is on screen.
	Drawn(seq int)
	// Now returns a monotonic time in milliseconds.
	Now() float64
	// After calls fn once, ms milliseconds from now.
	After(ms int, fn func())
}

// Meta describes the views of a function for the glue.
type Meta struct {
	F                   *core.Func
	Torch               string // "nn.ELU · F.elu"
	XLabel, XName       string // x axis label and the cursor readout's name
	FLabel, DFLabel     string // series labels
	FCaption, DFCaption string // captions of the two plots
	SurfaceCaption      string
}

// CurveInfo goes with the curve buffers.
type CurveInfo struct {
	XMin, XMax float64
	T          float64 // target of a loss curve, NaN for an activation
}

// PointInfo is the surface point's readout.
type PointInfo struct {
	X, Y, Loss, DX, DY float64
}

// Message is one line in #messages.
type Message struct {
	Level string // "error", "warn" or "info"
	Text  string
}

// dirty bits: what the next frame recomputes.
const (
	dMeta    = 1 << iota // the function changed: Show
	dCurves              // parameters, x range or target changed
	dSurface             // parameters or target changed
	dPoint               // the surface point changed
	dVector              // parameters or the input vector changed
	dMsgs                // the messages changed
	dURL                 // the state changed
	dAll     = dMeta | dCurves | dSurface | dPoint | dVector | dMsgs | dURL
)

// App is the page's state and its redraw logic.
type App struct {
	S    view.State
	host Host

	curves *view.Curves
	vec    view.VectorOut
	grid   *view.Grid // full resolution
	coarse *view.Grid // drawn while a slow surface changes (see SurfaceBudgetMs)
	levels []float64

	fineMs     float64 // how long the last full-resolution surface took
	fineKnown  bool    // fineMs was measured for this function
	forceFine  bool    // the next surface is drawn at full resolution
	refineTick int     // the refine timer that is still current

	dirty     int
	seq       int // number of the latest change
	requested bool

	shape string // controlShape of the state the controls were last built for

	urlProblems []view.Problem
	pendingX    [2]float64 // a typed xmin / xmax that is valid alone but not with the other
	hasPendingX [2]bool
	fieldErrs   []fieldErr // invalid text in a typed box, by key
	fieldNotes  []fieldErr // accepted values outside the slider range
	vecErr      string     // a vector activation's input is invalid (glu: odd length)
	lossNotes   []string   // Notes of the loss at the current point (see probeNotes)
	rendered    []Message  // the last Messages sent
}

type fieldErr struct{ key, msg string }

// NewApp returns an App showing the state of the query string rawQuery (problems in it are
// shown as messages). Nothing is drawn until Start.
func NewApp(host Host, rawQuery string) *App {
	s, probs := view.Parse(rawQuery)
	return &App{
		S: s, host: host, urlProblems: probs,
		curves: view.NewCurves(CurvePoints),
		grid:   view.NewGrid(GridNX, GridNY),
		coarse: view.NewGrid(CoarseN, CoarseN),
		levels: make([]float64, Levels),
	}
}

// Start shows the initial state (the first frame is requested, not drawn synchronously).
// When the link had problems, the address bar is replaced with the canonical query of what
// is shown (the messages still quote what was rejected).
func (a *App) Start() {
	if len(a.urlProblems) > 0 {
		a.change(dAll)
		return
	}
	a.change(dAll &^ dURL)
}

// change marks what must be redrawn and requests a frame. It returns the change's number.
func (a *App) change(bits int) int {
	a.dirty |= bits
	a.seq++
	if !a.requested {
		a.requested = true
		a.host.RequestFrame()
	}
	return a.seq
}

// Seq returns the number of the latest change.
func (a *App) Seq() int { return a.seq }

// SetFunc switches to the function id with its defaults.
func (a *App) SetFunc(id string) error {
	f, ok := core.Lookup(id)
	if !ok {
		return &core.ParamError{Param: "f", Msg: "unknown function " + strconv.Quote(id)}
	}
	if f == a.S.F {
		return nil
	}
	a.S.SetFunc(f)
	a.fineMs, a.fineKnown = 0, false
	a.clearFieldState()
	a.urlProblems = nil
	a.change(dAll)
	return nil
}

// Reset sets every parameter and the view to the defaults of the current function.
// Every control is then synchronised with the state (rebuilt when an editor's length differs).
func (a *App) Reset() int {
	a.S.Reset()
	a.clearFieldState()
	a.urlProblems = nil
	a.syncControls("")
	return a.change(dAll &^ dMeta)
}

func (a *App) clearFieldState() {
	for _, e := range a.fieldErrs {
		a.host.FieldError(e.key, "")
	}
	for _, e := range a.fieldNotes {
		a.host.FieldError(e.key, "")
	}
	a.fieldErrs, a.fieldNotes, a.vecErr = nil, nil, ""
	a.hasPendingX = [2]bool{}
}

// controlShape describes the structure of the controls that show s: the function and the
// length of each vector editor (None for a nil weight). Controls built for one shape cannot
// show a state of another (a fifth box for a four-element input).
func controlShape(s *view.State) string {
	var b strings.Builder
	b.WriteString(s.F.ID)
	for i := range s.F.Params {
		if s.F.Params[i].Type != core.Vector {
			continue
		}
		b.WriteByte('|')
		if v := s.P.Vec[i]; v == nil {
			b.WriteString("none")
		} else {
			b.WriteString(strconv.Itoa(len(v)))
		}
	}
	if s.F.Kind == core.VectorActivation {
		b.WriteString("|x")
		b.WriteString(strconv.Itoa(len(s.In)))
	}
	return b.String()
}

// syncControls writes the state into the controls, except the typed box skip. When the state
// needs other controls than those built (an editor's length changed, or the function), they
// are rebuilt from the state; every typed box then shows the state, so the messages about
// typed text are cleared with it.
func (a *App) syncControls(skip string) {
	if a.dirty&dMeta != 0 {
		return // the next frame rebuilds everything
	}
	if sh := controlShape(&a.S); sh != a.shape {
		a.clearFieldState()
		a.showControls()
		a.change(dMsgs)
		return
	}
	a.host.Sync(&a.S, skip)
}

// showControls has the host rebuild the controls and the views' set-up for the state.
func (a *App) showControls() {
	a.shape = controlShape(&a.S)
	a.host.Show(a.meta(), &a.S)
}

// setFieldErr records (msg != "") or clears the error of a typed field and shows it next to
// the field.
func (a *App) setFieldErr(key, msg string) {
	a.fieldErrs = setKeyed(a.fieldErrs, key, msg)
	a.fieldNotes = setKeyed(a.fieldNotes, key, "")
	a.host.FieldError(key, msg)
	a.change(dMsgs)
}

func (a *App) setFieldNote(key, msg string) {
	a.fieldErrs = setKeyed(a.fieldErrs, key, "")
	a.fieldNotes = setKeyed(a.fieldNotes, key, msg)
	a.host.FieldError(key, msg)
}

func setKeyed(list []fieldErr, key, msg string) []fieldErr {
	out := list[:0]
	for _, e := range list {
		if e.key != key {
			out = append(out, e)
		}
	}
	if msg != "" {
		out = append(out, fieldErr{key, msg})
	}
	return out
}

// SetParamText sets the parameter name from the text of its control (a slider, a typed box,
// a select or a checkbox; source is the data-param-box key of a typed box, "" otherwise).
// A number must be finite and lie in the slider's range ("a link must not be able to do what
// the controls cannot": every value shown can be shared), and pass the function's check.
// On error the state is unchanged and the message is shown next to the field; the text stays.
func (a *App) SetParamText(name, text, source string) error {
	f := a.S.F
	i := f.ParamIndex(name)
	if i < 0 {
		return &core.ParamError{Param: name, Msg: unknownKey(f, name)}
	}
	q := &f.Params[i]
	p := a.S.P.Clone()
	var err error
	switch q.Type {
	case core.Real, core.Int:
		var v float64
		v, err = parseNumber(name, text)
		if err == nil {
			p.Num[i] = v
		}
	default:
		err = core.SetParamAny(f, &p, i, text)
	}
	if err == nil {
		err = f.Check(p) // PyTorch's own message first (celu: "alpha cannot be 0")
	}
	if err == nil {
		err = controlParam(f, p, i)
	}
	if err != nil {
		a.setFieldErr(name, err.Error())
		return err
	}
	a.S.P = p
	a.dropURLProblem(name)
	a.setFieldNote(name, "")
	clamped := a.S.ClampT()
	a.syncControls(source)
	a.noteClampedT(clamped)
	a.change(dCurves | dSurface | dPoint | dVector | dMsgs | dURL)
	return nil
}

// controlRange checks a number for the control of key with the range [lo, hi]: finite and in
// the range. The message says what the controls allow and that nnplay.evaluate takes more.
func controlRange(f *core.Func, key string, v, lo, hi float64) error {
	if !finite(v) {
		return &core.ParamError{Param: key, Msg: displayKey(key) + " must be a finite number, got " + short(v)}
	}
	if v < lo || v > hi {
		return &core.ParamError{Param: key, Msg: displayKey(key) + " = " + short(v) + " is outside this control's range, " +
			short(lo) + " to " + short(hi) + ": not applied, so that a link shows what you see " +
			"(nnplay.evaluate('" + f.ID + "', ...) accepts any value PyTorch accepts)"}
	}
	return nil
}

// dropURLProblem forgets the link's problem about key once the user has set key.
func (a *App) dropURLProblem(key string) {
	out := a.urlProblems[:0]
	for _, p := range a.urlProblems {
		if p.Key != key {
			out = append(out, p)
		}
	}
	a.urlProblems = out
}

// SetVectorParam sets element idx of the Vector parameter name from text; idx == -1 with text
// "add" or "remove" grows or shrinks it, and "none" clears it (PyTorch's None).
func (a *App) SetVectorParam(name string, idx int, text string) error {
	f := a.S.F
	i := f.ParamIndex(name)
	if i < 0 || f.Params[i].Type != core.Vector {
		return &core.ParamError{Param: name, Msg: unknownKey(f, name)}
	}
	q := &f.Params[i]
	p := a.S.P.Clone()
	v := p.Vec[i]
	key := name
	switch {
	case idx < 0 && text == "none":
		v = nil
	case idx < 0 && text == "add":
		if v == nil {
			n := max(q.MinLen, 2)
			v = make([]float64, n)
			for k := range v {
				v[k] = 1
			}
		} else if q.MaxLen <= 0 || len(v) < q.MaxLen {
			v = append(v, 1)
		}
	case idx < 0 && text == "remove":
		if len(v) > max(q.MinLen, 1) {
			v = v[:len(v)-1]
		}
	case idx >= 0 && idx < len(v):
		key = name + "." + strconv.Itoa(idx)
		x, err := parseNumber(displayKey(key), text)
		if err != nil {
			a.setFieldErr(key, err.Error())
			return err
		}
		v[idx] = x
	default:
		return &core.ParamError{Param: name, Msg: name + " has no element " + strconv.Itoa(idx)}
	}
	p.Vec[i] = v
	err := f.Check(p)
	if err == nil && idx >= 0 {
		err = controlRange(f, key, v[idx], q.Min, q.Max)
	}
	if err != nil {
		a.setFieldErr(key, err.Error())
		return err
	}
	a.S.P = p
	a.dropURLProblem(name)
	a.setFieldNote(key, "")
	clamped := a.S.ClampT()
	skip := ""
	if idx >= 0 {
		skip = key
	}
	a.syncControls(skip)
	a.noteClampedT(clamped)
	a.change(dCurves | dSurface | dPoint | dVector | dMsgs | dURL)
	return nil
}

// SetViewText sets a view key (xmin, xmax, t) from the text of its control, with the URL's
// checks (view.State.Set). source is the typed box's key, "" for a slider.
//
// xmin and xmax are a pair: a typed value that is valid alone but not with the other bound
// (xmin 10 while xmax is 4, on the way from -4..4 to 10..20) is kept pending with its message,
// and a later change of the other box applies the pair when it is valid, so nothing typed is
// lost.
func (a *App) SetViewText(key, text, source string) error {
	s := a.S.Clone()
	v, err := parseNumber(key, text)
	switch {
	case err != nil:
		if k := xIndex(key); k >= 0 {
			a.hasPendingX[k] = false
		}
	case key == "xmin" || key == "xmax":
		k := xIndex(key)
		pair := [2]float64{s.XMin, s.XMax}
		for j := range 2 {
			if a.hasPendingX[j] {
				pair[j] = a.pendingX[j]
			}
		}
		pair[k] = v
		err = s.SetXRange(pair[0], pair[1])
		if err != nil {
			if ve := view.CheckXBound(key, v); ve != nil {
				a.hasPendingX[k] = false // invalid alone: nothing to retry
				err = ve
			} else {
				a.pendingX[k], a.hasPendingX[k] = v, true
				other := "xmax"
				if k == 1 {
					other = "xmin"
				}
				err = &core.ParamError{Param: key, Msg: err.Error() + "; " + key + " " + short(v) + " is kept and applies when " + other + " makes the pair valid"}
			}
		}
	default:
		err = s.Set(key, strconv.FormatFloat(v, 'g', -1, 64))
	}
	if err != nil {
		a.setFieldErr(key, err.Error())
		return err
	}
	if key == "xmin" || key == "xmax" {
		a.hasPendingX = [2]bool{}
		a.fieldErrs = setKeyed(setKeyed(a.fieldErrs, "xmin", ""), "xmax", "")
		a.host.FieldError("xmin", "")
		a.host.FieldError("xmax", "")
		a.dropURLProblem("xmin")
		a.dropURLProblem("xmax")
	}
	a.S = s
	a.dropURLProblem(key)
	a.setFieldNote(key, "")
	a.syncControls(source)
	bits := dCurves | dMsgs | dURL
	if key == "t" && !surfaceIgnoresT(s.F) {
		// A surface marked IgnoresT (and its point) is the same for every target: dragging t
		// recomputes only the curve.
		bits |= dSurface | dPoint
	}
	a.change(bits)
	return nil
}

// surfaceIgnoresT reports whether f's surface does not depend on the target t.
func surfaceIgnoresT(f *core.Func) bool {
	return f != nil && f.Surface != nil && f.Surface.IgnoresT
}

func xIndex(key string) int {
	switch key {
	case "xmin":
		return 0
	case "xmax":
		return 1
	}
	return -1
}

// SetInput sets element idx of a vector activation's input (the URL's x); idx == -1 with
// "add" or "remove" grows or shrinks it.
func (a *App) SetInput(idx int, text string) error {
	in := append([]float64(nil), a.S.In...)
	key := "x"
	switch {
	case idx < 0 && text == "add":
		if len(in) >= view.MaxInputLen {
			return a.inputErr(&core.ParamError{Param: "x", Msg: "the input has at most " + strconv.Itoa(view.MaxInputLen) + " elements"})
		}
		in = append(in, 0)
	case idx < 0 && text == "remove":
		if len(in) <= 1 {
			return a.inputErr(&core.ParamError{Param: "x", Msg: "the input needs at least one element"})
		}
		in = in[:len(in)-1]
	case idx >= 0 && idx < len(in):
		key = "x." + strconv.Itoa(idx)
		v, err := parseNumber("x["+strconv.Itoa(idx)+"]", text)
		if err == nil {
			err = controlRange(a.S.F, key, v, -view.InputLimit, view.InputLimit)
		}
		if err != nil {
			a.setFieldErr(key, err.Error())
			return err
		}
		in[idx] = v
	default:
		return &core.ParamError{Param: "x", Msg: "the input has no element " + strconv.Itoa(idx)}
	}
	a.S.In = in
	a.dropURLProblem("x")
	a.setFieldNote(key, "")
	if idx < 0 {
		a.setFieldNote("x", "")
	}
	a.syncControls(key)
	a.change(dVector | dMsgs | dURL)
	return nil
}

// inputErr shows err next to the input editor and returns it.
func (a *App) inputErr(err error) error {
	a.setFieldErr("x", err.Error())
	return err
}

// SetInputValue sets element idx of the input to v (a drag in the vector view), clamped to
// the URL's limits.
func (a *App) SetInputValue(idx int, v float64) {
	if idx < 0 || idx >= len(a.S.In) || v != v {
		return
	}
	v = min(max(v, -view.InputLimit), view.InputLimit)
	a.S.In[idx] = v
	a.setFieldNote("x."+strconv.Itoa(idx), "") // the box now shows the dragged value
	a.syncControls("")
	a.change(dVector | dMsgs | dURL)
}

// SetPoint moves the surface point (a drag), clamped to the surface's axes.
func (a *App) SetPoint(x, y float64) {
	sf := a.S.F.Surface
	if sf == nil || x != x || y != y {
		return
	}
	if a.S.SetPoint(onAxis(x, sf.X), onAxis(y, sf.Y)) == nil {
		a.change(dPoint | dURL)
	}
}

// onAxis is a dragged coordinate clamped to the axis and rounded (roundTo), then clamped again:
// rounding an end such as π to 3.1416 must not put the point off the axis.
func onAxis(v float64, ax core.Axis) float64 {
	return min(max(roundTo(min(max(v, ax.Min), ax.Max), ax.Max-ax.Min), ax.Min), ax.Max)
}

// roundTo rounds a dragged coordinate to 4 significant digits of the axis span (2.4, not
// 2.3999999515594 in the URL): a pixel is coarser than that.
func roundTo(v, span float64) float64 {
	if !(span > 0) || !finite(v) {
		return v
	}
	dec := 4 - int(math.Floor(math.Log10(span)))
	if dec < 0 {
		dec = 0
	}
	if dec > 15 {
		return v
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'f', dec, 64), 64)
	if err != nil {
		return v
	}
	if r == 0 {
		r = 0 // no -0 in the URL
	}
	return r
}

// Frame redraws what changed since the last frame. The host calls it from
// requestAnimationFrame, so many changes in one frame cost one redraw.
func (a *App) Frame() {
	a.requested = false
	bits := a.dirty
	a.dirty = 0
	s := &a.S
	f := s.F
	if bits&dMeta != 0 {
		a.showControls()
	}
	switch f.Kind {
	case core.Activation:
		if bits&dCurves != 0 {
			a.curves.Activation(f, s.P, s.XMin, s.XMax)
			a.host.Curves(a.curves, CurveInfo{XMin: s.XMin, XMax: s.XMax, T: math.NaN()})
		}
	case core.VectorActivation:
		if bits&dVector != 0 {
			a.vecErr = ""
			if err := a.vec.Eval(f, s.P, s.In); err != nil {
				a.vecErr = "input x: " + err.Error()
				bits |= dMsgs
			} else {
				a.host.Vector(s.In, a.vec.Y, a.vec.Grad)
			}
		}
	case core.Loss:
		if bits&(dCurves|dPoint) != 0 {
			a.lossNotes = probeNotes(f, s)
		}
		if bits&dCurves != 0 {
			a.curves.LossCurve(f, s.P, s.T, s.XMin, s.XMax)
			t := s.T
			if f.Curve.TStep == 1 {
				t = math.NaN() // a class index: not a point on the x axis
			}
			a.host.Curves(a.curves, CurveInfo{XMin: s.XMin, XMax: s.XMax, T: t})
		}
		if bits&dSurface != 0 {
			a.drawSurface()
		}
		if bits&(dPoint|dSurface) != 0 {
			l, dx, dy := view.Point(f, s.P, s.T, s.PX, s.PY)
			a.host.Point(PointInfo{X: s.PX, Y: s.PY, Loss: l, DX: dx, DY: dy})
			bits |= dMsgs
		}
	}
	if bits&(dMsgs|dCurves|dVector|dSurface) != 0 {
		a.host.Messages(a.messages())
	}
	if bits&dURL != 0 {
		a.host.ReplaceURL(URLQuery(s))
	}
	a.host.Drawn(a.seq)
}

// URLQuery is the query the address bar shows for s: s.Query(), or "" for the page's default
// (the default function with its defaults), so that the bare address stays bare.
func URLQuery(s *view.State) string {
	q := s.Query()
	if q == "f="+view.DefaultID {
		return ""
	}
	return q
}

// noteClampedT shows, next to the target, that it was lowered to the class count (after the
// controls are synchronised, which may rebuild them).
func (a *App) noteClampedT(clamped bool) {
	if clamped {
		a.setFieldNote("t", "the target class is now "+short(a.S.T)+": there are "+strconv.Itoa(view.Classes(a.S.F, a.S.P))+" classes")
	}
}

// drawSurface computes and draws the surface at full resolution, or at the coarse resolution
// with the full one to follow: when the last full one was over budget (the full one is then
// drawn RefineMs after the changes stop), and for the first surface of a function, whose cost
// is not known yet (the full one follows at once, in the next frame: the page's first plot does
// not wait for a full surface computed by code the browser has not optimised yet).
func (a *App) drawSurface() {
	s := &a.S
	g := a.grid
	if (!a.fineKnown || a.fineMs > SurfaceBudgetMs) && !a.forceFine {
		g = a.coarse
		a.refineTick++
		tick := a.refineTick
		delay := RefineMs
		if !a.fineKnown {
			delay = 0
		}
		a.host.After(delay, func() {
			if tick == a.refineTick {
				a.forceFine = true
				a.change(dSurface)
			}
		})
	}
	a.forceFine = false
	t0 := a.host.Now()
	g.Surface(s.F, s.P, s.T)
	a.host.Surface(g, g.Levels(a.levels))
	if g == a.grid {
		a.fineMs, a.fineKnown = a.host.Now()-t0, true
	}
}

// messages collects what #messages shows: the URL's problems, the typed boxes' errors and
// notes, and why a plotted value is not finite.
func (a *App) messages() []Message {
	var ms []Message
	for _, p := range a.urlProblems {
		ms = append(ms, Message{"warn", "Link: " + p.Msg})
	}
	for _, e := range a.fieldErrs {
		ms = append(ms, Message{"error", e.msg + " (the previous value is still in use)"})
	}
	for _, e := range a.fieldNotes {
		ms = append(ms, Message{"info", displayKey(e.key) + ": " + e.msg})
	}
	if a.vecErr != "" {
		ms = append(ms, Message{"error", a.vecErr})
	}
	for _, n := range a.lossNotes {
		ms = append(ms, Message{"info", "Note: " + n})
	}
	f := a.S.F
	switch f.Kind {
	case core.Activation, core.Loss:
		c := a.curves
		fname, dname := "f(x)", "f′(x)"
		if f.Kind == core.Loss {
			fname, dname = "the loss", "its derivative"
		}
		if m, ok := nonFinite(fname, c.X, c.Y); ok {
			ms = append(ms, m)
		}
		if m, ok := nonFinite(dname, c.X, c.DY); ok {
			ms = append(ms, m)
		}
	case core.VectorActivation:
		if a.vecErr == "" {
			if m, ok := nonFinite("an output", a.S.In, a.vec.Y); ok {
				ms = append(ms, m)
			}
		}
	}
	if f.Kind == core.Loss {
		l, dx, dy := view.Point(f, a.S.P, a.S.T, a.S.PX, a.S.PY)
		if !finite(l) || !finite(dx) || !finite(dy) {
			ms = append(ms, Message{"warn", "At the surface point the loss is " + short(l) + " and its gradient (" + short(dx) + ", " + short(dy) + "): " + whyNonFinite(l, dx, dy)})
		}
	}
	return ms
}

func finite(v float64) bool { return v-v == 0 }

// probeNotes evaluates the loss once on one-element inputs (the differentiable inputs at the
// surface point's x, the others at the target) and returns its Notes: PyTorch's warnings for
// these parameters, such as kl_div's for reduction 'mean'. An input the probe cannot form
// (a loss that needs two dimensions) just gives no notes.
func probeNotes(f *core.Func, s *view.State) []string {
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

// nonFinite describes the points where ys is NaN or infinite, if any.
func nonFinite(what string, xs, ys []float64) (Message, bool) {
	n, first := 0, -1
	for i, y := range ys {
		if !finite(y) {
			if first < 0 {
				first = i
			}
			n++
		}
	}
	if n == 0 {
		return Message{}, false
	}
	y := ys[first]
	kind := "undefined (NaN)"
	switch {
	case math.IsInf(y, 1):
		kind = "+∞"
	case math.IsInf(y, -1):
		kind = "−∞"
	}
	where := "at x = " + short(xs[min(first, len(xs)-1)])
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
	return Message{"warn", text}, true
}

func whyNonFinite(l, dx, dy float64) string {
	if math.IsInf(l, 0) {
		return "the loss is infinite at this point for these parameters (for example the log of 0)."
	}
	return "the value is undefined here (NaN)."
}

// displayKey turns a field key ("weight.2", "x.0") into the name shown to the user.
func displayKey(key string) string {
	if i := strings.IndexByte(key, '.'); i >= 0 {
		return key[:i] + "[" + key[i+1:] + "]"
	}
	return key
}

// meta describes the current function's views.
func (a *App) meta() Meta {
	f := a.S.F
	m := Meta{F: f, Torch: TorchName(f)}
	switch f.Kind {
	case core.Activation:
		// f(x) and f′(x) on the axes: "Sine (SIREN)′(x)" or "Linear (c·x)(x)" read badly;
		// the name is in the captions.
		m.XLabel, m.XName = "x", "x"
		m.FLabel, m.DFLabel = "f(x)", "f′(x)"
		m.FCaption = f.Name + ": f(x)"
		m.DFCaption = "Its derivative f′(x), with a finite-difference check"
	case core.VectorActivation:
		m.XLabel, m.XName = "index", "i"
	case core.Loss:
		c := f.Curve
		m.XLabel, m.XName = c.X.Label, "x"
		m.FLabel, m.DFLabel = "loss", "∂loss/∂x"
		m.FCaption = "Loss against " + c.X.Label
		m.DFCaption = "Derivative of the loss, with a finite-difference check"
		if f.Surface != nil {
			m.SurfaceCaption = "Loss surface over " + f.Surface.X.Label + " and " + f.Surface.Y.Label
		}
	}
	return m
}

// boxNum formats v for a typed box: the shortest text that reads back as v, with the exponent
// as people type it (-1e6 and 1e-9, not -1e+06 and 1e-09).
func boxNum(v float64) string {
	s := strconv.FormatFloat(v, 'g', -1, 64)
	i := strings.IndexByte(s, 'e')
	if i < 0 {
		return s
	}
	mant, exp := s[:i], s[i+1:]
	sign := ""
	if exp[0] == '-' {
		sign = "-"
	}
	exp = strings.TrimLeft(exp[1:], "0")
	return mant + "e" + sign + exp
}

// short formats v for a message: up to 6 significant digits.
func short(v float64) string {
	switch {
	case v != v:
		return "NaN"
	case math.IsInf(v, 1):
		return "+∞"
	case math.IsInf(v, -1):
		return "−∞"
	case v == 0:
		return "0"
	}
	s := strconv.FormatFloat(v, 'g', 6, 64)
	if i := strings.Index(s, "e+"); i >= 0 {
		s = s[:i+1] + s[i+2:]
	}
	return s
}

// parseNumber reads a typed number: core.ParseNumber (Python's float(), a pasted minus sign;
// NaN and the infinities rejected, underflow read as 0).
func parseNumber(name, text string) (float64, error) { return core.ParseNumber(name, text) }

func clip(s string) string {
	if len(s) > view.MaxShownLen {
		return s[:view.MaxShownLen] + "…"
	}
	return s
}

func unknownKey(f *core.Func, key string) string {
	return "unknown parameter " + strconv.Quote(clip(key)) + " for " + f.ID + " (it takes " + strings.Join(view.Keys(f), ", ") + ")"
}

// isFieldErr reports whether key currently holds invalid text (rather than a note).
func (a *App) isFieldErr(key string) bool {
	for _, e := range a.fieldErrs {
		if e.key == key {
			return true
		}
	}
	return false
}
