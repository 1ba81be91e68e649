//go:build js && wasm

package main

import (
	"strconv"
	"strings"
	"syscall/js"

	"github.com/nnplay/nnplay/core"
	"github.com/nnplay/nnplay/core/view"
)

// controls are the inputs of one function, built from the registry: per parameter a range
// input (data-param) and a typed box (data-param-box) for Real and Int, a checkbox for Bool, a
// select for Choice, an editor for Vector; then the view's controls (x range, target, input).
type controls struct {
	b      *browser
	f      *core.Func
	fields map[string]*field // by key: a parameter's name, a view key's name, "cmp.<i>.<param>"
	shown  []shownCtl        // the controls of keys shown only for some states (Key.Shown)
}

// shownCtl is the element of a key whose control is shown only when Key.Shown says so.
type shownCtl struct {
	k      *view.Key
	e      el
	hidden bool
}

type field struct {
	key   string
	rng   el   // range input
	box   el   // typed box
	sel   el   // select (Choice)
	chk   el   // checkbox (Bool)
	elems []el // Vector / input editor boxes
	msg   el   // message next to the field
	// what fieldError last wrote (msgKey "": nothing yet; keys are never empty): a call that
	// would write the same is skipped, since each write costs style and layout and it runs on
	// every input event
	msgKey, msgText string
	msgErr          bool
	hiEnd           el        // the label of the slider's upper end
	marks           []float64 // a slider over these stops (Param.Marks): its value is an index
}

func val(e el) string { return e.Underlying().Get("value").String() }

// setVal sets a control's value when its text differs: a write invalidates the control's style
// and layout even when the value is the same, and sync runs on every input event.
func setVal(e el, s string) {
	u := e.Underlying()
	if u.Get("value").String() != s {
		u.Set("value", s)
	}
}

// num formats v for an attribute (a slider's min, max, value).
func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// listen adds an event listener through syscall/js. dom/v2's AddEventListener wraps every
// event in its Event interface, which links all of dom/v2's event types and the time package
// (about 140 KB of wasm code); the controls need only "this event happened".
func listen(e el, ev string, f func()) {
	fn := js.FuncOf(func(js.Value, []js.Value) any {
		f()
		return nil
	})
	listeners = append(listeners, fn)
	e.Underlying().Call("addEventListener", ev, fn)
}

// listeners are the controls' callbacks, released when the controls are rebuilt.
var listeners []js.Func

func releaseListeners() {
	for _, fn := range listeners {
		fn.Release()
	}
	listeners = listeners[:0]
}

// buildControls replaces the content of #controls with the controls of s.F.
func buildControls(b *browser, s *view.State) *controls {
	c := &controls{b: b, f: s.F, fields: map[string]*field{}}
	root := b.byID("controls")
	empty(root)
	releaseListeners()
	f := s.F
	if len(f.Params) > 0 {
		add(root, b.text("h2", "section-title", "Parameters"))
	} else {
		add(root, b.text("p", "no-params", f.Name+" has no parameters."))
	}
	for i := range f.Params {
		add(root, c.param(&f.Params[i], s, i))
	}
	add(root, b.text("h2", "section-title", "View"))
	// the views' keys, from core/view's registry: one control per key, or one field per group
	keys := s.ViewKeys()
	for i := 0; i < len(keys); i++ {
		k := keys[i]
		switch k.Control {
		case view.SliderBox:
			name := k.Name
			lo, _ := k.RangeOf(s)
			add(root, c.slider(name, k.LabelText(f), k.Doc, lo, k.SliderMax(s), k.StepOf(f), func(text, src string) {
				c.b.app.SetViewText(name, text, src)
			}))
		case view.Box, view.Select:
			group := []*view.Key{k}
			for i+1 < len(keys) && k.Group != "" && keys[i+1].Group == k.Group {
				i++
				group = append(group, keys[i])
			}
			add(root, c.keyGroup(f, group))
		case view.ListEditor:
			v, _ := s.Get(k.Name)
			add(root, c.vectorEditor(k.Name, k.LabelText(f), k.Doc, anyFloats(v), false))
		case view.SeriesEditor:
			add(root, c.seriesEditor(k, s))
		case view.Pinned:
			add(root, c.pinned(k, s))
		}
		if k.Shown != nil {
			if e := root.Underlying().Get("lastElementChild"); !e.IsNull() {
				c.shown = append(c.shown, shownCtl{k: k, e: wrapEl(e)})
			}
		}
	}
	c.syncShown(s)
	return c
}

// syncShown hides the controls of the keys that do not matter for s (Key.Shown).
func (c *controls) syncShown(s *view.State) {
	for i := range c.shown {
		sc := &c.shown[i]
		h := !sc.k.IsShown(s)
		if h == sc.hidden {
			continue
		}
		sc.hidden = h
		if h {
			sc.e.SetAttribute("hidden", "")
		} else {
			sc.e.RemoveAttribute("hidden")
		}
	}
}

// numBox is a typed box: text, so that whatever is typed stays as it is.
func (c *controls) numBox(key, label string) el {
	return c.b.mk("input", "class", "num", "type", "text", "inputmode", "decimal", "autocomplete", "off",
		"spellcheck", "false", "data-param-box", key, "aria-label", label)
}

// wrapField starts a field's container and registers it.
func (c *controls) wrapField(key, cls string) (*field, el) {
	fd := &field{key: key}
	c.fields[key] = fd
	return fd, c.b.mk("div", "class", cls, "data-field", key)
}

// finish adds the doc line and the message line to a field.
func (c *controls) finish(fd *field, wrap el, doc string) el {
	if doc != "" {
		add(wrap, c.b.text("p", "doc", doc))
	}
	fd.msg = c.b.mk("p", "class", "field-msg", "hidden", "", "id", "msg-"+fd.key, "aria-live", "polite")
	add(wrap, fd.msg)
	return wrap
}

// slider builds a range input with a typed box. set receives the text and the typed box's key
// ("" when the slider moved).
func (c *controls) slider(key, label, doc string, lo, hi, step float64, set func(text, src string)) el {
	fd, wrap := c.wrapField(key, "field")
	stepText := "any"
	if step > 0 {
		stepText = num(step)
	}
	lab := c.b.mk("label", "class", "pname", "for", "ctl-"+key)
	lab.SetTextContent(label)
	box := c.numBox(key, label+" (type a value)")
	box.SetAttribute("aria-describedby", "msg-"+key)
	rng := c.b.mk("input", "type", "range", "id", "ctl-"+key, "data-param", key, "min", num(lo), "max", num(hi), "step", stepText)
	hiEnd := c.b.text("span", "", core.ShortNum(hi))
	add(wrap, add(c.b.mk("div", "class", "field-head"), lab, box), rng,
		add(c.b.mk("div", "class", "range-ends"), c.b.text("span", "", core.ShortNum(lo)), hiEnd))
	fd.rng, fd.box, fd.hiEnd = rng, box, hiEnd
	listen(rng, "input", func() { set(val(rng), "") })
	listen(box, "input", func() { set(val(box), key) })
	return c.finish(fd, wrap, doc)
}

func (c *controls) param(q *core.Param, s *view.State, i int) el {
	name := q.Name
	switch q.Type {
	case core.Real, core.Int:
		step := q.Step
		if q.Type == core.Int && step <= 0 {
			step = 1
		}
		if len(q.Marks) > 1 {
			return c.markSlider(q)
		}
		return c.slider(name, name, q.Doc, q.Min, q.Max, step, func(text, src string) {
			c.b.app.SetParamText(name, text, src)
		})
	case core.Bool:
		fd, wrap := c.wrapField(name, "field field-bool")
		chk := c.b.mk("input", "type", "checkbox", "data-param", name)
		add(wrap, add(c.b.mk("label", "class", "check"), chk, c.b.text("span", "pname", name)))
		fd.chk = chk
		listen(chk, "change", func() {
			c.b.app.SetParamText(name, strconv.FormatBool(chk.Underlying().Get("checked").Bool()), "")
		})
		return c.finish(fd, wrap, q.Doc)
	case core.Choice:
		fd, wrap := c.wrapField(name, "field")
		lab := c.b.mk("label", "class", "pname", "for", "ctl-"+name)
		lab.SetTextContent(name)
		sel := c.b.mk("select", "id", "ctl-"+name, "data-param", name)
		for _, ch := range q.Choices {
			o := c.b.mk("option", "value", ch)
			o.SetTextContent(ch)
			add(sel, o)
		}
		add(wrap, lab, sel)
		fd.sel = sel
		listen(sel, "change", func() { c.b.app.SetParamText(name, val(sel), "") })
		return c.finish(fd, wrap, q.Doc)
	case core.Vector:
		return c.vectorEditor(name, name, q.Doc, s.P.Vec[i], true)
	}
	return c.b.text("p", "doc", name+": unsupported parameter type")
}

// vectorEditor builds one typed box per element with add/remove buttons. For a parameter,
// nil is PyTorch's None, shown with a button to give a vector.
func (c *controls) vectorEditor(key, label, doc string, v []float64, isParam bool) el {
	fd, wrap := c.wrapField(key, "field field-vector")
	wrap.SetAttribute("data-param", key)
	add(wrap, c.b.text("span", "pname", label))
	row := c.b.mk("div", "class", "vec-row")
	set := func(idx int, text string) {
		if isParam {
			c.b.app.SetVectorParam(key, idx, text)
		} else {
			c.b.app.SetListText(key, idx, text)
		}
	}
	if isParam && v == nil {
		add(row, c.b.text("span", "none", "None (every class weighs 1)"))
	}
	for idx := range v {
		box := c.numBox(key, label+" element "+strconv.Itoa(idx))
		box.SetAttribute("class", "num vec-num")
		box.SetAttribute("data-index", strconv.Itoa(idx))
		k := idx
		listen(box, "input", func() { set(k, val(box)) })
		add(row, box)
		fd.elems = append(fd.elems, box)
	}
	btns := c.b.mk("div", "class", "vec-buttons")
	button := func(text, title, op string) {
		bt := c.b.mk("button", "type", "button", "class", "small", "title", title)
		bt.SetTextContent(text)
		listen(bt, "click", func() { set(-1, op) })
		add(btns, bt)
	}
	button("+ element", "add an element", "add")
	if len(v) > 1 {
		button("− element", "remove the last element", "remove")
	}
	if isParam && v != nil {
		button("None", "no weight (PyTorch's default)", "none")
	}
	add(wrap, row, btns)
	return c.finish(fd, wrap, doc)
}

// keyGroup builds one field for view keys shown together (the x range's xmin and xmax; a plot's
// y-axis mode with its fixed range): a select for a Choice, a typed box for a Number.
func (c *controls) keyGroup(f *core.Func, keys []*view.Key) el {
	k0 := keys[0]
	fd, wrap := c.wrapField(k0.Name, "field field-xrange")
	add(wrap, c.b.text("span", "pname", k0.LabelText(f)))
	row := c.b.mk("div", "class", "xrange-row")
	c.finish(fd, wrap, k0.Doc)
	boxes := 0
	for _, k := range keys {
		key := k.Name
		if k.Type == view.Choice {
			sel := c.b.mk("select", "id", "ctl-"+key, "data-param", key, "aria-label", k.LabelText(f))
			for _, ch := range k.Choices {
				o := c.b.mk("option", "value", ch)
				o.SetTextContent(ch)
				add(sel, o)
			}
			add(row, sel)
			c.fields[key] = &field{key: key, sel: sel, msg: fd.msg}
			listen(sel, "change", func() { c.b.app.SetViewText(key, val(sel), "") })
			continue
		}
		box := c.numBox(key, key)
		if boxes > 0 {
			add(row, c.b.text("span", "to", "to"))
		}
		boxes++
		add(row, box)
		c.fields[key] = &field{key: key, box: box, msg: fd.msg}
		listen(box, "change", func() { c.b.app.SetViewText(key, val(box), key) })
	}
	wrap.Underlying().Call("insertBefore", row.Underlying(), fd.msg.Underlying())
	return wrap
}

// seriesStyles names each compared series' line in words, as web/src/curves.js draws it.
var seriesStyles = [view.MaxSeries]string{"orange, dashed", "green, dotted", "purple, dash-dot", "sky blue, sparse dashes"}

// seriesEditor builds the comparison's control: "Pin this curve", then per series its line
// style in words, a function select (the functions that can share the plot), its numeric,
// choice and boolean parameters, and a remove button.
func (c *controls) seriesEditor(k *view.Key, s *view.State) el {
	fd, wrap := c.wrapField(k.Name, "field field-series")
	head := c.b.mk("div", "class", "series-head")
	add(head, c.b.text("span", "pname", k.LabelText(s.F)))
	pin := c.b.mk("button", "type", "button", "class", "small", "data-action", "pin", "title", "keep the curve shown as it is, to compare it with the next one")
	pin.SetTextContent("Pin this curve")
	if len(s.Cmp) >= view.MaxSeries {
		pin.SetAttribute("disabled", "")
	}
	listen(pin, "click", func() { c.b.app.PinSeries() })
	add(head, pin)
	add(wrap, head)
	list := c.b.mk("div", "class", "series-list")
	choices := SeriesChoices(s.F)
	for i, sr := range s.Cmp {
		idx := i
		item := c.b.mk("div", "class", "series-item", "data-series", strconv.Itoa(i))
		h := c.b.mk("div", "class", "series-head")
		add(h, c.b.text("span", "series-style", "Series "+strconv.Itoa(i+1)+" ("+seriesStyles[i]+")"))
		sel := c.b.mk("select", "data-series-f", strconv.Itoa(i), "aria-label", "function of series "+strconv.Itoa(i+1))
		for _, g := range choices {
			o := c.b.mk("option", "value", g.ID)
			o.SetTextContent(g.ID)
			add(sel, o)
		}
		sel.Underlying().Set("value", sr.F.ID)
		listen(sel, "change", func() { c.b.app.SetSeriesFunc(idx, val(sel)) })
		rm := c.b.mk("button", "type", "button", "class", "small", "data-action", "remove", "aria-label", "remove series "+strconv.Itoa(i+1))
		rm.SetTextContent("Remove")
		listen(rm, "click", func() { c.b.app.RemoveSeries(idx) })
		add(h, sel, rm)
		add(item, h)
		params := c.b.mk("div", "class", "series-params")
		for j := range sr.F.Params {
			q := &sr.F.Params[j]
			name := q.Name
			key := seriesKey(i, name)
			var ctl el
			switch q.Type {
			case core.Real, core.Int:
				ctl = c.numBox(key, "series "+strconv.Itoa(i+1)+" "+name)
				listen(ctl, "change", func() { c.b.app.SetSeriesParam(idx, name, val(ctl)) })
			case core.Choice:
				ctl = c.b.mk("select", "data-param-box", key, "aria-label", "series "+strconv.Itoa(i+1)+" "+name)
				for _, ch := range q.Choices {
					o := c.b.mk("option", "value", ch)
					o.SetTextContent(ch)
					add(ctl, o)
				}
				listen(ctl, "change", func() { c.b.app.SetSeriesParam(idx, name, val(ctl)) })
			case core.Bool:
				ctl = c.b.mk("input", "type", "checkbox", "data-param-box", key, "aria-label", "series "+strconv.Itoa(i+1)+" "+name)
				listen(ctl, "change", func() {
					c.b.app.SetSeriesParam(idx, name, strconv.FormatBool(ctl.Underlying().Get("checked").Bool()))
				})
			default:
				continue
			}
			add(params, c.b.text("label", "", name), ctl)
			c.fields[key] = &field{key: key, box: ctl, msg: fd.msg}
		}
		add(item, params)
		add(list, item)
	}
	add(wrap, list)
	return c.finish(fd, wrap, k.Doc)
}

// sync writes s into the controls that ch says may have changed (every control reads from the
// DOM and may write to it: per slider update only the moved one and those its value bounds),
// except the typed box skip.
func (c *controls) sync(s *view.State, skip string, ch view.Changes) {
	f := s.F
	if f != c.f {
		return
	}
	c.syncShown(s)
	params := ch.Any(view.ChFunc | view.ChParams)
	for i := range f.Params {
		if !params {
			break
		}
		q := &f.Params[i]
		fd := c.fields[q.Name]
		if fd == nil {
			continue
		}
		switch q.Type {
		case core.Real, core.Int:
			if fd.marks != nil {
				k := nearestMark(fd.marks, s.P.Num[i])
				setVal(fd.rng, strconv.Itoa(k))
				// the parameter's value, for assistive technology and the page's hooks
				if v := num(s.P.Num[i]); fd.rng.GetAttribute("data-value") != v {
					fd.rng.SetAttribute("data-value", v)
					fd.rng.SetAttribute("aria-valuetext", v)
				}
			} else {
				setVal(fd.rng, num(s.P.Num[i]))
			}
			if skip != q.Name {
				setVal(fd.box, boxNum(s.P.Num[i]))
			}
		case core.Bool:
			if u, on := fd.chk.Underlying(), s.P.Num[i] != 0; u.Get("checked").Bool() != on {
				u.Set("checked", on)
			}
		case core.Choice:
			setVal(fd.sel, f.ChoiceOf(s.P, i))
		case core.Vector:
			c.syncElems(fd, s.P.Vec[i], skip)
		}
	}
	for _, k := range s.ViewKeys() {
		// a key whose slider ends where the parameters say (a class-index target) follows them
		if !ch.Any(view.ChFunc|k.Bit()) && !(params && k.Max != nil) {
			continue
		}
		fd := c.fields[k.Name]
		switch {
		case k.Type == view.SeriesList:
			c.syncSeries(s, skip)
			continue
		case fd == nil:
			continue
		case k.Type == view.List:
			v, _ := s.Get(k.Name)
			c.syncElems(fd, anyFloats(v), skip)
		case k.Type == view.Choice:
			setVal(fd.sel, k.Format(s))
		case fd.rng != nil:
			if hi := num(k.SliderMax(s)); fd.rng.GetAttribute("max") != hi {
				// a class-index target's slider ends at the last class (view.State.TMax)
				fd.rng.SetAttribute("max", hi)
				fd.hiEnd.SetTextContent(core.ShortNum(k.SliderMax(s)))
			}
			setVal(fd.rng, num(s.Number(k.Name)))
			if skip != k.Name {
				setVal(fd.box, boxNum(s.Number(k.Name)))
			}
		case fd.box != nil && skip != k.Name:
			setVal(fd.box, boxNum(s.Number(k.Name)))
		}
	}
}

// syncSeries writes the series' parameters into their boxes (the editor is rebuilt when the
// series' functions change: controlShape).
func (c *controls) syncSeries(s *view.State, skip string) {
	for i, sr := range s.Cmp {
		for j := range sr.F.Params {
			key := seriesKey(i, sr.F.Params[j].Name)
			fd := c.fields[key]
			if fd == nil || skip == key {
				continue
			}
			switch sr.F.Params[j].Type {
			case core.Real, core.Int:
				setVal(fd.box, boxNum(sr.P.Num[j]))
			case core.Choice:
				setVal(fd.box, sr.F.ChoiceOf(sr.P, j))
			case core.Bool:
				if u, on := fd.box.Underlying(), sr.P.Num[j] != 0; u.Get("checked").Bool() != on {
					u.Set("checked", on)
				}
			}
		}
	}
}

func (c *controls) syncElems(fd *field, v []float64, skip string) {
	for idx, box := range fd.elems {
		if idx >= len(v) {
			break
		}
		if skip == fd.key+"."+strconv.Itoa(idx) {
			continue
		}
		setVal(box, boxNum(v[idx]))
	}
}

// fieldError shows msg next to the field of key ("weight.2" belongs to weight), or hides it.
func (c *controls) fieldError(key, msg string) {
	base, idx, hasIdx := strings.Cut(key, ".")
	fd := c.fields[base]
	if fd == nil || fd.msg == nil {
		return
	}
	var box el
	switch {
	case hasIdx:
		if n, err := strconv.Atoi(idx); err == nil && n < len(fd.elems) {
			box = fd.elems[n]
		}
	default:
		box = fd.box
	}
	isErr := msg != "" && c.b.app.isFieldErr(key)
	if fd.msgKey == key && fd.msgText == msg && fd.msgErr == isErr {
		return
	}
	fd.msgKey, fd.msgText, fd.msgErr = key, msg, isErr
	if msg == "" {
		fd.msg.SetAttribute("hidden", "")
		fd.msg.SetTextContent("")
		if box != nil {
			box.RemoveAttribute("aria-invalid")
		}
		return
	}
	fd.msg.RemoveAttribute("hidden")
	fd.msg.SetTextContent(msg)
	if isErr {
		fd.msg.SetAttribute("class", "field-msg error")
	} else {
		fd.msg.SetAttribute("class", "field-msg note")
	}
	if box != nil {
		if isErr {
			box.SetAttribute("aria-invalid", "true")
		} else {
			box.RemoveAttribute("aria-invalid")
		}
	}
}

// markSlider is a parameter's slider over its stops (Param.Marks: ignore_index's -100, 0, ...,
// 9): the range input runs over the stops' indices and sends the stop's value, and carries the
// value in data-value and aria-valuetext (data-min, data-max: the first and last stops); the
// typed box takes any value in [Min, Max].
func (c *controls) markSlider(q *core.Param) el {
	name, marks := q.Name, q.Marks
	e := c.slider(name, name, q.Doc, 0, float64(len(marks)-1), 1, func(text, src string) {
		if src == "" {
			if i, err := strconv.Atoi(text); err == nil && i >= 0 && i < len(marks) {
				text = num(marks[i])
			}
		}
		c.b.app.SetParamText(name, text, src)
	})
	fd := c.fields[name]
	fd.marks = marks
	fd.rng.SetAttribute("data-min", num(marks[0]))
	fd.rng.SetAttribute("data-max", num(marks[len(marks)-1]))
	fd.hiEnd.SetTextContent(core.ShortNum(marks[len(marks)-1]))
	if lo := fd.hiEnd.Underlying().Get("previousElementSibling"); lo.Truthy() {
		lo.Set("textContent", core.ShortNum(marks[0])+" (none)")
	}
	return e
}

// nearestMark returns the index of the stop nearest to v.
func nearestMark(marks []float64, v float64) int {
	best := 0
	for i, m := range marks {
		if d, b := m-v, marks[best]-v; d*d < b*b {
			best = i
		}
	}
	return best
}
