/**
 * The Lab end to end in headless Chromium on the built app and the embedded model, on WASM (chosen on the main page:
 * WebGPU here is SwiftShader, far slower) with lean runs of 4 steps × 4 frames: open it from the header, the Schedule
 * chart before any run, a recorded run stepped by slider and keys, Compare guidance, the denoising film, a lesson
 * link reproducing the same pixels after a reload, bad link values named, a stopped run keeping its steps, the
 * finished clip's Sound strip under the frames, the Conditioning view of a continuation of that run, presentation mode
 * at 1280×720 and a 390 px phone, axe-core on each screen, also in a browser without WebGPU; then the one route
 * between Create, Library and Lab through the header, Back and Forward.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations, type LaunchedBrowser, launchBrowser, noWebGpuNotice, parseVideo, type StaticServer, startStaticServer,
} from './harness';

let server: StaticServer;
let browser: LaunchedBrowser;
let page: Page;

beforeAll(async () => {
  server = await startStaticServer('dist');
  browser = await launchBrowser();
  page = browser.page;
  page.setDefaultNavigationTimeout(120_000); // two cores shared with other suites and a training job
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(server.url);
  await modelReady();
  await page.getByLabel('Backend').selectOption('wasm');
  await page.waitForFunction(() => {
    const m = window.kineto?.getState().model;
    return m?.status === 'ready' && m.backendInfo.backend === 'wasm';
  }, null, { timeout: 120_000 });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function modelReady(p = page): Promise<void> {
  await p.waitForFunction(() => window.kineto?.getState().model.status === 'ready', null, { timeout: 300_000 });
}

/** Waits for the Lab to finish what it is doing (a run, comparisons, an export). */
async function labIdle(p = page, timeout = 240_000): Promise<void> {
  await p.waitForFunction(() => window.kineto!.getState().lab.status === 'idle', null, { timeout });
}

async function setLab(fields: Record<string, string>, p = page): Promise<void> {
  const form = p.getByRole('form', { name: 'Lab settings' });
  for (const [label, value] of Object.entries(fields)) {
    const field = form.getByLabel(label, { exact: true });
    if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
}

async function run(p = page): Promise<void> {
  await p.getByRole('button', { name: 'Run', exact: true }).click();
  await p.waitForFunction(() => window.kineto!.getState().lab.status === 'running', null, { timeout: 10_000 }).catch(() => {});
  await labIdle(p);
}

/** The x̂0 image shown now (after its view has arrived for the selected step and frame). */
async function shownX0(): Promise<{ step: number; t: number; pixels: number[] }> {
  await page.waitForFunction(() => {
    const l = window.kineto!.getState().lab;
    return l.stepView !== null && l.run !== null && l.stepView.step === l.run.recorded[l.position]!.index && l.stepView.frame === l.frame;
  }, null, { timeout: 30_000 });
  return page.evaluate(() => {
    const v = window.kineto!.getState().lab.stepView!;
    return { step: v.step, t: v.timestep, pixels: Array.from(v.x0.rgba) };
  });
}

async function tText(): Promise<string> {
  return (await page.getByTestId('lab-t').textContent()) ?? '';
}

/** axe-core on the whole page: no serious or critical violations (injected so that the app's CSP allows it). */
async function axe(where: string, p = page): Promise<void> {
  expect(await axeViolations(p), where).toEqual([]);
}

async function noScroll(width: number, height: number): Promise<void> {
  const size = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
  expect(size.w, 'page width').toBeLessThanOrEqual(width);
  expect(size.h, 'page height').toBeLessThanOrEqual(height);
}

describe('Kineto Lab in Chromium', () => {
  it('opens from the header link named Lab and draws the Schedule before any run', async () => {
    await page.getByRole('link', { name: 'Lab', exact: true }).click();
    expect(new URL(page.url()).hash).toBe('#/lab');
    await modelReady();
    await page.getByRole('tab', { name: /Schedule/ }).click();
    const chart = page.getByRole('img', { name: /Schedule/ });
    await setLab({ Steps: '6' });
    await expect.poll(() => chart.locator('circle.marker-main').count()).toBe(6);
    await setLab({ Scheduler: 'euler', Steps: '4' });
    await expect.poll(() => chart.locator('circle.marker-main').count()).toBe(4);
    await page.getByLabel('Overlay scheduler').selectOption('dpm-solver++');
    await expect.poll(() => chart.locator('rect.marker-overlay').count()).toBe(4);
    await setLab({ Scheduler: 'ddim' });
    await axe('Lab, Schedule view');
  });

  it('runs, and the Step slider and ←/→ change the shown t and x̂0', async () => {
    await setLab({ Frames: '4', Steps: '4', Seed: '21' });
    await page.getByRole('tab', { name: /Step by step/ }).click();
    await run();
    const summary = await page.evaluate(() => window.kineto!.getState().lab.run!);
    expect(summary.stopped).toBe(false);
    expect(summary.recorded.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    const last = await shownX0();
    expect(last.step).toBe(3);
    await expect.poll(tText).toBe(`t = ${last.t}`);
    await expect.poll(() => page.getByTestId('lab-step-numbers').textContent()).toContain('step 4 of 4');
    // Under the frames, the finished clip's sound on its time axis (4 frames at 8 fps), described for screen readers.
    if ('problem' in summary.sound) throw new Error(summary.sound.problem);
    const strip = page.getByRole('img', { name: /^Sound of the finished clip, 0\.5 s, following .+; loudness -?\d+\.\d LUFS/ });
    await expect.poll(() => strip.count()).toBe(1);
    const bars = summary.sound.events.filter((e) => e.kind !== 'impact' && e.kind !== 'still');
    expect(await strip.locator('rect.bar').count()).toBe(bars.length);
    expect(await strip.locator('line.impact').count()).toBe(summary.sound.events.length - bars.length - summary.sound.events.filter((e) => e.kind === 'still').length);
    expect(await strip.locator('path.level').getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+){20}$/);
    const playhead = () => strip.locator('line.playhead').getAttribute('x1');
    const atFrame0 = await playhead();

    const slider = page.getByRole('slider', { name: 'Step', exact: true });
    await slider.focus();
    await page.keyboard.press('ArrowLeft');
    const third = await shownX0();
    expect(third.step).toBe(2);
    expect(third.t).not.toBe(last.t);
    await expect.poll(tText).toBe(`t = ${third.t}`);
    expect(third.pixels).not.toEqual(last.pixels);

    await page.getByRole('tab', { name: /Step by step/ }).focus();
    await page.keyboard.press('ArrowLeft'); // the Lab's own key: not on a slider
    const second = await shownX0();
    expect(second.step).toBe(1);
    await page.keyboard.press('ArrowUp');
    await page.waitForFunction(() => window.kineto!.getState().lab.frame === 1);
    // The strip marks the frame shown: a frame later is 1/8 s further right.
    expect(Number(await playhead())).toBeGreaterThan(Number(atFrame0));
    // A new frame: its step shows first, then the frame's other steps arrive in one batched reply.
    const otherFrame = await shownX0();
    expect(otherFrame.step).toBe(1);
    expect(otherFrame.pixels).not.toEqual(second.pixels);
    await page.keyboard.press('ArrowRight');
    expect((await shownX0()).step).toBe(2);
    await axe('Lab, Step by step view');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth), 'Step view with its Sound strip at 390 px').toBeLessThanOrEqual(390);
    await axe('Lab, Step by step view with its Sound strip, at 390 px');
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.getByRole('button', { name: 'Presentation mode' }).click();
    await noScroll(1280, 720);
    // The presented panel hides what overflows it: the strip and its caption must end inside it.
    const overflow = await page.evaluate(() => document.querySelector('.lab-sound-strip')!.getBoundingClientRect().bottom - document.querySelector('.lab-panel')!.getBoundingClientRect().bottom);
    expect(overflow, 'the Sound strip inside the presented panel').toBeLessThanOrEqual(0);
    await page.getByRole('button', { name: 'Leave presentation' }).click();

    await page.getByRole('tab', { name: /Pipeline/ }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Tokens' }).textContent()).toContain('red');
    await page.getByRole('tab', { name: /Forward process/ }).click();
    await page.getByRole('slider', { name: 'Noise level t' }).fill('900');
    await page.waitForFunction(() => window.kineto!.getState().lab.forward?.timestep === 900, null, { timeout: 30_000 });
    await page.getByRole('button', { name: 'Show the maths' }).click();
    await expect.poll(() => page.locator('.lab-maths math').count()).toBe(1);
    await axe('Lab, Forward process view with maths');
  });

  it('Conditioning shows a continuation window by window: given frames, made frames and the mask over the strip', async () => {
    await page.getByRole('tab', { name: /Conditioning/ }).click();
    const windows = page.getByRole('list', { name: 'Windows' }).locator(':scope > li');
    await expect.poll(() => windows.count()).toBe(3); // the plan of 4 s from text, before anything runs
    await page.getByRole('combobox', { name: 'Start from' }).selectOption('clip');
    await page.getByRole('spinbutton', { name: 'Seconds' }).fill('2');
    await page.getByRole('button', { name: 'Run continuation' }).press('Enter');
    await page.waitForFunction(() => window.kineto!.getState().lab.conditioning.result !== null, null, { timeout: 240_000 });
    await labIdle();
    // The run's 4 frames continued by 16: window 1 is given all 4 and makes 12, window 2 is given the last 4 of those.
    await expect.poll(() => windows.count()).toBe(2);
    const first = windows.nth(0);
    expect(await first.locator('.lab-mask').allTextContents()).toEqual(['1', '1', '1', '1', ...new Array(12).fill('0')]);
    expect(await first.locator('.lab-cell-given canvas').count()).toBe(4);
    expect(await first.locator('.lab-cell-made canvas').count()).toBe(12);
    expect(await first.textContent()).toContain('The model was given frames 1–4 (from the clip it continues) and made 12 new frames (frames 5–16).');
    expect(await first.textContent()).toContain("The model's conditioning inputs");
    expect(await windows.nth(1).textContent()).toContain('frames 13–16 (made by window 1)');
    await axe('Lab, Conditioning view');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth), 'Conditioning view at 390 px').toBeLessThanOrEqual(390);
    await axe('Lab, Conditioning view at 390 px');
    await page.setViewportSize({ width: 1280, height: 720 });
  });

  it('Compare guidance shows three runs in lock step', async () => {
    await page.getByRole('tab', { name: /Guidance/ }).click();
    await page.getByRole('button', { name: 'Compare guidance' }).click();
    await page.waitForFunction(() => window.kineto!.getState().lab.status === 'running', null, { timeout: 10_000 }).catch(() => {});
    await labIdle();
    await page.waitForFunction(() => {
      const l = window.kineto!.getState().lab;
      return l.guidanceViews.length === 3 && l.guidanceViews.every((v) => v !== null);
    }, null, { timeout: 30_000 });
    const runs = await page.evaluate(() => window.kineto!.getState().lab.guidanceRuns.map((r) => r.params.guidanceScale));
    expect(runs).toEqual([1, 3, 7]);
    await expect.poll(() => page.getByTestId('guidance-compare').getByRole('img').count()).toBe(3);
    // Lock step: every run shows the selected step.
    const steps = await page.evaluate(() => {
      const l = window.kineto!.getState().lab;
      return [l.run!.recorded[l.position]!.index, ...l.guidanceViews.map((v) => v!.step)];
    });
    expect(new Set(steps).size).toBe(1);
    await axe('Lab, Guidance view');
  });

  it('exports a denoising film with one frame per step', async () => {
    await page.getByRole('button', { name: 'Export denoising film' }).click();
    const link = page.getByTestId('lab-export-film');
    await link.waitFor({ timeout: 120_000 });
    const bytes = await page.evaluate(async () => {
      const url = document.querySelector<HTMLAnchorElement>('[data-testid="lab-export-film"]')!.href;
      return Array.from(new Uint8Array(await (await fetch(url)).arrayBuffer()));
    });
    const video = await parseVideo(new Uint8Array(bytes));
    const steps = await page.evaluate(() => window.kineto!.getState().lab.run!.recorded.length);
    expect(video.frameCount).toBe(steps);
  });

  it('a lesson link reproduces the same x̂0 pixels after a reload, at the same view and step', async () => {
    await page.getByRole('tab', { name: /Step by step/ }).click();
    await page.getByRole('slider', { name: 'Step', exact: true }).fill('1');
    await page.evaluate(() => window.kineto!.getState().setLabFrame(0));
    const before = await shownX0();
    const href = await page.getByRole('link', { name: 'Lesson link' }).getAttribute('href');
    expect(href).toContain('view=step');
    expect(href).toContain('step=2');
    // Opened afresh twice (the backend is then this browser's default): the same pixels each time, and the same
    // as before when that default is the backend the link was made on.
    const open = async () => {
      await modelReady();
      await page.waitForFunction(() => window.kineto!.getState().lab.run !== null, null, { timeout: 240_000 });
      await labIdle();
      return { ...(await shownX0()), backend: await page.evaluate(() => { const m = window.kineto!.getState().model; return m.status === 'ready' ? m.backendInfo.backend : null; }) };
    };
    await page.goto(href!);
    await page.reload();
    const first = await open();
    await page.reload();
    const second = await open();
    expect(first.step).toBe(before.step);
    expect(second.step).toBe(before.step);
    expect(second.pixels).toEqual(first.pixels);
    if (first.backend === 'wasm') expect(first.pixels).toEqual(before.pixels);
    expect(await page.getByRole('tab', { name: /Step by step/ }).getAttribute('aria-selected')).toBe('true');
  });

  it('names bad lesson-link values and uses the defaults', async () => {
    await page.goto(`${server.url}#/lab?prompt=a%20blue%20star&seed=minus&steps=2&frames=4&guidance=3&scheduler=warp&view=nowhere&step=1`);
    await page.reload();
    const alert = page.getByRole('alert').filter({ hasText: 'seed' });
    await expect.poll(() => alert.textContent()).toContain('The link\'s seed "minus" is not valid');
    await expect.poll(() => alert.textContent()).toContain('scheduler "warp"');
    await expect.poll(() => alert.textContent()).toContain('view "nowhere"');
    await modelReady();
    await labIdle();
    await page.waitForFunction(() => window.kineto!.getState().lab.run !== null, null, { timeout: 240_000 });
    const p = await page.evaluate(() => window.kineto!.getState().lab.run!.params);
    expect(p).toMatchObject({ prompt: 'a blue star', steps: 2, scheduler: 'ddim', frames: 4 });
  });

  it('a stopped run keeps the steps it recorded and says it stopped', async () => {
    await setLab({ Steps: '40', Frames: '4' });
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(() => (window.kineto!.getState().lab.progress?.step ?? 0) >= 2, null, { timeout: 60_000 });
    await page.getByRole('button', { name: 'Stop' }).click();
    await labIdle();
    const r = await page.evaluate(() => window.kineto!.getState().lab.run!);
    expect(r.stopped).toBe(true);
    expect(r.recorded.length).toBeGreaterThanOrEqual(2);
    expect(r.recorded.length).toBeLessThan(40);
    await expect.poll(() => page.locator('.lab-messages').textContent()).toContain(`The run stopped after ${r.recorded.length} of 40 steps`);
    await page.getByRole('tab', { name: /Step by step/ }).click();
    await expect.poll(() => page.locator('.lab-sound-strip').textContent()).toContain('The run stopped before the clip was finished, so it has no sound.');
  });

  it('presentation mode fits 1280×720 without scrolling; the Lab fits a 390 px phone', async () => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await page.getByRole('button', { name: 'Presentation mode' }).click();
    for (const key of ['1', '2', '3', '4', '5', '6', '7']) {
      await page.keyboard.press(key);
      await noScroll(1280, 720);
    }
    await page.keyboard.press('3');
    await axe('Lab, presentation mode');
    await page.getByRole('button', { name: 'Leave presentation' }).click();
    await page.setViewportSize({ width: 390, height: 844 });
    for (const view of ['Pipeline', 'Schedule', 'Step by step', 'Guidance', 'Compare runs', 'Forward process', 'Conditioning']) {
      await page.getByRole('tab', { name: new RegExp(view) }).click();
      const w = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(w, view).toBeLessThanOrEqual(390);
    }
    await axe('Lab at 390 px');
    expect(browser.errors.map((e) => e.message)).toEqual([]);
  });

  it('one route: the header, Back and Forward move between Create, Library and Lab; #library and #/library open the Library', async () => {
    await page.setViewportSize({ width: 1280, height: 720 });
    const nav = page.getByRole('navigation', { name: 'Views' });
    const shown = async () => {
      const current = nav.locator('a[aria-current="page"]');
      await expect.poll(() => current.count()).toBe(1);
      const view = await current.textContent();
      const marker = { Create: page.getByRole('button', { name: 'Generate', exact: true }), Library: page.getByRole('heading', { name: 'Library', exact: true }), Lab: page.getByRole('main', { name: 'Kineto Lab' }) }[view ?? ''];
      await marker!.waitFor();
      return { view, hash: new URL(page.url()).hash };
    };
    await page.goto(`${server.url}#library`);
    expect(await shown()).toEqual({ view: 'Library', hash: '#library' });
    await nav.getByRole('link', { name: 'Create', exact: true }).click();
    expect(await shown()).toEqual({ view: 'Create', hash: '' });
    await nav.getByRole('link', { name: 'Lab', exact: true }).click();
    expect(await shown()).toEqual({ view: 'Lab', hash: '#/lab' });
    await nav.getByRole('link', { name: 'Library', exact: true }).click();
    expect(await shown()).toEqual({ view: 'Library', hash: '#/library' });
    await page.goBack();
    expect(await shown()).toEqual({ view: 'Lab', hash: '#/lab' });
    await page.goBack();
    expect(await shown()).toEqual({ view: 'Create', hash: '' });
    await page.goBack();
    expect(await shown()).toEqual({ view: 'Library', hash: '#library' });
    await page.goForward();
    expect(await shown()).toEqual({ view: 'Create', hash: '' });
    await page.goForward();
    expect(await shown()).toEqual({ view: 'Lab', hash: '#/lab' });
    await page.goto(`${server.url}#/library`);
    await page.reload();
    expect(await shown()).toEqual({ view: 'Library', hash: '#/library' });
    expect(browser.errors.map((e) => e.message)).toEqual([]);
  });
});

describe('Kineto Lab in Chromium without WebGPU', () => {
  it('passes axe on the screens checked above, at the same sizes, with the notice that says so', async () => {
    const plain = await launchBrowser({ webgpu: false });
    try {
      const p = plain.page;
      p.setDefaultNavigationTimeout(120_000);
      await p.setViewportSize({ width: 1280, height: 720 });
      await p.goto(server.url);
      await modelReady(p);
      await noWebGpuNotice(p);
      await p.getByRole('link', { name: 'Lab', exact: true }).click();
      await p.getByRole('tab', { name: /Schedule/ }).click();
      await axe('Lab, Schedule view, without WebGPU', p);

      await setLab({ Frames: '4', Steps: '4', Seed: '21' }, p);
      await p.getByRole('tab', { name: /Step by step/ }).click();
      await run(p);
      await axe('Lab, Step by step view, without WebGPU', p);

      await p.getByRole('tab', { name: /Forward process/ }).click();
      await p.getByRole('slider', { name: 'Noise level t' }).fill('900');
      await p.waitForFunction(() => window.kineto!.getState().lab.forward?.timestep === 900, null, { timeout: 30_000 });
      await p.getByRole('button', { name: 'Show the maths' }).click();
      await expect.poll(() => p.locator('.lab-maths math').count()).toBe(1);
      await axe('Lab, Forward process view with maths, without WebGPU', p);
      await p.getByRole('tab', { name: /Conditioning/ }).click();
      await p.getByRole('list', { name: 'Windows' }).waitFor();
      await axe('Lab, Conditioning view (its plan), without WebGPU', p);

      await p.getByRole('tab', { name: /Guidance/ }).click();
      await p.getByRole('button', { name: 'Compare guidance' }).click();
      await p.waitForFunction(() => window.kineto!.getState().lab.status === 'running', null, { timeout: 10_000 }).catch(() => {});
      await labIdle(p);
      await p.waitForFunction(() => {
        const views = window.kineto!.getState().lab.guidanceViews;
        return views.length === 3 && views.every((v) => v !== null);
      }, null, { timeout: 30_000 });
      await axe('Lab, Guidance view, without WebGPU', p);

      await p.getByRole('button', { name: 'Presentation mode' }).click();
      await p.keyboard.press('3');
      await axe('Lab, presentation mode, without WebGPU', p);
      await p.getByRole('button', { name: 'Leave presentation' }).click();
      await p.setViewportSize({ width: 390, height: 844 });
      await axe('Lab at 390 px, without WebGPU', p);
    } finally {
      await plain.close();
    }
  });
});
