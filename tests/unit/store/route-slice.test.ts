import { describe, expect, it } from 'vitest';
import { lessonHash } from '../../../src/lab/lesson-link';
import { DEFAULT_LAB_SETTINGS } from '../../../src/lab/lab-settings';
import { installLabRoute } from '../../../src/lab/route';
import { createKinetoStore, formatRoute, parseRoute, type Route, VIEWS } from '../../../src/store';

const noWorker = () => {
  throw new Error('no worker in these tests');
};

describe('route', () => {
  it('reads the addresses that work today', () => {
    expect(parseRoute('')).toEqual({ view: 'create', query: '' });
    expect(parseRoute('#')).toEqual({ view: 'create', query: '' });
    expect(parseRoute('#library')).toEqual({ view: 'library', query: '' });
    expect(parseRoute('#/library')).toEqual({ view: 'library', query: '' });
    expect(parseRoute('#/lab')).toEqual({ view: 'lab', query: '' });
    expect(parseRoute('#/lab?prompt=a%20cat&seed=4')).toEqual({ view: 'lab', query: 'prompt=a%20cat&seed=4' });
  });

  it('shows Create for a hash naming no view', () => {
    for (const hash of ['#/nowhere', '#/lab/x', '#?a=1', '#/Lab', '#//lab']) expect(parseRoute(hash)).toEqual({ view: 'create', query: '' });
  });

  it('formats every route so that reading it back gives the same route', () => {
    expect(formatRoute({ view: 'create', query: '' })).toBe('');
    expect(formatRoute({ view: 'library', query: '' })).toBe('#/library');
    expect(formatRoute({ view: 'lab', query: 'view=step' })).toBe('#/lab?view=step');
    for (const view of VIEWS) {
      for (const query of ['', 'prompt=a+b&step=2']) {
        const route: Route = { view, query };
        expect(parseRoute(formatRoute(route) || '#')).toEqual(route);
      }
    }
  });

  it('keeps a lesson link whole', () => {
    const hash = lessonHash({ ...DEFAULT_LAB_SETTINGS, view: 'guidance', step: 3 });
    const route = parseRoute(hash);
    expect(route.view).toBe('lab');
    expect(formatRoute(route)).toBe(hash);
  });

  it('is one slice of a fresh store: navigate changes it, the same route again changes nothing', () => {
    const store = createKinetoStore(noWorker);
    expect(store.getState().route).toEqual({ view: 'create', query: '' });
    let changes = 0;
    store.subscribe((s, prev) => void (s.route !== prev.route && changes++));
    store.getState().navigate('lab', 'seed=3');
    expect(store.getState().route).toEqual({ view: 'lab', query: 'seed=3' });
    store.getState().navigate('lab', 'seed=3');
    expect(changes).toBe(1);
    store.getState().navigate('library');
    expect(store.getState().route).toEqual({ view: 'library', query: '' });
    expect(createKinetoStore(noWorker).getState().route.view).toBe('create');
  });

  it('leads the Lab: entering it opens its lesson link, a new link in it opens that one, leaving it stops playing', () => {
    const store = createKinetoStore(noWorker);
    installLabRoute(store);
    store.getState().navigate('lab', 'prompt=a%20cat&seed=4&steps=12&guidance=3&scheduler=euler&view=guidance&step=5');
    let lab = store.getState().lab;
    expect(lab.settings).toMatchObject({ prompt: 'a cat', seed: 4, steps: 12, scheduler: 'euler' });
    // The model is not loaded here: the lesson waits for it.
    expect(lab.pendingLesson).toEqual({ view: 'guidance', step: 5 });
    store.getState().navigate('lab', 'prompt=a%20dog&seed=9&steps=12&guidance=3&scheduler=ddim&view=step&step=1');
    expect(store.getState().lab.settings).toMatchObject({ prompt: 'a dog', seed: 9, scheduler: 'ddim' });
    store.setState((s) => ({ lab: { ...s.lab, playing: true, presenting: true } }));
    store.getState().navigate('create');
    lab = store.getState().lab;
    expect([lab.playing, lab.presenting]).toEqual([false, false]);
  });
});
