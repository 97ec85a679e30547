/**
 * The response headers the app needs from its host: cross-origin isolation (SharedArrayBuffer, threaded WASM) and a
 * Content-Security-Policy for its pages and its worker. The service worker adds them to the app's own responses, so
 * any static host works from the first reload; `vite preview` and the build's `_headers` file (Netlify, Cloudflare
 * Pages) send them from the first load. Pure (Fetch API only), shared by the service worker, the Vite config and the
 * e2e harness.
 */

/** The message the page sends a waiting service worker to take over. */
export const SKIP_WAITING = 'SKIP_WAITING';

export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The directives every app document and worker shares. */
const BASE_POLICY = [
  "default-src 'self'",
  "connect-src 'self' blob: data: https: http://localhost:* http://127.0.0.1:*",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];

/**
 * The page's policy: only the app's own scripts and workers run (no inline or remote script, no `eval`);
 * `'wasm-unsafe-eval'` allows WebAssembly compilation only. Model files come from wherever the person points Kineto
 * (any https origin, or a server on this machine for offline demos), so `connect-src` is open that far and no
 * further. Clips and previews are blob: and data: URLs. No plugins, no `<base>`, no form posts, no framing.
 */
export const DOCUMENT_CSP = ["script-src 'self' 'wasm-unsafe-eval'", "worker-src 'self'", ...BASE_POLICY].join('; ');

/**
 * The engine worker's policy (a dedicated worker is governed by its own script's response, not the page's): the
 * same, plus `'unsafe-eval'`, because onnxruntime-web 1.30's Emscripten glue builds embind method callers with
 * `new Function` when it starts (measured: with the page's policy the first session never finishes loading). The
 * worker renders nothing and runs only the app's bundled code. The sound worker it starts (src/sound-worker, also
 * `worker-<hash>.js`) has the same policy and may start `blob:` workers: the AAC encoder for MP4 sound
 * (@mediabunny/aac-encoder, src/video/audio.ts) runs its WASM in a worker made from a blob of its own bundled code;
 * with `worker-src 'self'` alone an MP4 in a browser without a native AAC encoder would have no sound.
 */
export const WORKER_CSP = ["script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'", "worker-src 'self' blob:", ...BASE_POLICY].join('; ');

/** Built engine- and sound-worker scripts (Vite names them `worker-<hash>.js`); onnxruntime's threads start the first. */
export const WORKER_SCRIPT = /\/assets\/worker-[\w-]+\.js$/;

/** The headers one of the app's responses needs, by what it is: a page, a worker script, or anything else. */
export function appHeadersFor(kind: 'document' | 'worker' | 'other'): Record<string, string> {
  const csp = kind === 'document' ? DOCUMENT_CSP : kind === 'worker' ? WORKER_CSP : null;
  return csp ? { ...ISOLATION_HEADERS, 'Content-Security-Policy': csp } : { ...ISOLATION_HEADERS };
}

/** What a response for `pathname` is, for a server that only knows paths (not the request's destination). */
export function kindOfPath(pathname: string): 'document' | 'worker' | 'other' {
  if (WORKER_SCRIPT.test(pathname)) return 'worker';
  return pathname.endsWith('/') || pathname.endsWith('.html') ? 'document' : 'other';
}

/** `response` with the app's headers for `kind`; opaque responses (no readable headers or status) pass unchanged. */
export function withAppHeaders(response: Response, kind: 'document' | 'worker' | 'other'): Response {
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(appHeadersFor(kind))) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
