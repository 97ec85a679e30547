/**
 * The headers that make a page cross-origin isolated, added by the service worker to the app's responses. Pure
 * (Fetch API only), shared by the worker and its tests.
 */

/** The message the page sends a waiting service worker to take over. */
export const SKIP_WAITING = 'SKIP_WAITING';

export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** `response` with COOP, COEP and CORP set; opaque responses (no readable headers or status) pass unchanged. */
export function withIsolationHeaders(response: Response): Response {
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
