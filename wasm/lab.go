//go:build lab

package main

import (
	"strconv"

	"github.com/nnplay/nnplay/core"
	"github.com/nnplay/nnplay/core/view"
)

// This file holds what a lab page adds to the function page's edits: the pin of a Pinned key
// (pin what is shown, swap the two configurations) and the lab's presets. None of it names a
// lab or a key: the keys' Pin and Swap and the lab's Presets say what to do.

// PinKey sets the Pinned key name to what pins the configuration shown (Key.Pin).
func (a *App) PinKey(name string) error {
	k := a.S.KeyFor(name)
	if k == nil || k.Pin == nil {
		return &core.ParamError{Param: name, Msg: unknownKey(&a.S, name)}
	}
	return a.SetViewText(name, k.Pin(&a.S), "")
}

// SwapKey shows the configuration the Pinned key name holds, and pins the one shown
// (Key.Swap). It is a new history entry: Back returns to the configuration shown before.
func (a *App) SwapKey(name string) error {
	k := a.S.KeyFor(name)
	if k == nil || k.Swap == nil {
		return &core.ParamError{Param: name, Msg: unknownKey(&a.S, name)}
	}
	s, err := k.Swap(&a.S)
	if err != nil {
		a.setFieldErr(name, err.Error())
		return err
	}
	a.clearFieldState()
	a.urlProblems = nil
	a.pushURL = true
	a.commit(s)
	a.syncCh = view.ChAll
	a.syncControls("")
	return nil
}

// LoadPreset shows the lab's preset id (view.Lab.Presets) as its link would, with a new
// history entry.
func (a *App) LoadPreset(id string) error {
	if a.S.Lab == nil {
		return &core.ParamError{Param: "preset", Msg: "presets belong to a lab; this page is the function page"}
	}
	for _, p := range a.S.Lab.Presets {
		if p.ID != id {
			continue
		}
		s, probs := view.Parse("lab=" + a.S.Lab.ID + "&" + p.Query)
		a.clearFieldState()
		a.urlProblems = probs // shown as a link's problems (a preset is a link); none is expected
		a.pushURL = true
		a.commit(s)
		a.syncCh = view.ChAll
		a.syncControls("")
		return nil
	}
	return &core.ParamError{Param: "preset", Msg: "unknown preset " + strconv.Quote(core.ClipShown(id))}
}
