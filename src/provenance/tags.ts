/**
 * Provenance written into every MP4 / WebM by the muxer (mediabunny `MetadataTags`): `title` is the prompt (unless
 * the person leaves it out) and `description` and `comment` carry one small JSON record saying which generator,
 * model and settings made the clip and that it is AI-generated (IPTC digital source type
 * `trainedAlgorithmicMedia`). Pure: no DOM, so the page builds it and the worker hands it to the muxer.
 *
 * Not a signed C2PA manifest: @contentauth/c2pa-web (0.13) can build and embed one in the browser with a JS signer
 * callback, but a C2PA signature needs an X.509 certificate chain for the key (the spec forbids a self-signed
 * end-entity certificate), which no CA issues to a key made offline in a browser; a locally made CA would be
 * reported as untrusted by every validator, for a ~19 MB WASM dependency. These tags are plain, unsigned text.
 */
import type { MetadataTags } from 'mediabunny';
import type { GenerateParams } from '../engine/types';

/** IPTC NewsCodes digital source type for media created by a trained model. */
export const IPTC_TRAINED_ALGORITHMIC_MEDIA = 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia';

/** What a clip's file says about how it was made. */
export type Provenance = {
  generator: 'Kineto';
  version: string;
  model: { id: string; sha256: string };
  seed: number;
  steps: number;
  guidance: number;
  scheduler: string;
  backend: string;
  digitalSourceType: typeof IPTC_TRAINED_ALGORITHMIC_MEDIA;
};

export type ProvenanceInput = {
  version: string;
  modelId: string;
  /** sha256 (hex) of the model's manifest.json. */
  manifestSha256: string;
  backend: string;
  params: GenerateParams;
};

export function provenanceOf(input: ProvenanceInput): Provenance {
  const { params } = input;
  return {
    generator: 'Kineto',
    version: input.version,
    model: { id: input.modelId, sha256: input.manifestSha256 },
    seed: params.seed,
    steps: params.steps,
    guidance: params.guidanceScale,
    scheduler: params.scheduler,
    backend: input.backend,
    digitalSourceType: IPTC_TRAINED_ALGORITHMIC_MEDIA,
  };
}

/** The tags for the muxer. Without the prompt the title says only that the clip is AI-generated. */
export function provenanceTags(input: ProvenanceInput, opts: { includePrompt: boolean }): MetadataTags {
  const json = JSON.stringify(provenanceOf(input));
  return {
    title: opts.includePrompt ? input.params.prompt : 'AI-generated video (Kineto)',
    description: json,
    comment: json,
  };
}

/** The provenance record in tags read back from a file, or null when there is none (or it is not Kineto's). */
export function readProvenance(tags: MetadataTags): Provenance | null {
  for (const text of [tags.comment, tags.description]) {
    if (typeof text !== 'string') continue;
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value === 'object' && value !== null && (value as Provenance).generator === 'Kineto') return value as Provenance;
    } catch {
      // Another tool's free text: keep looking.
    }
  }
  return null;
}
