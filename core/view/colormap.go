package view

import "math"

// NaNGrey is the grey level (R = G = B) that Viridis and Grid use for NaN: no viridis entry is
// grey, so an undefined loss never reads as a value.
const NaNGrey = 128

// viridisBytes is viridisData converted to 8-bit sRGB by rounding 255*c to the nearest integer
// (matplotlib truncates instead when asked for bytes; rounding is the closer encoding, and the
// two differ by at most one step in a channel).
var viridisBytes = func() (t [256][3]uint8) {
	for i, c := range viridisData {
		for k := range 3 {
			t[i][k] = uint8(math.Floor(255*c[k] + 0.5))
		}
	}
	return t
}()

// Viridis returns the 8-bit sRGB colour of position v on the viridis colormap (perceptually
// uniform, readable by viewers with the common colour-vision deficiencies and in greyscale).
//
// The 256 entries are matplotlib's published _viridis_data; v selects entry floor(256 v), the
// binning matplotlib's Colormap uses, so each entry covers an equal width of [0, 1].
//
// Special cases are:
//
//	Viridis(v) = Viridis(0) for v <= 0, including -Inf
//	Viridis(v) = Viridis(1) for v >= 1, including +Inf
//	Viridis(NaN) = (NaNGrey, NaNGrey, NaNGrey)
//
// It does not allocate.
func Viridis(v float64) (r, g, b uint8) {
	if v != v {
		return NaNGrey, NaNGrey, NaNGrey
	}
	c := &viridisBytes[viridisIndex(v)]
	return c[0], c[1], c[2]
}

// viridisIndex maps v (not NaN) to an entry of the table.
func viridisIndex(v float64) int {
	switch {
	case v <= 0:
		return 0
	case v >= 1:
		return 255
	}
	i := int(v * 256)
	if i > 255 {
		i = 255
	}
	return i
}
