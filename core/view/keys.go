package view

import (
	"math"
	"strconv"
	"strings"

	"github.com/nnplay/nnplay/core"
)

// KeyType is the type of a view key's value.
type KeyType uint8

const (
	// Number is a float64 (xmin, t, px, the y range).
	Number KeyType = iota
	// Integer is a float64 holding an integer (the Jacobian row k).
	Integer
	// List is a []float64, comma-separated in the URL (a vector activation's input x).
	List
	// Choice is one of Key.Choices: the string in the URL and the API, its index in the state.
	Choice
	// SeriesList is the comparison's series (see Series): "tanh;softplus,beta:2" in the URL.
	SeriesList
	// Text is a string that the key's view reads (Check validates it): a pinned configuration
	// of a lab, held as the query of its differences ("f=selu&init=lecun_normal"). Empty by
	// default; at most MaxValueLen bytes.
	Text
)

// Control says how the page shows a key. The host implements each control once; no control
// knows which view or key it shows.
type Control uint8

const (
	// NoControl: the key is set by the view itself (the surface point, dragged) or only through
	// the URL and the API.
	NoControl Control = iota
	// SliderBox is a range input over Key.Range with a typed box.
	SliderBox
	// Box is a typed box alone (the x range; a fixed y range).
	Box
	// Select offers Key.Choices.
	Select
	// ListEditor is one typed box per element, with buttons to add and remove one.
	ListEditor
	// SeriesEditor lists the comparison's series: "pin this curve", and per series its function,
	// its parameters and a remove button.
	SeriesEditor
	// Pinned is a Text key's control: a button (the key's Label, "Pin this configuration")
	// that sets the key to Key.Pin of the state; once set, Key.Describe's words with a Swap
	// button (Key.Swap) and a Remove button.
	Pinned
)

// Key is one URL key of a view, described once: its name, type and checks, how it reads and
// writes the state, and the control that shows it. The URL codec (Parse, Query), the typed
// setters (SetNumber, SetList, SetChoice, SetSeries) used by the controls and the API,
// nnplay.view() and the page's controls all iterate the keys of the views that apply; none of
// them names a key.
type Key struct {
	Name  string // the URL key and the API's property name: "xmin", "t", "cmp"
	Label string // the control's label ("" means Name)
	Doc   string // one line shown next to the control
	Type  KeyType
	// Control is how the page shows the key; Group gathers keys shown as one field (the x
	// range's xmin and xmax; the y range of a plot), in the order of the view's Keys.
	Control Control
	Group   string
	// Pair names the other bound of a range (xmin's is xmax): a typed bound that is valid alone
	// but not with the other is kept pending by the page until the other makes the pair valid.
	Pair    string
	Choices []string // Choice
	Step    float64  // SliderBox: the step (0: any)
	// MinLen and MaxLen bound a List's length; Range bounds each element.
	MinLen, MaxLen int
	// LabelFor, StepFor and IntFor, when set, give the label, the slider's step and whether a
	// Number is an integer for f (a loss's target is a class index for cross_entropy).
	LabelFor func(f *core.Func) string
	StepFor  func(f *core.Func) float64
	IntFor   func(f *core.Func) bool
	// Max, when set, is the slider's current upper end for s, below Range's (a class-index
	// target ends at the last class).
	Max func(s *State) float64

	// Shown, when set, reports whether the key's control is shown for s: a key that only
	// matters for some values of another (the gain of an initialisation that has one) is
	// hidden otherwise; its value stays in the state and the URL.
	Shown func(s *State) bool

	// Applies narrows the key to some functions of its view (nil: every one): t applies only to
	// a loss with a curve. A key that does not apply is unknown in the URL and the API.
	Applies func(f *core.Func) bool
	// Range is the closed range [lo, hi] a value (or each element of a List) must lie in for s:
	// what the control allows, and so what a link may hold. nil means [-ViewLimit, ViewLimit].
	Range func(s *State) (lo, hi float64)
	// Default is the value of a Number, Integer or Choice key (the choice's index) in the
	// default state of s.F; DefaultList that of a List key. The SeriesList default is empty.
	Default     func(f *core.Func) float64
	DefaultList func(f *core.Func) []float64
	// Num, ListOf and SeriesOf give the key's storage in s (by type). nil means the state's
	// generic storage (State.Slot), for keys declared outside this package.
	Num      func(s *State) *float64
	ListOf   func(s *State) *[]float64
	SeriesOf func(s *State) *[]Series
	// Pin, Swap and Describe serve a Pinned Text key: Pin returns the value that pins what s
	// shows; Swap returns the state with the pinned configuration shown and the shown one
	// pinned; Describe says in a few words what is pinned ("SELU, lecun_normal").
	Pin      func(s *State) string
	Swap     func(s *State) (State, error)
	Describe func(s *State) string
	// Check, if set, checks the key's value in the context of the whole state once the
	// per-value checks have passed (the x range as a pair; a class-index target against the
	// class count). A failing Check leaves the state unchanged.
	Check func(s *State) error
	// Scope names the quantity the key's value means for f: on a switch of function the value
	// is kept when the two functions' scopes are equal and it passes the new checks (the x
	// range of one activation suits another; a loss's target suits a loss whose target is the
	// same quantity). nil means "never kept".
	Scope func(f *core.Func) string

	bit Changes // set by RegisterView
}

// label returns Label or Name.
func (k *Key) label() string {
	if k.Label != "" {
		return k.Label
	}
	return k.Name
}

// LabelText is the control's label for f.
func (k *Key) LabelText(f *core.Func) string {
	if k.LabelFor != nil {
		return k.LabelFor(f)
	}
	return k.label()
}

// StepOf is the slider's step for f (0: any).
func (k *Key) StepOf(f *core.Func) float64 {
	if k.StepFor != nil {
		return k.StepFor(f)
	}
	if k.Type == Integer && k.Step <= 0 {
		return 1
	}
	return k.Step
}

// IsInt reports whether a Number key takes integers for f.
func (k *Key) IsInt(f *core.Func) bool {
	return k.Type == Integer || (k.IntFor != nil && k.IntFor(f))
}

// SliderMax is the slider's upper end for s.
func (k *Key) SliderMax(s *State) float64 {
	if k.Max != nil {
		return k.Max(s)
	}
	_, hi := k.RangeOf(s)
	return hi
}

// IsShown reports whether the key's control is shown for s (see Shown).
func (k *Key) IsShown(s *State) bool { return k.Shown == nil || k.Shown(s) }

// Bit returns the key's bit in a Changes mask.
func (k *Key) Bit() Changes { return k.bit }

// RangeOf returns the key's range for s.
func (k *Key) RangeOf(s *State) (lo, hi float64) {
	if k.Range == nil {
		return -ViewLimit, ViewLimit
	}
	return k.Range(s)
}

// num returns the storage of a Number, Integer or Choice key in s.
func (k *Key) num(s *State) *float64 {
	if k.Num != nil {
		return k.Num(s)
	}
	return s.Slot(k.Name)
}

func (k *Key) list(s *State) *[]float64 {
	if k.ListOf != nil {
		return k.ListOf(s)
	}
	return s.slotList(k.Name)
}

func (k *Key) text(s *State) *string {
	if s.texts == nil {
		s.texts = map[string]*string{}
	}
	p, ok := s.texts[k.Name]
	if !ok {
		p = new(string)
		s.texts[k.Name] = p
	}
	return p
}

// TextValue returns the value of a Text key in s ("" when unset).
func (k *Key) TextValue(s *State) string {
	if s.texts == nil || s.texts[k.Name] == nil {
		return ""
	}
	return *s.texts[k.Name]
}

func (k *Key) series(s *State) *[]Series {
	if k.SeriesOf != nil {
		return k.SeriesOf(s)
	}
	return &s.Cmp
}

// defaultNum returns the key's default for f.
func (k *Key) defaultNum(f *core.Func) float64 {
	if k.Default == nil {
		return 0
	}
	return k.Default(f)
}

func (k *Key) defaultList(f *core.Func) []float64 {
	if k.DefaultList == nil {
		return nil
	}
	return append([]float64(nil), k.DefaultList(f)...)
}

// setDefault puts the key's default for s.F into s.
func (k *Key) setDefault(s *State) {
	switch k.Type {
	case List:
		*k.list(s) = k.defaultList(s.F)
	case SeriesList:
		*k.series(s) = nil
	case Text:
		if s.texts != nil {
			delete(s.texts, k.Name)
		}
	default:
		*k.num(s) = k.defaultNum(s.F)
	}
}

// isDefault reports whether the key holds its default in s, bit for bit.
func (k *Key) isDefault(s *State) bool {
	switch k.Type {
	case List:
		return sameVec(*k.list(s), k.defaultList(s.F))
	case SeriesList:
		return len(*k.series(s)) == 0
	case Text:
		return k.TextValue(s) == ""
	}
	return math.Float64bits(*k.num(s)) == math.Float64bits(k.defaultNum(s.F))
}

// Format writes the key's value in s as the URL holds it.
func (k *Key) Format(s *State) string {
	switch k.Type {
	case List:
		return formatVector(*k.list(s))
	case SeriesList:
		return formatSeries(*k.series(s))
	case Text:
		return k.TextValue(s)
	case Choice:
		v := *k.num(s)
		if v >= 0 && int(v) < len(k.Choices) && v == math.Trunc(v) {
			return k.Choices[int(v)]
		}
	}
	return formatFloat(*k.num(s))
}

// Value returns the key's value in s as the API shows it: a number, an array of numbers, the
// choice's string, or the series as objects ({f, ...parameters}).
func (k *Key) Value(s *State) any {
	switch k.Type {
	case List:
		return floatsAny(*k.list(s))
	case SeriesList:
		ss := *k.series(s)
		out := make([]any, len(ss))
		for i := range ss {
			out[i] = ss[i].Map()
		}
		return out
	case Choice, Text:
		return k.Format(s)
	}
	return *k.num(s)
}

func floatsAny(v []float64) []any {
	out := make([]any, len(v))
	for i, x := range v {
		out[i] = x
	}
	return out
}

// checkNum checks a Number or Integer value against the key's range for s.
func (k *Key) checkNum(s *State, v float64) error {
	lo, hi := k.RangeOf(s)
	return checkReal(k.Name, v, lo, hi, k.IsInt(s.F))
}

// parse reads the key's URL text into s with the per-value checks, then Check. On error s is
// unchanged.
func (k *Key) parse(s *State, value string) error {
	switch k.Type {
	case Number, Integer:
		lo, hi := k.RangeOf(s)
		v, err := parseReal(k.Name, value, lo, hi, k.IsInt(s.F))
		if err != nil {
			return err
		}
		return s.SetNumber(k.Name, v)
	case Choice:
		return s.SetChoice(k.Name, value)
	case List:
		lo, hi := k.RangeOf(s)
		v, ok := parseVector(value, max(k.MinLen, 1), k.maxLen(), lo, hi)
		if !ok {
			return perr(k.Name, vectorMsg(k.Name, max(k.MinLen, 1), k.maxLen(), lo, hi, value))
		}
		return s.SetList(k.Name, v)
	case SeriesList:
		ss, err := parseSeries(s, value)
		if err != nil {
			return err
		}
		return s.SetSeries(k.Name, ss)
	case Text:
		return s.SetText(k.Name, value)
	}
	return perr(k.Name, k.Name+" has an unknown type")
}

func (k *Key) maxLen() int {
	if k.MaxLen <= 0 {
		return MaxInputLen
	}
	return k.MaxLen
}

// ---- the typed setters: shared by the URL parser, the controls and the API ----------------

// lookupKey finds the key name among the keys that apply to s.F, or returns the URL's
// "unknown key" error.
func (s *State) lookupKey(name string, want ...KeyType) (*Key, error) {
	k := s.KeyFor(name)
	if k == nil {
		return nil, perr(name, unknownKeyMsg(s, name))
	}
	for _, t := range want {
		if k.Type == t {
			return k, nil
		}
	}
	return nil, perr(name, name+" is not "+typeName(want[0]))
}

func typeName(t KeyType) string {
	switch t {
	case List:
		return "a list of numbers"
	case Choice:
		return "a choice"
	case SeriesList:
		return "a list of series"
	case Text:
		return "a text"
	}
	return "a number"
}

// commit runs k.Check on s and restores old on failure; on success the keys whose range
// depends on k (the surface point on an x range it follows) are clamped into their ranges.
func (s *State) commit(k *Key, old State) error {
	if k.Check != nil {
		if err := k.Check(s); err != nil {
			*s = old
			return err
		}
	}
	s.ClampKeys()
	return nil
}

// ClampKeys moves every number key of s that lies outside its range, or above the current end
// of its slider (Key.Max: a class-index target when classes are removed, the Jacobian row when
// the input shrinks), to the nearer end, and returns the keys it moved.
func (s *State) ClampKeys() []*Key {
	var moved []*Key
	for _, k := range s.ViewKeys() {
		if k.Type != Number && k.Type != Integer {
			continue
		}
		lo, hi := k.RangeOf(s)
		hi = min(hi, k.SliderMax(s))
		p := k.num(s)
		if v := min(max(*p, lo), max(hi, lo)); v != *p {
			*p = v
			moved = append(moved, k)
		}
	}
	return moved
}

// SetNumber sets the Number or Integer view key name to v with the URL's checks: finite, in
// the key's range for s (an integer for an Integer), then the key's Check. On error s is
// unchanged and the error is a *core.ParamError naming the key.
func (s *State) SetNumber(name string, v float64) error {
	k, err := s.lookupKey(name, Number, Integer)
	if err != nil {
		return err
	}
	if err := k.checkNum(s, v); err != nil {
		return err
	}
	old := s.Clone()
	*k.num(s) = v
	return s.commit(k, old)
}

// SetChoice sets the Choice view key name to one of its choices.
func (s *State) SetChoice(name, choice string) error {
	k, err := s.lookupKey(name, Choice)
	if err != nil {
		return err
	}
	i, err := k.choiceIndex(choice)
	if err != nil {
		return err
	}
	old := s.Clone()
	*k.num(s) = i
	return s.commit(k, old)
}

// choiceIndex returns the index of choice among k.Choices, or the URL's message.
func (k *Key) choiceIndex(choice string) (float64, error) {
	for i, c := range k.Choices {
		if c == choice {
			return float64(i), nil
		}
	}
	return 0, perr(k.Name, k.Name+" must be one of "+strings.Join(k.Choices, ", ")+", got "+quote(choice))
}

// SetList sets the List view key name to v (copied): MinLen to MaxLen elements, each finite
// and in the key's range.
func (s *State) SetList(name string, v []float64) error {
	k, err := s.lookupKey(name, List)
	if err != nil {
		return err
	}
	lo, hi := k.RangeOf(s)
	if len(v) < max(k.MinLen, 1) || len(v) > k.maxLen() {
		return perr(name, name+" must have "+strconv.Itoa(max(k.MinLen, 1))+" to "+strconv.Itoa(k.maxLen())+" elements, got "+strconv.Itoa(len(v)))
	}
	for i, x := range v {
		if err := checkReal(name+"["+strconv.Itoa(i)+"]", x, lo, hi, false); err != nil {
			return err
		}
	}
	old := s.Clone()
	*k.list(s) = append([]float64(nil), v...)
	return s.commit(k, old)
}

// SetSeries sets the SeriesList key name (the comparison) to ss (copied), each series checked
// by CheckSeries.
func (s *State) SetSeries(name string, ss []Series) error {
	k, err := s.lookupKey(name, SeriesList)
	if err != nil {
		return err
	}
	if len(ss) > MaxSeries {
		return perr(name, "at most "+strconv.Itoa(MaxSeries)+" series can be compared, got "+strconv.Itoa(len(ss)))
	}
	cp := make([]Series, len(ss))
	for i := range ss {
		if err := CheckSeries(s.F, ss[i]); err != nil {
			return perr(name, "series "+strconv.Itoa(i+1)+": "+err.Error())
		}
		cp[i] = Series{F: ss[i].F, P: ss[i].P.Clone()}
	}
	old := s.Clone()
	*k.series(s) = cp
	return s.commit(k, old)
}

// SetText sets the Text key name to v, then runs the key's Check (which reads the text).
func (s *State) SetText(name, v string) error {
	k, err := s.lookupKey(name, Text)
	if err != nil {
		return err
	}
	if len(v) > MaxValueLen {
		return perr(name, name+" is longer than "+strconv.Itoa(MaxValueLen)+" bytes")
	}
	old := s.Clone()
	*k.text(s) = v
	if v == "" {
		k.setDefault(s)
	}
	return s.commit(k, old)
}

// Get returns the value of view key name as the API shows it (see Key.Value), and whether the
// key applies to s.F.
func (s *State) Get(name string) (any, bool) {
	k := s.KeyFor(name)
	if k == nil {
		return nil, false
	}
	return k.Value(s), true
}

// Number returns the value of the Number, Integer or Choice key name (NaN if it does not apply).
func (s *State) Number(name string) float64 {
	k := s.KeyFor(name)
	if k == nil || k.Type == List || k.Type == SeriesList || k.Type == Text {
		return math.NaN()
	}
	return *k.num(s)
}

// Slot returns the generic storage of a number-valued key declared outside this package (a
// key whose Num is nil), allocated at its first use. Clone copies it.
func (s *State) Slot(name string) *float64 {
	if s.slots == nil {
		s.slots = map[string]*float64{}
	}
	p, ok := s.slots[name]
	if !ok {
		p = new(float64)
		s.slots[name] = p
	}
	return p
}

func (s *State) slotList(name string) *[]float64 {
	if s.lists == nil {
		s.lists = map[string]*[]float64{}
	}
	p, ok := s.lists[name]
	if !ok {
		p = new([]float64)
		s.lists[name] = p
	}
	return p
}

// CheckValue checks a Number or Integer value of k alone: finite and in the key's range for s.
func (k *Key) CheckValue(s *State, v float64) error { return k.checkNum(s, v) }

// SetNumberUnchecked sets a number-valued key without any check (a page clamping a value to
// a control's end). It reports an unknown key.
func (s *State) SetNumberUnchecked(name string, v float64) error {
	k := s.KeyFor(name)
	if k == nil || k.Type == List || k.Type == SeriesList || k.Type == Text {
		return perr(name, unknownKeyMsg(s, name))
	}
	*k.num(s) = v
	return nil
}

// SetListUnchecked sets a List key to v (copied) with the per-element checks but without the
// key's combined Check: the page shows an input the function rejects (glu with an odd length)
// with the function's message rather than refusing the edit.
func (s *State) SetListUnchecked(name string, v []float64) error {
	k, err := s.lookupKey(name, List)
	if err != nil {
		return err
	}
	lo, hi := k.RangeOf(s)
	for i, x := range v {
		if err := checkReal(name+"["+strconv.Itoa(i)+"]", x, lo, hi, false); err != nil {
			return err
		}
	}
	*k.list(s) = append([]float64(nil), v...)
	return nil
}
