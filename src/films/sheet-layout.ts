/**
 * The storyboard sheet — what storyboard artists print and pin up — as content and layout, for any renderer: the
 * film's title at the top, then one panel per shot in a grid, each with its number, a key frame (the shot's middle
 * frame), the prompt, the caption, the length and how it joins the shot before. Pure: the PNG painter (sheet-png.ts)
 * and the PDF writer (sheet-pdf.ts) give a style (page size, grid, line heights and how wide their font draws a text)
 * and draw what comes back. Lengths are in the renderer's unit (pixels or points), y downwards from the page's top.
 */
import { type Board, isImageStart, type Shot } from './board';
import type { Timeline } from './timeline';

/** One frame, RGBA. */
export type KeyFrame = { width: number; height: number; rgba: Uint8ClampedArray };

export type SheetPanel = {
  /** The shot's number, from 1. */
  number: number;
  prompt: string;
  /** Dialogue or a note; '' for none. */
  caption: string;
  /** "2 s · 16 frames". */
  length: string;
  /** How the shot begins and joins the one before: "Continues shot 1", "Crossfades in over 2 frames". */
  note: string;
  keyFrame: KeyFrame;
};

export type Sheet = { title: string; /** "3 shots · 6 s · 48 frames at 8 fps". */ summary: string; panels: SheetPanel[] };

/** Seconds as the board writes them: 2, 1.5, 0.25. */
const secondsText = (s: number) => String(Number(s.toFixed(2)));
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** The index, among a shot's made frames, of its key frame: the middle of its own frames (never a crossfade's). */
export function keyFrameIndex(span: Timeline['shots'][number]): number {
  return span.leadIn + Math.floor((span.frames - 1) / 2);
}

function shotNote(shot: Shot, index: number): string {
  const fade = shot.transition === 'cut' || index === 0 ? null : plural(shot.transition.crossfade, 'frame');
  if (shot.start === 'continue') return `Continues shot ${index}`;
  if (isImageStart(shot.start)) {
    const name = shot.start.name ?? (shot.start.image.startsWith('data:') ? null : shot.start.image.split(/[\\/]/).pop());
    const from = name ? `From ${name}` : 'From a picture';
    return fade ? `${from} · crossfade, ${fade}` : from;
  }
  if (index === 0) return 'Opens the film';
  return fade ? `Crossfades in over ${fade}` : 'Cut';
}

/**
 * The sheet of a made film: `shots[i]` holds the frames made for shot i (`timeline.shots[i].made`, lead-in first), as
 * the film engine returns them.
 */
export function sheetOf(board: Board, timeline: Timeline, shots: readonly { rgba: readonly Uint8ClampedArray[]; width: number; height: number }[]): Sheet {
  const panels = board.shots.map((shot, i): SheetPanel => {
    const span = timeline.shots[i]!;
    const made = shots[i];
    const rgba = made?.rgba[keyFrameIndex(span)];
    if (!made || !rgba) throw new RangeError(`Shot ${i + 1} has no frame ${keyFrameIndex(span) + 1} for the sheet`);
    return {
      number: i + 1,
      prompt: shot.prompt.trim(),
      caption: shot.caption?.trim() ?? '',
      length: `${secondsText(shot.seconds)} s · ${plural(span.frames, 'frame')}`,
      note: shotNote(shot, i),
      keyFrame: { width: made.width, height: made.height, rgba },
    };
  });
  const seconds = secondsText(timeline.frames / timeline.fps);
  return { title: board.title.trim(), summary: `${plural(panels.length, 'shot')} · ${seconds} s · ${plural(timeline.frames, 'frame')} at ${timeline.fps} fps`, panels };
}

export type SheetFont = 'title' | 'summary' | 'heading' | 'body' | 'caption' | 'note';

export type SheetStyle = {
  pageWidth: number;
  /** null: one page as tall as the panels need (the PNG); a number: as many pages of that height as they need (the PDF). */
  pageHeight: number | null;
  margin: number;
  gutter: number;
  columns: number;
  /** Inside a panel, around its content. */
  padding: number;
  lineHeight: Record<SheetFont, number>;
  /** The height of a panel's picture box (its width is the panel's). */
  imageHeight: number;
  /** The most lines a text takes; a longer one ends in "…". */
  maxLines: { title: number; prompt: number; caption: number };
  /** Enlarge frames by whole numbers only (a raster keeps every model pixel a square block). */
  wholeScale: boolean;
  /** How wide `text` is drawn in `font`. */
  measure(text: string, font: SheetFont): number;
};

export type Rect = { x: number; y: number; width: number; height: number };
/** A line of text: `y` is the top of its line box (`lineHeight[font]` tall); `x` its left edge, or right edge when right-aligned. */
export type PlacedText = { text: string; font: SheetFont; x: number; y: number; align: 'left' | 'right' };
/** A panel: its box, its picture box, where the key frame goes inside that, and its lines of text. */
export type PanelBox = Rect & { panel: number; imageBox: Rect; picture: Rect; texts: PlacedText[] };
export type SheetPage = { width: number; height: number; texts: PlacedText[]; panels: PanelBox[] };

/**
 * `text` in lines no wider than `width` (words kept whole unless one alone is too wide), at most `maxLines` of them;
 * text cut short ends in "…".
 */
export function wrapText(text: string, width: number, maxLines: number, measure: (s: string) => number): string[] {
  const lines: string[] = [];
  const fits = (s: string) => measure(s) <= width;
  for (const paragraph of text.split(/\r\n|\r|\n/)) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const next = line ? `${line} ${word}` : word;
      if (fits(next)) line = next;
      else {
        if (line) lines.push(line);
        line = '';
        // A word wider than the line is broken where it must be.
        let rest = word;
        while (!fits(rest)) {
          let cut = [...rest].length - 1;
          while (cut > 1 && !fits([...rest].slice(0, cut).join(''))) cut--;
          lines.push([...rest].slice(0, cut).join(''));
          rest = [...rest].slice(cut).join('');
        }
        line = rest;
      }
    }
    if (line) lines.push(line);
  }
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  let last = kept[maxLines - 1]!;
  while (last && !fits(`${last}…`)) last = [...last].slice(0, -1).join('').trimEnd();
  kept[maxLines - 1] = `${last}…`;
  return kept;
}

/** The frame's rectangle inside `box`: as large as fits (in whole steps with `wholeScale`), centred. */
export function fitPicture(frame: { width: number; height: number }, box: Rect, wholeScale: boolean): Rect {
  let scale = Math.min(box.width / frame.width, box.height / frame.height);
  if (wholeScale && scale >= 1) scale = Math.floor(scale);
  const width = Math.max(1, Math.round(frame.width * scale));
  const height = Math.max(1, Math.round(frame.height * scale));
  return { x: box.x + Math.floor((box.width - width) / 2), y: box.y + Math.floor((box.height - height) / 2), width, height };
}

/** The height of every panel: heading, picture, the most prompt and caption lines, and the note. */
export function panelHeight(style: SheetStyle): number {
  const { padding, lineHeight: lh, maxLines } = style;
  return padding + lh.heading + padding / 2 + style.imageHeight + padding / 2 + maxLines.prompt * lh.body + maxLines.caption * lh.caption + lh.note + padding;
}

/** The sheet laid out on pages of `style`. */
export function layoutSheet(sheet: Sheet, style: SheetStyle): SheetPage[] {
  const { margin, gutter, columns, padding, lineHeight: lh } = style;
  const panelWidth = Math.floor((style.pageWidth - 2 * margin - (columns - 1) * gutter) / columns);
  const inner = panelWidth - 2 * padding;
  const height = panelHeight(style);
  const titleLines = wrapText(sheet.title || 'Untitled film', style.pageWidth - 2 * margin, style.maxLines.title, (s) => style.measure(s, 'title'));
  const top = margin + titleLines.length * lh.title + lh.summary + gutter;
  const rowsPerPage = style.pageHeight === null ? Infinity : Math.max(1, Math.floor((style.pageHeight - top - margin + gutter) / (height + gutter)));
  const perPage = rowsPerPage === Infinity ? Math.max(1, sheet.panels.length) : rowsPerPage * columns;
  const pageCount = Math.max(1, Math.ceil(sheet.panels.length / perPage));

  return Array.from({ length: pageCount }, (_, p): SheetPage => {
    const own = sheet.panels.slice(p * perPage, (p + 1) * perPage);
    const rows = Math.ceil(own.length / columns);
    const texts: PlacedText[] = titleLines.map((text, i) => ({ text, font: 'title', x: margin, y: margin + i * lh.title, align: 'left' }));
    const summaryY = margin + titleLines.length * lh.title;
    texts.push({ text: sheet.summary, font: 'summary', x: margin, y: summaryY, align: 'left' });
    if (pageCount > 1) texts.push({ text: `Page ${p + 1} of ${pageCount}`, font: 'summary', x: style.pageWidth - margin, y: summaryY, align: 'right' });
    const panels = own.map((panel, i): PanelBox => {
      const x = margin + (i % columns) * (panelWidth + gutter);
      const y = top + Math.floor(i / columns) * (height + gutter);
      return { ...placePanel(panel, x + padding, y + padding, inner, style), x, y, width: panelWidth, height, panel: panel.number - 1 };
    });
    return { width: style.pageWidth, height: style.pageHeight ?? top + rows * height + (rows - 1) * gutter + margin, texts, panels };
  });
}

/** A panel's picture and texts, its content starting at (`x`, `y`) and `width` wide. */
function placePanel(panel: SheetPanel, x: number, y: number, width: number, style: SheetStyle): Pick<PanelBox, 'imageBox' | 'picture' | 'texts'> {
  const { padding, lineHeight: lh, maxLines } = style;
  const texts: PlacedText[] = [
    { text: `Shot ${panel.number}`, font: 'heading', x, y, align: 'left' },
    { text: panel.length, font: 'note', x: x + width, y, align: 'right' },
  ];
  const imageBox = { x, y: y + lh.heading + padding / 2, width, height: style.imageHeight };
  let at = imageBox.y + imageBox.height + padding / 2;
  const lines = (text: string, font: SheetFont, max: number) => {
    for (const line of wrapText(text, width, max, (s) => style.measure(s, font))) {
      texts.push({ text: line, font, x, y: at, align: 'left' });
      at += lh[font];
    }
  };
  lines(panel.prompt, 'body', maxLines.prompt);
  if (panel.caption) lines(`“${panel.caption}”`, 'caption', maxLines.caption);
  const noteY = y + panelHeight(style) - 2 * padding - lh.note;
  texts.push(...wrapText(panel.note, width, 1, (s) => style.measure(s, 'note')).map((text): PlacedText => ({ text, font: 'note', x, y: noteY, align: 'left' })));
  return { imageBox, picture: fitPicture(panel.keyFrame, imageBox, style.wholeScale), texts };
}
