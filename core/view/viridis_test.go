package view

import (
	"math"
	"testing"
)

// The table's ends are matplotlib's first and last _viridis_data entries
// (lib/matplotlib/_cm_listed.py), and Viridis maps them to the nearest bytes.
func TestViridisEnds(t *testing.T) {
	if viridisData[0] != [3]float64{0.267004, 0.004874, 0.329415} {
		t.Errorf("first entry %v", viridisData[0])
	}
	if viridisData[255] != [3]float64{0.993248, 0.906157, 0.143936} {
		t.Errorf("last entry %v", viridisData[255])
	}
	tests := []struct {
		v       float64
		r, g, b uint8
	}{
		// round(255 c) of the entries above.
		{0, 68, 1, 84}, {-1, 68, 1, 84}, {math.Inf(-1), 68, 1, 84}, {1.0 / 256 * 0.999, 68, 1, 84},
		{1, 253, 231, 37}, {2, 253, 231, 37}, {math.Inf(1), 253, 231, 37}, {255.0 / 256, 253, 231, 37},
		// Entry 128, (0.127568, 0.566949, 0.550556): the first of the upper half.
		{0.5, 33, 145, 140},
		{math.NaN(), NaNGrey, NaNGrey, NaNGrey},
	}
	for _, tt := range tests {
		if r, g, b := Viridis(tt.v); r != tt.r || g != tt.g || b != tt.b {
			t.Errorf("Viridis(%v) = %d, %d, %d; want %d, %d, %d", tt.v, r, g, b, tt.r, tt.g, tt.b)
		}
	}
}

// Properties of viridis that catch a mistyped entry: consecutive entries are close (a step of
// at most 0.012 in any channel), and the relative luminance of the linearised sRGB colour
// strictly increases from the first entry to the last (viridis is designed to be monotone in
// lightness, so it reads in greyscale).
func TestViridisTable(t *testing.T) {
	lum := func(c [3]float64) float64 {
		var l [3]float64
		for k, v := range c {
			if v <= 0.04045 {
				l[k] = v / 12.92
			} else {
				l[k] = math.Pow((v+0.055)/1.055, 2.4)
			}
		}
		return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
	}
	for i := 1; i < 256; i++ {
		for k := range 3 {
			if d := math.Abs(viridisData[i][k] - viridisData[i-1][k]); d > 0.012 {
				t.Errorf("entries %d and %d differ by %v in channel %d", i-1, i, d, k)
			}
		}
		if !(lum(viridisData[i]) > lum(viridisData[i-1])) {
			t.Errorf("luminance does not increase at entry %d", i)
		}
	}
}
