import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
import type { PollDetails } from '../domain/polls/details.ts';
import { SCORE_UNITS } from '../domain/polls/polls.ts';
import type { View } from '../messages.ts';

/**
 * The result of a poll as a bar chart PNG, drawn in pure JavaScript (pureimage) with DejaVu Sans
 * from the npm registry, so it renders the same on every machine with no native library or system font.
 */
const FAMILY = 'DejaVu Sans';

let imaging: Promise<typeof import('pureimage')> | undefined;

/** The image library and its font, loaded at the first chart rather than with the bot (11 MB resident). */
function loadImaging(): Promise<typeof import('pureimage')> {
  imaging ??= (async () => {
    const PImage = await import('pureimage');
    const path = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
    await PImage.registerFont(path, FAMILY).loadPromise();
    return PImage;
  })();
  return imaging;
}

const WIDTH = 900;
const ROW = 34;
const LABEL_WIDTH = 330;
const COLORS = { background: '#ffffff', text: '#1d3557', bar: '#457b9d', winner: '#2a9d8f', grid: '#e5e5e5' };

export type BarChart = {
  title: string;
  subtitle: string;
  rows: Array<{ label: string; value: number; highlight?: boolean; note?: string }>;
  /** The value of a full bar (100 for shares); the largest value when not given. */
  max?: number;
};

/** A horizontal bar chart: one row per label, bars scaled to the largest value. */
export async function renderBarChart(chart: BarChart): Promise<Buffer> {
  const PImage = await loadImaging();
  const rows = chart.rows.slice(0, 30);
  const height = 90 + rows.length * ROW + 30;
  const image = PImage.make(WIDTH, height);
  const context = image.getContext('2d');
  context.fillStyle = COLORS.background;
  context.fillRect(0, 0, WIDTH, height);
  context.fillStyle = COLORS.text;
  context.font = `20px '${FAMILY}'`;
  context.fillText(clip(chart.title, 70), 20, 36);
  context.font = `13px '${FAMILY}'`;
  context.fillText(clip(chart.subtitle, 110), 20, 62);
  const max = chart.max ?? Math.max(1, ...rows.map((row) => row.value));
  const barSpace = WIDTH - LABEL_WIDTH - 120;
  rows.forEach((row, index) => {
    const y = 84 + index * ROW;
    context.fillStyle = COLORS.grid;
    context.fillRect(LABEL_WIDTH, y, barSpace, ROW - 10);
    context.fillStyle = row.highlight ? COLORS.winner : COLORS.bar;
    context.fillRect(LABEL_WIDTH, y, Math.max(2, Math.round((row.value / max) * barSpace)), ROW - 10);
    context.fillStyle = COLORS.text;
    context.font = `14px '${FAMILY}'`;
    context.fillText(clip(row.label, 40), 20, y + 18);
    context.fillText(row.note ?? String(row.value), LABEL_WIDTH + barSpace + 10, y + 18);
  });
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  await PImage.encodePNGToStream(image, sink);
  return Buffer.concat(chunks);
}

export async function renderPollChart(poll: PollDetails): Promise<Buffer | null> {
  if (!poll.standing) return null;
  const { scores, ranking } = poll.standing;
  const winners = new Set(poll.outcome?.winners ?? []);
  return renderBarChart({
    title: `Poll ${poll.id}: ${poll.question}`,
    subtitle: `${poll.methodName} · ${poll.ballots} ballots · bars: ${SCORE_UNITS[poll.method]}`,
    rows: ranking.map((index) => {
      const option = poll.options[index];
      return {
        label: option ? `${option.number}. ${option.label}` : '',
        value: scores[index] ?? 0,
        highlight: winners.has(index),
      };
    }),
  });
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The chart to attach to a closed poll's result message, if the view is one. */
export async function resultChart(view: View): Promise<{ filename: string; png: Buffer } | null> {
  if (view.kind !== 'poll' || view.poll.status !== 'closed') return null;
  const png = await renderPollChart(view.poll);
  return png ? { filename: `poll-${view.poll.id}.png`, png } : null;
}
