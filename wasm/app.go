// Command wasm is nnplay's browser program (GOOS=js GOARCH=wasm). It holds the page's state
// (view.State), builds the controls from the registries (core's functions, core/view's views
// and their keys) with dom/v2, has each view fill its preallocated buffers once per animation
// frame and hands them to the JavaScript glue in bulk (web/src), which draws them. It also
// backs window.nnplay.
//
// The program is split so that its logic builds and tests natively: App (this file: the state,
// the frame, the messages), the edits of the controls (edit.go), the comparison's series
// (series.go), the window.nnplay operations (api.go) and the snippets (snippet.go) know the
// JavaScript world only through the Host interface. The files ending in _js.go implement Host
// with syscall/js and dom/v2 and hold main. No fmt, encoding/json or net/* here: they would add
// about 100 KB (brotli) to the wasm. No file here names a view or a view key: they come from
// core/view's registry (docs/architecture.md).
package main

import (
	"strconv"
	"strings"

	"github.com/nnplay/nnplay/core"
	"github.com/nnplay/nnplay/core/view"
)

// Host is the JavaScript world as App sees it. The browser implementation is in host_js.go;
// tests use a recorder.
type Host interface {
	// Show is called when the function changes: the host rebuilds the controls for s (the
	// parameters of s.F and the keys of its views) and shows the views m lists.
	Show(m Meta, s *view.State)
	// Sync writes the state into the controls that ch says may have changed, except the typed
	// box named skip (the one the user is typing in), so that nothing typed is lost.
	Sync(s *view.State, skip string, ch view.Changes)
	// FieldError shows msg next to the control of key ("" clears it).
	FieldError(key, msg string)
	// Configure hands a view's set-up (labels, axes) to its renderer.
	Configure(v *view.View, out *view.Out)
	// Draw hands what a view computed this frame to its renderer: one call per view and frame.
	Draw(v *view.View, out *view.Out)
	// Messages replaces the messages shown in #messages.
	Messages(ms []Message)
	// ReplaceURL sets the page's query (debounced by the host); with push, a new history entry
	// (a new function: Back returns to the previous one).
	ReplaceURL(query string, push bool)
	// RequestFrame asks for one call of App.Frame at the next animation frame.
	RequestFrame()
	// Drawn reports that every change up to seq is on screen.
	Drawn(seq int)
	// Now returns a monotonic time in milliseconds.
	Now() float64
	// After calls fn once, ms milliseconds from now.
	After(ms int, fn func())
}

// Meta describes the page for the function shown: its header and its views.
type Meta struct {
	Lab   *view.Lab // the lab page shown; nil for the function page
	F     *core.Func
	Torch string // "nn.ELU · F.elu"
	Views []*view.View
}

// Message is one line in #messages.
type Message struct {
	Level string // "error", "warn" or "info"
	Text  string
}

// inst is a view shown on the page: its instance and what changed since its last Update.
type inst struct {
	v   *view.View
	i   view.Instance
	ch  view.Changes
	out view.Out
}

// App is the page's state and its redraw logic.
type App struct {
	S    view.State
	host Host

	insts []*inst // the views of S.F, in order
	pool  map[string]*inst

	funcChanged bool // the next frame calls Show and each view's Configure
	msgsDirty   bool
	urlDirty    bool
	pushURL     bool // the next URL write is a new history entry
	seq         int  // number of the latest change
	requested   bool

	shape  string       // controlShape of the state the controls were last built for
	syncCh view.Changes // what changed since the controls were last synchronised

	urlProblems []view.Problem
	pending     []pendingBound // a typed bound that is valid alone but not with its pair
	fieldErrs   []fieldErr     // invalid text in a typed box, by key
	fieldNotes  []fieldErr     // accepted values outside the slider range
}

type fieldErr struct{ key, msg string }

type pendingBound struct {
	key string
	v   float64
}

// NewApp returns an App showing the state of the query string rawQuery (problems in it are
// shown as messages). Nothing is drawn until Start.
func NewApp(host Host, rawQuery string) *App {
	s, probs := view.Parse(rawQuery)
	return &App{S: s, host: host, urlProblems: probs, pool: map[string]*inst{}}
}

// Start shows the initial state (the first frame is requested, not drawn synchronously).
// When the link had problems, the address bar is replaced with the canonical query of what
// is shown (the messages still quote what was rejected).
func (a *App) Start() {
	a.funcChanged = true
	a.urlDirty = len(a.urlProblems) > 0
	a.change(view.ChAll)
}

// envOf is the view.Env of one view instance.
type envOf struct {
	a  *App
	in *inst
}

func (e envOf) Now() float64            { return e.a.host.Now() }
func (e envOf) After(ms int, fn func()) { e.a.host.After(ms, fn) }
func (e envOf) Invalidate(ch view.Changes) {
	e.in.ch |= ch
	e.a.request()
}

// change marks what must be redrawn in every view, the messages and (unless the change is the
// function's first frame) the URL, and requests a frame. It returns the change's number.
func (a *App) change(ch view.Changes) int {
	for _, in := range a.insts {
		in.ch |= ch
	}
	a.msgsDirty = true
	a.seq++
	a.request()
	return a.seq
}

func (a *App) request() {
	if !a.requested {
		a.requested = true
		a.host.RequestFrame()
	}
}

// Seq returns the number of the latest change.
func (a *App) Seq() int { return a.seq }

// commit makes s the state: what differs from the current one is redrawn and written to the
// URL. It returns the change's number.
func (a *App) commit(s view.State) int {
	ch := view.Diff(&a.S, &s)
	a.syncCh |= ch
	if s.F != a.S.F || s.Lab != a.S.Lab {
		a.funcChanged = true
	}
	a.S = s
	a.urlDirty = true
	return a.change(ch)
}

// SetFunc switches to the function id as the picker does: what still makes sense is kept (the
// x range, the target, the point, parameters of the same name: view.State.SwitchFunc), and the
// address bar gets a new history entry, so that Back returns to the previous function.
func (a *App) SetFunc(id string) error {
	f, ok := core.Lookup(id)
	if !ok {
		return &core.ParamError{Param: "f", Msg: "unknown function " + strconv.Quote(id)}
	}
	if f == a.S.F {
		return nil
	}
	s := a.S.Clone()
	s.SwitchFunc(f)
	a.clearFieldState()
	a.urlProblems = nil
	a.pushURL = true
	a.commit(s)
	return nil
}

// LoadQuery shows the state of a query, as a link does (the browser's Back and Forward: the
// URL is not written again).
func (a *App) LoadQuery(rawQuery string) {
	s, probs := view.Parse(rawQuery)
	a.clearFieldState()
	a.urlProblems = probs
	if s.F != a.S.F || s.Lab != a.S.Lab {
		a.funcChanged = true
	}
	a.S = s
	a.syncCh = view.ChAll
	a.syncControls("")
	a.change(view.ChAll)
}

// Reset sets every parameter and the view to the defaults of the current function.
// Every control is then synchronised with the state (rebuilt when an editor's length differs).
func (a *App) Reset() int {
	s := view.DefaultLab(a.S.Lab, a.S.F)
	a.clearFieldState()
	a.urlProblems = nil
	seq := a.commit(s)
	a.syncCh = view.ChAll
	a.syncControls("")
	return seq
}

func (a *App) clearFieldState() {
	for _, e := range a.fieldErrs {
		a.host.FieldError(e.key, "")
	}
	for _, e := range a.fieldNotes {
		a.host.FieldError(e.key, "")
	}
	a.fieldErrs, a.fieldNotes, a.pending = nil, nil, nil
}

// controlShape describes the structure of the controls that show s: the function, the length
// of each vector editor (None for a nil weight), each list key's length and the comparison's
// series. Controls built for one shape cannot show a state of another (a fifth box for a
// four-element input).
func controlShape(s *view.State) string {
	var b strings.Builder
	if s.Lab != nil {
		b.WriteString(s.Lab.ID + ":")
	}
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
	for _, k := range s.ViewKeys() {
		switch k.Type {
		case view.List:
			v, _ := s.Get(k.Name)
			b.WriteString("|" + k.Name + strconv.Itoa(len(v.([]any))))
		case view.Text:
			if k.Control == view.Pinned {
				b.WriteString("|" + k.Name + "=" + k.TextValue(s))
			}
		case view.SeriesList:
			for _, sr := range s.Cmp {
				b.WriteString("|" + sr.F.ID)
				for i := range sr.F.Params {
					if sr.F.Params[i].Type == core.Vector && sr.P.Vec[i] != nil {
						b.WriteString("," + strconv.Itoa(len(sr.P.Vec[i])))
					}
				}
			}
		}
	}
	return b.String()
}

// syncControls writes the state into the controls, except the typed box skip. When the state
// needs other controls than those built (an editor's length changed, or the function), they
// are rebuilt from the state; every typed box then shows the state, so the messages about
// typed text are cleared with it.
func (a *App) syncControls(skip string) {
	if a.funcChanged {
		return // the next frame rebuilds everything
	}
	if sh := controlShape(&a.S); sh != a.shape {
		a.clearFieldState()
		a.showControls()
		a.msgsDirty = true
		return
	}
	ch := a.syncCh
	a.syncCh = 0
	a.host.Sync(&a.S, skip, ch)
}

// showControls has the host rebuild the controls and the page's views for the state.
func (a *App) showControls() {
	a.shape = controlShape(&a.S)
	a.syncCh = 0 // the host writes the whole state into the new controls
	a.host.Show(Meta{Lab: a.S.Lab, F: a.S.F, Torch: TorchName(a.S.F), Views: a.S.Views()}, &a.S)
}

// Frame redraws what changed since the last frame. The host calls it from
// requestAnimationFrame, so many changes in one frame cost one redraw.
func (a *App) Frame() {
	a.requested = false
	s := &a.S
	if a.funcChanged {
		a.funcChanged = false
		a.setUpViews()
		a.showControls()
		for _, in := range a.insts {
			in.out.Reset()
			in.i.Configure(s, &in.out)
			a.host.Configure(in.v, &in.out)
			in.ch = view.ChAll
		}
	}
	for _, in := range a.insts {
		if in.ch == 0 {
			continue
		}
		ch := in.ch
		in.ch = 0
		in.out.Reset()
		if in.i.Update(s, ch, &in.out) {
			a.host.Draw(in.v, &in.out)
			if d, ok := in.i.(view.DrawnNotifier); ok {
				d.Drawn()
			}
		}
	}
	if a.msgsDirty {
		a.msgsDirty = false
		a.host.Messages(a.messages())
	}
	if a.urlDirty {
		a.urlDirty = false
		a.host.ReplaceURL(URLQuery(s), a.pushURL)
		a.pushURL = false
	}
	a.host.Drawn(a.seq)
}

// setUpViews makes the instances of the views of S.F, reusing a view's instance (and its
// buffers) across functions.
func (a *App) setUpViews() {
	a.insts = a.insts[:0]
	for _, v := range a.S.Views() {
		in := a.pool[v.ID]
		if in == nil {
			in = &inst{v: v}
			in.i = v.New(envOf{a, in})
			a.pool[v.ID] = in
		}
		a.insts = append(a.insts, in)
	}
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

// messages collects what #messages shows: the URL's problems, the typed boxes' errors and
// notes, and what each view has to say.
func (a *App) messages() []Message {
	var ms []Message
	for _, p := range a.urlProblems {
		ms = append(ms, Message{"warn", "Link: " + p.Msg})
	}
	for _, e := range a.fieldErrs {
		ms = append(ms, Message{"error", e.msg + " (the previous value is still in use)"})
	}
	for _, e := range a.fieldNotes {
		ms = append(ms, Message{"info", core.DisplayKey(e.key) + ": " + e.msg})
	}
	for _, in := range a.insts {
		in.i.Messages(&a.S, func(level, text string) { ms = append(ms, Message{level, text}) })
	}
	return ms
}

func finite(v float64) bool { return v-v == 0 }
