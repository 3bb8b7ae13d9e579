import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/**
 * After the build, writes a brotli (`.br`) and a gzip (`.gz`) copy beside every text file of
 * web/dist worth compressing, so the server sends them as they are (server/platform/http/static.ts,
 * `preCompressed`) instead of compressing on every request. node:zlib only: no plugin dependency.
 */
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|webmanifest|txt)$/;
const MIN_BYTES = 1024;

export function precompressFiles(dir: string): { files: number; bytes: number; brotli: number } {
  let files = 0;
  let bytes = 0;
  let brotli = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = precompressFiles(path);
      files += inner.files;
      bytes += inner.bytes;
      brotli += inner.brotli;
      continue;
    }
    if (!COMPRESSIBLE.test(entry.name) || statSync(path).size < MIN_BYTES) continue;
    const source = readFileSync(path);
    const br = brotliCompressSync(source, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: source.length,
      },
    });
    const gz = gzipSync(source, { level: 9 });
    // A copy that is not smaller is not worth sending.
    if (br.length < source.length) writeFileSync(`${path}.br`, br);
    if (gz.length < source.length) writeFileSync(`${path}.gz`, gz);
    files += 1;
    bytes += source.length;
    brotli += Math.min(br.length, source.length);
  }
  return { files, bytes, brotli };
}

export function precompress(outDir: string): Plugin {
  return {
    name: 'tongbao-precompress',
    apply: 'build',
    closeBundle() {
      const { files, bytes, brotli } = precompressFiles(outDir);
      this.info?.(
        `precompressed ${files} files: ${(bytes / 1024).toFixed(0)} KB → ${(brotli / 1024).toFixed(0)} KB br`,
      );
    },
  };
}
