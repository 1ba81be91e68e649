package view

import (
	"math"

	"github.com/nnplay/nnplay/core"
)

// logThreshold is the mean colour position below which Grid switches to a log1p scale.
const logThreshold = 0.1

// Grid is a loss surface sampled on NX*NY points over F.Surface's axes.
//
// Z is row-major with row 0 at Y.Min: Z[j*NX+i] is the loss at (X[i], Y[j]). RGBA is the
// heatmap in image order, row 0 = TOP row of the image (Y.Max), 4 bytes per pixel, ready for
// putImageData.
//
// The colour scale: ZMin and ZMax are the least and greatest finite values of Z. A finite z
// is placed at u = (z - ZMin) / (ZMax - ZMin) in [0, 1]. When the mean of u over the finite
// values is below 0.1 — a few large values would squash most of the surface into the bottom
// colours, as for a loss that grows like 1/p near a boundary — Log is set and the position is
// log1p(u/m) / log1p(1/m) instead, with m that mean, which gives the many small values most of
// the colours (the mean lands at log 2 / log1p(1/m), 0.29 at the threshold; binary_cross_entropy,
// clamped at 100 near the edges, is such a surface). ColorPos gives the position of any z and ZAt its inverse, for a legend or for contour
// thresholds (Levels). NaN is drawn grey (NaNGrey), +Inf at the top colour, -Inf at the bottom.
type Grid struct {
	NX, NY     int
	X, Y       []float64 // the sample coordinates: X[i] on F.Surface.X (len NX), Y[j] on F.Surface.Y (len NY)
	Z          []float64 // loss values
	RGBA       []byte    // 4*NX*NY bytes, the heatmap, row 0 = TOP row of the image (Y.Max)
	ZMin, ZMax float64   // finite range used for the colour scale
	Log        bool      // the colour scale is log1p-compressed (see the type's doc)
	m          float64   // the mean colour position that set Log
	inv        float64   // 1 / (ZMax - ZMin), or 0
	logInv     float64   // 1 / log1p(1/m) when Log
}

// NewGrid returns a Grid of nx*ny points with its buffers allocated (sizes below 1 are taken
// as 1).
func NewGrid(nx, ny int) *Grid {
	nx, ny = max(nx, 1), max(ny, 1)
	return &Grid{
		NX: nx, NY: ny,
		X: make([]float64, nx), Y: make([]float64, ny),
		Z: make([]float64, nx*ny), RGBA: make([]byte, 4*nx*ny),
	}
}

// Surface fills X, Y, Z, the colour scale and RGBA for the loss f with parameters p and
// target t, from f.Surface.Row, else f.Surface.Value, else f.Surface.Eval (the first that is set:
// Z needs only the loss). If f has no Surface, Z is NaN (drawn grey). It does not allocate.
//
// When f.Surface.IgnoresT is set the result is the same for every t, so a caller may skip the
// call when only the target changed.
func (g *Grid) Surface(f *core.Func, p core.Params, t float64) {
	if f == nil || f.Surface == nil {
		g.SurfaceOn(f, p, t, core.Axis{}, core.Axis{})
		return
	}
	g.SurfaceOn(f, p, t, f.Surface.X, f.Surface.Y)
}

// SurfaceOn is Surface over the axes ax and ay instead of F.Surface's (a surface whose axes
// follow the curve's x range, see SurfaceAxes). It does not allocate.
func (g *Grid) SurfaceOn(f *core.Func, p core.Params, t float64, ax, ay core.Axis) {
	if f == nil || f.Surface == nil || f.Surface.Eval == nil {
		fillNaN(g.Z)
		g.ZMin, g.ZMax, g.Log, g.m = 0, 0, false, 0
		g.paint()
		return
	}
	sf := f.Surface
	linspace(g.X, ax.Min, ax.Max)
	linspace(g.Y, ay.Min, ay.Max)
	switch {
	case sf.Row != nil:
		fill := sf.Row
		for j, y := range g.Y {
			fill(p, t, g.X, y, g.Z[j*g.NX:(j+1)*g.NX])
		}
	case sf.Value != nil:
		val := sf.Value
		for j, y := range g.Y {
			row := g.Z[j*g.NX : (j+1)*g.NX]
			for i, x := range g.X {
				row[i] = val(p, t, x, y)
			}
		}
	default:
		ev := sf.Eval
		for j, y := range g.Y {
			row := g.Z[j*g.NX : (j+1)*g.NX]
			for i, x := range g.X {
				row[i], _, _ = ev(p, t, x, y)
			}
		}
	}
	g.scale()
	g.paint()
}

// scale sets ZMin, ZMax, Log and m from Z.
//
// It and paint are written for GOOS=js GOARCH=wasm as much as for native code: there every call
// that is not inlined is expensive and the builtin min and max on floats are calls into the
// runtime (NaN and signed-zero rules), so the loops compare and index inline.
func (g *Grid) scale() {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, z := range g.Z {
		if z-z == 0 { // finite
			if z < lo {
				lo = z
			}
			if z > hi {
				hi = z
			}
		}
	}
	g.inv, g.logInv = 0, 0
	if lo > hi { // no finite value
		g.ZMin, g.ZMax, g.Log, g.m = 0, 0, false, 0
		return
	}
	g.ZMin, g.ZMax, g.Log, g.m = lo, hi, false, 0
	if lo == hi {
		return
	}
	if d := hi - lo; !math.IsInf(d, 0) {
		g.inv = 1 / d
	}
	var sum float64
	n := 0
	if inv := g.inv; inv != 0 {
		for _, z := range g.Z {
			if z-z == 0 {
				sum += (z - lo) * inv // g.unit(z)
				n++
			}
		}
	} else {
		for _, z := range g.Z {
			if z-z == 0 {
				sum += g.unit(z)
				n++
			}
		}
	}
	if m := sum / float64(n); m < logThreshold && m > 0 {
		g.Log, g.m, g.logInv = true, m, 1/math.Log1p(1/m)
	}
}

// unit returns (z - ZMin) / (ZMax - ZMin) without overflow, for finite z.
func (g *Grid) unit(z float64) float64 {
	if g.inv == 0 { // the span overflows
		return (z*0.5 - g.ZMin*0.5) / (g.ZMax*0.5 - g.ZMin*0.5)
	}
	return (z - g.ZMin) * g.inv
}

// ColorPos returns the position in [0, 1] of loss value z on g's colour scale (see Grid): NaN
// for NaN, 1 for +Inf and values above ZMax, 0 for -Inf and values below ZMin, and 0 for every
// finite z when the surface is constant.
func (g *Grid) ColorPos(z float64) float64 {
	switch {
	case z != z:
		return z
	case z >= g.ZMax:
		if g.ZMax == g.ZMin && z == g.ZMax {
			return 0
		}
		return 1
	case z <= g.ZMin:
		return 0
	}
	u := g.unit(z)
	if g.Log {
		u = math.Log1p(u/g.m) * g.logInv
	}
	return min(u, 1)
}

// ZAt returns the loss value at position v in [0, 1] of g's colour scale, the inverse of
// ColorPos (v is clamped to [0, 1]).
func (g *Grid) ZAt(v float64) float64 {
	v = min(max(v, 0), 1)
	u := v
	if g.Log {
		u = g.m * math.Expm1(v*math.Log1p(1/g.m))
	}
	if math.IsInf(g.ZMax-g.ZMin, 0) {
		return g.ZMin + u*(g.ZMax*0.5-g.ZMin*0.5)*2
	}
	return g.ZMin + u*(g.ZMax-g.ZMin)
}

// Levels fills dst with len(dst) contour thresholds evenly spaced in colour, dst[k] =
// ZAt((k+1)/(len(dst)+1)), and returns it. It does not allocate.
func (g *Grid) Levels(dst []float64) []float64 {
	for k := range dst {
		dst[k] = g.ZAt(float64(k+1) / float64(len(dst)+1))
	}
	return dst
}

// paint fills RGBA from Z, flipping rows so the image's top row is Y.Max. Each pixel is
// Viridis(ColorPos(z)), with ColorPos and viridisIndex written out inline (see scale).
func (g *Grid) paint() {
	zmin, zmax, inv := g.ZMin, g.ZMax, g.inv
	flat := zmax == zmin
	lg, m, logInv := g.Log, g.m, g.logInv
	for r := range g.NY {
		row := g.Z[(g.NY-1-r)*g.NX : (g.NY-r)*g.NX]
		px := g.RGBA[4*r*g.NX : 4*(r+1)*g.NX]
		for i, z := range row {
			var c *[3]uint8
			switch {
			case z != z:
				c = &nanRGB
			case z >= zmax:
				if flat && z == zmax {
					c = &viridisBytes[0]
				} else {
					c = &viridisBytes[255]
				}
			case z <= zmin:
				c = &viridisBytes[0]
			default:
				var u float64
				if inv != 0 {
					u = (z - zmin) * inv
				} else {
					u = g.unit(z)
				}
				if lg {
					u = math.Log1p(u/m) * logInv
				}
				// min(u, 1), then viridisIndex
				k := 255
				if !(u >= 1) {
					k = 0
					if u > 0 {
						k = int(u * 256)
						if k > 255 {
							k = 255
						}
					}
				}
				c = &viridisBytes[k]
			}
			p := px[4*i : 4*i+4 : 4*i+4]
			p[0], p[1], p[2], p[3] = c[0], c[1], c[2], 255
		}
	}
}

// nanRGB is the colour of a NaN loss.
var nanRGB = [3]uint8{NaNGrey, NaNGrey, NaNGrey}

// Point returns the loss and its partial derivatives at (x, y) of f's surface for target t:
// the draggable point's readout, and the gradient whose negative the page draws as an arrow.
// It returns NaNs if f has no Surface. It does not allocate.
func Point(f *core.Func, p core.Params, t, x, y float64) (loss, dx, dy float64) {
	if f == nil || f.Surface == nil || f.Surface.Eval == nil {
		nan := math.NaN()
		return nan, nan, nan
	}
	return f.Surface.Eval(p, t, x, y)
}
