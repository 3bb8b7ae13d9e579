/**
 * Draws the app icon (a gold square-holed coin, the 通宝 of old Chinese cash, on bank red) as PNGs
 * for the manifest. Run once with `npx tsx web/scripts/make-icons.ts`; the PNGs are committed.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const RED: [number, number, number] = [0xc8, 0x10, 0x2e];
const GOLD: [number, number, number] = [0xf6, 0xc3, 0x4a];
const DARK_GOLD: [number, number, number] = [0xd9, 0x9a, 0x1e];

function draw(size: number, maskable: boolean): Buffer {
  const png = new PNG({ width: size, height: size });
  const c = size / 2;
  const scale = maskable ? 0.62 : 0.78;
  const outer = (size / 2) * scale;
  const rim = outer * 0.88;
  const hole = outer * 0.3;
  const holeRim = hole * 1.35;
  const corner = size * 0.18;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      const px = x + 0.5;
      const py = y + 0.5;
      // Rounded-square background (full bleed when maskable).
      const dx = Math.max(0, Math.abs(px - c) - (c - corner));
      const dy = Math.max(0, Math.abs(py - c) - (c - corner));
      const inBackground = maskable || dx * dx + dy * dy <= corner * corner;
      let color: [number, number, number] | null = inBackground ? RED : null;
      const r = Math.hypot(px - c, py - c);
      const square = Math.max(Math.abs(px - c), Math.abs(py - c));
      if (r <= outer) color = r >= rim ? DARK_GOLD : GOLD;
      if (r <= outer && square <= holeRim) color = DARK_GOLD;
      if (r <= outer && square <= hole) color = RED;
      png.data[i] = color ? color[0] : 0;
      png.data[i + 1] = color ? color[1] : 0;
      png.data[i + 2] = color ? color[2] : 0;
      png.data[i + 3] = color ? 255 : 0;
    }
  }
  return PNG.sync.write(png);
}

const dir = fileURLToPath(new URL('../public/icons/', import.meta.url));
for (const size of [192, 512]) writeFileSync(`${dir}icon-${size}.png`, draw(size, false));
writeFileSync(`${dir}maskable-512.png`, draw(512, true));
console.log('icons written to', dir);
