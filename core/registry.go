// Package core holds nnplay's mathematics: every activation and loss function, described once in
// a registry, with value and derivative (gradient) in float64 following PyTorch's definitions.
//
// Nothing in core imports syscall/js: the whole package builds and tests natively and under
// GOOS=js GOARCH=wasm. The browser program (../wasm), the docs generator and the tests all iterate
// the registry; none of them switches over function names.
//
// A function is added with one file that calls Register from an init function, plus its tests.
package core

import (
	"math"
	"sort"
	"strconv"
	"strings"
)

// Kind says which view and which evaluation entry point a Func uses.
type Kind string

const (
	// Activation is an elementwise function R -> R (relu, gelu, softplus, ...). Its Func has
	// Scalar set.
	Activation Kind = "activation"
	// VectorActivation maps a vector of logits to a vector (softmax, softmin, log_softmax, glu).
	// Its Func has Vector, OutLen and JacobianRow set.
	VectorActivation Kind = "vector"
	// Loss is a loss function (mse_loss, cross_entropy, triplet_margin_loss, ...). Its Func has
	// Loss set, and Curve and Surface for the views.
	Loss Kind = "loss"
)

// ParamType is the type of a parameter value.
type ParamType string

const (
	Real   ParamType = "real"   // a float64 (alpha, beta, margin, ...)
	Int    ParamType = "int"    // an integer stored in a float64 (ignore_index, p)
	Bool   ParamType = "bool"   // 0 or 1 (log_target, swap)
	Choice ParamType = "choice" // an index into Choices (approximate, reduction)
	Vector ParamType = "vector" // a []float64 (class weights: weight)
)

// Param describes one parameter with PyTorch's name and default.
//
// Min, Max and Step are the slider's range (for a Vector, the range of each element). A value
// read from a URL must lie in [Min, Max] ("a link must not do what the controls cannot"); the
// JavaScript API and Go callers may pass any value, which Func.Validate then checks as PyTorch
// does.
type Param struct {
	Name       string    // PyTorch's name: "negative_slope", "beta", "reduction", "weight"
	Type       ParamType //
	Default    float64   // Real, Int: the value; Bool: 0 or 1; Choice: index into Choices
	DefaultVec []float64 // Vector: the default vector (for weight: nil means "no weight", shown as all ones)
	Choices    []string  // Choice: the allowed strings, e.g. {"none", "mean", "sum"}
	Min, Max   float64   // slider range (inclusive)
	Step       float64   // slider step
	MinLen     int       // Vector: shortest accepted length
	MaxLen     int       // Vector: longest accepted length
	Doc        string    // one line shown next to the control
	// Marks are the values the control offers as stops, in increasing order, each in [Min, Max]
	// and one of them the Default; nil for a plain slider over [Min, Max] by Step. They are for
	// a parameter whose meaningful values are a few points of a wide range: ignore_index is
	// PyTorch's -100 ("ignore nothing") or a class 0..9, and the integers between -100 and 0 all
	// mean the same as -100. Marks do not restrict the value: a URL, the typed box or the API may
	// still give any value in [Min, Max] (ignore_index = -5 is valid and ignores nothing), which
	// the control shows as it is.
	Marks []float64
}

// Params holds the values of a Func's parameters, one slot per Param in declaration order.
// Num[i] holds Real, Int, Bool (0/1) and Choice (index) values; Vec[i] holds Vector values
// (nil for the other types). Implementations read them by index for speed.
type Params struct {
	Num []float64
	Vec [][]float64
}

// Clone returns a deep copy of p.
func (p Params) Clone() Params {
	q := Params{Num: append([]float64(nil), p.Num...), Vec: make([][]float64, len(p.Vec))}
	for i, v := range p.Vec {
		if v != nil {
			q.Vec[i] = append([]float64(nil), v...)
		}
	}
	return q
}

// ParamError is the error for an invalid parameter value. Msg is the text the user sees, in
// PyTorch's words where PyTorch raises an error (for example "alpha cannot be 0 for CELU").
type ParamError struct {
	Param string // the parameter's name, "" when the error concerns the inputs
	Msg   string
}

func (e *ParamError) Error() string { return e.Msg }

// Errorf returns a *ParamError for the named parameter with the message made by joining parts
// (strings as they are, float64 as Python prints them, ints in decimal, []int as PyTorch prints a
// size). core does not use fmt: it would add about 100 KB to the brotli-compressed wasm.
func Errorf(param string, parts ...any) error {
	var b strings.Builder
	for _, p := range parts {
		switch v := p.(type) {
		case string:
			b.WriteString(v)
		case float64:
			b.WriteString(PyFloat(v))
		case int:
			b.WriteString(strconv.Itoa(v))
		case []int:
			b.WriteString("[")
			for i, n := range v {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(strconv.Itoa(n))
			}
			b.WriteString("]")
		case []string:
			b.WriteString(strings.Join(v, ", "))
		default:
			b.WriteString("?")
		}
	}
	return &ParamError{Param: param, Msg: b.String()}
}

// PyFloat formats v as Python's repr does (1.0, 0.5, 1e-08, inf, nan), so messages copied from
// PyTorch read the same.
func PyFloat(v float64) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	a := math.Abs(v)
	if a != 0 && (a < 1e-4 || a >= 1e16) {
		s := strconv.FormatFloat(v, 'e', -1, 64)
		// Python writes 1e-08, Go 1e-08 as well: both pad the exponent to two digits.
		return s
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.ContainsAny(s, ".") {
		s += ".0"
	}
	return s
}

// Tensor is a dense row-major float64 array. Shape [] is a scalar with one element.
// Class-index targets are stored as float64 integers.
type Tensor struct {
	Shape []int
	Data  []float64
}

// LossResult is what Func.Loss returns.
type LossResult struct {
	// Loss is a scalar (Shape []) for reduction "mean", "sum" and "batchmean", and has the
	// per-sample shape for "none".
	Loss Tensor
	// Grad holds the gradient of sum(Loss) (what backward with ones leaves in .grad) with
	// respect to each differentiable input, keyed by the input's name ("input", "anchor", ...).
	Grad map[string]Tensor
	// Notes are user-visible remarks on this evaluation: where PyTorch would differ (policy 3
	// of the edge-case reference), why a value is NaN (mean over zero elements), warnings PyTorch
	// emits (kl_div 'mean').
	Notes []string
}

// LossInput names one input of a loss in the order PyTorch's F.* takes it.
type LossInput struct {
	Name           string // "input", "target", "anchor", "input1", ...
	Differentiable bool   // false for targets
	Doc            string // shape and meaning, e.g. "(N, C) logits"
}

// Axis is one axis of a view: a label and a default range.
type Axis struct {
	Label    string
	Min, Max float64
}

// Curve is the 1-D loss view: the loss of one sample and its derivative as a function of one
// quantity X (usually the prediction) for a target T that the user sets.
type Curve struct {
	X Axis
	// T is the target control: its label, range, step and default. For class-index targets
	// Step is 1.
	T        Axis
	TStep    float64
	TDefault float64
	// Eval returns the loss and d loss / d x at x for target t, with the Func's parameters
	// (including reduction, where it changes the single-sample value).
	Eval func(p Params, t, x float64) (loss, dloss float64)
	// Value, if set, returns the loss alone, bit for bit what Eval returns as its first result
	// (NaN where Eval's loss is NaN), without the work of the derivative. The views call it where
	// they need only the value: the two points of the curve's central difference. nil means
	// "call Eval". It must not allocate.
	Value func(p Params, t, x float64) float64
	// Mark returns the point x of the curve's X axis that the target t singles out, with a short
	// label in words for the plot: the target itself where it is in x's units ("target y"), the
	// logit of a target probability ("σ(x) = y"), the log of a target probability ("x = log t"),
	// or where a hinge makes the loss 0 ("d(a,p) = d(a,n) − margin"). It returns NaN and "" when
	// nothing on this axis corresponds to t: class-index targets, a label whose loss has no
	// special point (soft_margin_loss), a target for which the point would be at ±Inf (the
	// logit of 0 or 1) or off the axis's domain (a negative distance). The label names the
	// relation, not the number (the view knows x), and is a constant: Mark does not allocate.
	// Every loss in core sets it; nil means "no mark", as NaN.
	Mark func(p Params, t float64) (x float64, label string)
}

// Surface is the 2-D loss view: a heatmap with contours over two quantities, with a draggable
// point showing the loss value and the negative gradient.
type Surface struct {
	X, Y Axis
	// Point is the default position of the draggable point.
	Point [2]float64
	// Eval returns the loss and its partial derivatives at (x, y), for the Curve's target t.
	Eval func(p Params, t, x, y float64) (loss, dx, dy float64)
	// Value, if set, returns the loss alone, bit for bit what Eval returns as its first result
	// (NaN where Eval's loss is NaN), without the work of the gradient: the heatmap needs only
	// the loss at every point, the gradient only at the draggable point (which calls Eval).
	// nil means "call Eval". It must not allocate.
	Value func(p Params, t, x, y float64) float64
	// Row, if set, fills z[i] with the loss at (xs[i], y) for target t, bit for bit what Value
	// (or Eval) gives there, len(z) == len(xs): one call per row of the heatmap instead of one
	// per point, with the per-point work inlined. nil means "call Value or Eval per point". It
	// must not allocate.
	Row func(p Params, t float64, xs []float64, y float64, z []float64)
	// XFollowsCurve reports that the surface's X axis is the curve's X quantity: a view uses the
	// curve's current x range for it instead of X (whose range is then only the default), so a
	// wider x range widens the surface too. YFollowsCurve is the same for the Y axis, set where Y
	// is a quantity in x's units (the regression losses' target y, which Curve.Mark puts at
	// x = y). Both false: the surface keeps X and Y whatever the curve shows.
	XFollowsCurve, YFollowsCurve bool
	// IgnoresT reports that the surface does not depend on the target t (Eval, Value and Row
	// give the same results for every t; for the elementwise losses the target is the Y axis):
	// a view need not recompute or repaint the surface when only t changes.
	IgnoresT bool
	// Note explains what the axes mean (for example the margin figure of Balntas et al.).
	Note string
}

// Func describes one activation or loss function. Everything the UI, the URL codec, the docs
// and the tests need comes from here.
type Func struct {
	ID    string // torch.nn.functional name: "leaky_relu", "smooth_l1_loss"
	Class string // torch.nn class name: "LeakyReLU", "SmoothL1Loss"
	Name  string // display name: "Leaky ReLU"
	Kind  Kind
	Group string // picker group within the kind, e.g. "ReLU family", "Regression"

	Params []Param

	// Torch is the PyTorch name shown in the page's header; "" means "nn.<Class> · F.<ID>".
	// Functions outside torch.nn set it, e.g. "torch.heaviside".
	Torch string
	// Code is the "copy as PyTorch" snippet, one template per line: "{kw}" expands to the
	// parameters that differ from their defaults as Python keyword arguments (", {kw}" and
	// "{kw}" vanish when there are none), "{inputs}" to the loss's input names ("x" for an
	// activation), and "{<param>}" to that parameter's current value as Python writes it.
	// nil means {"nn.<Class>({kw})", "F.<ID>({inputs}, {kw})"}.
	Code []string

	Formula    string   // LaTeX for the value
	Derivative string   // LaTeX for the derivative or gradient
	Source     string   // URL of the PyTorch doc page or the paper
	Kinks      []string // the derivative's convention at each kink, in words
	// Differences lists where nnplay knowingly differs from PyTorch (policy 3 of the edge-case
	// reference), shown next to the formula.
	Differences []string

	// Validate checks the parameters as PyTorch does and returns a *ParamError; nil means no
	// check. Values outside the slider range are not errors here.
	Validate func(p Params) error

	// Activation: Scalar returns the value and the derivative at x (PyTorch's convention at a
	// kink; NaN derivative where PyTorch has none, as for heaviside at 0). It must not allocate.
	Scalar func(p Params, x float64) (y, dy float64)
	// Value, if set, returns Scalar's y alone, bit for bit (NaN where y is NaN), without the work
	// of the derivative: the plot's central difference evaluates f at two more points per sample
	// and needs only the values there. nil means "call Scalar". It must not allocate.
	Value func(p Params, x float64) float64
	// XRange is the default x range of the activation plot.
	XRange [2]float64

	// VectorActivation: Vector writes the outputs to y and the vector-Jacobian product with a
	// vector of ones to grad (len(grad) == len(x)). OutLen gives len(y) for len(x) == n and an
	// error for an invalid n (glu needs an even length). DefaultInput is the vector shown first.
	Vector       func(p Params, x, y, grad []float64)
	OutLen       func(n int) (int, error)
	DefaultInput []float64
	// JacobianRow writes the outputs to y, as Vector does, and row k of the Jacobian to row:
	//
	//	row[j] = ∂y_k/∂x_j,  len(row) == len(x),  0 <= k < OutLen(len(x))
	//
	// Vector's grad is the sum of the rows (Σ_k ∂y_k/∂x_j), which is 0 for softmax and softmin
	// whatever x is (their outputs always sum to 1); the rows show what that sum hides. Where
	// Vector returns a limit (an infinite logit), row is the Jacobian's formula at the limit
	// outputs; a NaN gives NaN wherever it enters y_k (everywhere for the softmax family).
	// Required for VectorActivation. It must not allocate.
	JacobianRow func(p Params, x []float64, k int, y, row []float64)

	// Loss: Inputs lists the tensors F.* takes, Loss evaluates them with the reduction in
	// Params, and Curve and Surface describe the views.
	Inputs  []LossInput
	Loss    func(p Params, in map[string]Tensor) (LossResult, error)
	Curve   *Curve
	Surface *Surface
}

// ParamIndex returns the index of the named parameter, or -1.
func (f *Func) ParamIndex(name string) int {
	for i := range f.Params {
		if f.Params[i].Name == name {
			return i
		}
	}
	return -1
}

// Defaults returns a fresh Params holding every parameter's default.
func (f *Func) Defaults() Params {
	p := Params{Num: make([]float64, len(f.Params)), Vec: make([][]float64, len(f.Params))}
	for i, q := range f.Params {
		if q.Type == Vector {
			if q.DefaultVec != nil {
				p.Vec[i] = append([]float64(nil), q.DefaultVec...)
			}
			continue
		}
		p.Num[i] = q.Default
	}
	return p
}

// Check validates p: the shape of Params, the type of each value, and then f.Validate.
// Every Real and Int value and every Vector element must be finite: NaN and ±Inf are rejected
// with "<name> must be a finite number, got nan" before any of PyTorch's own checks run (PyTorch
// accepts some of them, but no control can produce one and a curve drawn with them shows nothing).
func (f *Func) Check(p Params) error {
	if len(p.Num) != len(f.Params) || len(p.Vec) != len(f.Params) {
		return Errorf("", f.ID, ": expected ", len(f.Params), " parameters")
	}
	for i, q := range f.Params {
		v := p.Num[i]
		switch q.Type {
		case Real:
			if !isFinite(v) {
				return Errorf(q.Name, q.Name, " must be a finite number, got ", v)
			}
		case Int:
			if !isFinite(v) {
				return Errorf(q.Name, q.Name, " must be a finite number, got ", v)
			}
			if v != float64(int64(v)) {
				return Errorf(q.Name, q.Name, " must be an integer, got ", v)
			}
		case Bool:
			if v != 0 && v != 1 {
				return Errorf(q.Name, q.Name, " must be true or false")
			}
		case Choice:
			if v != float64(int(v)) || v < 0 || int(v) >= len(q.Choices) {
				return Errorf(q.Name, q.Name, " must be one of: ", q.Choices)
			}
		case Vector:
			if p.Vec[i] != nil && (len(p.Vec[i]) < q.MinLen || (q.MaxLen > 0 && len(p.Vec[i]) > q.MaxLen)) {
				return Errorf(q.Name, q.Name, " must have between ", q.MinLen, " and ", q.MaxLen, " elements")
			}
			for j, e := range p.Vec[i] {
				if !isFinite(e) {
					return Errorf(q.Name, q.Name, "[", j, "] must be a finite number, got ", e)
				}
			}
		}
	}
	if f.Validate != nil {
		return f.Validate(p)
	}
	return nil
}

// isFinite reports whether v is neither NaN nor ±Inf.
func isFinite(v float64) bool { return v-v == 0 }

// ChoiceOf returns the string value of the Choice parameter at index i.
func (f *Func) ChoiceOf(p Params, i int) string { return f.Params[i].Choices[int(p.Num[i])] }

var (
	registry = map[string]*Func{}
	order    []*Func
)

// Register adds f to the registry. It panics on a duplicate or malformed description, so a
// mistake shows at start-up and in every test.
func Register(f *Func) {
	if f.ID == "" || f.Class == "" {
		panic("core.Register: ID and Class are required")
	}
	if _, dup := registry[f.ID]; dup {
		panic("core.Register: duplicate id " + f.ID)
	}
	switch f.Kind {
	case Activation:
		if f.Scalar == nil {
			panic("core.Register: activation " + f.ID + " needs Scalar")
		}
	case VectorActivation:
		if f.Vector == nil || f.OutLen == nil || f.JacobianRow == nil {
			panic("core.Register: vector activation " + f.ID + " needs Vector, OutLen and JacobianRow")
		}
	case Loss:
		if f.Loss == nil || f.Curve == nil || f.Surface == nil {
			panic("core.Register: loss " + f.ID + " needs Loss, Curve and Surface")
		}
	default:
		panic("core.Register: unknown kind for " + f.ID)
	}
	registry[f.ID] = f
	order = append(order, f)
}

// Lookup returns the registered function with the given torch.nn.functional id.
func Lookup(id string) (*Func, bool) {
	f, ok := registry[id]
	return f, ok
}

// kindRank orders the picker: activations, vector activations, losses.
var kindRank = map[Kind]int{Activation: 0, VectorActivation: 1, Loss: 2}

// All returns every registered function in the picker's order: activations first, then vector
// activations, then losses; within a kind, group by group (each group once, contiguous), the
// groups in the order of their first member in the lecture order (lectureOrder; a group none of
// whose members is listed comes after, by its smallest id); within a group, in the lecture order,
// then by id.
func All() []*Func {
	type first struct {
		rank int
		id   string
	}
	groupFirst := map[[2]string]first{}
	for _, f := range order {
		k, r := [2]string{string(f.Kind), f.Group}, first{lectureRank(f.ID), f.ID}
		if g, ok := groupFirst[k]; !ok || r.rank < g.rank || (r.rank == g.rank && r.id < g.id) {
			groupFirst[k] = r
		}
	}
	out := append([]*Func(nil), order...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if kindRank[a.Kind] != kindRank[b.Kind] {
			return kindRank[a.Kind] < kindRank[b.Kind]
		}
		if a.Group != b.Group {
			ga, gb := groupFirst[[2]string{string(a.Kind), a.Group}], groupFirst[[2]string{string(b.Kind), b.Group}]
			if ga.rank != gb.rank {
				return ga.rank < gb.rank
			}
			if ga.id != gb.id {
				return ga.id < gb.id
			}
			return a.Group < b.Group
		}
		ra, rb := lectureRank(a.ID), lectureRank(b.ID)
		if ra != rb {
			return ra < rb
		}
		return a.ID < b.ID
	})
	return out
}

// lectureOrder is the order in which a deep-learning course introduces the functions; the
// picker follows it. Functions not listed come after, by id.
var lectureOrder = []string{
	"heaviside", "linear", "sigmoid", "tanh", "relu", "leaky_relu", "prelu", "softplus", "elu",
	"celu", "selu", "gelu", "relu6", "logsigmoid", "sin",
	"softmin", "softmax", "log_softmax",
	"mse_loss", "l1_loss", "smooth_l1_loss", "nll_loss", "cross_entropy", "binary_cross_entropy",
	"binary_cross_entropy_with_logits", "kl_div", "margin_ranking_loss", "triplet_margin_loss",
	"cosine_embedding_loss",
}

func lectureRank(id string) int {
	for i, s := range lectureOrder {
		if s == id {
			return i
		}
	}
	return len(lectureOrder)
}

// Reductions is the Choices list of the reduction parameter shared by the losses.
var Reductions = []string{"none", "mean", "sum"}

// ReductionParam returns the standard reduction parameter (default "mean").
func ReductionParam() Param {
	return Param{Name: "reduction", Type: Choice, Default: 1, Choices: Reductions,
		Doc: "how per-sample losses are combined: none, mean or sum"}
}
