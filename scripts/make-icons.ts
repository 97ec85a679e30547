/**
 * Draws Kineto's app icons (public/icons/*.png) for the web app manifest: a play triangle over three coloured
 * shapes, the model's world. `any` icons fill a rounded square; the `maskable` one keeps its drawing inside the
 * central 80 % safe zone on a full-bleed background. Run: `npx tsx scripts/make-icons.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

type Rgb = [number, number, number];
const BG: Rgb = [15, 18, 24];
const PANEL: Rgb = [30, 35, 48];
const ACCENT: Rgb = [124, 156, 255];
const RED: Rgb = [255, 107, 107];
const GREEN: Rgb = [107, 214, 160];
const YELLOW: Rgb = [245, 194, 107];

/** Signed coverage helpers in unit coordinates (0..1 across the drawing area). */
const inCircle = (x: number, y: number, cx: number, cy: number, r: number) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const inSquare = (x: number, y: number, cx: number, cy: number, h: number) => Math.abs(x - cx) <= h && Math.abs(y - cy) <= h;
function inTriangle(x: number, y: number, [a, b, c]: [number, number][]): boolean {
  const s = (p: [number, number], q: [number, number]) => (x - q[0]) * (p[1] - q[1]) - (p[0] - q[0]) * (y - q[1]);
  const d1 = s(a!, b!), d2 = s(b!, c!), d3 = s(c!, a!);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}
function inRoundedSquare(x: number, y: number, radius: number): boolean {
  const qx = Math.max(Math.abs(x - 0.5) - (0.5 - radius), 0);
  const qy = Math.max(Math.abs(y - 0.5) - (0.5 - radius), 0);
  return qx * qx + qy * qy <= radius * radius;
}

/** The colour at unit point (u, v) of the drawing; null outside the icon's shape. */
function paint(u: number, v: number, maskable: boolean): Rgb | null {
  if (!maskable && !inRoundedSquare(u, v, 0.2)) return null;
  // Maskable icons draw inside the safe zone: scale the drawing into the middle 80 %.
  const [x, y] = maskable ? [(u - 0.1) / 0.8, (v - 0.1) / 0.8] : [u, v];
  if (inTriangle(x, y, [[0.36, 0.27], [0.36, 0.73], [0.76, 0.5]])) return ACCENT;
  if (inCircle(x, y, 0.24, 0.26, 0.1)) return RED;
  if (inSquare(x, y, 0.24, 0.74, 0.085)) return GREEN;
  if (inCircle(x, y, 0.8, 0.2, 0.06)) return YELLOW;
  return inRoundedSquare(x, y, 0.2) && maskable ? PANEL : BG;
}

function icon(size: number, maskable: boolean): Buffer {
  const png = new PNG({ width: size, height: size });
  const ss = 4; // 4×4 supersampling for smooth edges
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const c = paint((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size, maskable);
          if (!c) continue;
          r += c[0]; g += c[1]; b += c[2]; a++;
        }
      }
      const i = (py * size + px) * 4;
      png.data[i] = a ? Math.round(r / a) : 0;
      png.data[i + 1] = a ? Math.round(g / a) : 0;
      png.data[i + 2] = a ? Math.round(b / a) : 0;
      png.data[i + 3] = Math.round((255 * a) / (ss * ss));
    }
  }
  return PNG.sync.write(png);
}

mkdirSync('public/icons', { recursive: true });
for (const size of [192, 512]) writeFileSync(`public/icons/icon-${size}.png`, icon(size, false));
writeFileSync('public/icons/maskable-512.png', icon(512, true));
writeFileSync('public/icons/apple-touch-icon-180.png', icon(180, true));
console.log('wrote public/icons/{icon-192,icon-512,maskable-512,apple-touch-icon-180}.png');
