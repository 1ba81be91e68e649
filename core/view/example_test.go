package view_test

import (
	"fmt"

	"github.com/nnplay/nnplay/core/view"
)

// A URL with a good parameter, a value outside its slider range and an unknown key: the state
// keeps the good value, the rest fall back to their defaults, and each rejection is a Problem.
func ExampleParse() {
	s, problems := view.Parse("?f=mse_loss&reduction=sum&t=7&colour=red")
	fmt.Println(s.F.ID, s.F.ChoiceOf(s.P, 0), s.T)
	for _, p := range problems {
		fmt.Println(p.Key+":", p.Msg)
	}
	fmt.Println(s.Query())
	// Output:
	// mse_loss sum 0
	// t: t must be a number from -3 to 3, got "7"
	// colour: unknown key "colour" for mse_loss (it takes reduction, xmin, xmax, t, cmp, yf, yfmin, yfmax, ydf, ydfmin, ydfmax, vanish, px, py)
	// f=mse_loss&reduction=sum
}

// Set changes one field as a control does; Query is what goes into the URL.
func ExampleState_Set() {
	s := view.Default(nil) // relu
	if err := s.Set("xmin", "-1.5"); err != nil {
		fmt.Println(err)
	}
	if err := s.Set("xmax", "-2"); err != nil {
		fmt.Println(err)
	}
	fmt.Println(s.Query())
	// Output:
	// xmin must be less than xmax, got xmin=-1.5 and xmax=-2
	// f=relu&xmin=-1.5
}

// One frame of the activation plot: five points of relu on [-2, 2].
func ExampleCurves_Activation() {
	s := view.Default(nil)
	c := view.NewCurves(5)
	c.Activation(s.F, s.P, -2, 2)
	fmt.Println(c.X, c.Y, c.DY)
	// Output:
	// [-2 -1 0 1 2] [0 0 0 1 2] [0 0 0 1 1]
}
