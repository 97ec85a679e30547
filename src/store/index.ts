/**
 * Kineto's one store: route, settings, engine, run, Lab, Library, Storyboard and Live slices plus the worker-facing
 * actions, combined with `create<T>()(...)`. Components select narrowly (`useKineto((s) => s.run.status)`).
 */
import { create } from 'zustand';
import { createEngineActions, type EngineActions } from './engine';
import type { Connect } from './engine-context';
import { connectWorker } from './worker-connection';
import { type CatalogSlice, createCatalogSlice } from './catalog-slice';
import { createEngineSlice, type EngineSlice } from './engine-slice';
import { createRouteSlice, type RouteSlice } from './route-slice';
import { createRunSlice, type RunSlice } from './run-slice';
import { createSettingsSlice, type SettingsSlice } from './settings-slice';
import { createWeightsSlice, type WeightsSlice } from './weights-slice';
import { createStartImageSlice, type StartImageSlice } from './start-image-slice';
import { createLabSlice, type LabSlice } from '../lab/lab-slice';
import { createLibrarySlice, type LibrarySlice } from '../library/library-slice';
import { workerFilmEngine } from '../films/worker-film-engine';
import { createStoryboardSlice, type FilmEngineFor, type StoryboardSlice } from '../films/storyboard-slice';
import { createLiveSlice, type LiveSlice } from '../live/live-slice';
import { animationFrameTicker, type LiveTicker } from '../live/live-ticker';

export type KinetoState = RouteSlice & SettingsSlice & EngineSlice & RunSlice & WeightsSlice & CatalogSlice & EngineActions & LabSlice & LibrarySlice & StoryboardSlice & StartImageSlice & LiveSlice;

/**
 * A fresh store; tests pass `connect` to drive it with a fake worker, `films` to make films with a fake engine, and
 * `live` to step Live's clock by hand.
 */
export function createKinetoStore(connect: Connect = connectWorker, films: FilmEngineFor = workerFilmEngine, live: LiveTicker = animationFrameTicker) {
  return create<KinetoState>()((...a) => ({
    ...createRouteSlice(...a),
    ...createSettingsSlice(...a),
    ...createEngineSlice(...a),
    ...createRunSlice(...a),
    ...createWeightsSlice(...a),
    ...createCatalogSlice(...a),
    ...createEngineActions(connect)(...a),
    ...createLabSlice(...a),
    ...createLibrarySlice(...a),
    ...createStoryboardSlice(films)(...a),
    ...createStartImageSlice(...a),
    ...createLiveSlice(live)(...a),
  }));
}

export const useKineto = createKinetoStore();

export type { EngineActions } from './engine';
export type { Connect } from './engine-context';
export { embeddedManifestUrl } from './catalog-actions';
export { reduceWorkerEvent } from './worker-events';
export type { EngineSlice, ModelSourceInfo, ModelStatus, ModelSwitch, Notice } from './engine-slice';
export { modelBusy } from './engine-slice';
export type { DownloadState, DownloadStatus, WeightsSlice } from './weights-slice';
export type { CatalogEntry, CatalogSlice, ModelOffer } from './catalog-slice';
export { adapterLabel, deviceCapabilities, HUB_MANIFEST_FILES, offerBlocker } from './catalog-slice';
export { formatBytes, formatDuration, manifestUrlProblem, pickedFolder } from './weights-slice';
export type { Route, RouteSlice, View } from './route-slice';
export { formatRoute, parseRoute, VIEWS } from './route-slice';
export type { Preview, RunOutcome, RunResult, RunSlice, RunState, RunStatus } from './run-slice';
export { runProgress } from './run-slice';
export type { BackendSetting, Draft, NumberField, SettingsSlice } from './settings-slice';
export { draftToParams, findUnknownWords, randomSeed } from './settings-slice';
