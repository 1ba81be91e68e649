// The depth lab's browser tests (?lab=depth): the lab opens in its own program, its controls
// drive it, its numbers are nnplay.depth's, its presets show their effect (a screenshot each),
// comparing pins and swaps, and bad settings get a message. run.mjs calls depthTests with its
// harness.

export function depthTests({ test, base, open, newContext, waitReady, noProblems, T_STEP, T_READY, SHOTS, join, mkdirSync }) {
  // waits until the lab shows the sample of the current settings
  const sampled = (page) => page.waitForSelector('#card-depth-signal[data-sample="1"]', { timeout: T_READY, state: 'attached' });
  // the sample's numbers as the page drew them, and nnplay.depth's for the same state
  const drawnAndApi = (page) => page.evaluate(() => {
    const el = document.querySelector('#card-depth-signal');
    const g = document.querySelector('#card-depth-grad');
    const st = { ...nnplay.state(), ...nnplay.view() };
    const { f, lab, vs, ...rest } = st;
    const params = {};
    const keys = {};
    const lk = new Set(nnplay.views().flatMap((v) => v.keys.map((k) => k.name)));
    for (const [k, v] of Object.entries(rest)) (lk.has(k) ? keys : params)[k] = v;
    const r = nnplay.depth({ f, params, ...keys });
    return {
      depth: Number(el.dataset.depth), diagnosis: el.dataset.diagnosis,
      gradFirst: Number(g.dataset.gradFirst), gradLast: Number(g.dataset.gradLast),
      deadMax: Number(document.querySelector('#card-depth-dead').dataset.deadMax),
      api: r,
    };
  });

  test('depth lab: opens in its own wasm, the function page does not load it', async (c) => {
    const ctx = await newContext();
    try {
      const wasm = [];
      const page = await ctx.newPage();
      page.on('request', (r) => { if (/\.wasm$/.test(r.url())) wasm.push(r.url().split('/').pop()); });
      await page.goto(base() + '/?lab=depth', { waitUntil: 'load' });
      await waitReady(page);
      await sampled(page);
      c.ok(wasm.length >= 1 && wasm.every((w) => /^nnplay-lab-/.test(w)), `the lab page loads the labs' wasm only (${wasm})`);
      c.eq(await page.evaluate(() => nnplay.state().lab), 'depth', 'state().lab');
      c.eq(await page.evaluate(() => typeof nnplay.depth), 'function', 'nnplay.depth on the lab page');
      c.ok(/depth lab/i.test(await page.title()), `the title names the lab (${await page.title()})`);
      const fn = await ctx.newPage();
      const fwasm = [];
      fn.on('request', (r) => { if (/\.wasm$/.test(r.url())) fwasm.push(r.url().split('/').pop()); });
      await fn.goto(base() + '/?f=relu', { waitUntil: 'load' });
      await waitReady(fn);
      c.ok(fwasm.length >= 1 && fwasm.every((w) => /^nnplay-[0-9a-f]+\.wasm$/.test(w)), `the function page loads its own wasm only (${fwasm})`);
      c.eq(await fn.evaluate(() => typeof nnplay.depth), 'undefined', 'no nnplay.depth on the function page');
      // the function page's header leads to the lab
      await fn.click('.site-nav a[href="./?lab=depth"]');
      await fn.waitForSelector('#card-depth-signal[data-sample="1"]', { timeout: T_READY, state: 'attached' });
      c.eq(await fn.evaluate(() => nnplay.state().lab), 'depth', 'the header\'s "Depth lab" link opens the lab');
      await fn.goBack();
      await waitReady(fn);
      const err = await fn.evaluate(() => nnplay.setState({ lab: 'depth' }).then(() => '', (e) => e.message));
      c.ok(/lab/.test(err), `setState({lab}) on the function page says why it cannot (${err})`);
    } finally {
      await ctx.close();
    }
  });

  test('depth lab: the page\'s numbers are nnplay.depth\'s, and the controls drive it', async (c) => {
    const ctx = await newContext();
    try {
      const page = await open(ctx, '/?lab=depth&f=tanh&init=xavier_normal&depth=12&width=32&batch=128');
      await sampled(page);
      let d = await drawnAndApi(page);
      c.eq(d.depth, 12, 'the strips show 12 layers');
      c.eq(d.api.layers.length, 12, 'nnplay.depth gives 12 layers');
      c.eq(d.gradFirst, d.api.layers[0].grad, 'the first layer\'s gradient: page = nnplay.depth');
      c.eq(d.gradLast, d.api.layers[11].grad, 'the last layer\'s gradient: page = nnplay.depth');
      c.eq(d.diagnosis, d.api.diagnosis, 'the diagnosis: page = nnplay.depth');
      // tanh with xavier (σ_w² = 1): the theory's χ₁ is 1 at q* = 0 (the edge of chaos)
      c.ok(Math.abs(d.api.theory.q[0] - 1) < 1e-12, `q_1 = σ_w²·E[x²] = 1 (${d.api.theory.q[0]})`);
      // the depth slider: one step right is 13 layers
      await page.focus('input[type=range][data-param="depth"]');
      await page.keyboard.press('ArrowRight');
      await page.waitForSelector('#card-depth-signal[data-depth="13"][data-sample="1"]', { timeout: T_STEP * 4 });
      d = await drawnAndApi(page);
      c.eq(d.api.layers.length, 13, 'after the slider, nnplay.depth of the state gives 13 layers');
      c.eq(d.gradFirst, d.api.layers[0].grad, 'after the slider: page = nnplay.depth');
      c.ok(/depth=13/.test(await page.evaluate(() => new Promise((r) => setTimeout(() => r(location.search), 700)))), 'depth=13 in the URL');
      // the init select shows its own keys: gain for xavier, a and nonlinearity for kaiming
      c.ok(await page.isVisible('[data-field="gain"]'), 'gain shown for xavier_normal');
      await page.selectOption('select[data-param="init"]', 'kaiming_normal');
      await page.waitForFunction(() => nnplay.view().init === 'kaiming_normal', null, { timeout: T_STEP });
      c.ok(!(await page.isVisible('[data-field="gain"]')), 'gain hidden for kaiming_normal');
      c.ok(await page.isVisible('select[data-param="nonlinearity"]'), 'nonlinearity shown for kaiming_normal');
      // typing a bias mean kills ReLUs
      await page.selectOption('#picker', 'relu');
      await page.waitForFunction(() => nnplay.state().f === 'relu', null, { timeout: T_STEP });
      await page.fill('[data-param-box="bias_mean"]', '-1');
      await page.waitForFunction(() => nnplay.view().bias_mean === -1, null, { timeout: T_STEP });
      await sampled(page);
      await page.waitForFunction(() => Number(document.querySelector('#card-depth-dead').dataset.deadMax) > 0.5, null, { timeout: T_STEP * 4 });
      d = await drawnAndApi(page);
      c.ok(d.deadMax > 0.5 && Math.max(...d.api.layers.map((l) => l.dead)) === d.deadMax, `a bias mean of −1 kills most ReLUs (${d.deadMax})`);
      noProblems(c, page);
    } finally {
      await ctx.close();
    }
  });

  test('depth lab: every preset shows its effect (a screenshot each)', async (c) => {
    mkdirSync(SHOTS, { recursive: true });
    const ctx = await newContext({ viewport: { width: 1280, height: 900 } });
    const expect = {
      sigmoid: /gradients shrink by a factor of about 0\.1/, tanh: /gradients shrink by a factor of about 0\.9/, dying: /every unit is dead/, leaky: /gradients (shrink|keep)/,
      selu: /self-normalising fixed point/, linear: /one linear layer/, gelu: /gradients/,
    };
    try {
      const page = await open(ctx, '/?lab=depth');
      await sampled(page);
      const ids = await page.$$eval('[data-preset]', (as) => as.map((a) => a.dataset.preset));
      c.eq(ids.sort(), Object.keys(expect).sort(), 'the presets');
      for (const id of ids) {
        await page.click(`[data-preset="${id}"]`);
        await page.waitForFunction((id) => {
          const a = document.querySelector(`[data-preset="${id}"]`);
          return location.search === new URL(a.href).search;
        }, id, { timeout: T_STEP });
        await page.waitForTimeout(50);
        await sampled(page);
        const diag = await page.$eval('#card-depth-signal', (e) => e.dataset.diagnosis);
        c.ok(expect[id].test(diag), `preset ${id}: "${diag}"`);
        await page.waitForTimeout(150);
        await page.screenshot({ path: join(SHOTS, `depth-${id}.png`), fullPage: true });
        c.note(`wrote depth-${id}.png`);
      }
      // the comparing presets draw the pinned network too
      await page.click('[data-preset="selu"]');
      await page.waitForFunction(() => new URLSearchParams(location.search).get('f') === 'selu', null, { timeout: T_STEP });
      await sampled(page);
      c.ok(await page.isVisible('[data-action="swap-vs"]'), 'the SELU preset pins ReLU: Swap is offered');
      noProblems(c, page);
    } finally {
      await ctx.close();
    }
  });

  test('depth lab: pin, switch, swap, remove; setState opens a state', async (c) => {
    const ctx = await newContext();
    try {
      const page = await open(ctx, '/?lab=depth&f=selu&init=lecun_normal&depth=10');
      await sampled(page);
      await page.click('[data-action="pin-vs"]');
      await page.waitForFunction(() => nnplay.view().vs === 'f=selu&init=lecun_normal', null, { timeout: T_STEP });
      await page.selectOption('#picker', 'relu');
      await page.waitForFunction(() => nnplay.state().f === 'relu', null, { timeout: T_STEP });
      c.eq(await page.evaluate(() => nnplay.view().vs), 'f=selu&init=lecun_normal', 'the pin survives the switch');
      await sampled(page);
      const txt = await page.$eval('#card-depth-signal', (e) => e.innerText);
      c.ok(/SELU/.test(txt) && /ReLU/.test(txt), 'both configurations are named on the signal card');
      await page.click('[data-action="swap-vs"]');
      await page.waitForFunction(() => nnplay.state().f === 'selu', null, { timeout: T_STEP });
      c.eq(await page.evaluate(() => nnplay.view().vs), 'f=relu&init=lecun_normal', 'swap pins the other one');
      await page.click('[data-action="unpin-vs"]');
      await page.waitForFunction(() => nnplay.view().vs === '', null, { timeout: T_STEP });
      // setState opens a state, all or nothing, with the controls' messages
      const s = await page.evaluate(() => nnplay.setState({ lab: 'depth', f: 'gelu', depth: 7, init: 'orthogonal', gain: 1.5 }));
      c.eq([s.f, s.lab], ['gelu', 'depth'], 'setState({lab, f, ...})');
      c.eq(await page.evaluate(() => [nnplay.view().depth, nnplay.view().init, nnplay.view().gain]), [7, 'orthogonal', 1.5], 'view() after setState');
      const bad = await page.evaluate(() => nnplay.setState({ width: 1e6 }).then(() => '', (e) => e.message));
      c.ok(/width/.test(bad) && /512/.test(bad), `width 1e6 is refused with a message (${bad})`);
      const bad2 = await page.evaluate(() => { try { nnplay.depth({ f: 'relu', depth: 0 }); return ''; } catch (e) { return e.message; } });
      c.ok(/depth/.test(bad2) && /50/.test(bad2), `nnplay.depth({depth: 0}) throws the control's message (${bad2})`);
      const bad3 = await page.evaluate(() => nnplay.setState({ f: 'softmax' }).then(() => '', (e) => e.message));
      c.ok(/softmax/.test(bad3), `an activation the lab cannot take is refused (${bad3})`);
      c.eq(await page.evaluate(() => nnplay.view().depth), 7, 'a refused setState leaves the state');
      noProblems(c, page);
    } finally {
      await ctx.close();
    }
  });

  test('depth lab: a bad link gets messages and the lab still works; a large network shows progress', async (c) => {
    const ctx = await newContext();
    try {
      const page = await open(ctx, '/?lab=depth&f=softmax&depth=0&width=1000000&init=nope');
      await sampled(page);
      const msgs = await page.$eval('#messages', (e) => e.innerText);
      for (const k of ['softmax', 'depth', 'width', 'init']) c.ok(msgs.includes(k), `the messages name ${k}`);
      c.eq(await page.evaluate(() => nnplay.state().f), 'relu', 'the lab\'s default function');
      // a large network: the page answers while the sample is computed, and shows progress
      await page.evaluate(() => nnplay.setState({ depth: 50, width: 256, batch: 1024 }));
      const seen = await page.evaluate(async () => {
        const el = document.querySelector('#card-depth-signal');
        let progress = false;
        let maxGap = 0;
        let last = performance.now();
        for (let i = 0; i < 600 && el.dataset.sample !== '1'; i++) {
          await new Promise((r) => setTimeout(r, 5));
          const now = performance.now();
          maxGap = Math.max(maxGap, now - last);
          last = now;
          const bar = el.querySelector('[role="progressbar"]');
          if (bar && bar.getClientRects().length > 0 && el.dataset.sample === '0') progress = true;
        }
        return { progress, maxGap, done: el.dataset.sample === '1' };
      });
      c.ok(seen.progress, 'a progress bar while the sample is computed');
      c.ok(seen.maxGap < 250, `the page keeps answering (longest gap between timers ${seen.maxGap.toFixed(0)} ms)`);
      c.note(`large network: ${JSON.stringify(seen)}`);
      await page.screenshot({ path: join(SHOTS, 'depth-bad-link.png') });
    } finally {
      await ctx.close();
    }
  });
}
