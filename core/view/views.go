package view

import (
	"math"
	"sync"

	"github.com/nnplay/nnplay/core"
)

// View describes one view of the page, as core.Func describes a function: its URL keys, the
// functions it applies to, its compute step and the name of its JavaScript renderer. A view
// is one Go file that calls RegisterView from an init function, one renderer in web/src and
// their tests (docs/architecture.md); nothing else names it.
//
// The page iterates Views(f) for the function shown: the URL codec, the controls, the typed
// setters and nnplay.view() come from the views' Keys, and the host draws each view with one
// call per frame from what its Instance put in an Out.
type View struct {
	ID       string // "curves", "vector", "surface"
	Renderer string // the JavaScript renderer's name in web/src/views.js
	Title    string // what the view shows, in words (for docs and the API)
	// Applies reports whether the view is shown for f.
	Applies func(f *core.Func) bool
	// Keys are the view's URL keys in URL order.
	Keys []*Key
	// New returns the view's per-page instance: its reused buffers and its compute step.
	New func(env Env) Instance
	// Order places the view among the others (smaller first): the URL's key order and the
	// order of the controls.
	Order int
	// Lab is the ID of the lab page the view belongs to ("" for the function page): a view is
	// shown only on its own page (see Lab).
	Lab string
}

// Lab is a page of its own, at ?lab=<ID>: the depth lab, the fit lab. It shows the views whose
// View.Lab is its ID (the function page shows those with ""), for the functions it applies to.
// Its views' code lives in a package of its own that a second browser program imports, so the
// function page's wasm does not carry it (docs/architecture.md).
type Lab struct {
	ID    string // the URL value: "depth"
	Title string // the page's title: "The depth lab"
	Doc   string // one line under the title: what the lab shows
	// Applies reports whether the lab works with f: the picker offers these functions only.
	Applies func(f *core.Func) bool
	// Default is the id of the function the lab shows when the URL names none (or one that
	// does not apply).
	Default string
	// Presets are the lab's one-click settings, each a name and a query (without lab=).
	Presets []Preset
	// Code, if set, is the "As PyTorch" snippet of a state of the lab, one line per element,
	// given the function's own snippet fn (nil: the function's snippet alone).
	Code func(s *State, fn []string) []string
	// Calls are the lab's functions in window.nnplay (nnplay.depth(config)): each takes the
	// JavaScript argument as plain Go values (float64, string, bool, nil, []any, map[string]any)
	// and returns such a value or an error with the message the page would show.
	Calls []Call
}

// Call is one function of a lab's JavaScript API.
type Call struct {
	Name string
	Run  func(arg any) (any, error)
}

// Preset is one of a lab's one-click settings: its name, a sentence on what it shows, and
// its query.
type Preset struct{ ID, Name, Doc, Query string }

var labs []*Lab

// RegisterLab adds a lab page. It panics on a malformed or duplicate lab.
func RegisterLab(l *Lab) {
	if l.ID == "" || l.Applies == nil || l.Default == "" {
		panic("view.RegisterLab: ID, Applies and Default are required")
	}
	for _, o := range labs {
		if o.ID == l.ID {
			panic("view.RegisterLab: duplicate lab " + l.ID)
		}
	}
	labs = append(labs, l)
}

// Labs returns the registered labs in registration order.
func Labs() []*Lab { return labs }

// LabByID returns the lab with the given ID, or nil.
func LabByID(id string) *Lab {
	for _, l := range labs {
		if l.ID == id {
			return l
		}
	}
	return nil
}

// labID is the ID of lab, "" for the function page (nil).
func labID(l *Lab) string {
	if l == nil {
		return ""
	}
	return l.ID
}

// AppliesIn reports whether f can be shown on lab's page (the function page: every function).
func AppliesIn(lab *Lab, f *core.Func) bool { return lab == nil || lab.Applies(f) }

// Instance is a view's per-page state: preallocated buffers and the compute step.
type Instance interface {
	// Configure writes into out what the renderer needs when the function (or the shape of
	// the view) changes: labels, axes, captions. It is called before the first Update of a
	// function.
	Configure(s *State, out *Out)
	// Update recomputes what ch says changed and writes into out what the renderer draws. It
	// returns false when there is nothing new to draw. The per-frame path must not allocate
	// once its buffers have grown.
	Update(s *State, ch Changes, out *Out) bool
	// Messages adds what the view has to say about the state (a non-finite value on the plot,
	// a note on the loss at the point), in words.
	Messages(s *State, add func(level, text string))
}

// DrawnNotifier is an Instance that wants to know when the renderer has drawn what its last
// Update handed over (the surface measures its compute and drawing time).
type DrawnNotifier interface{ Drawn() }

// Env is what an Instance may ask of the page: the clock, a timer and a redraw of itself
// (the surface draws coarse while it changes and in full once the changes stop).
type Env interface {
	Now() float64
	After(ms int, fn func())
	// Invalidate asks for an Update of this view in the next frame with ch set.
	Invalidate(ch Changes)
}

// Changes is a set of what changed since a view's last Update: ChFunc, ChParams, ChRefine, and
// one bit per registered key (Key.Bit).
type Changes uint64

const (
	ChFunc   Changes = 1 << iota // the function changed (and so everything)
	ChParams                     // a parameter of the function changed
	ChRefine                     // a view asked for its own redraw (Env.Invalidate)
	chFirstKey
)

// ChAll is every change but ChRefine (which only a view's own Invalidate sets).
const ChAll = ^ChRefine

// Any reports whether any of bits is in c.
func (c Changes) Any(bits Changes) bool { return c&bits != 0 }

// Keys returns the bits of the keys.
func KeyBits(keys ...*Key) Changes {
	var c Changes
	for _, k := range keys {
		c |= k.bit
	}
	return c
}

var (
	views   []*View
	allKeys []*Key
)

// RegisterView adds v to the registry. It panics on a malformed or duplicate description or
// a key that another view declares differently, so that a mistake shows at start-up and in
// every test. Two views may share a key (the same *Key value): the x range belongs to the
// curves and to the surface that follows it.
func RegisterView(v *View) {
	if v.ID == "" || v.Renderer == "" || v.Applies == nil || v.New == nil {
		panic("view.RegisterView: ID, Renderer, Applies and New are required")
	}
	for _, w := range views {
		if w.ID == v.ID {
			panic("view.RegisterView: duplicate view " + v.ID)
		}
	}
	for _, k := range v.Keys {
		if k.Name == "" || k.Name == "f" {
			panic("view.RegisterView: " + v.ID + ": bad key name " + quote(k.Name))
		}
		known := false
		for _, o := range allKeys {
			if o == k {
				known = true
				break
			}
			if o.Name == k.Name {
				panic("view.RegisterView: " + v.ID + ": key " + k.Name + " is declared twice")
			}
		}
		if !known {
			if len(allKeys) >= 60 {
				panic("view.RegisterView: too many keys")
			}
			k.bit = chFirstKey << len(allKeys)
			allKeys = append(allKeys, k)
		}
	}
	keysMu.Lock()
	clear(keysCache)
	keysMu.Unlock()
	// insertion by Order, stable
	i := len(views)
	for i > 0 && views[i-1].Order > v.Order {
		i--
	}
	views = append(views, nil)
	copy(views[i+1:], views[i:])
	views[i] = v
}

// AllViews returns every registered view in order.
func AllViews() []*View { return views }

// ViewsFor returns the views the function page shows for f, in order.
func ViewsFor(f *core.Func) []*View { return LabViews(nil, f) }

// LabViews returns the views lab's page shows for f (nil: the function page), in order.
func LabViews(lab *Lab, f *core.Func) []*View {
	out := make([]*View, 0, 4)
	for _, v := range views {
		if v.Lab == labID(lab) && v.Applies(f) {
			out = append(out, v)
		}
	}
	return out
}

type pageFunc struct {
	lab *Lab
	f   *core.Func
}

var (
	keysMu    sync.Mutex
	keysCache = map[pageFunc][]*Key{}
)

// ViewKeys returns the view keys of the function page that apply to f, in URL order (each
// once). The slice is shared (computed once per function): do not modify it.
func ViewKeys(f *core.Func) []*Key { return LabKeys(nil, f) }

// ViewKeys returns the view keys of the page s shows (its lab, its function).
func (s *State) ViewKeys() []*Key { return LabKeys(s.Lab, s.F) }

// Views returns the views of the page s shows.
func (s *State) Views() []*View { return LabViews(s.Lab, s.F) }

// LabKeys returns the view keys of lab's page that apply to f (nil lab: the function page).
func LabKeys(lab *Lab, f *core.Func) []*Key {
	keysMu.Lock()
	defer keysMu.Unlock()
	pf := pageFunc{lab, f}
	if ks, ok := keysCache[pf]; ok {
		return ks
	}
	ks := viewKeys(lab, f)
	keysCache[pf] = ks
	return ks
}

func viewKeys(lab *Lab, f *core.Func) []*Key {
	var out []*Key
	for _, v := range views {
		if v.Lab != labID(lab) || !v.Applies(f) {
			continue
		}
	next:
		for _, k := range v.Keys {
			if k.Applies != nil && !k.Applies(f) {
				continue
			}
			for _, o := range out {
				if o == k {
					continue next
				}
			}
			out = append(out, k)
		}
	}
	return out
}

// KeyFor returns the function page's view key name that applies to f, or nil.
func KeyFor(f *core.Func, name string) *Key { return labKeyFor(nil, f, name) }

// KeyFor returns the view key name of the page s shows, or nil.
func (s *State) KeyFor(name string) *Key { return labKeyFor(s.Lab, s.F, name) }

func labKeyFor(lab *Lab, f *core.Func, name string) *Key {
	for _, v := range views {
		if v.Lab != labID(lab) || !v.Applies(f) {
			continue
		}
		for _, k := range v.Keys {
			if k.Name == name && (k.Applies == nil || k.Applies(f)) {
				return k
			}
		}
	}
	return nil
}

// Out is what a view's Configure or Update hands to its renderer: named float64 buffers
// (copied to JavaScript in bulk into reused typed arrays), byte buffers (the heatmap's RGBA),
// numbers, texts and, for the rare structured value, any (a list of contour levels). Reset
// keeps the capacity, so a frame that writes the same names allocates nothing.
type Out struct {
	F64  []NamedF64
	U8   []NamedU8
	Nums []NamedNum
	Strs []NamedStr
	Vals []NamedAny
}

type (
	NamedF64 struct {
		Name string
		Data []float64
	}
	NamedU8 struct {
		Name string
		Data []byte
	}
	NamedNum struct {
		Name string
		V    float64
	}
	NamedStr struct {
		Name, V string
	}
	NamedAny struct {
		Name string
		V    any
	}
)

// Reset empties o, keeping its capacity.
func (o *Out) Reset() {
	o.F64, o.U8, o.Nums, o.Strs, o.Vals = o.F64[:0], o.U8[:0], o.Nums[:0], o.Strs[:0], o.Vals[:0]
}

// Floats adds a float64 buffer (not copied: the host copies it to JavaScript at once).
func (o *Out) Floats(name string, data []float64) { o.F64 = append(o.F64, NamedF64{name, data}) }

// Bytes adds a byte buffer.
func (o *Out) Bytes(name string, data []byte) { o.U8 = append(o.U8, NamedU8{name, data}) }

// Num adds a number.
func (o *Out) Num(name string, v float64) { o.Nums = append(o.Nums, NamedNum{name, v}) }

// Bool adds a boolean as the number 0 or 1.
func (o *Out) Bool(name string, v bool) {
	x := 0.0
	if v {
		x = 1
	}
	o.Num(name, x)
}

// Str adds a text.
func (o *Out) Str(name, v string) { o.Strs = append(o.Strs, NamedStr{name, v}) }

// Val adds a structured value made of float64, string, bool, nil, []any and map[string]any.
func (o *Out) Val(name string, v any) { o.Vals = append(o.Vals, NamedAny{name, v}) }

// NumOf returns the number name in o (NaN if absent): for tests.
func (o *Out) NumOf(name string) float64 {
	for _, n := range o.Nums {
		if n.Name == name {
			return n.V
		}
	}
	return math.NaN()
}

// FloatsOf returns the buffer name in o (nil if absent): for tests.
func (o *Out) FloatsOf(name string) []float64 {
	for _, n := range o.F64 {
		if n.Name == name {
			return n.Data
		}
	}
	return nil
}

// StrOf returns the text name in o ("" if absent): for tests.
func (o *Out) StrOf(name string) string {
	for _, n := range o.Strs {
		if n.Name == name {
			return n.V
		}
	}
	return ""
}

// ValOf returns the value name in o (nil if absent): for tests.
func (o *Out) ValOf(name string) any {
	for _, n := range o.Vals {
		if n.Name == name {
			return n.V
		}
	}
	return nil
}

// Diff returns what differs between a and b: ChFunc when the function does, else ChParams
// when a parameter does, and the bit of every view key whose value differs (bit for bit).
func Diff(a, b *State) Changes {
	if a.F != b.F || a.Lab != b.Lab {
		return ChAll
	}
	var c Changes
	if !sameParams(a.F, a.P, b.P) {
		c |= ChParams
	}
	for _, k := range a.ViewKeys() {
		switch k.Type {
		case List:
			if !sameVec(*k.list(a), *k.list(b)) {
				c |= k.bit
			}
		case SeriesList:
			if !sameSeries(*k.series(a), *k.series(b)) {
				c |= k.bit
			}
		case Text:
			if k.TextValue(a) != k.TextValue(b) {
				c |= k.bit
			}
		default:
			if math.Float64bits(*k.num(a)) != math.Float64bits(*k.num(b)) {
				c |= k.bit
			}
		}
	}
	return c
}

func sameParams(f *core.Func, p, q core.Params) bool {
	if len(p.Num) != len(q.Num) || len(p.Vec) != len(q.Vec) {
		return false
	}
	for i := range p.Num {
		if math.Float64bits(p.Num[i]) != math.Float64bits(q.Num[i]) {
			return false
		}
	}
	for i := range p.Vec {
		if (p.Vec[i] == nil) != (q.Vec[i] == nil) || !sameVec(p.Vec[i], q.Vec[i]) {
			return false
		}
	}
	return true
}

func sameSeries(a, b []Series) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].F != b[i].F || !sameParams(a[i].F, a[i].P, b[i].P) {
			return false
		}
	}
	return true
}
