/**
 * The annual report (年度账单) as a shareable PNG, drawn on a plain canvas from the same facts the
 * page shows (no chart library, no new dependency). Text arrives translated; this file only lays
 * it out: a red poster with gold figures, the top categories as bars, a bar per month, the facts.
 */

export interface ReportPicture {
  title: string;
  subtitle: string;
  spentLabel: string;
  spent: string;
  countLine: string;
  compareLine: string | null;
  categoriesTitle: string;
  categories: { label: string; amount: string; shareBp: number; color: string }[];
  monthsTitle: string;
  months: { label: string; fen: number }[];
  factsTitle: string;
  facts: string[];
  footer: string;
}

const WIDTH = 720;
const SCALE = 2;
const FONT = `'PingFang SC', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', 'Microsoft YaHei', sans-serif`;
const GOLD = '#f6c34a';

function font(size: number, weight = 400): string {
  return `${weight} ${size}px ${FONT}`;
}

/** Fits text into a width, ending it with "…" when it is too long. */
function fit(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let cut = text;
  while (cut.length > 1 && ctx.measureText(`${cut}…`).width > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}

function roundRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number) {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, r);
  ctx.fill();
}

/** Height of the poster for this content (the same steps as the drawing below), so the canvas is sized first. */
function heightFor(picture: ReportPicture): number {
  const head = 84 + 62 + 70 + 70 + 44 + 56;
  const categories = 70 + 56 * Math.min(picture.categories.length, 5) + 40;
  const months = 24 + 150 + 86;
  const facts = 48 + 48 * picture.facts.length;
  return head + categories + months + facts + 90;
}

export function drawReport(picture: ReportPicture): HTMLCanvasElement {
  const height = heightFor(picture);
  const canvas = document.createElement('canvas');
  canvas.width = WIDTH * SCALE;
  canvas.height = height * SCALE;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d canvas');
  ctx.scale(SCALE, SCALE);

  const background = ctx.createLinearGradient(0, 0, WIDTH * 0.4, height);
  background.addColorStop(0, '#c8102e');
  background.addColorStop(0.55, '#9e0b23');
  background.addColorStop(1, '#5c0614');
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, WIDTH, height);
  // Two soft gold rings in the corner, the poster's ornament.
  ctx.strokeStyle = 'rgba(246, 195, 74, 0.18)';
  ctx.lineWidth = 28;
  ctx.beginPath();
  ctx.arc(WIDTH - 40, 70, 150, 0, Math.PI * 2);
  ctx.stroke();
  ctx.lineWidth = 10;
  ctx.beginPath();
  ctx.arc(WIDTH - 40, 70, 215, 0, Math.PI * 2);
  ctx.stroke();

  const left = 48;
  const inner = WIDTH - left * 2;
  let y = 84;
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = GOLD;
  ctx.font = font(22, 600);
  ctx.fillText(picture.subtitle, left, y);
  y += 62;
  ctx.fillStyle = '#fff';
  ctx.font = font(48, 700);
  ctx.fillText(fit(ctx, picture.title, inner), left, y);
  y += 70;
  ctx.font = font(22);
  ctx.fillStyle = 'rgba(255,255,255,0.8)';
  ctx.fillText(picture.spentLabel, left, y);
  y += 70;
  ctx.fillStyle = GOLD;
  ctx.font = font(64, 800);
  ctx.fillText(fit(ctx, picture.spent, inner), left, y);
  y += 44;
  ctx.fillStyle = 'rgba(255,255,255,0.88)';
  ctx.font = font(22);
  ctx.fillText(fit(ctx, [picture.countLine, picture.compareLine].filter(Boolean).join('  ·  '), inner), left, y);
  y += 56;

  // Top categories: a white card with a bar each.
  const cats = picture.categories.slice(0, 5);
  const cardHeight = 70 + 56 * cats.length;
  ctx.fillStyle = 'rgba(255,255,255,0.96)';
  roundRect(ctx, left - 16, y, inner + 32, cardHeight, 20);
  ctx.fillStyle = '#1f2329';
  ctx.font = font(24, 700);
  ctx.fillText(picture.categoriesTitle, left + 8, y + 44);
  let row = y + 90;
  const biggest = Math.max(...cats.map((c) => c.shareBp), 1);
  for (const cat of cats) {
    ctx.fillStyle = cat.color;
    ctx.beginPath();
    ctx.arc(left + 16, row - 8, 8, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = '#1f2329';
    ctx.font = font(22, 600);
    ctx.fillText(fit(ctx, cat.label, 150), left + 34, row);
    ctx.font = font(22, 700);
    const amountWidth = ctx.measureText(cat.amount).width;
    ctx.fillText(cat.amount, left + inner - amountWidth, row);
    const barX = left + 200;
    const barWidth = inner - 200 - amountWidth - 24;
    ctx.fillStyle = '#f1f2f4';
    roundRect(ctx, barX, row - 16, barWidth, 12, 6);
    ctx.fillStyle = cat.color;
    roundRect(ctx, barX, row - 16, Math.max(8, (barWidth * cat.shareBp) / biggest), 12, 6);
    row += 56;
  }
  y += cardHeight + 40;

  // Spending by month: twelve gold bars.
  ctx.fillStyle = '#fff';
  ctx.font = font(24, 700);
  ctx.fillText(picture.monthsTitle, left, y);
  y += 24;
  const chartHeight = 150;
  const most = Math.max(...picture.months.map((m) => m.fen), 1);
  const slot = inner / Math.max(picture.months.length, 1);
  picture.months.forEach((month, index) => {
    const h = month.fen > 0 ? Math.max(4, (chartHeight * month.fen) / most) : 2;
    const x = left + index * slot + slot * 0.2;
    ctx.fillStyle = month.fen === most ? GOLD : 'rgba(246, 195, 74, 0.55)';
    roundRect(ctx, x, y + chartHeight - h, slot * 0.6, h, 4);
    ctx.fillStyle = 'rgba(255,255,255,0.75)';
    ctx.font = font(16);
    const w = ctx.measureText(month.label).width;
    ctx.fillText(month.label, x + slot * 0.3 - w / 2, y + chartHeight + 26);
  });
  y += chartHeight + 86;

  // The friendly facts.
  ctx.fillStyle = '#fff';
  ctx.font = font(24, 700);
  ctx.fillText(picture.factsTitle, left, y);
  y += 48;
  ctx.font = font(22);
  for (const fact of picture.facts) {
    ctx.fillStyle = GOLD;
    ctx.beginPath();
    ctx.arc(left + 6, y - 8, 5, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = 'rgba(255,255,255,0.95)';
    ctx.fillText(fit(ctx, fact, inner - 24), left + 24, y);
    y += 48;
  }

  // Footer: the brand mark and where the figures come from.
  y = height - 56;
  ctx.fillStyle = GOLD;
  ctx.beginPath();
  ctx.arc(left + 18, y - 8, 18, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = '#9e0b23';
  ctx.font = font(20, 800);
  ctx.fillText('通', left + 8, y - 1);
  ctx.fillStyle = 'rgba(255,255,255,0.75)';
  ctx.font = font(18);
  ctx.fillText(fit(ctx, picture.footer, inner - 56), left + 48, y - 2);
  return canvas;
}

/** The report as a PNG file, for saving or for the system share sheet. */
export async function reportFile(picture: ReportPicture, name: string): Promise<{ url: string; file: File | null }> {
  const canvas = drawReport(picture);
  const url = canvas.toDataURL('image/png');
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  return { url, file: blob ? new File([blob], name, { type: 'image/png' }) : null };
}
