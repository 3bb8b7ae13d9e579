import { readFileSync, writeFileSync } from 'node:fs';

/**
 * A flame graph (SVG) of a V8 CPU profile, as `node --cpu-prof` writes it: each box a function, as wide
 * as the time spent in it and what it called, callers below callees; idle time left out.
 *
 *   npx tsx bench/flamegraph.ts CPU.….cpuprofile docs/perf/p2p-flame.svg [--last-seconds 10] [--title "…"]
 *
 * `--last-seconds` keeps only the samples of the profile's last seconds (the measured part of a
 * benchmark run, after sign-in and warm-up). It also prints the top functions by their own time.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}
interface Frame {
  name: string;
  kind: 'ours' | 'npm' | 'node' | 'native';
  total: number;
  children: Map<string, Frame>;
}

const [input, output, ...rest] = process.argv.slice(2);
if (!input || !output) throw new Error('usage: flamegraph.ts <profile.cpuprofile> <out.svg> [--last-seconds N]');
const option = (name: string) => {
  const at = rest.indexOf(name);
  return at >= 0 ? rest[at + 1] : undefined;
};
const lastSeconds = Number(option('--last-seconds') ?? 0);
const title = option('--title') ?? 'CPU profile';

const profile = JSON.parse(readFileSync(input, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

function describe(node: ProfileNode): { name: string; kind: Frame['kind'] } {
  const { functionName, url, lineNumber } = node.callFrame;
  const fn = functionName || '(anonymous)';
  if (!url) return { name: fn, kind: 'native' };
  const npm = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
  if (npm) return { name: `${fn} (${npm[1]})`, kind: 'npm' };
  if (url.startsWith('node:')) return { name: `${fn} (${url})`, kind: 'node' };
  const ours = /\/(server|bench|test)\/(.*)$/.exec(url);
  return { name: `${fn} (${ours ? `${ours[1]}/${ours[2]}` : url}:${lineNumber + 1})`, kind: 'ours' };
}

// Sample times: a sample's time is the delta to the next one.
const times: number[] = [];
let at = profile.startTime;
for (const delta of profile.timeDeltas) times.push((at += delta));
const from = lastSeconds > 0 ? profile.endTime - lastSeconds * 1e6 : -Infinity;

const root: Frame = { name: 'all', kind: 'native', total: 0, children: new Map() };
const self = new Map<string, number>();
for (let i = 0; i < profile.samples.length; i++) {
  if (times[i] < from) continue;
  const weight = (i + 1 < times.length ? times[i + 1] : profile.endTime) - times[i];
  const leaf = byId.get(profile.samples[i]);
  if (!leaf || ['(idle)', '(program)'].includes(leaf.callFrame.functionName)) continue;
  const stack: ProfileNode[] = [];
  for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
    const node = byId.get(id) as ProfileNode;
    if (node.callFrame.functionName !== '(root)') stack.unshift(node);
  }
  root.total += weight;
  let frame = root;
  for (const node of stack) {
    const { name, kind } = describe(node);
    let child = frame.children.get(name);
    if (!child) frame.children.set(name, (child = { name, kind, total: 0, children: new Map() }));
    child.total += weight;
    frame = child;
  }
  self.set(frame.name, (self.get(frame.name) ?? 0) + weight);
}

const WIDTH = 1600;
const ROW = 17;
const COLOURS: Record<Frame['kind'], [number, number]> = {
  ours: [0, 30],
  npm: [200, 40],
  node: [120, 35],
  native: [45, 40],
};
let depthMax = 0;
const boxes: string[] = [];
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
function draw(frame: Frame, x: number, depth: number) {
  const width = (frame.total / root.total) * WIDTH;
  if (width < 0.3) return;
  depthMax = Math.max(depthMax, depth);
  const [hue, spread] = COLOURS[frame.kind];
  const shade = [...frame.name].reduce((n, c) => (n * 31 + c.charCodeAt(0)) % 997, 7) % spread;
  const share = ((100 * frame.total) / root.total).toFixed(1);
  const label = width > 40 ? escape(frame.name.slice(0, Math.floor(width / 6.5))) : '';
  boxes.push(
    `<g><title>${escape(frame.name)}: ${(frame.total / 1000).toFixed(0)} ms, ${share} %</title>` +
      `<rect x="${x.toFixed(1)}" y="{Y${depth}}" width="${width.toFixed(1)}" height="${ROW - 1}" ` +
      `fill="hsl(${hue + shade},70%,${frame.kind === 'ours' ? 62 : 72}%)"/>` +
      (label ? `<text x="${(x + 3).toFixed(1)}" y="{T${depth}}">${label}</text>` : '') +
      '</g>',
  );
  let childX = x;
  for (const child of [...frame.children.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    draw(child, childX, depth + 1);
    childX += (child.total / root.total) * WIDTH;
  }
}
draw(root, 0, 0);
const height = (depthMax + 1) * ROW + 60;
const svg = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="monospace" font-size="11">`,
  `<rect width="100%" height="100%" fill="#fff"/>`,
  `<text x="8" y="20" font-size="15" font-family="sans-serif">${escape(title)} ` +
    `(${(root.total / 1e6).toFixed(1)} s on CPU; ` +
    `red: Tongbao's code, blue: npm packages, green: Node's own, yellow: native)</text>`,
  ...boxes.map((box) =>
    box
      .replace(/\{Y(\d+)\}/g, (_, d) => String(height - 10 - (Number(d) + 1) * ROW))
      .replace(/\{T(\d+)\}/g, (_, d) => String(height - 10 - (Number(d) + 1) * ROW + 12)),
  ),
  '</svg>',
].join('\n');
writeFileSync(output, svg);

const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 15);
for (const [name, time] of top)
  console.log(
    `${((100 * time) / root.total).toFixed(1).padStart(5)} %  ${(time / 1000).toFixed(0).padStart(6)} ms  ${name}`,
  );
