/**
 * QR decoding in the browser: the native BarcodeDetector where the browser has one, jsQR (loaded
 * only when needed) otherwise. Works on video frames and on picked images alike.
 */

interface Detector {
  detect(source: ImageBitmapSource): Promise<{ rawValue: string }[]>;
}

let nativeDetector: Detector | null | undefined;

async function native(): Promise<Detector | null> {
  if (nativeDetector !== undefined) return nativeDetector;
  const ctor = (
    globalThis as unknown as {
      BarcodeDetector?: {
        new (options: { formats: string[] }): Detector;
        getSupportedFormats?: () => Promise<string[]>;
      };
    }
  ).BarcodeDetector;
  nativeDetector = null;
  if (ctor) {
    try {
      const formats = (await ctor.getSupportedFormats?.()) ?? ['qr_code'];
      if (formats.includes('qr_code')) nativeDetector = new ctor({ formats: ['qr_code'] });
    } catch {
      nativeDetector = null;
    }
  }
  return nativeDetector;
}

/** Decodes the first QR code in an image-like source, or null. */
export async function decodeQr(
  source: HTMLVideoElement | ImageBitmap | HTMLCanvasElement,
  canvas: HTMLCanvasElement,
): Promise<string | null> {
  const detector = await native();
  if (detector) {
    try {
      const found = await detector.detect(source);
      if (found[0]?.rawValue) return found[0].rawValue;
    } catch {
      // Fall through to jsQR.
    }
  }
  const width = source instanceof HTMLVideoElement ? source.videoWidth : source.width;
  const height = source instanceof HTMLVideoElement ? source.videoHeight : source.height;
  if (!width || !height) return null;
  const scale = Math.min(1, 1024 / Math.max(width, height));
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) return null;
  context.drawImage(source, 0, 0, canvas.width, canvas.height);
  const image = context.getImageData(0, 0, canvas.width, canvas.height);
  const { default: jsQR } = await import('jsqr');
  return jsQR(image.data, image.width, image.height, { inversionAttempts: 'attemptBoth' })?.data ?? null;
}

/** Decodes a picked photo or screenshot. */
export async function decodeQrFile(file: File, canvas: HTMLCanvasElement): Promise<string | null> {
  const bitmap = await createImageBitmap(file);
  try {
    return await decodeQr(bitmap, canvas);
  } finally {
    bitmap.close();
  }
}
