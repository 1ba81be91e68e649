//go:build js && wasm && lab

package main

import (
	"syscall/js"

	"github.com/nnplay/nnplay/core/view"
)

// The labs' part of the page (the labs' program only, build tag lab): the lab's description
// and presets, and the Pinned control. The function page's program has the stubs of
// nolab_js.go instead, so that it does not carry them.

// showLab fills the lab's part of the page (its one-line description and its presets, each a
// button and a link), or hides it on the function page.
func (b *browser) showLab(lab *view.Lab) {
	if lab != b.pickerLab {
		b.fillPicker(lab)
	}
	doc, presets := b.byID("lab-doc"), b.byID("presets")
	if doc == nil || presets == nil {
		return
	}
	if b.shownLab == lab && b.labShown {
		return
	}
	b.shownLab, b.labShown = lab, true
	empty(presets)
	if lab == nil {
		doc.SetAttribute("hidden", "")
		presets.SetAttribute("hidden", "")
		js.Global().Get("document").Get("body").Get("dataset").Delete("lab")
		return
	}
	js.Global().Get("document").Get("body").Get("dataset").Set("lab", lab.ID)
	doc.SetTextContent(lab.Doc)
	doc.RemoveAttribute("hidden")
	add(presets, b.text("h2", "section-title", "Presets"))
	list := b.mk("div", "class", "preset-list")
	for _, p := range lab.Presets {
		id := p.ID
		a := b.mk("a", "class", "preset", "href", "?lab="+lab.ID+"&"+p.Query, "data-preset", id, "title", p.Doc)
		a.SetTextContent(p.Name)
		a.Underlying().Call("addEventListener", "click", js.FuncOf(func(_ js.Value, args []js.Value) any {
			if len(args) > 0 {
				ev := args[0]
				if ev.Get("ctrlKey").Bool() || ev.Get("metaKey").Bool() || ev.Get("shiftKey").Bool() || ev.Get("button").Int() != 0 {
					return nil // a new tab or window: the browser follows the link
				}
				ev.Call("preventDefault")
			}
			b.app.LoadPreset(id)
			return nil
		}))
		add(list, a)
	}
	add(presets, list)
	presets.RemoveAttribute("hidden")
}

// pinned builds a Pinned key's control: a pin button, or what is pinned with Swap and Remove
// buttons (the controls are rebuilt when the key's value changes: controlShape).
func (c *controls) pinned(k *view.Key, s *view.State) el {
	fd, wrap := c.wrapField(k.Name, "field field-pinned")
	name := k.Name
	if k.TextValue(s) == "" {
		pin := c.b.mk("button", "type", "button", "class", "small", "data-action", "pin-"+name)
		pin.SetTextContent(k.LabelText(s.F))
		listen(pin, "click", func() { c.b.app.PinKey(name) })
		add(wrap, pin)
	} else {
		desc := ""
		if k.Describe != nil {
			desc = k.Describe(s)
		}
		add(wrap, c.b.text("p", "pinned-desc", desc))
		row := c.b.mk("div", "class", "pinned-row")
		swap := c.b.mk("button", "type", "button", "class", "small", "data-action", "swap-"+name, "title", "show the pinned configuration and pin the one shown")
		swap.SetTextContent("Swap")
		listen(swap, "click", func() { c.b.app.SwapKey(name) })
		rm := c.b.mk("button", "type", "button", "class", "small", "data-action", "unpin-"+name)
		rm.SetTextContent("Remove")
		listen(rm, "click", func() { c.b.app.SetViewText(name, "", "") })
		add(row, swap, rm)
		add(wrap, row)
	}
	return c.finish(fd, wrap, k.Doc)
}
